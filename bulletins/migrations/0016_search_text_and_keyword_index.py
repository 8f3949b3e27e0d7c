"""Search in either Chinese script, and related articles by shared keywords.

* ``search_text``: an article's or brief item's text in normal form (simplified
  script, folded ASCII; ``bulletins.chinese_script.search_form``) when that
  differs from the printed text, else empty. The two-character index (migration
  0005) is rebuilt over ``COALESCE(NULLIF(search_text, ''), <printed text>)``, so
  a substring typed in either script finds a text printed in either, while a
  simplified text (the usual case) is stored once.
* ``article_keywords_gin``: candidates for the related list are the articles
  sharing one of an article's specific keywords (``keywords && ARRAY[...]``).

Existing rows get their ``search_text`` here. They were imported in simplified
script (the importer converted traditional texts until now), so only rows holding
a capital or a full-width form can differ from their normal form, and only those are read.
"""

import functools
import operator

import django.contrib.postgres.indexes
from django.db import migrations, models
from django.db.models import Q

ARTICLE_TEXT = "title || ' ' || subtitle || ' ' || body"
CHANGED = r"[A-Z\u3000\u00a0\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]"
BATCH = 2000


def fill_search_text(apps, schema_editor):
    from bulletins.chinese_script import search_form

    for name, fields in (("Article", ("title", "subtitle", "body")), ("BriefItem", ("text",))):
        model = apps.get_model("bulletins", name)
        candidates = functools.reduce(operator.or_, (Q(**{f"{field}__regex": CHANGED}) for field in fields))
        rows = model.objects.filter(candidates).values_list("pk", *fields).iterator(BATCH)
        changed = []
        for pk, *parts in rows:
            form = search_form(*parts)
            if form:
                changed.append(model(pk=pk, search_text=form))
            if len(changed) >= BATCH:
                model.objects.bulk_update(changed, ["search_text"])
                changed = []
        model.objects.bulk_update(changed, ["search_text"])


def _bigram_indexes(article_text: str, brief_text: str) -> str:
    return f"""
DROP INDEX IF EXISTS article_bigram_gin;
DROP INDEX IF EXISTS brief_bigram_gin;
CREATE INDEX article_bigram_gin ON bulletins_article USING gin (bulletins_bigrams({article_text}));
CREATE INDEX brief_bigram_gin ON bulletins_briefitem USING gin (bulletins_bigrams({brief_text}));
"""


NORMAL_FORM = _bigram_indexes(f"COALESCE(NULLIF(search_text, ''), {ARTICLE_TEXT})", "COALESCE(NULLIF(search_text, ''), text)")
PRINTED = _bigram_indexes(ARTICLE_TEXT, "text")


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0015_variants_fields")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="检索文本"),
        ),
        migrations.AddField(
            model_name="briefitem",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="检索文本"),
        ),
        migrations.AddIndex(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(fields=["keywords"], name="article_keywords_gin"),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunSQL(NORMAL_FORM, PRINTED),
    ]
