"""The public pages in a real Chromium: filter, narrow, search, open, follow, go back, by mouse and by keyboard.

Why a browser and not only the test client: the filter form, the links that
keep parameters and the keyboard path through the page are what a visitor
actually uses; only a browser shows they work together. Screenshots land in
``test-artifacts/`` so a person can check the pages look right (and that the
Chinese renders).
"""

from __future__ import annotations

import datetime
import os
import re
from urllib.parse import parse_qs, urlparse

import pytest

from bulletins.models import Article, Organisation, Topic

# Playwright's sync API runs an event loop in this thread; the ORM calls here are plain test setup.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def test_filter_search_open_follow_and_go_back(live_server, seeded, page, artifacts):
    """The visitor's path from the issue: organisation + topic, a date range, a search, a result, its organisation."""
    organisation = Organisation.objects.get(name="湖北省红十字会")
    topic = Topic.objects.get(slug="humanitarian-relief")  # two Hubei articles are about relief
    expected = Article.objects.for_organisation(organisation).for_topic(topic)
    assert expected.exists()

    page.goto(f"{live_server.url}/")
    assert "简报档案" in page.title()
    page.screenshot(path=str(artifacts / "browser-home.png"), full_page=True)

    page.click("nav.site-nav >> text=文章")
    page.wait_for_url(re.compile(r"/articles/$"))
    page.select_option("#f-organisation", value=str(organisation.pk))
    page.select_option("#f-topic", value=topic.slug)
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"organisation="))
    params = query_of(page.url)
    assert params["organisation"] == [str(organisation.pk)] and params["topic"] == [topic.slug]
    assert "publication" not in params  # empty fields stay out of the permalink
    assert page.locator(".results .row").count() == expected.count()
    assert page.locator("#f-organisation").input_value() == str(organisation.pk)

    page.fill("#f-date_after", "2021-04-01")
    page.fill("#f-date_before", "2021-04-30")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"date_before=2021-04-30"))
    in_april = expected.between(datetime.date(2021, 4, 1), datetime.date(2021, 4, 30))
    assert page.locator(".results .row").count() == in_april.count() > 0
    for stamp in page.locator(".results .row time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))"):
        assert stamp.startswith("2021-04")
    assert query_of(page.url)["topic"] == [topic.slug]
    page.screenshot(path=str(artifacts / "browser-articles-filtered.png"), full_page=True)

    page.fill("#site-q", "造血干细胞")
    page.press("#site-q", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert page.locator("mark").first.inner_text() in {"造血干细胞", "造血", "干细胞", "细胞"}
    assert page.locator(".results .row").count() > 0
    page.screenshot(path=str(artifacts / "browser-search.png"), full_page=True)

    first_article = page.locator(".results .row h3 a").first
    title = first_article.inner_text()
    first_article.click()
    page.wait_for_url(re.compile(r"/articles/\d+/$"))
    article_url = page.url
    assert page.locator("h1").inner_text() == title
    page.screenshot(path=str(artifacts / "browser-article.png"), full_page=True)

    org_link = page.locator(".links .tag.org a").first
    org_name = org_link.inner_text()
    org_link.click()
    page.wait_for_url(re.compile(r"organisation=\d+"))
    assert org_name in page.locator(".active-filters").inner_text()
    assert page.locator(".results .row").count() > 0
    page.screenshot(path=str(artifacts / "browser-organisation-articles.png"), full_page=True)

    page.go_back()
    page.wait_for_url(article_url)
    assert page.locator("h1").inner_text() == title


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until ``selector`` has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("sel => document.activeElement === document.querySelector(sel)", selector):
            return
    raise AssertionError(f"{selector} never received focus by Tab")


def test_filter_form_works_by_keyboard_alone(live_server, seeded, page, artifacts):
    """Skip link first, then Tab to a select, pick with the arrow keys, Tab to the button, Enter."""
    page.goto(f"{live_server.url}/briefs/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"

    tab_to(page, "#f-organisation")
    page.keyboard.press("ArrowDown")
    chosen = page.locator("#f-organisation").input_value()
    assert chosen
    tab_to(page, "form.filters button[type=submit]")
    page.screenshot(path=str(artifacts / "browser-keyboard-focus.png"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"organisation="))
    assert query_of(page.url)["organisation"] == [chosen]

    tab_to(page, "#f-q")
    page.keyboard.type("红十字")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q="))
    params = query_of(page.url)
    assert params["q"] == ["红十字"] and params["organisation"] == [chosen]
    assert page.locator(".results .row").count() > 0


def test_pages_fit_a_phone_screen(live_server, seeded, browser, artifacts):
    """On a narrow screen nothing overflows sideways, and the filter form stacks above the results."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    try:
        pages = (("/", "phone-home"), ("/articles/", "phone-articles"), ("/search/?q=造血干细胞", "phone-search"))
        for path, name in pages:
            page.goto(f"{live_server.url}{path}")
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, path
            page.screenshot(path=str(artifacts / f"browser-{name}.png"), full_page=True)
        issue_link = live_server.url + Article.objects.first().issue.get_absolute_url()
        page.goto(issue_link)
        page.locator("details.raw summary").click()
        assert page.locator("details.raw pre").is_visible()
    finally:
        context.close()
