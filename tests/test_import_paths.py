"""The two write paths of the importer store the same file identically.

Why: a new issue is written with hand-built SQL and a re-imported one through
the ORM. Both take their columns from ``bulletins.importing.rows``; this test
writes the same parsed issue both ways and compares every column of the
issue, its articles, brief items and link rows, so a field that one path
fills and the other forgets fails here.
"""

from __future__ import annotations

import pytest

from bulletins.importing import rows, store
from bulletins.importing.outcome import Outcome
from bulletins.importing.prepare import prepare_file
from bulletins.models import Article, BriefItem, Issue
from tests.conftest import seed_path

pytestmark = pytest.mark.django_db

# Columns that differ between two writes of the same file by design: ids, and when and how often it was written.
VOLATILE = {"id", "issue", "imported_at", "updated_at", "version"}


def columns(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.name not in VOLATILE]


def snapshot(issue_id: int) -> dict:
    """Every column of the issue and of its rows (by position), and its link rows as (position, target)."""
    found = {"issue": Issue.objects.filter(pk=issue_id).values(*columns(Issue)).get()}
    for model in (Article, BriefItem):
        items = model.objects.filter(issue_id=issue_id).order_by("position")
        found[model.__name__] = list(items.values(*columns(model)))
        for link in rows.LINKS:
            m2m = model._meta.get_field(link.relation)
            through = m2m.remote_field.through
            owner, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
            found[f"{model.__name__}.{link.relation}"] = sorted(
                through.objects.filter(**{f"{owner}__issue_id": issue_id}).values_list(f"{owner}__position", target)
            )
    return found


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_every_column_is_described_once():
    """Each column the importer could fill is in exactly one row description (or filled by the database)."""
    for row_type in (rows.ISSUE, rows.ARTICLE, rows.BRIEF):
        model = row_type.model
        expected = {f.name for f in model._meta.concrete_fields} - rows.DATABASE_FILLED - rows.KEPT_APART
        if model is not Issue:
            expected -= {"issue"}  # the parent's id, given by the write path
        assert _described(row_type) == expected, model.__name__


def _described(row_type) -> set[str]:
    prepared = prepare_file(seed_path("000"), topics=store.topic_taxonomy(), max_bytes=10**7)
    refs = rows.References(publication_id=None, publisher_id=None, imported_at=None)
    if row_type is rows.ISSUE:
        return set(row_type.values(prepared, refs, None))
    children = next(c for c in rows.CHILDREN if c.rows is row_type)
    return set(row_type.values(children.items(prepared)[0], children.analysed(prepared)[0], None))


def test_fast_insert_and_update_path_write_the_same_rows(seeded, tmp_path):
    text = seed_path("000").read_text(encoding="utf-8").replace("第 4 期", "第 94 期", 1)
    assert "第 94 期" in text
    # An older form of the same file: one article's wording differs and the last brief item is missing.
    # (Under another file name, the same issue would be a copy and would not be written.)
    older = text.replace("高勤书记带队到省妇联学习调研", "高勤书记到省妇联调研", 1)
    older = older[: older.rindex("▲")]
    assert older != text
    topics = store.topic_taxonomy()

    first = store.store_prepared(prepare_file(write(tmp_path, "old/issue.txt", older), topics=topics, max_bytes=10**7))
    assert first.outcome is Outcome.CREATED
    by_older = snapshot(first.issue_id)
    current = prepare_file(write(tmp_path, "new/issue.txt", text), topics=topics, max_bytes=10**7)
    updated = store.store_prepared(current)
    assert (updated.outcome, updated.issue_id) == (Outcome.UPDATED, first.issue_id)
    by_update = snapshot(updated.issue_id)
    assert by_update["Article"] != by_older["Article"] and by_update["BriefItem"] != by_older["BriefItem"]

    Issue.objects.filter(pk=updated.issue_id).delete()
    inserted = store.store_prepared(current)
    assert inserted.outcome is Outcome.CREATED
    by_insert = snapshot(inserted.issue_id)

    assert by_insert["Article"] and by_insert["BriefItem"]
    assert by_insert["Article.organisations"] and by_insert["Article.topics"]
    for key in by_insert:
        assert by_update[key] == by_insert[key], key
