"""Editors' workplace: pages load, corrections are remembered, stale forms are refused."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from bulletins.models import Article, BriefItem, Issue, Organisation, Publication, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_user("editor", password="pw-editor-123", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def issue_form_data(issue: Issue, **changes) -> dict:
    """The admin change form as a browser would post it, with inline management forms."""
    data = {
        "title": issue.title,
        "publication": issue.publication_id or "",
        "publisher": issue.publisher_id or "",
        "number": issue.number or "",
        "date": issue.date.isoformat() if issue.date else "",
        "version": issue.version,
        "needs_review": "on" if issue.needs_review else "",
        "review_notes": issue.review_notes,
    }
    for prefix, rows in (("articles", issue.articles.all()), ("briefs", issue.briefs.all())):
        rows = list(rows)
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": len(rows),
                f"{prefix}-INITIAL_FORMS": len(rows),
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = row.pk
            data[f"{prefix}-{i}-issue"] = issue.pk
            data[f"{prefix}-{i}-position"] = row.position
            data[f"{prefix}-{i}-date"] = row.date.isoformat() if row.date else ""
            data[f"{prefix}-{i}-organisations"] = [o.pk for o in row.organisations.all()]
            data[f"{prefix}-{i}-topics"] = [t.pk for t in row.topics.all()]
            if isinstance(row, Article):
                for name in ("section", "title", "subtitle", "byline", "region", "body"):
                    data[f"{prefix}-{i}-{name}"] = getattr(row, name)
            else:
                data[f"{prefix}-{i}-end_date"] = row.end_date.isoformat() if row.end_date else ""
                data[f"{prefix}-{i}-text"] = row.text
    data = {k: v for k, v in data.items() if v is not None}
    data.update(changes)
    return data


@pytest.mark.parametrize("model", [Issue, Article, BriefItem, Organisation, Publication, Topic])
def test_staff_can_open_list_and_change_pages(seeded, editor, model):
    opts = model._meta
    list_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert editor.get(list_url).status_code == 200
    assert editor.get(list_url, {"q": "红十字"}).status_code == 200
    obj = model.objects.first()
    assert editor.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])).status_code == 200


def test_issue_list_filters(seeded, editor):
    url = reverse("admin:bulletins_issue_changelist")
    assert editor.get(url, {"needs_review__exact": "1"}).status_code == 200
    assert editor.get(url, {"year": "2021"}).status_code == 200


def test_anonymous_visitor_is_sent_to_login(seeded, client):
    response = client.get(reverse("admin:bulletins_issue_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_saving_records_which_fields_the_editor_changed(seeded, editor):
    issue = Issue.objects.filter(number__isnull=False).first()
    url = reverse("admin:bulletins_issue_change", args=[issue.pk])
    data = issue_form_data(issue, title="改过的标题", **{"articles-0-title": "改过的文章标题"})
    response = editor.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    issue.refresh_from_db()
    assert issue.title == "改过的标题"
    assert "title" in issue.edited_fields
    assert issue.version == 2
    first = issue.articles.order_by("position").first()
    assert first.title == "改过的文章标题"
    assert first.edited_fields == ["title"]


def test_a_stale_form_is_refused_instead_of_overwriting(seeded, editor):
    """An import that updated the issue meanwhile bumps the version; the old form must not win."""
    issue = Issue.objects.filter(number__isnull=False).first()
    data = issue_form_data(issue, title="编辑的标题")
    Issue.objects.filter(pk=issue.pk).update(version=issue.version + 1, title="导入的新标题")
    response = editor.post(reverse("admin:bulletins_issue_change", args=[issue.pk]), data)
    assert response.status_code == 200
    assert "已被更新" in response.content.decode()
    issue.refresh_from_db()
    assert issue.title == "导入的新标题"


def test_mark_reviewed_action(seeded, editor):
    flagged = list(Issue.objects.filter(needs_review=True).values_list("pk", flat=True))
    assert flagged, "the feature pages are imported for review"
    response = editor.post(
        reverse("admin:bulletins_issue_changelist"),
        {"action": "mark_reviewed", "_selected_action": flagged},
    )
    assert response.status_code == 302
    assert not Issue.objects.filter(pk__in=flagged, needs_review=True).exists()
    assert all(
        "needs_review" in f for f in Issue.objects.filter(pk__in=flagged).values_list("edited_fields", flat=True)
    )


def test_provenance_is_read_only(seeded, editor):
    issue = Issue.objects.first()
    html = editor.get(reverse("admin:bulletins_issue_change", args=[issue.pk])).content.decode()
    assert 'name="source_sha256"' not in html
    assert 'name="raw_text"' not in html
    assert issue.source_sha256 in html


def test_a_stale_article_page_is_refused_too(seeded, editor, tmp_path):
    """Editing one article on its own page: an import meanwhile must not be silently undone."""
    article = Article.objects.filter(issue__number__isnull=False).first()
    version = article.issue.version
    url = reverse("admin:bulletins_article_change", args=[article.pk])
    form_html = editor.get(url).content.decode()
    assert 'name="issue_version"' in form_html
    data = {
        "issue": article.issue_id,
        "position": article.position,
        "section": article.section,
        "title": "编辑改的标题",
        "subtitle": article.subtitle,
        "byline": article.byline,
        "region": article.region,
        "body": article.body,
        "captions": ",".join(article.captions),
        "date": article.date.isoformat() if article.date else "",
        "organisations": [o.pk for o in article.organisations.all()],
        "topics": [t.pk for t in article.topics.all()],
        "issue_version": version,
    }
    # An import updates the issue (and its version) between the editor's GET and POST.
    Issue.objects.filter(pk=article.issue_id).update(version=version + 1)
    Article.objects.filter(pk=article.pk).update(body="导入的新正文。")
    response = editor.post(url, data)
    assert response.status_code == 200
    assert "已被更新" in response.content.decode()
    article.refresh_from_db()
    assert article.body == "导入的新正文。"
    assert article.edited_fields == []

    # Reloaded, the same edit goes through and makes older forms of the issue stale.
    data["issue_version"] = version + 1
    data["body"] = "导入的新正文。"
    response = editor.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.title == "编辑改的标题"
    assert article.edited_fields == ["title"]
    assert Issue.objects.get(pk=article.issue_id).version == version + 2
