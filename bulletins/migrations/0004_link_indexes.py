"""Indexes on the link tables for "newest articles with this topic / organisation".

Django's automatic many-to-many tables have a unique index on (item, target)
and a plain one on each column; related articles and per-organisation lists
read (target, newest item first), which these serve as index range scans.
"""

from django.db import migrations

TABLES = (
    ("bulletins_article_topics", "topic_id", "article_id"),
    ("bulletins_article_organisations", "organisation_id", "article_id"),
    ("bulletins_briefitem_topics", "topic_id", "briefitem_id"),
    ("bulletins_briefitem_organisations", "organisation_id", "briefitem_id"),
)


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0003_effective_day")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {table}_newest_idx ON {table} ({target}, {item} DESC)",
            f"DROP INDEX IF EXISTS {table}_newest_idx",
        )
        for table, target, item in TABLES
    ]
