"""Nothing unsafe from configuration, visitors or the bulletins themselves.

Why each test does the bad thing for real: settings are read by a fresh
process with production environment variables; errors are raised with DEBUG
off; forms are posted without a CSRF token; the public site is sent writes;
the parser is fed random and mutated text by hypothesis; a file full of HTML,
control characters, right-to-left marks and a 100,000-character line goes
through the real importer and onto the real pages; every list is queried with
quotes, backslashes, tsquery operators, NUL bytes, impossible dates and
10,000-character values.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import path, reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from archive import urls as site_urls
from bulletins.models import Article, BriefItem, Issue, Organisation, Publication, Topic
from bulletins.parsing.bulletin import parse_bulletin
from bulletins.parsing.decoding import decode_bytes
from bulletins.parsing.results import ParsedIssue, ParseError
from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parent.parent
SECRET = "x" * 20 + "a-long-random-production-secret-value-0123456789"


# --- a test-only URL configuration: the site plus one view that fails --------------------------


def _explode(request):
    raise RuntimeError("secret-internal-detail: password=hunter2 SELECT * FROM bulletins_issue")


urlpatterns = [path("__explode__/", _explode), *site_urls.urlpatterns]
handler404 = site_urls.handler404
handler500 = site_urls.handler500


# --- deployment settings -------------------------------------------------------------------------


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_DEBUG="false", DJANGO_SECRET_KEY=SECRET, DJANGO_ALLOWED_HOSTS="archive.example.org")
    env.update(extra)
    return env


SETTINGS_PROBE = """
import json
from django.conf import settings as s
names = ["DEBUG", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS",
         "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
         "SESSION_COOKIE_HTTPONLY", "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS", "ALLOWED_HOSTS"]
