"""From printed lines to paragraphs: what the eye does when it reads a page.

Pure geometry on :class:`~.pdf_chars.Line` objects, with no PDF library, so
each rule can be tested on lines made by hand. The passes, in order:

1. drop page furniture: page numbers (``— 3 —``, ``第 3 页``) and running
   heads or footers that repeat on several pages, in the top and bottom bands;
2. put two-column pages in reading order (what spans both columns first, then
   the left column, then the right);
3. classify lines as headings (larger type, bold or red, and short), centred
   lines (a masthead's date, a two-line subtitle) or body text;
4. join body lines into paragraphs: a paragraph ends where a line stops short
   of the column's right edge, the next line is indented, the type changes or
   a wide gap opens (a photo); a paragraph runs on across a page or column
   break when the last line is full and the next is not indented.
"""

from __future__ import annotations

import re
from collections import Counter
from statistics import median

from .base import Paragraph, join_lines, normalise_cjk
from .pdf_chars import Line

__all__ = ["lines_to_paragraphs"]

_PAGE_NUMBER_RE = re.compile(
    r"^(?:[-—–－~·\s]*\d{1,4}[-—–－~·\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}"
    r"|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.IGNORECASE,
)
_DIGITS_RE = re.compile(r"\d+|\s+")
_PARA_END = "。！？!?…；;：:”」』)）"
BAND = 0.1  # top and bottom tenth of the page: where running heads, footers and page numbers stand
PHOTO_GAP = 2.5  # a blank wider than this many line heights is a photo or a deliberate break


def _furniture(pages: list[list[Line]], heights: list[float], body: float) -> set[int]:
    """ids of lines in the outer bands that are page numbers, repeat (digits aside) on several pages,
    or are set smaller than the text on a page after the first (a running head that page 1 replaces
    with the masthead, so it cannot repeat in a two-page bulletin)."""
    banded: dict[str, list[Line]] = {}
    drop: set[int] = set()
    for lines, height in zip(pages, heights, strict=True):
        for line in lines:
            if line.top > height * BAND and line.bottom < height * (1 - BAND):
                continue
            if _PAGE_NUMBER_RE.match(line.text.strip()) or (line.page > 1 and line.size <= 0.9 * body):
                drop.add(id(line))
            # Keyed by size too: a running head may repeat the masthead's words in small type.
            banded.setdefault(f"{round(line.size)}:{_DIGITS_RE.sub('', line.text)}", []).append(line)
    for same in banded.values():
        if len({line.page for line in same}) >= 2:
            drop.update(id(line) for line in same)
    return drop


def _reading_order(lines: list[Line], width: float, body: float) -> list[Line]:
    """Two-column pages column by column; lines spanning both columns cut the page into bands."""
    if not lines:  # a blank page, or one with only a picture
        return lines
    mid = width / 2
    whole = (_edge(lines, "x0", min), _edge(lines, "x1", max))
    left = [line for line in lines if line.x1 <= mid + 0.5 * body]
    right = [line for line in lines if line.x0 >= mid - 0.5 * body]
    right_edge = min((line.x0 for line in right), default=0)
    aligned = sum(1 for line in right if line.x0 - right_edge < 2.5 * body)
    _set_column(lines, whole)
    if len(left) < 3 or aligned < 3:
        return lines
    _set_column(left, (_edge(left, "x0", min), _edge(left, "x1", max)))
    _set_column(right, (_edge(right, "x0", min), _edge(right, "x1", max)))
    left_ids, right_ids = {id(line) for line in left}, {id(line) for line in right}
    ordered: list[Line] = []
    band_left: list[Line] = []
    band_right: list[Line] = []
    for line in lines:
        if id(line) in left_ids:
            band_left.append(line)
        elif id(line) in right_ids:
            band_right.append(line)
        else:
            ordered += band_left + band_right
            band_left, band_right = [], []
            ordered.append(line)
    return ordered + band_left + band_right


def _edge(lines: list[Line], attr: str, pick) -> float:
    """The column's left or right edge: the extreme of its lines, ignoring a single stray one."""
    values = sorted(getattr(line, attr) for line in lines if line.chars > 3) or [getattr(lines[0], attr)]
    if len(values) > 4:
        values = values[1:] if pick is min else values[:-1]
    return pick(values)


def _set_column(lines: list[Line], column: tuple[float, float]) -> None:
    for line in lines:
        line.column = column


def _body_size(pages: list[list[Line]]) -> float:
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            sizes[round(line.size * 2) / 2] += line.chars
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _kind(line: Line, body: float) -> str:
    left, right = line.column
    width = line.x1 - line.x0
    short = len(line.text) <= 40 and width < (right - left) - 2 * body
    centred = (
        line.x0 > left + 1.5 * body
        and line.x1 < right - 1.5 * body
        and abs((line.x0 + line.x1) / 2 - (left + right) / 2) < 1.5 * body
    )
    if line.size >= body * 1.2 or ((line.bold or line.red) and (short or centred) and line.size >= body * 0.95):
        return "heading"
    if centred and short and line.size >= body * 0.95:
        return "centred"
    return "body"


