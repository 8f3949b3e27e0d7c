"""What every reader returns, the errors it raises, and the text form the parser expects.

A reader turns an original (PDF, DOCX, HTML) into *paragraphs*: the units the
layout shows (a headline, a paragraph joined across lines and pages, a photo
caption). :func:`compose_text` then writes them in the shape of the seed texts
(blank-line separated blocks, ``#`` headings, a wider gap before a block that
follows a photo), so every parser rule written for text applies unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

__all__ = [
    "DEFAULT_MAX_PAGES",
    "CorruptOriginal",
    "EncryptedPdf",
    "NoTextLayer",
    "NotThisKind",
    "OriginalError",
    "Paragraph",
    "ReadResult",
    "TooHeavy",
    "TooManyPages",
    "TooSlow",
    "compose_text",
    "normalise_cjk",
]


DEFAULT_MAX_PAGES = 200  # a bulletin has a few pages; hundreds mean a book or a hostile file


class OriginalError(ValueError):
    """An original that cannot be read; ``str()`` is one line naming the file and the reason."""

    reason = "无法读取"

    def __init__(self, name: str, detail: str = ""):
        self.name = name
        self.detail = detail or self.reason
        super().__init__(f"{name}：{self.detail}")


class NotThisKind(OriginalError):
    """The content is not what the file name says (a ``.pdf`` that is a Word file, an HTML page…)."""

    reason = "文件内容与扩展名不符"


class NoTextLayer(OriginalError):
    reason = "没有文字层，可能是扫描件"


class EncryptedPdf(OriginalError):
    reason = "PDF 已加密（需要密码），无法读取"


class CorruptOriginal(OriginalError):
    reason = "文件已损坏或不完整"


class TooManyPages(OriginalError):
    reason = "页数超过上限"


class TooSlow(OriginalError):
    reason = "读取超时"


class TooHeavy(OriginalError):
    reason = "读取所需内存超过上限"


@dataclass
class Paragraph:
    """One unit of the layout, in reading order.

    ``level`` is 0 for body text and 1.. for headings (1 is the largest type on
    the document, e.g. a red masthead). ``gap_before`` counts blank lines to
    write before it: 1 normally, 3 after a photo or another large blank area
    (the parser takes such a gap as the sign of a caption).
    """

    text: str
    page: int  # 1-based page (or 1 for kinds without pages)
    level: int = 0
    gap_before: int = 1


@dataclass
class ReadResult:
    """A read original: the text for the parser, its paragraphs with pages, and the page count."""

    kind: str  # "pdf", "docx" or "html"
    text: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    pages: int = 1
    title: str = ""  # an HTML page's own title, when it has one


def compose_text(paragraphs: list[Paragraph]) -> str:
    """Write paragraphs as the seed texts look: blocks, ``#`` headings, wider gaps before captions."""
    out: list[str] = []
    for index, para in enumerate(paragraphs):
        if index:
            out.append("\n" * (max(1, para.gap_before) + 1))
        out.append(("#" * para.level + " " if para.level else "") + para.text)
    return "".join(out) + "\n" if out else ""


# Kangxi Radicals, CJK Radicals Supplement and both CJK Compatibility Ideographs blocks: PDF text
# extraction yields these for fonts whose glyphs were mapped to them (⼗ for 十, ⽉ for 月).
_COMPAT_RE = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")
# Radicals Supplement characters have no NFKC mapping; these are the ones extraction yields in practice.
_SUPPLEMENT = {"\u2ec4": "西", "\u2ed8": "青", "\u2ee2": "车", "\u2ee9": "黄", "\u2ea0": "民", "\u2ecf": "阝"}


def normalise_cjk(text: str) -> str:
    """Map radicals and compatibility ideographs back to the ordinary characters, leaving all else as is.

    Why not NFKC on the whole text: it would also turn full-width punctuation
    and digits into ASCII, which the parser and the readers' output keep.
    """
    if not _COMPAT_RE.search(text):
        return text
    return _COMPAT_RE.sub(lambda m: _SUPPLEMENT.get(m.group(), unicodedata.normalize("NFKC", m.group())), text)


_SPACE_RE = re.compile(r"[ \t\u3000\u00a0]+")


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph: joined without a space, except between two Latin words or numbers."""
    out = ""
    for line in lines:
        line = _SPACE_RE.sub(" ", line).strip()
        if not line:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and line[0].isascii() and line[0].isalnum():
            out += " "
        out += line
    return out
