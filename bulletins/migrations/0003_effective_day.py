"""``day``: each article's and brief item's effective date, kept by PostgreSQL triggers.

Why a stored column and triggers: every list is ordered "newest first" by the
event date, else the issue's date. Computed per query, that ordering sorts the
whole table; stored and indexed, a page is an index scan. Triggers keep it true
whoever writes (importer, admin, SQL): a row's own date change, and an issue's
date change for its undated rows.
"""

from django.db import migrations, models

TRIGGERS = """
CREATE FUNCTION bulletins_part_day() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.date IS NOT NULL THEN
        NEW.day := NEW.date;
    ELSE
        SELECT date INTO NEW.day FROM bulletins_issue WHERE id = NEW.issue_id;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER bulletins_article_day BEFORE INSERT OR UPDATE OF date, issue_id, day ON bulletins_article
    FOR EACH ROW EXECUTE FUNCTION bulletins_part_day();
CREATE TRIGGER bulletins_briefitem_day BEFORE INSERT OR UPDATE OF date, issue_id, day ON bulletins_briefitem
    FOR EACH ROW EXECUTE FUNCTION bulletins_part_day();

CREATE FUNCTION bulletins_issue_day() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE bulletins_article SET day = NEW.date WHERE issue_id = NEW.id AND date IS NULL;
    UPDATE bulletins_briefitem SET day = NEW.date WHERE issue_id = NEW.id AND date IS NULL;
    RETURN NULL;
END $$;

CREATE TRIGGER bulletins_issue_day AFTER UPDATE OF date ON bulletins_issue
    FOR EACH ROW WHEN (OLD.date IS DISTINCT FROM NEW.date) EXECUTE FUNCTION bulletins_issue_day();

UPDATE bulletins_article a SET day = COALESCE(a.date, i.date) FROM bulletins_issue i WHERE i.id = a.issue_id;
UPDATE bulletins_briefitem b SET day = COALESCE(b.date, i.date) FROM bulletins_issue i WHERE i.id = b.issue_id;
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS bulletins_issue_day ON bulletins_issue;
DROP FUNCTION IF EXISTS bulletins_issue_day();
DROP TRIGGER IF EXISTS bulletins_article_day ON bulletins_article;
DROP TRIGGER IF EXISTS bulletins_briefitem_day ON bulletins_briefitem;
DROP FUNCTION IF EXISTS bulletins_part_day();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('bulletins', '0002_starting_topics'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='day',
            field=models.DateField(blank=True, editable=False, help_text='事件日期，没有时取期刊日期；由数据库触发器维护，供按时间排序。', null=True, verbose_name='排序日期'),
        ),
        migrations.AddField(
            model_name='briefitem',
            name='day',
            field=models.DateField(blank=True, editable=False, help_text='事件日期，没有时取期刊日期；由数据库触发器维护，供按时间排序。', null=True, verbose_name='排序日期'),
        ),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(models.OrderBy(models.F('day'), descending=True, nulls_last=True), models.OrderBy(models.F('issue'), descending=True), models.F('position'), name='article_newest_first_idx'),
        ),
        migrations.AddIndex(
            model_name='briefitem',
            index=models.Index(models.OrderBy(models.F('day'), descending=True, nulls_last=True), models.OrderBy(models.F('issue'), descending=True), models.F('position'), name='brief_newest_first_idx'),
        ),
    ]
