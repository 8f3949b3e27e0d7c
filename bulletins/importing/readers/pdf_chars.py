"""Characters and lines of a PDF page through PDFium (pypdfium2): text, box, size, weight, colour.

Why PDFium and not pdfminer.six/pdfplumber: on the same files it extracts
about ten times faster (figures in docs/BENCHMARKS.md), it opens damaged
files by rebuilding their cross-reference table like a viewer does, and it
renders the page images from the same open document. The per-character calls
go through its C API directly: the Python helpers expose neither font size
nor weight per character.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as raw

__all__ = ["Line", "page_lines"]

_BOLD_NAME_RE = re.compile(r"bold|black|heavy|semibold|demibold|黑体|粗", re.IGNORECASE)
_FILL_STROKE = 2  # text render mode "fill, then stroke": how word processors fake bold for CJK fonts


@dataclass
class Line:
    """One printed line (or a piece of it, in a column). Coordinates in points, ``top`` measured from the page top."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # height of the font's em box as printed (scale and zoom included)
    bold: bool
    red: bool
    page: int
    chars: int = 0
    column: tuple[float, float] = field(default=(0.0, 0.0))  # left and right edge of the text column it sits in


@dataclass
class _Char:
    ch: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    red: bool


def _chars(textpage: pdfium.PdfTextPage, page_height: float) -> list[_Char]:
    handle = textpage.raw
    count = raw.FPDFText_CountChars(handle)
    left, right, bottom, top = (ctypes.c_float() for _ in range(4))
    rgba = [ctypes.c_uint() for _ in range(4)]
    name_buf = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    style_cache: dict[int, tuple[bool, bool, float]] = {}
    out: list[_Char] = []
    for index in range(count):
        code = raw.FPDFText_GetUnicode(handle, index)
        generated = raw.FPDFText_IsGenerated(handle, index)
        if generated == 1 and code != 0x20:
            out.append(_Char("\n", 0, 0, 0, 0, 0, False, False))  # a line end PDFium inferred
            continue
        ch = chr(code) if code else ""
        if not ch or ch in "\r\n\ufffe\uffff":
            continue
        if not raw.FPDFText_GetLooseCharBox(handle, index, ctypes.byref(rect := raw.FS_RECTF())):
            continue
        left, right, bottom, top = rect.left, rect.right, rect.bottom, rect.top
        obj = raw.FPDFText_GetTextObject(handle, index)
        key = ctypes.cast(obj, ctypes.c_void_p).value or 0
        style = style_cache.get(key)
        if style is None:
            style = _style(handle, index, obj, name_buf, flags, rgba)
            style_cache[key] = style
        size = style[2] or top - bottom
        out.append(_Char(ch, left, right, page_height - top, page_height - bottom, size, style[0], style[1]))
    return out


def _style(handle, index: int, obj, name_buf, flags, rgba) -> tuple[bool, bool, float]:
    """(bold, red, printed size) of the text object a character belongs to.

    The printed size is the font size times the scale of the character's
    matrix: producers such as Chromium draw at 1 pt and scale, so the nominal
    size alone says nothing, and box heights differ between digits and Han.
    """
    weight = raw.FPDFText_GetFontWeight(handle, index)
    raw.FPDFText_GetFontInfo(handle, index, name_buf, len(name_buf), ctypes.byref(flags))
    name = name_buf.value.decode("latin-1", "replace")
    bold = weight >= 600 or bool(_BOLD_NAME_RE.search(name))
    if obj and raw.FPDFTextObj_GetTextRenderMode(obj) == _FILL_STROKE:
        bold = True
    red = False
    if raw.FPDFText_GetFillColor(handle, index, *(ctypes.byref(c) for c in rgba)):
        r, g, b = (c.value for c in rgba[:3])
        red = r >= 150 and g <= 90 and b <= 90
    matrix = raw.FS_MATRIX()
    size = 0.0
    if raw.FPDFText_GetMatrix(handle, index, ctypes.byref(matrix)):
        size = raw.FPDFText_GetFontSize(handle, index) * abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
    return bold, red, round(size, 1)


def page_lines(page: pdfium.PdfPage, number: int) -> list[Line]:
    """The page's lines, top to bottom; pieces on one baseline but far apart (columns) stay separate."""
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        chars = _chars(textpage, height)
    finally:
        textpage.close()
    pieces: list[list[_Char]] = []
    current: list[_Char] = []
    for char in chars:
        if char.ch == "\n":
            if current:
                pieces.append(current)
            current = []
            continue
        if current and char.ch != " ":
            last = next((c for c in reversed(current) if c.ch != " "), current[-1])
            same_row = abs((char.top + char.bottom) - (last.top + last.bottom)) / 2 < 0.5 * max(char.size, 0.1)
            if not same_row or char.x0 < last.x0 - char.size or char.x0 - last.x1 > 1.5 * char.size:
                pieces.append(current)
                current = []
        current.append(char)
    if current:
        pieces.append(current)
    lines = [_line(piece, number) for piece in pieces]
    return _merge_rows([line for line in lines if line.text])


def _line(chars: list[_Char], number: int) -> Line:
    visible = [c for c in chars if c.ch.strip()] or chars
    sizes = sorted(c.size for c in visible)
    text = "".join(c.ch for c in chars).strip()
    return Line(
        text=text,
        x0=min(c.x0 for c in visible),
        x1=max(c.x1 for c in visible),
        top=min(c.top for c in visible),
        bottom=max(c.bottom for c in visible),
        size=round(sizes[len(sizes) // 2], 1),
        bold=sum(c.bold for c in visible) * 2 > len(visible),
        red=sum(c.red for c in visible) * 2 > len(visible),
        page=number,
        chars=len(visible),
    )


def _merge_rows(lines: list[Line]) -> list[Line]:
    """Sort top to bottom, then join pieces of one row that stand close together (text drawn in parts)."""
    lines.sort(key=lambda line: (round((line.top + line.bottom) / max(line.size, 1)), line.x0))
    merged: list[Line] = []
    for line in lines:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and abs((prev.top + prev.bottom) - (line.top + line.bottom)) / 2 < 0.4 * line.size
            and 0 <= line.x0 - prev.x1 < 1.5 * line.size
            and abs(prev.size - line.size) < 0.15 * line.size
        ):
            gap = " " if line.x0 - prev.x1 > 0.2 * line.size and prev.text[-1:].isascii() else ""
            prev.text += gap + line.text
            prev.x1, prev.chars = line.x1, prev.chars + line.chars
            prev.top, prev.bottom = min(prev.top, line.top), max(prev.bottom, line.bottom)
            continue
        merged.append(line)
    merged.sort(key=lambda line: (line.top, line.x0))
    return merged