print(json.dumps({name: getattr(s, name) for name in names}))
"""


def read_settings(env: dict[str, str]) -> dict:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SETTINGS_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_are_secure_by_default():
    values = read_settings(production_env())
    assert values == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "X_FRAME_OPTIONS": "DENY",
        "ALLOWED_HOSTS": ["archive.example.org"],
    }


def test_every_https_switch_follows_the_environment():
    values = read_settings(
        production_env(
            DJANGO_SECURE_SSL_REDIRECT="false",
            DJANGO_SECURE_PROXY_SSL_HEADER="false",
            DJANGO_SECURE_HSTS_SECONDS="600",
            DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
            DJANGO_SECURE_HSTS_PRELOAD="false",
            DJANGO_SESSION_COOKIE_SECURE="false",
            DJANGO_CSRF_COOKIE_SECURE="false",
        )
    )
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["SECURE_HSTS_SECONDS"] == 600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert values["SECURE_HSTS_PRELOAD"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False


def test_check_deploy_notices_a_switch_turned_off_and_a_missing_secret_key():
    """The clean ``check --deploy`` (tests/test_project.py) means something: turning HSTS off is reported."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(DJANGO_SECURE_HSTS_SECONDS="0", DJANGO_SECURE_SSL_REDIRECT="false"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout
    assert "security.W008" in result.stderr + result.stdout

    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0, "production must not run on the public development key"
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_https_redirect_hsts_and_secure_cookies_behind_the_proxy(seeded):
    with override_settings(
        SECURE_SSL_REDIRECT=True,
        SECURE_HSTS_SECONDS=31536000,
        SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
        SECURE_HSTS_PRELOAD=True,
        SESSION_COOKIE_SECURE=True,
        CSRF_COOKIE_SECURE=True,
    ):
        client = Client()
        plain = client.get("/issues/")
        assert plain.status_code == 301
        assert plain["Location"] == "https://testserver/issues/"
        proxied = client.get("/issues/", headers={"x-forwarded-proto": "https"})
        assert proxied.status_code == 200
        assert proxied["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        assert proxied["X-Content-Type-Options"] == "nosniff"
        assert proxied["X-Frame-Options"] == "DENY"

        get_user_model().objects.create_user("cookie-editor", password="pw-cookie-123", is_staff=True)
        login = client.get("/admin/login/", headers={"x-forwarded-proto": "https"})
        assert login.cookies["csrftoken"]["secure"]
        response = client.post(
            "/admin/login/",
            {"username": "cookie-editor", "password": "pw-cookie-123", "next": "/admin/"},
            headers={"x-forwarded-proto": "https"},
        )
        assert response.status_code == 302
        session = response.cookies["sessionid"]
        assert session["secure"] and session["httponly"]


# --- error pages with DEBUG off ----------------------------------------------------------------


LEAKS = ("Traceback", "RuntimeError", "secret-internal-detail", "hunter2", "SELECT", "SECRET_KEY", "settings.py")


@pytest.mark.django_db
@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_500_page_is_the_sites_own_and_shows_no_internals(seeded):
    response = Client(raise_request_exception=False).get("/__explode__/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "出错了" in html and "简报档案" in html
    for leak in LEAKS:
        assert leak not in html


@pytest.mark.django_db
@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    "url",
    [
        "/no-such-page/",
        "/issues/987654321/",
        "/articles/987654321/",
        "/organisations/99999999999999999999/",
        "/topics/no-such-topic/",
        "/feeds/organisations/99999999999999999999/",
        "/static/x.js",
    ],
)
def test_404_page_is_the_sites_own_and_shows_no_internals(seeded, client, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html
    for leak in (*LEAKS, "Page not found", "URLconf", "urlpatterns", "bulletins.views", "DoesNotExist"):
        assert leak not in html


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_api_404_is_json_without_internals(seeded, client):
    for url in ("/api/issues/987654321/", "/api/articles/99999999999999999999/", "/api/no-such-thing/"):
        response = client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert "detail" in response.json()
        assert "Traceback" not in response.content.decode()


# --- the admin: staff only, CSRF always --------------------------------------------------------


@pytest.fixture
def staff():
    return get_user_model().objects.create_user(
        "sec-editor", password="pw-sec-editor-123", is_staff=True, is_superuser=True
    )


@pytest.mark.django_db
def test_admin_refuses_visitors_and_non_staff_users(seeded, client):
    issue = Issue.objects.first()
    url = reverse("admin:bulletins_issue_change", args=[issue.pk])
    response = client.post(url, {"title": "匿名改的标题", "version": issue.version})
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]

    reader = get_user_model().objects.create_user("reader", password="pw-reader-123")
    client.force_login(reader)
    for target in (reverse("admin:index"), url):
        response = client.get(target)
        assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    response = client.post(url, {"title": "读者改的标题", "version": issue.version})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.title not in ("匿名改的标题", "读者改的标题")


@pytest.mark.django_db
def test_admin_writes_need_the_csrf_token(seeded, staff):
    from tests.test_admin import issue_form_data

    client = Client(enforce_csrf_checks=True)
    assert (
        client.post(reverse("admin:login"), {"username": "sec-editor", "password": "pw-sec-editor-123"}).status_code
        == 403
    )

    client.force_login(staff)
    issue = Issue.objects.filter(number__isnull=False).first()
    url = reverse("admin:bulletins_issue_change", args=[issue.pk])
    data = issue_form_data(issue, title="跨站伪造的标题")
    response = client.post(url, data)
    assert response.status_code == 403
    issue.refresh_from_db()
    assert issue.title != "跨站伪造的标题"
    assert client.post(reverse("admin:bulletins_issue_changelist"), {"action": "delete_selected"}).status_code == 403

    # The same post with the token from the form page goes through: the 403 was the CSRF check.
    client.get(url)
    data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    assert client.post(url, data).status_code == 302
    issue.refresh_from_db()
    assert issue.title == "跨站伪造的标题"


# --- the public site is read-only --------------------------------------------------------------


def public_urls() -> list[str]:
    issue = Issue.objects.first()
    article = Article.objects.first()
    organisation = Organisation.objects.first()
    topic = Topic.objects.first()
    brief = BriefItem.objects.first()
    return [
        "/",
        "/issues/",
        f"/issues/{issue.pk}/",
        "/articles/",
        f"/articles/{article.pk}/",
        "/briefs/",
        "/organisations/",
        f"/organisations/{organisation.pk}/",
        "/topics/",
        f"/topics/{topic.slug}/",
        "/search/?q=救护",
        "/articles.csv",
        "/briefs.csv",
        "/feeds/issues/",
        "/api/",
        "/api/issues/",
        f"/api/issues/{issue.pk}/",
        "/api/articles/",
        f"/api/articles/{article.pk}/",
        "/api/briefs/",
        f"/api/briefs/{brief.pk}/",
        "/api/organisations/",
        f"/api/organisations/{organisation.pk}/",
        "/api/topics/",
        f"/api/topics/{topic.pk}/",
    ]


def table_counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Issue, Article, BriefItem, Organisation, Publication, Topic))