def _heading_levels(headings: list[Line]) -> dict[tuple[float, bool], int]:
    """Rank heading styles: the larger type first, red before black, then bold body-size type."""
    styles = sorted({(round(line.size * 2) / 2, line.red) for line in headings}, key=lambda s: (-s[0], not s[1]))
    levels: dict[tuple[float, bool], int] = {}
    for style in styles:
        same_size = next((lvl for (size, _), lvl in levels.items() if abs(size - style[0]) < 0.6), None)
        levels[style] = same_size if same_size and not style[1] else min(len(set(levels.values())) + 1, 6)
    return levels


def lines_to_paragraphs(pages: list[list[Line]], widths: list[float], heights: list[float]) -> list[Paragraph]:
    """Paragraphs of a document in reading order, each with the page it starts on."""
    body = _body_size(pages)
    drop = _furniture(pages, heights, body)
    pages = [[line for line in lines if id(line) not in drop] for lines in pages]
    ordered = [_reading_order(lines, width, body) for lines, width in zip(pages, widths, strict=True)]
    kinds = {id(line): _kind(line, body) for lines in ordered for line in lines}
    levels = _heading_levels([line for lines in ordered for line in lines if kinds[id(line)] == "heading"])
    # The type area: where the highest first line starts and the lowest last line ends, over all pages.
    type_top = min((lines[0].top for lines in ordered if lines), default=0.0)
    type_bottom = max((lines[-1].bottom for lines in ordered if lines), default=0.0)

    paragraphs: list[Paragraph] = []
    run: list[Line] = []  # lines of the paragraph being built
    run_kind = ""
    gap_before = 1

    def flush() -> None:
        nonlocal run, run_kind
        if run:
            paragraphs.append(_paragraph(run, run_kind, gap_before, levels))
        run, run_kind = [], ""

    page_end_gap = 0.0  # blank left at the foot of the previous page (a photo placed there)
    for lines in ordered:
        prev: Line | None = None
        for line in lines:
            kind = kinds[id(line)]
            if prev is None:
                gap = max((line.top - type_top) / max(line.size, 1), page_end_gap)
            else:
                gap = (line.top - prev.bottom) / max(line.size, 1)
            wide_gap = gap > PHOTO_GAP and (prev is None or line.column == prev.column)
            if run and (wide_gap or not _continues(run, run_kind, line, kind, prev, body)):
                flush()
            if not run:
                gap_before = 3 if wide_gap and paragraphs else 1
                run_kind = kind
            run.append(line)
            prev = line
        if lines:
            page_end_gap = (type_bottom - max(line.bottom for line in lines)) / max(lines[-1].size, 1)
    flush()
    return paragraphs


def _continues(run: list[Line], run_kind: str, line: Line, kind: str, prev: Line | None, body: float) -> bool:
    """Does ``line`` belong to the paragraph made of ``run``? ``prev`` is None at the top of a page."""
    last = run[-1]
    if kind != run_kind or abs(line.size - last.size) > 0.15 * last.size:
        return False
    if prev is not None and prev is not last:
        return False
    new_column = prev is None or line.column != last.column
    if kind == "heading":
        return not new_column and line.bold == last.bold and line.red == last.red and line.top - last.bottom < line.size
    if kind == "centred":
        return not new_column and line.top - last.bottom < 0.9 * line.size
    left = line.column[0]
    if _stopped_short(last):
        return False
    if line.x0 > left + 0.8 * line.size:  # indented: a new paragraph
        return False
    return new_column or line.top - last.bottom < 1.2 * line.size


def _stopped_short(line: Line) -> bool:
    """Did the paragraph end on this line? It stops short of the column's right edge.

    Within three characters of the edge only after closing punctuation:
    unjustified CJK text (and wide punctuation pushed to the next line)
    leaves a ragged edge of one or two characters inside a paragraph.
    """
    missing = (line.column[1] - line.x1) / max(line.size, 1)
    return missing > 3 or (missing > 1.5 and line.text.rstrip()[-1:] in _PARA_END)


def _paragraph(run: list[Line], kind: str, gap_before: int, levels: dict[tuple[float, bool], int]) -> Paragraph:
    if kind == "centred":
        text = "\n".join(join_lines([line.text]) for line in run)
    else:
        text = join_lines([line.text for line in run])
    level = 0
    if kind == "heading":
        level = levels.get((round(median(line.size for line in run) * 2) / 2, run[0].red), 1)
    return Paragraph(text=normalise_cjk(text), page=run[0].page, level=level, gap_before=gap_before)
