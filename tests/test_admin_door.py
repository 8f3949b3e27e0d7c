"""The admin door, its language, its headers and its review queue.

Why through the real login view: a lockout exists only where the login form
is; each test posts to it as a browser would, from one address.
"""

from __future__ import annotations

import datetime
import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.db.models import F
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from bulletins.middleware import client_ip
from bulletins.models import Article, Issue
from tests.test_admin import issue_form_data

pytestmark = pytest.mark.django_db

PASSWORD = "pw-door-editor-123"
LOGIN = "/admin/login/"


def log_in(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


@pytest.fixture
def door_editor():
    return get_user_model().objects.create_user("door-editor", password=PASSWORD, is_staff=True, is_superuser=True)


@override_settings(AXES_FAILURE_LIMIT=5, AXES_COOLOFF_TIME=datetime.timedelta(minutes=15))
def test_repeated_failures_lock_the_user_out_until_the_cool_off_ends(seeded, door_editor, caplog):
    client = Client()
    with caplog.at_level(logging.WARNING, logger="axes"):
        for attempt in range(1, 5):
            response = log_in(client, "door-editor", f"wrong-{attempt}")
            assert response.status_code == 200 and "_auth_user_id" not in client.session
        locked = log_in(client, "door-editor", "wrong-5")
    assert locked.status_code == 429
    assert "登录已暂时锁定" in locked.content.decode()
    assert any("Locking out" in record.getMessage() for record in caplog.records)

    # While locked, even the right password is refused.
    refused = log_in(client, "door-editor", PASSWORD)
    assert refused.status_code == 429 and "_auth_user_id" not in client.session

    # Sixteen minutes later (the attempts moved back in time), the right password opens the door again.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=16))
    opened = log_in(client, "door-editor", PASSWORD)
    assert opened.status_code == 302 and opened["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(door_editor.pk)
    assert not AccessAttempt.objects.exists()  # a successful login clears the count


@override_settings(AXES_FAILURE_LIMIT=3)
def test_failures_from_one_address_lock_that_address_whatever_the_user_name(seeded, door_editor):
    client = Client()
    for name in ("alice", "bob", "carol"):
        log_in(client, name, "guess")
    assert log_in(client, "door-editor", PASSWORD).status_code == 429
    other_address = Client(REMOTE_ADDR="192.0.2.7")
    assert log_in(other_address, "door-editor", PASSWORD).status_code == 302


@override_settings(ARCHIVE_PROXY_COUNT=1)
def test_behind_the_proxy_the_client_address_is_the_one_nginx_appended():
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5", REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == "203.0.113.5"
    with override_settings(ARCHIVE_PROXY_COUNT=0):
        assert client_ip(request) == "127.0.0.1"


def test_the_admin_speaks_chinese_to_an_english_browser(seeded, client, door_editor):
    english = {"accept-language": "en-US,en;q=0.9"}
    login_page = client.get(LOGIN, headers=english).content.decode()
    assert 'lang="zh-hans"' in login_page and "用户名" in login_page
    client.force_login(door_editor)
    index = client.get("/admin/", headers=english).content.decode()
    assert "访问尝试" in index and "Access attempts" not in index  # django-axes' list, in Chinese too
    issue = Issue.objects.first()
    # A form with an error: Django's own messages come in Chinese too.
    data = issue_form_data(issue, title="")
    response = client.post(reverse("admin:bulletins_issue_change", args=[issue.pk]), data, headers=english)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please correct" not in html and "This field is required" not in html and "Error:" not in html
    assert "请更正以下错误" in html and "必填项" in html and "<title>错误：" in html


def test_the_public_site_keeps_its_language_negotiation(seeded, client):
    assert client.get("/", headers={"accept-language": "en"})["Content-Language"] == "en"
    assert client.get("/", headers={"accept-language": "zh-CN"})["Content-Language"] == "zh-hans"


@pytest.mark.parametrize("url", ["/", "/issues/", "/api/", LOGIN, "/no-such-page/"])
def test_every_response_sends_a_strict_csp_and_a_permissions_policy(seeded, client, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "camera=()" in response["Permissions-Policy"]


# --- the review queue ---------------------------------------------------------------------------------------


def test_issue_list_shows_review_reasons_as_text_and_filters_by_reason(seeded, client, door_editor):
    client.force_login(door_editor)
    url = reverse("admin:bulletins_issue_changelist")
    html = client.get(url).content.decode()
    assert "待审核原因" in html
    assert "没有期号" in html
    assert "icon-yes.svg" not in html  # no green tick that reads as "approved"

    flagged = Issue.objects.filter(needs_review=True, review_notes__contains="没有期号")
    response = client.get(url, {"reason": "没有期号"})
    assert list(response.context["cl"].result_list.values_list("pk", flat=True).order_by("pk")) == list(
        flagged.values_list("pk", flat=True).order_by("pk")
    )
    assert '?reason=%E6%B2%A1%E6%9C%89%E6%9C%9F%E5%8F%B7"' in html  # the reason is offered in the filter
    none_needed = client.get(url, {"reason": "__none__"}).context["cl"].result_list
    assert none_needed and not any(issue.needs_review for issue in none_needed)


def test_mark_reviewed_records_who_and_when(seeded, client, door_editor):
    client.force_login(door_editor)
    flagged = list(Issue.objects.filter(needs_review=True).values_list("pk", flat=True))
    before = datetime.datetime.now(datetime.UTC)
    client.post(reverse("admin:bulletins_issue_changelist"), {"action": "mark_reviewed", "_selected_action": flagged})
    for issue in Issue.objects.filter(pk__in=flagged):
        assert issue.reviewed_by == door_editor and issue.reviewed_at >= before
    html = client.get(reverse("admin:bulletins_issue_change", args=[flagged[0]])).content.decode()
    assert "审核人" in html and "door-editor" in html


def test_edited_fields_are_shown_by_their_chinese_names(seeded, client, door_editor):
    client.force_login(door_editor)
    article = Article.objects.first()
    Article.objects.filter(pk=article.pk).update(edited_fields=["title", "body"])
    html = client.get(reverse("admin:bulletins_article_change", args=[article.pk])).content.decode()
    assert "标题、正文" in html