@pytest.mark.django_db
@pytest.mark.parametrize("enforce_csrf", [False, True], ids=["csrf-exempt-client", "browser-like"])
def test_the_public_site_refuses_every_write(seeded, enforce_csrf):
    client = Client(enforce_csrf_checks=enforce_csrf)
    before = table_counts()
    titles = list(Issue.objects.values_list("title", flat=True))
    payload = {"title": "写入", "name": "写入", "text": "写入", "q": "救护"}
    refused = []
    for url in public_urls():
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(
                url,
                payload if method == "post" else json.dumps(payload),
                **({} if method == "post" else {"content_type": "application/json"}),
            )
            if response.status_code not in (403, 405):
                refused.append(f"{method.upper()} {url} -> {response.status_code}")
    assert not refused, "writes that were not refused:\n" + "\n".join(refused)
    assert table_counts() == before
    assert list(Issue.objects.values_list("title", flat=True)) == titles


# --- hostile input: the parser --------------------------------------------------------------------


SEED_TEXTS = [decode_bytes(p.read_bytes()) for p in sorted(SEEDS.glob("*.txt"))]
PIECES = [
    "湖北省红十字会简报",
    "浙江红十字",
    "第 4 期",
    "第四十四期",
    "总第 370 期",
    "2021 年 4 月 30 日",
    "二〇二三年五月八日",
    "4月26日至27日",
    "13月45日",
    "0年0月0日",
    "简 讯",
    "▲",
    "□",
    "每月要览",
    "综合报道",
    "通讯员 张三",
    "分送：",
    "责任编辑：",
    "联系电话：",
    "# ",
    "——",
    "省红十字会开展应急救护培训",
    "。",
    "，",
    "\f",
    "\t",
    "\r",
    "\u202e",
    "\u200f",
    "\ufeff",
    "\x00",
    "\x1b",
    "<script>",
    "&amp;",
    "9" * 30,
]
bulletinish = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=60).map("".join)
lines = st.lists(st.one_of(bulletinish, st.sampled_from(PIECES)), max_size=40).map("\n".join)


@st.composite
def mutated_seeds(draw) -> str:
    """A seed with a few of its lines deleted, duplicated, swapped, cut, or spliced with junk."""
    text_lines = draw(st.sampled_from(SEED_TEXTS)).split("\n")
    for _ in range(draw(st.integers(1, 8))):
        if not text_lines:
            break
        i = draw(st.integers(0, len(text_lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "cut", "splice", "insert", "truncate"]))
        if op == "delete":
            del text_lines[i]
        elif op == "duplicate":
            text_lines.insert(i, text_lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(text_lines) - 1))
            text_lines[i], text_lines[j] = text_lines[j], text_lines[i]
        elif op == "cut":
            k = draw(st.integers(0, len(text_lines[i])))
            text_lines[i] = text_lines[i][:k]
        elif op == "splice":
            k = draw(st.integers(0, len(text_lines[i])))
            text_lines[i] = text_lines[i][:k] + draw(bulletinish) + text_lines[i][k:]
        elif op == "insert":
            text_lines.insert(i, draw(bulletinish))
        else:
            text_lines = text_lines[:i]
    return "\n".join(text_lines)


