"""An admin save changes nothing the editor did not change, and damaged rows are repaired.

Why a real browser: browsers post textareas with CRLF line ends, Django's
test client with LF; only Chromium shows what an editor's save really stores.
Why the form itself for the CRLF check: it states the rule (CRLF and lone CR
become LF, nothing else changes) without depending on how any client posts.
"""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from bulletins.models import Article, BriefItem, Issue, Organisation, Topic
from bulletins.parsing.bulletin import parse_bulletin
from tests.admin_browser import admin_login, browser, page  # noqa: F401  (fixtures)

PASSWORD = "pw-line-ends-123"
HUBEI = "湖北省红十字会简报 第4期"
# Bumped by every save on purpose: the modification time and the optimistic-lock counter.
BOOKKEEPING = {"updated_at", "version"}


def through_rows(model, pks) -> list[tuple]:
    rows = []
    for relation in ("organisations", "topics"):
        through = getattr(model, relation).through
        owner = f"{model._meta.model_name}_id"
        rows += sorted(
            (relation, *row)
            for row in through.objects.filter(**{f"{owner}__in": pks}).values_list(
                owner, through._meta.fields[2].attname
            )
        )
    return rows


def snapshot(model, pk) -> dict:
    """Every stored value of a row, and for an issue of its articles and brief items with their links."""
    row = {k: v for k, v in model.objects.filter(pk=pk).values().get().items() if k not in BOOKKEEPING}
    if model is Issue:
        for child in (Article, BriefItem):
            children = list(child.objects.filter(issue_id=pk).order_by("pk").values())
            row[child.__name__] = children
            row[f"{child.__name__}-links"] = through_rows(child, [c["id"] for c in children])
    elif model in (Article, BriefItem):
        row["links"] = through_rows(model, [pk])
    if model is Organisation:
        row["aliases"] = list(row["aliases"])
    return row


def press_save(tab, live_server, model, pk) -> None:
    opts = model._meta
    tab.goto(f"{live_server.url}/admin/{opts.app_label}/{opts.model_name}/{pk}/change/")
    tab.click("input[name=_save]")
    tab.wait_for_url(re.compile(rf"/admin/{opts.app_label}/{opts.model_name}/(\?.*)?$"))
    assert tab.locator(".messagelist .success").count() == 1


@pytest.mark.browser
def test_saving_untouched_pages_changes_nothing_and_marks_nothing(live_server, seeded, page, artifacts):  # noqa: F811
    issue = Issue.objects.get(title=HUBEI)
    assert "\n\n" in issue.articles.first().body  # paragraphs a CRLF save would run together
    article_with_comma = next(a for a in Article.objects.exclude(captions=[]) if any("," in c for c in a.captions))
    targets = [
        (Issue, issue.pk),
        (Article, article_with_comma.pk),
        (BriefItem, BriefItem.objects.filter(issue=issue).first().pk),
        (Organisation, Organisation.objects.get(name="湖北省红十字会").pk),
        (Topic, Topic.objects.exclude(description="").first().pk),
    ]
    admin_login(page, live_server, "line-editor", PASSWORD)
    for model, pk in targets:
        before = snapshot(model, pk)
        press_save(page, live_server, model, pk)
        after = snapshot(model, pk)
        assert after == before, f"{model.__name__} {pk} changed on an untouched save"
    page.screenshot(path=str(artifacts / "admin-untouched-save.png"), full_page=True)
    marked = [
        *Issue.objects.filter(pk=issue.pk).values_list("edited_fields", flat=True),
        *Article.objects.filter(issue=issue).values_list("edited_fields", flat=True),
        *Article.objects.filter(pk=article_with_comma.pk).values_list("edited_fields", flat=True),
        *BriefItem.objects.filter(issue=issue).values_list("edited_fields", flat=True),
    ]
    assert marked and all(fields == [] for fields in marked)

    # One title edited: only that value changes, and only it is marked.
    before = snapshot(Issue, issue.pk)
    page.goto(f"{live_server.url}/admin/bulletins/issue/{issue.pk}/change/")
    page.fill("#id_title", "湖北省红十字会简报 第4期（校订）")
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/bulletins/issue/(\?.*)?$"))
    after = snapshot(Issue, issue.pk)
    assert after.pop("title") == "湖北省红十字会简报 第4期（校订）"
    assert after.pop("edited_fields") == ["title"]
    before.pop("title"), before.pop("edited_fields")
    assert after == before


