"""From an original's bytes to the parser's text, its page images, and the pages each article is printed on.

Why its own step before the parser: a PDF, a Word file or a web page is first
read into text shaped like the seed texts (:mod:`.readers`), so the parser and
the analysis apply to it unchanged; what the text loses (which page a
paragraph is on, how the page looks) is kept here beside it. No Django: this
runs in the import's worker processes with the rest of :mod:`.prepare`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..parsing.decoding import decode_bytes
from . import readers

# A paragraph shorter than this (a heading such as "一、", a date line) says too little to place an article.
MIN_KEY = 6
KEY_LENGTH = 24
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class ReadLimits:
    """How far reading one original may go (``settings.IMPORT_MAX_PAGES`` and ``IMPORT_TIME_LIMIT``)."""

    max_pages: int = readers.DEFAULT_MAX_PAGES
    time_limit: float = readers.DEFAULT_TIME_LIMIT


@dataclass
class ReadOriginal:
    """An original read for import: its kind, the parser's text, its paragraphs and its rendered pages."""

    kind: str  # "text", "pdf", "docx" or "html"
    text: str
    paragraphs: list = None
    pages: list = None  # PageImage, PDFs only

    def __post_init__(self):
        self.paragraphs = self.paragraphs or []
        self.pages = self.pages or []


def read_for_import(data: bytes, name: str, limits: ReadLimits) -> ReadOriginal:
    """Decide the kind by content, read the text, and render a PDF's pages; raises ``readers.OriginalError``.

    Plain text goes to the parser's own decoder. A PDF's pages are rendered
    here, once, in the same bounded way as reading, so that no request ever
    renders a page.
    """
    kind = readers.detect_kind(data, name)
    if kind == "text":
        return ReadOriginal(kind="text", text=decode_bytes(data))
    result = readers.read_original(data, name, kind=kind, max_pages=limits.max_pages, time_limit=limits.time_limit)
    pages = []
    if kind == "pdf":
        pages = readers.render_original_pages(
            data, name, max_pages=limits.max_pages, time_limit=limits.time_limit, fmt="webp"
        )
    return ReadOriginal(kind=kind, text=result.text, paragraphs=result.paragraphs, pages=pages)


def _compact(text: str) -> str:
    return _SPACE_RE.sub("", text.lstrip("#"))


def article_pages(paragraphs: list, texts: list[str], page_count: int) -> list[list[int]]:
    """The pages each article's text (title and body) came from, from the reader's paragraphs.

    A paragraph belongs to an article when the start of its text is found in
    the article's text; an article whose paragraphs are all too short to
    place takes the page of the article before it. Empty lists when the
    original has no pages (DOCX and HTML are one page each: nothing to show).
    """
    if page_count < 1:
        return [[] for _ in texts]
    keys = [(key[:KEY_LENGTH], p.page) for p in paragraphs if len(key := _compact(p.text)) >= MIN_KEY]
    found: list[list[int]] = []
    previous: list[int] = []
    for text in texts:
        compact = _compact(text)
        pages = sorted({page for key, page in keys if key in compact and 1 <= page <= page_count})
        pages = pages or previous[-1:]
        found.append(pages)
        previous = pages or previous
    return found