def assert_well_formed(issue: ParsedIssue) -> None:
    assert isinstance(issue, ParsedIssue)
    assert issue.articles or issue.briefs
    assert isinstance(issue.title, str) and issue.title.strip()
    assert issue.number is None or (isinstance(issue.number, int) and issue.number > 0)
    assert issue.date is None or isinstance(issue.date, datetime.date)
    assert [a.position for a in issue.articles] == list(range(1, len(issue.articles) + 1))
    assert [b.position for b in issue.briefs] == list(range(1, len(issue.briefs) + 1))
    for article in issue.articles:
        assert isinstance(article.title, str) and article.title.strip()
        assert article.date is None or isinstance(article.date, datetime.date)
        for value in (
            article.title,
            article.subtitle,
            article.byline,
            article.section,
            article.body,
            *article.captions,
        ):
            assert "\x00" not in value, "PostgreSQL cannot store NUL"
    for brief in issue.briefs:
        assert isinstance(brief.text, str) and brief.text.strip()
        assert "\x00" not in brief.text
        if brief.end_date is not None:
            assert brief.date is not None and brief.end_date >= brief.date


def parse_or_refuse(text: str) -> None:
    try:
        issue = parse_bulletin(text, source_name="hostile.txt")
    except ParseError as exc:
        assert str(exc), "a refusal says why"
        assert not str(exc).startswith("解析失败"), f"the parser crashed and wrapped it: {exc}"
        return
    assert_well_formed(issue)


FAST = hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.text(max_size=2000))
def test_parser_on_random_text(text):
    parse_or_refuse(text)


@FAST
@given(lines)
def test_parser_on_bulletin_shaped_junk(text):
    parse_or_refuse(text)


@FAST
@given(mutated_seeds())
def test_parser_on_mutated_seeds(text):
    parse_or_refuse(text)


@hypothesis_settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_decoding_random_bytes(data):
    try:
        text = decode_bytes(data)
    except ParseError:
        return
    assert isinstance(text, str)
    parse_or_refuse(text)


def test_parser_on_a_100000_character_line_is_quick():
    import time

    started = time.monotonic()
    parse_or_refuse(SEED_TEXTS[0] + "\n\n" + "红十字会救护培训" * 12500 + "\n")
    parse_or_refuse("▲" * 100000)
    parse_or_refuse(("第 1 期" * 20000) + "\n简 讯\n▲5月1日，测试。")
    assert time.monotonic() - started < 20


# --- hostile input: imported text is data, shown escaped -------------------------------------


HOSTILE_TITLE = "<script>1</script>省红十字会开展应急救护培训进社区活动圆满结束"
LONG_LINE = "红十字会救护培训" * 7000 + "<script>alert('long')</script>" + "志愿服务" * 11000
HOSTILE_FILE = (
    "湖北省红十字会简报\n第 9001 期\n湖北省红十字会办公室\n2023 年 6 月 1 日\n\n"
    f"{HOSTILE_TITLE}\n\n"
    "6月1日，省红十字会举办培训&lt;b&gt;加粗&lt;/b&gt; &amp; <img src=x onerror=alert(1)>，"
    "\u202e反向文字\u202c\u200f，控制字符\x07\x1b结束。\n\n"
    f"{LONG_LINE}。\n\n"
    "简 讯\n\n▲6月2日，<b>省红十字会</b>开展&#60;script&#62;救护宣传\u200f。\n"
)


