"""Article boundaries corrected from the issue's admin page, and what a re-import then keeps.

Why the seed of 湖北省红十字会简报 第4期: four articles and nine brief items as
the importer really stores them, re-imported with ``--force`` from the same file.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from bulletins import editing
from bulletins.models import Article, BriefItem, Issue
from tests.test_history import editor, reimport, seed_issue  # noqa: F401  (editor is a fixture)

pytestmark = pytest.mark.django_db

KEPT = "结构已由编辑修改，保留"


def structure(editor, issue: Issue, **data):  # noqa: F811
    """Post one operation as the structure page's forms do; the page it lands on."""
    data.setdefault("version", Issue.objects.get(pk=issue.pk).version)
    url = reverse("admin:bulletins_issue_structure", args=[issue.pk])
    response = editor.post(url, data, follow=True)
    assert response.status_code == 200
    issue.refresh_from_db()
    return response.content.decode()


def titles(issue: Issue) -> list[str]:
    return list(issue.articles.order_by("position").values_list("title", flat=True))


def test_the_issue_page_links_to_its_structure_page(seeded, editor):  # noqa: F811
    issue = seed_issue()
    change = editor.get(reverse("admin:bulletins_issue_change", args=[issue.pk])).content.decode()
    url = reverse("admin:bulletins_issue_structure", args=[issue.pk])
    assert url in change
    page = editor.get(url).content.decode()
    assert "拆分" in page and "并入上一篇" in page and "改为简讯" in page and "改为文章" in page


def test_split_then_reimport_keeps_the_split_and_updates_what_still_corresponds(seeded, editor):  # noqa: F811
    issue = seed_issue()
    before = titles(issue)
    first = issue.articles.get(position=1)
    paragraphs = first.paragraphs
    page = structure(editor, issue, operation="split", target=first.pk, at=2, title="编辑拆出的文章")
    assert "已拆分" in page
    assert issue.structure_edited
    assert titles(issue) == [before[0], "编辑拆出的文章", *before[1:]]
    first.refresh_from_db()
    second = issue.articles.get(position=2)
    assert first.body == paragraphs[0]
    assert second.body == "\n\n".join(paragraphs[1:])
    assert second.segmented_text and second.import_position is None
    assert "body" in first.edited_fields
    assert Article.history.filter(id=second.pk, history_change_reason="拆分文章").exists()
    assert Issue.history.filter(id=issue.pk, structure_edited=True).exists()

    # An unedited field of a row that still corresponds to the file is updated as before.
    last = issue.articles.get(position=5)
    Article.objects.filter(pk=last.pk).update(title="导入前被改坏的标题")
    out = reimport()
    assert KEPT in out
    assert titles(issue) == [before[0], "编辑拆出的文章", *before[1:]]
    first.refresh_from_db()
    assert first.body == paragraphs[0]
    assert issue.briefs.count() == 9


def test_merge_into_the_previous_article(seeded, editor):  # noqa: F811
    issue = seed_issue()
    before = titles(issue)
    second = issue.articles.get(position=2)
    structure(editor, issue, operation="merge", target=second.pk)
    merged = issue.articles.get(position=1)
    assert titles(issue) == [before[0], *before[2:]]
    assert second.title in merged.body and second.body in merged.body
    assert not Article.objects.filter(pk=second.pk).exists()
    assert Article.history.filter(id=second.pk, history_type="-", history_change_reason="合并文章").exists()
    assert KEPT in reimport()
    assert titles(issue) == [before[0], *before[2:]]
    assert second.body in issue.articles.get(position=1).body


def test_the_first_article_has_nothing_to_merge_into(seeded, editor):  # noqa: F811
    issue = seed_issue()
    page = structure(editor, issue, operation="merge", target=issue.articles.get(position=1).pk)
    assert "不能合并" in page
    assert not issue.structure_edited and issue.articles.count() == 4


def test_article_to_brief_and_back(seeded, editor):  # noqa: F811
    issue = seed_issue()
    last = issue.articles.get(position=4)
    structure(editor, issue, operation="to_brief", target=last.pk)
    assert (issue.articles.count(), issue.briefs.count()) == (3, 10)
    brief = issue.briefs.get(position=10)
    assert brief.text.startswith(last.title)
    assert KEPT in reimport()
    assert (issue.articles.count(), issue.briefs.count()) == (3, 10)

    structure(editor, issue, operation="to_article", target=brief.pk, title="")
    assert (issue.articles.count(), issue.briefs.count()) == (4, 9)
    back = issue.articles.get(position=4)
    assert (back.title, back.body) == (last.title, last.body)
    assert BriefItem.history.filter(id=brief.pk, history_type="-", history_change_reason="简讯改为文章").exists()
    reimport()
    assert (issue.articles.count(), issue.briefs.count()) == (4, 9)


def test_reorder_and_reimport_matches_rows_by_their_file_position(seeded, editor):  # noqa: F811
    issue = seed_issue()
    before = titles(issue)
    third = issue.articles.get(position=3)
    structure(editor, issue, operation="move", target=third.pk, position=1)
    assert titles(issue) == [before[2], before[0], before[1], before[3]]
    # The moved article's text is still the file's third article: a re-import updates it in place.
    Article.objects.filter(pk=third.pk).update(title="待导入恢复的标题")
    assert KEPT in reimport()
    assert titles(issue) == [before[2], before[0], before[1], before[3]]
    assert Article.history.filter(id=third.pk, history_change_reason="调整文章顺序").exists()


def test_a_failed_operation_changes_nothing_and_a_stale_page_is_refused(seeded, editor):  # noqa: F811
    issue = seed_issue()
    first = issue.articles.get(position=1)
    with pytest.raises(editing.EditError):
        editing.split_article(issue.pk, first.pk, 99, "标题")
    issue.refresh_from_db()
    assert not issue.structure_edited
    assert not Article.objects.filter(issue=issue).exclude(import_position=None).exists()
    page = structure(editor, issue, operation="split", target=first.pk, at=2, title="新", version=issue.version - 1)
    assert "已被更新" in page
    assert issue.articles.count() == 4
