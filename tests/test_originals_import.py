"""Importing originals end to end: each kind gives the issue its text seed gives, and keeps the original.

Why through the command and the database: the readers are tested on their
own (tests/test_readers.py); here the whole way of a file is at stake: kind
by content, reading in prepare, the same parser and analysis, the rows in the
database field by field, the original and page images in the storage, the
re-import rules, and one clear line for each bad original.
"""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from conftest import seed_path
from django.core.files.storage import default_storage
from django.core.management import call_command
from originals import docx_file, reportlab_pdf, site_page
from test_readers import CHROMIUM, _encrypted_pdf, _scanned_pdf, items_of

from bulletins.models import Issue

MAKERS = {
    "reportlab": lambda prefix: ("pdf", reportlab_pdf(items_of(prefix), running_head=f"红十字简报 · {prefix}")),
    "docx": lambda prefix: ("docx", docx_file(items_of(prefix), styles=True)),
    "docx-bold": lambda prefix: ("docx", docx_file(items_of(prefix), styles=False)),
    "html": lambda prefix: ("html", site_page(items_of(prefix), title="简报")),
}


def snapshot(issue: Issue, *, squash: bool = False) -> dict:
    """Everything the archive shows of an issue, as plain data (``squash``: spaces aside, for Chromium's PDFs)."""

    def norm(value):
        if isinstance(value, str) and squash:
            return re.sub(r"\s+", "", value)
        if isinstance(value, list | tuple):
            return [norm(v) for v in value]
        return value

    def orgs(row):
        return sorted(o.name for o in row.organisations.all())

    return norm(
        {
            "issue": [
                issue.publication.name if issue.publication else None,
                issue.publisher.name if issue.publisher else None,
                issue.number,
                issue.date,
                issue.title,
            ],
            "articles": [
                [
                    a.position,
                    a.section,
                    a.title,
                    a.subtitle,
                    a.byline,
                    a.region,
                    a.date,
                    a.body,
                    a.captions,
                    orgs(a),
                    sorted(t.slug for t in a.topics.all()),
                ]
                for a in issue.articles.order_by("position")
            ],
            "briefs": [[b.position, b.date, b.end_date, b.text, orgs(b)] for b in issue.briefs.order_by("position")],
        }
    )


def import_files(tmp_path, files: dict[str, bytes], **options) -> tuple[int, str, str]:
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import_bulletins", str(tmp_path), workers=1, stdout=out, stderr=err, verbosity=2, **options)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def seed_issue(prefix: str) -> Issue:
    return Issue.objects.get(source_name=seed_path(prefix).name)


def import_in_place_of_seed(tmp_path, prefix: str, kind: str, data: bytes, *, squash: bool = False):
    """Remove the seed's issue, import the original, and return (the seed's snapshot, the original's issue)."""
    seed = seed_issue(prefix)
    expected = snapshot(seed, squash=squash)
    seed.delete()
    code, _out, err = import_files(tmp_path, {f"{prefix}.{kind}": data})
    assert code == 0 and not err, err
    issue = Issue.objects.get(source_name=f"{prefix}.{kind}")
    return expected, issue


@pytest.mark.parametrize(
    ("maker", "prefix"),
    [("reportlab", "000"), ("reportlab", "003"), ("docx", "001"), ("docx-bold", "004"), ("html", "002")],
)
def test_each_kind_of_original_imports_to_its_text_seeds_issue(seeded, tmp_path, maker, prefix):
    kind, data = MAKERS[maker](prefix)
    expected, issue = import_in_place_of_seed(tmp_path, prefix, kind, data)
    got = snapshot(issue)
    assert got["issue"] == expected["issue"]
    for want, have in zip(expected["articles"], got["articles"], strict=True):
        assert have == want, want[2]
    assert got["briefs"] == expected["briefs"]
    assert got == expected
    # The original is kept byte for byte; its SHA-256 is the issue's source digest.
    assert issue.original_kind == kind
    assert issue.source_sha256 == hashlib.sha256(data).hexdigest()
    with default_storage.open(issue.original.name, "rb") as handle:
        assert handle.read() == data
    pages = list(issue.pages.order_by("number"))
    if kind != "pdf":
        assert pages == [] and all(a.pages == [] for a in issue.articles.all())
        return
    assert [p.number for p in pages] == list(range(1, len(pages) + 1)) and len(pages) >= 2
    for page in pages:
        assert default_storage.exists(page.image.name) and default_storage.exists(page.thumbnail.name)
        assert page.width > page.height / 2 > 0
    article_pages = [a.pages for a in issue.articles.order_by("position")]
    assert all(article_pages) and article_pages[0][0] == 1
    assert all(1 <= n <= len(pages) for ns in article_pages for n in ns)
    assert [ns[0] for ns in article_pages] == sorted(ns[0] for ns in article_pages)


