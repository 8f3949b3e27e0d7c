"""The readers on originals made from the seeds: each must parse to the same issue as its text.

Why compare through the parser: the readers' job is to hand the parser text
in the shape its rules expect, so the only test that matters is that an
original read and parsed gives the issue, articles, brief items, dates and
bylines its seed text gives, field by field. Bad originals must each be
refused with their own one-line Chinese message naming the file.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re

import pytest
from originals import (
    OWN_TEXT,
    Item,
    chromium_pdf,
    docx_file,
    own_items,
    own_two_column_from,
    reportlab_pdf,
    seed_items,
    seed_text,
    site_page,
)

from bulletins.importing.readers import (
    CorruptOriginal,
    EncryptedPdf,
    NoTextLayer,
    NotThisKind,
    TooManyPages,
    TooSlow,
    detect_kind,
    normalise_cjk,
    read_original,
    render_original_pages,
)
from bulletins.parsing.bulletin import parse_bulletin

CHROMIUM = "/usr/bin/chromium"
# The plain-text seed's headlines are bare lines; the originals print them as headlines.
MASTHEADS = {"000": "湖北省红十字会简报"}


def items_of(prefix: str) -> list[Item]:
    text = seed_text(prefix)
    if prefix in MASTHEADS:
        headlines = (*(a.title for a in parse_bulletin(text).articles), "简 讯")
        return seed_items(text, headlines=headlines, masthead=MASTHEADS[prefix])
    return seed_items(text)


def _no_space(value):
    if isinstance(value, str):
        return re.sub(r"\s+", "", value)
    if isinstance(value, list):
        return [_no_space(v) for v in value]
    if isinstance(value, dict):
        return {k: _no_space(v) for k, v in value.items()}
    return value


def assert_same_issue(expected_text: str, read_text: str, *, exact: bool = True) -> None:
    """Field by field: the issue, then each article and brief item (with ``exact=False``, spaces aside).

    Spaces are the one thing a printed page cannot always give back: a space
    that fell at a line end in Chromium's layout is not printed.
    """
    expected = dataclasses.asdict(parse_bulletin(expected_text))
    got = dataclasses.asdict(parse_bulletin(read_text))
    if not exact:
        expected, got = _no_space(expected), _no_space(got)
    for key in ("publication", "publisher", "number", "date", "title", "kind", "subject_city", "year"):
        assert got[key] == expected[key], key
    assert len(got["articles"]) == len(expected["articles"])
    for want, have in zip(expected["articles"], got["articles"], strict=True):
        for key in ("title", "subtitle", "section", "byline", "region", "date", "captions", "body"):
            assert have[key] == want[key], (want["position"], key)
    assert got["briefs"] == expected["briefs"]
    assert got == expected


# --------------------------------------------------------------------------- kinds


def test_detect_kind_by_content_and_mismatch_names_the_file():
    pdf = reportlab_pdf(items_of("004")[:5])
    docx = docx_file(items_of("004")[:5], styles=True)
    page = site_page(items_of("004")[:5], title="浙江红十字")
    assert detect_kind(pdf, "a.pdf") == "pdf"
    assert detect_kind(pdf, "no-extension") == "pdf"
    assert detect_kind(docx, "b.docx") == "docx"
    assert detect_kind(page, "c.htm") == "html"
    assert detect_kind("第4期".encode(), "d.txt") == "text"
    with pytest.raises(NotThisKind, match=r"^b\.pdf：扩展名是 \.pdf，但内容不是 PDF（是Word（DOCX）文件）$"):
        detect_kind(docx, "folder/b.pdf")
    with pytest.raises(NotThisKind, match=r"^c\.pdf：.*不是 PDF（是网页（HTML））"):
        detect_kind(page, "c.pdf")
    with pytest.raises(NotThisKind, match=r"^a\.docx：扩展名是 \.docx，但内容是PDF 文件$"):
        detect_kind(pdf, "a.docx")
    with pytest.raises(NotThisKind, match="旧版 Word"):
        detect_kind(b"\xd0\xcf\x11\xe0rest", "old.doc")


def test_normalise_cjk_maps_radicals_and_compatibility_ideographs_only():
    assert normalise_cjk("⼆〇⼆⼀年⼗⽉⼋⽇") == "二〇二一年十月八日"
    assert normalise_cjk("\uf9b5\ufa0c") == "例兀"
    assert normalise_cjk("（１）ｅ-mail：…") == "（１）ｅ-mail：…"  # full-width forms stay as printed


# --------------------------------------------------------------------------- originals from the seeds


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_reportlab_pdf_of_each_seed_reads_to_the_same_issue(prefix):
    items = items_of(prefix)
    pdf = reportlab_pdf(items, running_head=f"红十字简报 · {prefix}")
    result = read_original(pdf, f"{prefix}.pdf", time_limit=None)
    assert result.kind == "pdf" and result.pages >= 2
    # Every paragraph comes back whole, also those the layout broke across a page.
    squash = lambda text: re.sub(r"\s+", "", text)  # noqa: E731
    read = {squash(p.text) for p in result.paragraphs}
    assert {squash(item.text) for item in items if item.kind == "para"} <= read
    assert_same_issue(seed_text(prefix), result.text)


def test_paragraphs_know_their_pages_and_page_furniture_is_gone():
    pdf = reportlab_pdf(items_of("000"), running_head="湖北省红十字会简报 第4期")
    result = read_original(pdf, "000.pdf", time_limit=None)
    pages = [p.page for p in result.paragraphs]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] == result.pages
    assert "第4期" not in result.text.replace("湖北省红十字会简报\n", "")
    assert not re.search(r"—\s*\d+\s*—", result.text)
    headline = next(p for p in result.paragraphs if p.text == "省红十字会机关工会召开职工大会")
    assert headline.level == 2 and headline.page == 2
    # The paragraph cut by the page break is one paragraph again.
    assert any(p.text.startswith("作为省直机关") and "全体党员干部在深学细研中" in p.text for p in result.paragraphs)


def test_two_column_page_reads_column_by_column():
    items = own_items()
    # The running head repeats the masthead's words in small type: only the small one is furniture.
    pdf = reportlab_pdf(items, running_head="江城市红十字会简报", two_column_from=own_two_column_from(items) - 2)
    result = read_original(pdf, "own.pdf", time_limit=None)
    assert result.pages == 2
    assert_same_issue(OWN_TEXT, result.text)
    briefs = [p.text for p in result.paragraphs if p.text.startswith("▲")]
    assert [b[1:6] for b in briefs] == ["5月2日，", "5月3日，", "5月5日，", "5月6日，", "5月7日，", "5月8日，"]


@pytest.mark.parametrize("prefix", ["000", "001", "004"])
@pytest.mark.parametrize("styles", [True, False], ids=["heading-styles", "bold-runs-only"])
def test_docx_of_a_seed_reads_to_the_same_issue(prefix, styles):
    result = read_original(docx_file(items_of(prefix), styles=styles), f"{prefix}.docx", time_limit=None)
    assert result.kind == "docx"
    assert_same_issue(seed_text(prefix), result.text)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_web_page_of_a_seed_reads_to_the_same_issue_without_site_chrome(prefix):
    result = read_original(site_page(items_of(prefix), title="简报"), f"{prefix}.html", time_limit=None)
    assert result.kind == "html"
    for chrome in ("佚名", "浏览", "分享到", "网友评论", "当前位置", "上一篇", "打印本页", "热点新闻", "备案号"):
        assert chrome not in result.text, chrome
    assert_same_issue(seed_text(prefix), result.text)


@pytest.fixture(scope="module")
def chromium():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield browser
        finally:
            browser.close()


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["000", "004"])
def test_chromium_printed_pdf_of_a_seed_reads_to_the_same_issue(chromium, prefix):
    pdf = chromium_pdf(chromium, items_of(prefix), running_head="红十字简报")
    result = read_original(pdf, f"{prefix}.pdf")  # through the bounded child process, as the importer reads
    assert not re.search(r"第\s*\d+\s*页", result.text)
    assert_same_issue(seed_text(prefix), result.text, exact=False)


@pytest.mark.browser
def test_chromium_two_columns_and_kangxi_radicals(chromium):
    """Radicals in the printed text (⼗ for 十, ⽉ for 月, ⽇ for 日) come back as ordinary characters."""
    items = own_items()
    radical = str.maketrans({"十": "⼗", "月": "⽉", "日": "⽇"})
    printed = [dataclasses.replace(item, text=item.text.translate(radical)) for item in items]
    pdf = chromium_pdf(chromium, printed, running_head="江城市红十字会简报", two_column_from=own_two_column_from(items))
    result = read_original(pdf, "own.pdf")
    assert not re.search("[\u2f00-\u2fdf]", result.text)
    assert_same_issue(OWN_TEXT, result.text, exact=False)


# --------------------------------------------------------------------------- bad originals


def _scanned_pdf() -> bytes:
    """A page with only a picture on it, as a scanner makes."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawImage(ImageReader(Image.new("RGB", (200, 280), "white")), 50, 50, 500, 700)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _encrypted_pdf() -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption

    return reportlab_pdf(items_of("004")[:6], encrypt=StandardEncryption("secret", canPrint=0))


