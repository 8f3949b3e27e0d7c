"""The reading room in a real Chromium: phone layout, the language switch, the calendar, and screenshots.

Screenshots of every public page, in Chinese and in English, at desktop and
phone width, land in ``test-artifacts/`` so a person can check how they look.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from test_browser import browser  # noqa: F401  (the shared Chromium fixture)

from bulletins.models import Issue, Organisation, Publication, Topic

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def every_page() -> list[tuple[str, str]]:
    issue = Issue.objects.get(number=4)
    publication = Publication.objects.get(name="浙江红十字")
    return [
        ("home", reverse("bulletins:home")),
        ("issues", reverse("bulletins:issue_list")),
        ("issue", issue.get_absolute_url()),
        ("issue-370", Issue.objects.get(number=370).get_absolute_url()),
        ("articles", reverse("bulletins:article_list")),
        ("article", issue.articles.order_by("position").first().get_absolute_url()),
        ("briefs", reverse("bulletins:brief_list")),
        ("organisations", reverse("bulletins:organisation_list")),
        ("organisation", Organisation.objects.get(name="湖北省红十字会").get_absolute_url()),
        ("topics", reverse("bulletins:topic_list")),
        ("topic", Topic.objects.filter(articles__isnull=False).first().get_absolute_url()),
        ("search", reverse("bulletins:search") + "?q=红十字"),
        ("calendar", reverse("bulletins:calendar")),
        ("calendar-publication", reverse("bulletins:calendar") + f"?publication={publication.pk}"),
        ("calendar-month", reverse("bulletins:calendar_month", args=[2021, 4])),
        ("about", reverse("bulletins:about")),
        ("not-found", "/no-such-page/"),
    ]


def new_page(browser, viewport, language="zh-hans", live_server=None):  # noqa: F811
    context = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=viewport is PHONE)
    if language != "zh-hans":
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_screenshots_of_every_page_in_both_languages_and_widths(live_server, seeded, browser, artifacts, language):  # noqa: F811
    for width_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        context, page = new_page(browser, viewport, language, live_server)
        try:
            for name, path in every_page():
                page.goto(f"{live_server.url}{path}")
                overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                assert overflow <= 1, (path, width_name)
                assert page.locator("html").get_attribute("lang") == ("en" if language == "en" else "zh-Hans")
                page.screenshot(path=str(artifacts / f"reading-{language}-{width_name}-{name}.png"), full_page=True)
        finally:
            context.close()


def visible_search_boxes(page) -> int:
    return sum(1 for box in page.locator("input[type=search]").all() if box.is_visible())


def test_phone_shows_one_search_box_folded_filters_and_the_first_result(live_server, seeded, browser, artifacts):  # noqa: F811
    context, page = new_page(browser, PHONE)
    try:
        for name, path, row in (
            ("articles", reverse("bulletins:article_list"), ".results .row"),
            ("search", reverse("bulletins:search") + "?q=红十字", ".results .row"),
            ("issues", reverse("bulletins:issue_list"), ".issue-row"),
        ):
            page.goto(f"{live_server.url}{path}")
            assert visible_search_boxes(page) == 1, name
            assert not page.locator("form.filters").is_visible(), name
            first = page.locator(row).first.bounding_box()
            assert first["y"] + min(first["height"], 60) <= PHONE["height"], (name, first)
            page.screenshot(path=str(artifacts / f"reading-phone-first-result-{name}.png"))
        page.goto(f"{live_server.url}{reverse('bulletins:article_list')}")
        page.click("label.fold-button")
        assert page.locator("form.filters").is_visible()
        page.select_option("#f-topic", index=1)
        page.click("form.filters button[type=submit]")
        page.wait_for_url(re.compile(r"topic="))
        assert page.locator(".results .row").count() > 0
        page.screenshot(path=str(artifacts / "reading-phone-filters-open.png"))
        page.goto(f"{live_server.url}{reverse('bulletins:home')}")
        assert visible_search_boxes(page) == 1
    finally:
        context.close()
    context, page = new_page(browser, DESKTOP)
    try:
        page.goto(f"{live_server.url}{reverse('bulletins:article_list')}")
        assert page.locator("form.filters").is_visible() and not page.locator("label.fold-button").is_visible()
    finally:
        context.close()


def test_language_switch_changes_the_interface_and_keeps_the_page(live_server, seeded, browser, artifacts):  # noqa: F811
    context, page = new_page(browser, DESKTOP)
    try:
        path = reverse("bulletins:calendar")
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").inner_text() == "日历"
        page.click("form.lang-switch button")
        page.wait_for_load_state()
        assert page.url == f"{live_server.url}{path}"
        assert page.locator("h1").inner_text() == "Calendar"
        assert page.locator("html").get_attribute("lang") == "en"
        page.screenshot(path=str(artifacts / "reading-language-switched.png"))
        page.click("nav.site-nav >> text=Articles")
        page.wait_for_url(re.compile(r"/articles/$"))
        assert page.locator("h1").inner_text() == "Articles"  # the choice holds on the next page
        page.click("form.lang-switch button")
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "文章"
    finally:
        context.close()


def test_calendar_years_months_issues_and_gaps(live_server, seeded, browser, artifacts):  # noqa: F811
    context, page = new_page(browser, DESKTOP)
    try:
        issue = Issue.objects.get(number=370)
        page.goto(f"{live_server.url}{issue.get_absolute_url()}")
        page.click("text=本刊日历")
        page.wait_for_url(re.compile(r"/calendar/\?publication="))
        assert page.locator("li.gap").first.inner_text() == "第371–389期"
        page.click("#y2020 .month-full a")
        page.wait_for_url(re.compile(r"/calendar/2020/6/"))
        assert page.locator(".issue-row").count() == 1
        page.click(f"a[href='{issue.get_absolute_url()}']")
        page.wait_for_url(re.compile(re.escape(issue.get_absolute_url()) + "$"))
        page.goto(f"{live_server.url}{reverse('bulletins:issue_list')}")
        page.click("text=按日历浏览")
        page.wait_for_url(re.compile(r"/calendar/$"))
        cells = page.locator("#y2021 .month-grid li")
        assert cells.count() == 12
        page.screenshot(path=str(artifacts / "reading-calendar.png"), full_page=True)
    finally:
        context.close()
