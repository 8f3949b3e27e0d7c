"""Readers: one per kind of original, each from bytes to a :class:`ReadResult` the text parser can take.

Entry points:

* :func:`detect_kind` — "pdf", "docx", "html" or "text", from the content;
  a mismatch with the file name is a :class:`NotThisKind` naming the file.
* :func:`read_original` — read a PDF, DOCX or HTML original (plain text keeps
  its own decoder in the parser); every failure is an :class:`OriginalError`
  whose message is one line naming the file and the reason.
* :func:`render_original_pages` — each PDF page as a screen image and a thumbnail.

PDFs are read and rendered in a child process bounded in time and memory
(:mod:`.limits`), so a hostile file cannot hang or exhaust the importer.
No Django here: the readers run in the import's worker processes before
Django is set up, and in tests and benchmarks without it.
"""

from __future__ import annotations

from .base import (
    DEFAULT_MAX_PAGES,
    CorruptOriginal,
    EncryptedPdf,
    NoTextLayer,
    NotThisKind,
    OriginalError,
    Paragraph,
    ReadResult,
    TooHeavy,
    TooManyPages,
    TooSlow,
    compose_text,
    normalise_cjk,
)
from .detect import detect_kind
from .limits import DEFAULT_MEMORY_LIMIT, run_bounded

__all__ = [
    "DEFAULT_MAX_PAGES",
    "DEFAULT_MEMORY_LIMIT",
    "DEFAULT_TIME_LIMIT",
    "CorruptOriginal",
    "EncryptedPdf",
    "NoTextLayer",
    "NotThisKind",
    "OriginalError",
    "PageImage",
    "Paragraph",
    "ReadResult",
    "TooHeavy",
    "TooManyPages",
    "TooSlow",
    "compose_text",
    "detect_kind",
    "normalise_cjk",
    "read_original",
    "render_original_pages",
]

DEFAULT_TIME_LIMIT = 60.0  # seconds for reading one original (and again for rendering its pages)


def read_original(
    data: bytes,
    name: str,
    *,
    kind: str | None = None,
    max_pages: int | None = DEFAULT_MAX_PAGES,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
) -> ReadResult | None:
    """Read ``data`` (the file ``name``) into paragraphs and parser text; None for plain text.

    ``kind`` skips detection when the caller has already called :func:`detect_kind`.
    ``time_limit=None`` reads in this process (tests, benchmarks of the layout alone).
    """
    kind = kind or detect_kind(data, name)
    if kind == "text":
        return None
    if kind == "pdf":
        from .pdf import read_pdf

        return run_bounded(
            read_pdf, data, name, name=name, time_limit=time_limit, memory_limit=memory_limit, max_pages=max_pages
        )
    if kind == "docx":
        from .docx import read_docx

        return run_bounded(read_docx, data, name, name=name, time_limit=time_limit, memory_limit=memory_limit)
    from .html import read_html

    return run_bounded(read_html, data, name, name=name, time_limit=time_limit, memory_limit=memory_limit)


def render_original_pages(
    data: bytes,
    name: str,
    *,
    screen_width: int = 1400,
    thumb_width: int = 200,
    fmt: str = "webp",
    max_pages: int | None = DEFAULT_MAX_PAGES,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
):
    """Screen images and thumbnails of a PDF's pages (a list of :class:`PageImage`), bounded like reading."""
    from .render import render_pages

    return run_bounded(
        render_pages,
        data,
        name,
        name=name,
        time_limit=time_limit,
        memory_limit=memory_limit,
        screen_width=screen_width,
        thumb_width=thumb_width,
        fmt=fmt,
        max_pages=max_pages,
    )


def __getattr__(attr: str):
    if attr == "PageImage":  # imported lazily: it pulls in PDFium
        from .render import PageImage

        return PageImage
    raise AttributeError(attr)
