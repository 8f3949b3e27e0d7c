"""Read a PDF with a text layer into paragraphs, or say clearly why it cannot be read.

The checks come before the work: a PDF that is encrypted, damaged, cut short
or longer than the page limit is refused before any page is read. A PDF whose
pages carry no text at all is a scan; it is refused with that reason instead
of being imported as an empty issue. Runs inside the bounded child process of
:mod:`.limits` when called through :func:`~bulletins.importing.readers.read_original`.
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from .base import (
    DEFAULT_MAX_PAGES,
    CorruptOriginal,
    EncryptedPdf,
    NoTextLayer,
    NotThisKind,
    ReadResult,
    TooManyPages,
    compose_text,
)
from .pdf_chars import page_lines
from .pdf_layout import lines_to_paragraphs

__all__ = ["DEFAULT_MAX_PAGES", "open_pdf", "read_pdf"]

_MIN_CHARS = 20  # fewer printed characters than this in the whole file: no text layer worth the name


def open_pdf(data: bytes, name: str, *, max_pages: int | None = DEFAULT_MAX_PAGES) -> pdfium.PdfDocument:
    """Open ``data`` as a PDF, refusing what is not one, encrypted, cut short, damaged or too long."""
    if b"%PDF-" not in data[:1024]:
        raise NotThisKind(name, "内容不是 PDF（缺少 PDF 文件头）")
    if b"%%EOF" not in data[-2048:]:
        raise CorruptOriginal(name, "PDF 文件不完整（结尾缺失，可能在下载或复制时被截断）")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code == raw.FPDF_ERR_PASSWORD:
            raise EncryptedPdf(name) from None
        if exc.err_code == raw.FPDF_ERR_SECURITY:
            raise EncryptedPdf(name, "PDF 使用了不支持的加密方式，无法读取") from None
        raise CorruptOriginal(name, "PDF 文件已损坏，无法打开") from None
    pages = len(document)
    if pages == 0:
        document.close()
        raise CorruptOriginal(name, "PDF 文件已损坏（没有可读的页面）")
    if max_pages is not None and pages > max_pages:
        document.close()
        raise TooManyPages(name, f"共 {pages} 页，超过上限 {max_pages} 页")
    return document


def read_pdf(data: bytes, name: str, *, max_pages: int | None = DEFAULT_MAX_PAGES) -> ReadResult:
    """Paragraphs of a PDF in reading order, as text for the parser and with their pages."""
    document = open_pdf(data, name, max_pages=max_pages)
    try:
        pages, widths, heights = [], [], []
        for index in range(len(document)):
            try:
                page = document[index]
            except pdfium.PdfiumError:
                raise CorruptOriginal(name, f"PDF 文件已损坏（第 {index + 1} 页无法读取）") from None
            try:
                pages.append(page_lines(page, index + 1))
                widths.append(page.get_width())
                heights.append(page.get_height())
            finally:
                page.close()
    finally:
        document.close()
    if sum(line.chars for lines in pages for line in lines) < _MIN_CHARS:
        raise NoTextLayer(name)
    paragraphs = lines_to_paragraphs(pages, widths, heights)
    return ReadResult(kind="pdf", text=compose_text(paragraphs), paragraphs=paragraphs, pages=len(pages))