@pytest.mark.django_db
def test_hostile_text_is_stored_as_text_and_shown_escaped(seeded, client, tmp_path):
    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE_FILE, encoding="utf-8")
    assert len(LONG_LINE) >= 100_000
    out, err = io.StringIO(), io.StringIO()
    call_command("import_bulletins", str(path), workers=1, stdout=out, stderr=err)
    assert "导入 1" in out.getvalue(), err.getvalue()

    issue = Issue.objects.get(number=9001)
    assert HOSTILE_TITLE in issue.raw_text and LONG_LINE in issue.raw_text and "\u202e" in issue.raw_text
    article = Article.objects.get(issue=issue, title=HOSTILE_TITLE)
    assert "<img src=x onerror=alert(1)>" in article.body and "&lt;b&gt;" in article.body
    assert LONG_LINE in article.body
    brief = issue.briefs.get()
    assert brief.text.startswith("6月2日，<b>省红十字会</b>开展&#60;script&#62;")

    pages = {
        "issue": f"/issues/{issue.pk}/",
        "article": f"/articles/{article.pk}/",
        "article list": "/articles/?q=救护",
        "brief list": "/briefs/?q=宣传",
        "search": "/search/?q=救护",
        "search for the tag": "/search/?q=<script>",
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        body = response.content.decode()
        for raw in ("<script>1</script>", "<script>alert", "<img src=x", "<b>省红十字会</b>"):
            assert raw not in body, f"{name}: {raw!r} reached the page unescaped"
    # The API returns the text as JSON data, never as HTML, and forbids sniffing it as anything else.
    response = client.get(f"/api/articles/{article.pk}/")
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.json()["title"] == HOSTILE_TITLE
    article_page = client.get(f"/articles/{article.pk}/").content.decode()
    assert "&lt;script&gt;1&lt;/script&gt;" in article_page
    assert "&amp;lt;b&amp;gt;" in article_page, "an entity in the text is shown as typed, not decoded"
    assert "&lt;img src=x onerror=alert(1)&gt;" in article_page
    assert "\u202e" in article_page and "志愿服务" * 100 in article_page
    assert "&lt;b&gt;省红十字会&lt;/b&gt;" in client.get(f"/issues/{issue.pk}/").content.decode()


# --- hostile input: search and filter parameters ------------------------------------------------


HOSTILE_VALUES = [
    "'",
    '"',
    "\\",
    "\\'\"",
    "'; DROP TABLE bulletins_issue; --",
    "& | ! :* <->",
    "救护 & !培训 | <-> :*",
    "!!!",
    "a:*B<2>c",
    "(((",
    "\x00",
    "救护\x00培训",
    "2021-13-45",
    "2021-02-30",
    "0000-00-00",
    "99999-12-31",
    "-1",
    "1e308",
    "x" * 10_000,
    "红" * 10_000,
]

TEXT = ["q"]
DATED = ["q", "organisation", "topic", "publication", "date_after", "date_before", "page", "page_size"]
LISTS = {
    "/issues/": ["publication", "publisher", "organisation", "year", "date_after", "date_before", "page", "page_size"],
    "/articles/": [*DATED, "section"],
    "/briefs/": DATED,
    "/organisations/": ["level", "kind", "name", "page"],
    "/topics/": ["name", "page"],
    "/search/": [*DATED, "section"],
    "/articles.csv": [*DATED, "section"],
    "/briefs.csv": DATED,
    "/api/issues/": ["publication", "publisher", "organisation", "year", "date_after", "date_before", "page"],
    "/api/articles/": [*DATED, "section"],
    "/api/briefs/": DATED,
    "/api/organisations/": ["level", "kind", "name", "page"],
    "/api/topics/": ["name", "page"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("url", list(LISTS))
def test_hostile_parameters_get_results_or_a_clear_message(seeded, client, url):
    """Each parameter alone, then all at once: a 200 or a 4xx that says what is wrong, never a 500."""
    failures = []
    for value in HOSTILE_VALUES:
        for params in [{name: value} for name in LISTS[url]] + [dict.fromkeys(LISTS[url], value)]:
            response = client.get(url, params)
            status = response.status_code
            if status not in (200, 400, 404):
                failures.append(f"{url} {list(params)}={value[:30]!r} -> {status}")
                continue
            if status != 200:
                body = response.content.decode()
                if url.startswith("/api/"):
                    assert response.json().get("detail"), body[:300]
                else:
                    assert body.strip(), "a refusal must say why"
    assert not failures, "\n".join(failures)
