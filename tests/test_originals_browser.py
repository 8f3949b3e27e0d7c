"""An imported PDF issue in a real Chromium: its page images show, a page opens large, the original downloads intact."""

from __future__ import annotations

import hashlib
import os
import re

import pytest
from test_browser import browser, page  # noqa: F401 (the browser fixtures)
from test_originals_import import MAKERS, import_files, seed_issue

from bulletins.models import Issue

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser


@pytest.fixture
def pdf_issue(transactional_db, seeded, tmp_path):
    data = MAKERS["reportlab"]("000")[1]
    pk = seed_issue("000").pk
    code, _out, err = import_files(tmp_path, {"000.pdf": data})
    assert code == 0, err
    return Issue.objects.get(pk=pk), data


def test_pdf_issue_shows_pages_opens_one_and_downloads_the_original(live_server, pdf_issue, page, artifacts):  # noqa: F811
    issue, data = pdf_issue
    page.goto(live_server.url + issue.get_absolute_url())
    thumbs = page.locator(".page-thumbs img")
    assert thumbs.count() == issue.pages.count() >= 2
    for index in range(thumbs.count()):
        thumbs.nth(index).scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbs.nth(index).element_handle())
    page.screenshot(path=str(artifacts / "originals-issue.png"), full_page=True)

    page.click(".page-thumbs >> text=第 2 页")
    page.wait_for_url(re.compile(r"/pages/2/$"))
    large = page.locator("img.page-image")
    page.wait_for_function("img => img.complete && img.naturalWidth > 1000", arg=large.element_handle())
    page.screenshot(path=str(artifacts / "originals-page.png"))

    with page.expect_download() as caught:
        page.click("a.download")
    download = caught.value
    assert download.suggested_filename == "湖北省红十字会简报-第4期.pdf"
    with open(download.path(), "rb") as handle:
        saved = hashlib.sha256(handle.read()).hexdigest()
    assert saved == hashlib.sha256(data).hexdigest() == issue.source_sha256
