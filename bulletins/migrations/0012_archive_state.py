"""A version number of the archive that moves with every committed change to it, and only then.

Why: cached whole-archive counts (bulletins/caching.py) are keyed by the state of
the archive. PostgreSQL's snapshot moved with *any* transaction on the server,
including the cache's own writes once the cache lives in the database, and a
write in another database of the same server; a shared cache keyed by it would
never hit twice. This counter moves only when an archive table changes.

How: a deferred constraint trigger on each archive table runs at COMMIT (so the
row lock on the counter is held for the commit only, not for the whole import
transaction, and concurrent importers do not wait on each other's writing) and
bumps the counter once per transaction (a transaction-local setting remembers
it did). TRUNCATE (tests' flush) bumps it through a statement trigger. The table
is not a Django model, so a flush keeps its row; ``epoch`` tells a recreated
database from an earlier one. Every statement may run again (a restored
backup taken before this migration has the table but not the triggers).
"""

from django.db import migrations

TABLES = [
    "bulletins_issue",
    "bulletins_article",
    "bulletins_briefitem",
    "bulletins_organisation",
    "bulletins_publication",
    "bulletins_topic",
    "bulletins_article_organisations",
    "bulletins_article_topics",
    "bulletins_briefitem_organisations",
    "bulletins_briefitem_topics",
]

FUNCTIONS = """
CREATE TABLE IF NOT EXISTS bulletins_archive_state (
    id smallint PRIMARY KEY DEFAULT 1 CONSTRAINT bulletins_archive_state_single CHECK (id = 1),
    epoch uuid NOT NULL DEFAULT gen_random_uuid(),
    version bigint NOT NULL DEFAULT 0
);
INSERT INTO bulletins_archive_state DEFAULT VALUES ON CONFLICT (id) DO NOTHING;

CREATE OR REPLACE FUNCTION bulletins_archive_bump() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('bulletins.archive_bumped', true), '') <> '1' THEN
        PERFORM set_config('bulletins.archive_bumped', '1', true);
        INSERT INTO bulletins_archive_state (id) VALUES (1)
        ON CONFLICT (id) DO UPDATE SET version = bulletins_archive_state.version + 1;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION bulletins_archive_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bulletins_archive_bump();
    RETURN NULL;
END $$;
"""

TRIGGERS = """
DROP TRIGGER IF EXISTS {table}_archive_changed ON {table};
DROP TRIGGER IF EXISTS {table}_archive_truncated ON {table};
CREATE CONSTRAINT TRIGGER {table}_archive_changed AFTER INSERT OR UPDATE OR DELETE ON {table}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bulletins_archive_changed();
CREATE TRIGGER {table}_archive_truncated AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION bulletins_archive_changed();
"""

DROP_TRIGGERS = """
DROP TRIGGER {table}_archive_changed ON {table};
DROP TRIGGER {table}_archive_truncated ON {table};
"""

DROP_FUNCTIONS = """
DROP FUNCTION bulletins_archive_changed();
DROP FUNCTION bulletins_archive_bump();
DROP TABLE bulletins_archive_state;
"""


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0011_history_review_fields")]

    operations = [
        migrations.RunSQL(
            FUNCTIONS + "".join(TRIGGERS.format(table=t) for t in TABLES),
            "".join(DROP_TRIGGERS.format(table=t) for t in TABLES) + DROP_FUNCTIONS,
        ),
    ]
