"""Every change is a version: who (an editor, or the import of which file), when, before and after; any restores.

Why through the admin's own pages and the import command: those are the paths
editors and operators take, and the versions must come out of them without
anyone remembering to record.
"""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from bulletins.history import import_reason
from bulletins.models import Article, BriefItem, Issue, Topic
from tests.conftest import seed_path
from tests.test_import import run_import, sample, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_user("editor", password="pw-editor-123", is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client


def seed_issue(prefix: str = "000") -> Issue:
    return Issue.objects.get(source_name=seed_path(prefix).name)


def reimport(prefix: str = "000") -> str:
    out = io.StringIO()
    call_command("import_bulletins", str(seed_path(prefix)), force=True, workers=1, stdout=out)
    return out.getvalue()


def article_form_data(article: Article, **changes) -> dict:
    data = {
        "issue": article.issue_id,
        "position": article.position,
        "section": article.section,
        "title": article.title,
        "subtitle": article.subtitle,
        "byline": article.byline,
        "region": article.region,
        "body": article.body,
        "captions": ",".join(article.captions),
        "date": article.date.isoformat() if article.date else "",
        "organisations": [o.pk for o in article.organisations.all()],
        "topics": [t.pk for t in article.topics.all()],
        "issue_version": Issue.objects.get(pk=article.issue_id).version,
    }
    data.update(changes)
    return data


def edit_article(editor, article: Article, **changes) -> None:
    url = reverse("admin:bulletins_article_change", args=[article.pk])
    response = editor.post(url, article_form_data(article, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()


def test_an_import_records_each_row_with_its_file_name(seeded):
    issue = seed_issue()
    reason = import_reason(seed_path("000").name)
    assert Issue.history.filter(id=issue.pk, history_type="+", history_change_reason=reason).exists()
    for model, rows in ((Article, issue.articles.all()), (BriefItem, issue.briefs.all())):
        first = model.history.filter(history_change_reason=reason, history_type="+")
        recorded = set(first.values_list("id", flat=True))
        assert {row.pk for row in rows} <= recorded


def test_an_import_update_records_only_what_changed(seeded, tmp_path):
    path = write(tmp_path, "h.txt", sample(number=91))
    run_import(path)
    issue = Issue.objects.get(number=91)
    article, brief = issue.articles.get(), issue.briefs.first()
    run_import(write(tmp_path, "h.txt", sample(number=91, body="共有150名学员参加。")))
    versions = list(Article.history.filter(id=article.pk).order_by("history_date"))
    assert [v.history_type for v in versions] == ["+", "~"]
    assert versions[-1].history_change_reason == "导入 h.txt"
    assert "150名学员" in versions[-1].body and "120名学员" in versions[0].body
    assert BriefItem.history.filter(id=brief.pk).count() == 1
    assert Issue.history.filter(id=issue.pk).latest("history_date").history_change_reason == "导入 h.txt"


def test_edit_reimport_restore_reimport_and_the_visitor_sees_the_restore(seeded, editor):
    issue = seed_issue()
    article = issue.articles.get(position=1)
    original = article.body
    first_edit = original + "\n\n编辑补充的第一段说明。"
    edit_article(editor, article, body=first_edit)
    edit_article(editor, article, body=original + "\n\n编辑第二次改的说明。")
    assert article.edited_fields == ["body"]

    assert "保留编辑改动" in reimport()
    article.refresh_from_db()
    assert article.body.endswith("编辑第二次改的说明。")

    history_url = reverse("admin:bulletins_article_history", args=[article.pk])
    page = editor.get(history_url).content.decode()
    assert "正文" in page and "修改前" in page and "editor" in page and "导入 " in page
    target = Article.history.filter(id=article.pk, body=first_edit).get()
    restore_url = reverse("admin:bulletins_article_restore", args=[article.pk, target.history_id])
    assert f'action="{restore_url}"' in page
    assert editor.get(restore_url).status_code == 405
    response = editor.post(restore_url)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == first_edit
    assert "body" in article.edited_fields
    latest = Article.history.filter(id=article.pk).latest("history_date")
    assert latest.history_user == editor.user and latest.history_change_reason.startswith("恢复到")

    reimport()
    article.refresh_from_db()
    assert article.body == first_edit
    visitor = Client()
    assert "编辑补充的第一段说明。" in visitor.get(article.get_absolute_url()).content.decode()


def test_the_history_page_is_a_readable_diff_under_chinese_names(seeded, editor):
    from tests.test_admin import issue_form_data

    issue = seed_issue("001")
    old_title = issue.title
    url = reverse("admin:bulletins_issue_change", args=[issue.pk])
    assert editor.post(url, issue_form_data(issue, title="编辑改过的期刊标题")).status_code == 302
    page = editor.get(reverse("admin:bulletins_issue_history", args=[issue.pk])).content.decode()
    assert "标题" in page and old_title in page and "编辑改过的期刊标题" in page
    assert "恢复到此版本" in page and "csrfmiddlewaretoken" in page
    latest = Issue.history.filter(id=issue.pk).latest("history_date")
    assert latest.history_user == editor.user
    assert (latest.prev_record.title, latest.title) == (old_title, "编辑改过的期刊标题")


def test_an_admin_action_leaves_a_version_by_its_editor(seeded, editor):
    flagged = Issue.objects.filter(needs_review=True).first()
    response = editor.post(
        reverse("admin:bulletins_issue_changelist"), {"action": "mark_reviewed", "_selected_action": [flagged.pk]}
    )
    assert response.status_code == 302
    latest = Issue.history.filter(id=flagged.pk).latest("history_date")
    assert latest.history_user == editor.user
    assert latest.needs_review is False and latest.prev_record.needs_review is True


def test_a_topic_edit_is_recorded_and_restored(seeded, editor):
    topic = Topic.objects.get(slug="first-aid-training")
    url = reverse("admin:bulletins_topic_change", args=[topic.pk])
    data = {"name": topic.name, "slug": topic.slug, "description": "编辑改的说明", "keywords": ",".join(topic.keywords)}
    assert editor.post(url, data).status_code == 302
    versions = list(Topic.history.filter(id=topic.pk).order_by("history_date"))
    assert len(versions) == 2, "the state before the first change is kept"
    restore = reverse("admin:bulletins_topic_restore", args=[topic.pk, versions[0].history_id])
    assert editor.post(restore).status_code == 302
    topic.refresh_from_db()
    assert topic.description == versions[0].description
    assert Topic.history.filter(id=topic.pk).count() == 3
