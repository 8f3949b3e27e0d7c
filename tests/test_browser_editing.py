"""An editor splits an article from the issue's admin page in a real Chromium.

Why a browser: the structure page is a set of small forms (a paragraph radio,
a typed title, CSRF) that only a browser proves submit as the editor expects.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from bulletins.models import Issue
from tests.conftest import seed_path
from tests.test_browser import browser, page  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_an_editor_splits_an_article_from_the_issue_page(live_server, seeded, page, artifacts):  # noqa: F811
    get_user_model().objects.create_user("editor", password="pw-editor-123", is_staff=True, is_superuser=True)
    issue = Issue.objects.get(source_name=seed_path("000").name)
    first = issue.articles.get(position=1)
    paragraphs = first.paragraphs
    # The issue's change page (all inlines) and a login's password hashing are slow on a loaded machine.
    page.set_default_timeout(60_000)

    page.goto(f"{live_server.url}/admin/login/?next=/admin/bulletins/issue/{issue.pk}/change/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw-editor-123")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(rf"/issue/{issue.pk}/change/$"))
    page.click("a.structurelink")
    page.wait_for_url(re.compile(r"/structure/$"))

    article = page.locator(f"#article-{first.pk}")
    article.locator("input[name=at][value='2']").check()
    article.locator("input[name=title]").fill("浏览器里拆出的文章")
    page.screenshot(path=str(artifacts / "admin-structure-split.png"), full_page=True)
    article.get_by_role("button", name="拆分").click()
    page.wait_for_selector("ul.messagelist li.success")
    assert "已拆分" in page.locator("ul.messagelist").inner_text()

    issue.refresh_from_db()
    assert issue.structure_edited
    first.refresh_from_db()
    assert first.body == paragraphs[0]
    second = issue.articles.get(position=2)
    assert second.title == "浏览器里拆出的文章"
    assert second.body == "\n\n".join(paragraphs[1:])