def test_bad_originals_each_get_their_message():
    pdf = reportlab_pdf(items_of("004"))
    cases = [
        (_scanned_pdf(), NoTextLayer, "scan.pdf：没有文字层，可能是扫描件"),
        (_encrypted_pdf(), EncryptedPdf, "locked.pdf：PDF 已加密（需要密码），无法读取"),
        (pdf[: len(pdf) // 2], CorruptOriginal, "cut.pdf：PDF 文件不完整（结尾缺失，可能在下载或复制时被截断）"),
        (pdf[:20] + os.urandom(4000) + b"\n%%EOF\n", CorruptOriginal, "noise.pdf：PDF 文件已损坏"),
        (
            b"<html><body>not a pdf</body></html>",
            NotThisKind,
            "fake.pdf：扩展名是 .pdf，但内容不是 PDF（是网页（HTML））",
        ),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, NotThisKind, "photo.pdf：扩展名是 .pdf，但内容不是 PDF"),
    ]
    names = ["scan.pdf", "locked.pdf", "cut.pdf", "noise.pdf", "fake.pdf", "photo.pdf"]
    for (data, error, message), name in zip(cases, names, strict=True):
        with pytest.raises(error) as caught:
            read_original(data, name)
        assert str(caught.value).startswith(message), (name, str(caught.value))
        assert "\n" not in str(caught.value)


def test_page_limit_and_time_limit():
    pdf = reportlab_pdf(items_of("004"))
    with pytest.raises(TooManyPages, match=r"^big\.pdf：共 \d+ 页，超过上限 2 页$"):
        read_original(pdf, "big.pdf", max_pages=2)
    with pytest.raises(TooSlow, match=r"^slow\.pdf：读取超过时间上限（0\.001 秒），已停止$"):
        read_original(pdf, "slow.pdf", time_limit=0.001)
    import multiprocessing

    assert not [p for p in multiprocessing.active_children() if p.is_alive() and p.name.startswith("Process")]


def test_render_pages_gives_screen_images_and_thumbnails():
    from PIL import Image

    pdf = reportlab_pdf(items_of("004")[:12])
    images = render_original_pages(pdf, "004.pdf", screen_width=800, thumb_width=120)
    assert [image.number for image in images] == list(range(1, len(images) + 1))
    screen = Image.open(io.BytesIO(images[0].screen))
    thumb = Image.open(io.BytesIO(images[0].thumbnail))
    assert screen.format == "WEBP" and screen.size == (images[0].width, images[0].height)
    assert abs(screen.width - 800) <= 1 and thumb.width == 120
    assert images[0].content_type == "image/webp"
    png = render_original_pages(pdf, "004.pdf", fmt="png", screen_width=400, time_limit=None)
    assert Image.open(io.BytesIO(png[0].screen)).format == "PNG"


def test_memory_limit_stops_a_reader_that_allocates_without_end():
    from bulletins.importing.readers import TooHeavy
    from bulletins.importing.readers.limits import run_bounded

    with pytest.raises(TooHeavy, match=r"^huge\.pdf：读取所需内存超过上限$"):
        run_bounded(bytearray, 8 * 1024**3, name="huge.pdf", time_limit=30, memory_limit=1024**3)


# --------------------------------------------------------------------------- layout rules on lines made by hand


def _line(text, x0, top, *, page=1, size=10.0, x1=None, bold=False):
    from bulletins.importing.readers.pdf_chars import Line

    x1 = x0 + size * len(text) if x1 is None else x1
    return Line(text, x0, x1, top, top + size, size, bold, False, page, chars=len(text))


def test_layout_drops_page_numbers_and_joins_a_paragraph_across_the_page_break():
    from bulletins.importing.readers.pdf_layout import lines_to_paragraphs

    full = "一" * 30  # 30 characters of 10 pt fill the 300 pt column from x = 50 to 350
    page1 = [
        _line("标题在此", 160, 60, size=16, bold=True),
        _line("　　" + "二" * 28, 50, 100),
        _line(full, 50, 116),
        _line(full, 50, 132),
        _line("— 1 —", 185, 780),
    ]
    page2 = [
        _line("三" * 10 + "。", 50, 60, page=2),
        _line("　　" + "四" * 5 + "。", 50, 76, page=2, x1=50 + 10 * 7),
        _line("第 2 页", 180, 780, page=2),
        _line("第2页 共2页", 180, 800, page=2),
    ]
    for line in page1[1:] + page2[:2]:
        line.x0 = 70 if line.text.startswith("　") else 50
        line.text = line.text.lstrip("　")
    paragraphs = lines_to_paragraphs([page1, page2], [400, 400], [842, 842])
    assert [(p.text, p.page, p.level) for p in paragraphs] == [
        ("标题在此", 1, 1),
        ("二" * 28 + full + full + "三" * 10 + "。", 1, 0),
        ("四" * 5 + "。", 2, 0),
    ]


def test_a_blank_page_between_text_pages_is_passed_over():
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(reportlab_pdf(items_of("004")))
    document.new_page(595, 842, index=1)
    buffer = io.BytesIO()
    document.save(buffer)
    result = read_original(buffer.getvalue(), "blank.pdf", time_limit=None)
    assert 2 not in {p.page for p in result.paragraphs} and result.pages == len(document)
    assert_same_issue(seed_text("004"), result.text)


def test_bounded_reading_works_inside_an_import_worker_process():
    """The importer's workers are spawned processes; each starts its own bounded readers from there."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pdf = reportlab_pdf(items_of("004"))
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        result = pool.submit(read_original, pdf, "004.pdf", time_limit=60).result(timeout=120)
    assert_same_issue(seed_text("004"), result.text)


def test_web_page_in_gbk_reads_like_utf8():
    page = site_page(items_of("001"), title="简报").decode().replace('charset="utf-8"', 'charset="gbk"')
    result = read_original(page.encode("gbk"), "001.htm", time_limit=None)
    assert_same_issue(seed_text("001"), result.text)


def test_docx_paragraphs_know_their_page_after_a_page_break():
    import docx

    document = docx.Document(io.BytesIO(docx_file(items_of("004")[:8], styles=True)))
    document.add_page_break()
    document.add_heading("第二页的标题", level=2)
    document.add_paragraph("第二页的正文。")
    buffer = io.BytesIO()
    document.save(buffer)
    result = read_original(buffer.getvalue(), "paged.docx", time_limit=None)
    assert [(p.text, p.page, p.level) for p in result.paragraphs[-2:]] == [
        ("第二页的标题", 2, 2),
        ("第二页的正文。", 2, 0),
    ]
    assert {p.page for p in result.paragraphs[:-2]} == {1} and result.pages == 2