def test_crlf_posted_through_the_admin_form_is_stored_with_lf(seeded):
    """The issue page's form and its article inline, bound to CRLF data as a browser sends it."""
    user = get_user_model().objects.create_superuser("form-editor", "form@example.org", PASSWORD)
    request = RequestFactory().post("/admin/")
    request.user = user
    article = Article.objects.filter(body__contains="\n\n").first()
    model_admin = admin.site._registry[Article]
    form_class = model_admin.get_form(request, article)
    data = {
        name: value
        for name, value in form_class(instance=article).initial.items()
        if name not in {"organisations", "topics"} and value is not None
    }
    data.update(
        issue=article.issue_id,
        issue_version=article.issue.version,
        date=article.date.isoformat() if article.date else "",
        captions="\r\n".join(article.captions),
        organisations=[o.pk for o in article.organisations.all()],
        topics=[t.pk for t in article.topics.all()],
    )
    data["body"] = article.body.replace("\n", "\r\n")
    form = form_class(data, instance=article)
    assert form.is_valid(), form.errors
    assert form.changed_data == []
    assert form.cleaned_data["body"] == article.body

    data["body"] = "第一段。\r\n\r\n第二段，\r行内换行。  "
    form = form_class(data, instance=article)
    assert form.is_valid(), form.errors
    assert form.changed_data == ["body"]
    assert form.cleaned_data["body"] == "第一段。\n\n第二段，\n行内换行。  "  # only line ends change


def test_captions_are_edited_one_per_line_so_a_comma_stays_inside(seeded):
    from bulletins.admin_forms import LinesArrayField

    article = Article.objects.filter(captions__len__gt=0).first()
    article.captions = ["会议现场,志愿者发放物资。", "第二张图。"]
    request = RequestFactory().get("/")
    request.user = get_user_model()(is_superuser=True, is_active=True)
    field = admin.site._registry[Article].get_form(request, article).base_fields["captions"]
    assert isinstance(field, LinesArrayField)
    shown = field.prepare_value(article.captions)
    assert field.clean(shown.replace("\n", "\r\n") + "\r\n") == article.captions
    assert not field.has_changed(article.captions, shown.replace("\n", "\r\n"))


# --- the data migration -------------------------------------------------------------------------------------


def repair_migration():
    return importlib.import_module("bulletins.migrations.0007_repair_crlf")


def test_the_repair_migration_fixes_damaged_rows_and_keeps_real_edits(seeded):
    issue = Issue.objects.get(title=HUBEI)
    parsed = parse_bulletin(issue.raw_text, source_name=issue.source_name)
    damaged, edited, *_ = Article.objects.filter(issue=issue).order_by("position")
    brief = BriefItem.objects.filter(issue=issue).order_by("position").first()
    source_body = {a.position: a.body for a in parsed.articles}
    assert damaged.body == source_body[damaged.position]

    # What an untouched browser save did: CRLF stored, body/text marked as the editor's.
    Article.objects.filter(pk=damaged.pk).update(body=damaged.body.replace("\n", "\r\n"), edited_fields=["body"])
    BriefItem.objects.filter(pk=brief.pk).update(text=brief.text + "\r\n", edited_fields=["text", "date"])
    # A real correction, saved through a browser (CRLF) too.
    corrected = "编辑改写的第一段。\r\n\r\n编辑补充的第二段。"
    Article.objects.filter(pk=edited.pk).update(body=corrected, edited_fields=["title", "body"])
    Topic.objects.filter(pk=Topic.objects.first().pk).update(description="第一行\r\n第二行\r第三行")
    Issue.objects.filter(pk=issue.pk).update(review_notes="请核对\r\n日期")

    repair_migration().repair(apps, None)

    damaged.refresh_from_db()
    assert damaged.body == source_body[damaged.position] and damaged.edited_fields == []
    brief_after = BriefItem.objects.get(pk=brief.pk)
    assert "\r" not in brief_after.text
    # The brief's text ends in a line end the source does not have: it differs, so the mark stays.
    assert brief_after.edited_fields == ["text", "date"]
    edited.refresh_from_db()
    assert edited.body == "编辑改写的第一段。\n\n编辑补充的第二段。"
    assert edited.edited_fields == ["title", "body"]
    assert Topic.objects.first().description == "第一行\n第二行\n第三行"
    assert Issue.objects.get(pk=issue.pk).review_notes == "请核对\n日期"
    for model in (Article, BriefItem, Topic, Issue):
        for field in model._meta.concrete_fields:
            if field.get_internal_type() == "TextField":
                assert not model.objects.filter(**{f"{field.attname}__contains": "\r"}).exists()


def test_the_repair_migration_unmarks_a_brief_only_resaved(seeded):
    issue = Issue.objects.get(title=HUBEI)
    brief = BriefItem.objects.filter(issue=issue).order_by("position").last()
    BriefItem.objects.filter(pk=brief.pk).update(text=brief.text.replace("\n", "\r\n"), edited_fields=["text"])
    repair_migration().repair(apps, None)
    brief_after = BriefItem.objects.get(pk=brief.pk)
    assert brief_after.text == brief.text and brief_after.edited_fields == []
