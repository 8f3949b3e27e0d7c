"""Substring search that stays fast: a GIN index of each text's two-character pieces.

Why: jieba may cut a rare name (江璟婷, 蓉芙村) one way inside a sentence and
another way alone, so the token search misses it; scanning every article for
the substring takes seconds at archive scale. Every substring of two or more
characters contains all of its own two-character pieces, so the index finds
the few candidate rows and ``LIKE`` confirms them. PostgreSQL computes the
pieces itself (an immutable function in the index expression), so imports and
editors' changes keep the index current with no code of ours.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION bulletins_bigrams(t text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_to_tsvector(array_agg(DISTINCT substr(t, i, 2))), ''::tsvector)
    FROM generate_series(1, length(t) - 1) AS i
$$;
"""

ARTICLE_INDEX = """
CREATE INDEX IF NOT EXISTS article_bigram_gin ON bulletins_article
USING gin (bulletins_bigrams(title || ' ' || subtitle || ' ' || body));
"""

BRIEF_INDEX = "CREATE INDEX IF NOT EXISTS brief_bigram_gin ON bulletins_briefitem USING gin (bulletins_bigrams(text));"


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0004_link_indexes")]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS bulletins_bigrams(text);"),
        migrations.RunSQL(ARTICLE_INDEX, "DROP INDEX IF EXISTS article_bigram_gin;"),
        migrations.RunSQL(BRIEF_INDEX, "DROP INDEX IF EXISTS brief_bigram_gin;"),
    ]