@pytest.mark.browser
def test_a_pdf_printed_by_chromium_imports_to_its_text_seeds_issue(seeded, tmp_path):
    from originals import chromium_pdf
    from playwright.sync_api import sync_playwright

    if not __import__("os").path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            data = chromium_pdf(browser, items_of("004"), running_head="红十字简报")
        finally:
            browser.close()
    expected, issue = import_in_place_of_seed(tmp_path, "004", "pdf", data, squash=True)
    assert snapshot(issue, squash=True) == expected
    assert issue.pages.count() >= 2


def test_a_pdf_of_an_issue_imported_from_text_attaches_to_it_and_again_is_unchanged(seeded, tmp_path):
    seed = seed_issue("000")
    expected = snapshot(seed)
    article_ids = list(seed.articles.order_by("position").values_list("pk", flat=True))
    edited = seed.articles.get(position=2)
    edited.title, edited.edited_fields = "编辑改过的标题", ["title"]
    edited.save()
    data = MAKERS["reportlab"]("000")[1]

    code, out, err = import_files(tmp_path, {"000.pdf": data})
    assert code == 0 and "更新 000.pdf" in out, out + err
    issue = Issue.objects.get(pk=seed.pk)
    assert issue.original_kind == "pdf" and issue.pages.count() >= 2
    assert issue.source_sha256 == hashlib.sha256(data).hexdigest()
    assert list(issue.articles.order_by("position").values_list("pk", flat=True)) == article_ids
    assert issue.articles.get(position=2).title == "编辑改过的标题"
    expected["articles"][1][2] = "编辑改过的标题"
    assert snapshot(issue) == expected
    assert all(a.pages for a in issue.articles.all())

    code, out, err = import_files(tmp_path, {"000.pdf": data})
    assert code == 0 and "未变" in out and "导入 0，更新 0，未变 1" in out, out


def test_a_text_import_shows_that_no_original_is_kept(seeded, client):
    issue = seed_issue("001")
    assert not issue.original
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "原件：未收录（由文本导入）" in page


def test_bad_originals_get_one_line_each_nothing_is_stored_and_the_batch_goes_on(seeded, tmp_path, settings):
    pdf = reportlab_pdf(items_of("000"))  # four pages
    settings.IMPORT_MAX_PAGES = 5
    long_pdf = reportlab_pdf(items_of("001"))  # six pages
    files = {
        "scan.pdf": _scanned_pdf(),
        "locked.pdf": _encrypted_pdf(),
        "cut.pdf": pdf[: len(pdf) // 2],
        "fake.pdf": b"<html><body>not a pdf</body></html>",
        "long.pdf": long_pdf,
        "page.htm": b"%PDF-1.4 not really",
        "good.pdf": pdf,
    }
    before = Issue.objects.count()
    code, _out, err = import_files(tmp_path, files)
    assert code == 1
    lines = dict(line.split(": ", 1) for line in err.strip().splitlines())
    assert lines["scan.pdf"] == "没有文字层，可能是扫描件"
    assert lines["locked.pdf"] == "PDF 已加密（需要密码），无法读取"
    assert lines["cut.pdf"].startswith("PDF 文件不完整")
    assert lines["fake.pdf"] == "扩展名是 .pdf，但内容不是 PDF（是网页（HTML））"
    assert re.fullmatch(r"共 6 页，超过上限 5 页", lines["long.pdf"])
    assert lines["page.htm"].startswith("扩展名是 .htm，但内容是PDF")
    assert "good.pdf" not in lines and len(lines) == 6
    assert Issue.objects.count() == before and Issue.objects.get(source_name="good.pdf").original_kind == "pdf"
    for name in files:
        digest = hashlib.sha256(files[name]).hexdigest()
        assert default_storage.exists(f"files/{digest[:2]}/{digest}.pdf") == (name == "good.pdf")


def test_an_original_over_the_time_limit_is_stopped_with_its_message(seeded, tmp_path, settings):
    settings.IMPORT_TIME_LIMIT = 0.001
    code, _out, err = import_files(tmp_path, {"slow.pdf": reportlab_pdf(items_of("004"))})
    assert code == 1 and err.strip() == "slow.pdf: 读取超过时间上限（0.001 秒），已停止"
