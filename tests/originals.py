"""Build originals (PDF, DOCX, HTML) from the seed texts and from texts of our own, for the reader tests.

Why build them instead of shipping files: each original is made from a text
whose parse is known, so a test can demand that reading the original gives
the same issue, field by field. The layouts imitate real bulletins: a red
masthead, larger bold headlines, first-line indents, photos with captions, a
running head, page numbers, and a two-column page.

A seed is first turned into :class:`Item` s (heading, line, paragraph,
photo-gap), and every builder draws those items in its own way.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@dataclass
class Item:
    kind: str  # "heading", "line" (a short line of its own, e.g. in the masthead) or "para"
    text: str
    level: int = 0  # heading level, 1 = masthead
    gap: bool = False  # a photo (or another wide blank) stands before it


def seed_text(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def seed_items(text: str, *, headlines: tuple[str, ...] = (), masthead: str = "") -> list[Item]:
    """The seed as drawable items; ``headlines`` (bare headlines of a plain-text seed) are drawn as level 2.

    A block of several lines (markdown line breaks in a masthead or a two-line
    subtitle) stays one item of kind "lines", drawn centred line by line.
    """
    items: list[Item] = []
    blanks, block = 0, []
    for line in [*text.split("\n"), ""]:
        if line.strip():
            block.append(line.strip())
            continue
        if block:
            items.append(_item(block, gap=bool(items) and blanks >= 2, headlines=headlines, masthead=masthead))
            block, blanks = [], 0
        blanks += 1
    return items


def _item(lines: list[str], *, gap: bool, headlines: tuple[str, ...], masthead: str) -> Item:
    heading = re.match(r"^(#{1,6})\s*(.*?)\s*#*$", lines[0])
    if heading:
        return Item("heading", heading.group(2), level=len(heading.group(1)), gap=gap)
    if lines[0] == masthead:
        return Item("heading", lines[0], level=1, gap=gap)
    if lines[0] in headlines:
        return Item("heading", lines[0], level=2, gap=gap)
    if len(lines) > 1:
        return Item("lines", "\n".join(lines), gap=gap)
    return Item("para", lines[0], gap=gap)


def items_text(items: list[Item]) -> str:
    """What a perfect reader would return for these items (the reader's text form)."""
    out = []
    for item in items:
        if out:
            out.append("\n\n\n\n" if item.gap else "\n\n")
        out.append(("#" * item.level + " " if item.kind == "heading" else "") + item.text)
    return "".join(out) + "\n"


# --------------------------------------------------------------------------- PDF drawn with reportlab

HEADING_SIZES = {1: 26, 2: 18, 3: 15, 4: 13, 5: 12, 6: 12}
BODY_SIZE = 11
CJK_FONT = "STSong-Light"


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def _wrap(text: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, current = [], ""
    for ch in text:
        if current and stringWidth(current + ch, CJK_FONT, size) > width:
            lines.append(current)
            current = ""
        current += ch
    return [*lines, current] if current else lines


def _flowables(items: list[Item], width: float):
    """Platypus flowables for the items: bold (fill + stroke) centred headlines, indented paragraphs, photos."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Flowable, Paragraph, Spacer

    class Centred(Flowable):
        def __init__(self, text: str, size: float, *, bold: bool, red: bool = False):
            super().__init__()
            self.lines = [line for part in text.split("\n") for line in _wrap(part, size, width * 0.9)]
            self.size, self.bold, self.red = size, bold, red

        def wrap(self, avail_width, avail_height):
            self.width = avail_width
            return avail_width, self.size * 1.45 * len(self.lines) + self.size * 0.4

        def draw(self):
            canvas = self.canv
            canvas.saveState()
            canvas.setFillColor(colors.HexColor("#c00000") if self.red else colors.black)
            canvas.setStrokeColor(colors.HexColor("#c00000") if self.red else colors.black)
            canvas.setLineWidth(self.size / 30)
            y = self.size * 1.45 * len(self.lines) - self.size * 1.1
            for line in self.lines:
                text = canvas.beginText()
                text.setFont(CJK_FONT, self.size)
                text.setTextRenderMode(2 if self.bold else 0)
                from reportlab.pdfbase.pdfmetrics import stringWidth

                text.setTextOrigin((self.width - stringWidth(line, CJK_FONT, self.size)) / 2, y)
                text.textOut(line)
                canvas.drawText(text)
                y -= self.size * 1.45
            canvas.restoreState()

    class Photo(Flowable):
        def wrap(self, avail_width, avail_height):
            self.width = avail_width
            return avail_width, 110

        def draw(self):
            self.canv.setFillColor(colors.HexColor("#b8c4cc"))
            self.canv.rect(self.width * 0.2, 8, self.width * 0.6, 96, stroke=0, fill=1)

    body = ParagraphStyle(
        "body", fontName=CJK_FONT, fontSize=BODY_SIZE, leading=BODY_SIZE * 1.6, firstLineIndent=BODY_SIZE * 2
    )
    body.wordWrap = "CJK"
    caption = ParagraphStyle("caption", parent=body, fontSize=9, leading=13, firstLineIndent=0, alignment=TA_CENTER)
    out = []
    for item in items:
        short = item.kind == "para" and len(item.text) <= 60
        if item.gap:
            out.append(Photo() if short else Spacer(width, 60))
        if item.kind == "heading":
            out.append(Centred(item.text, HEADING_SIZES[item.level], bold=True, red=item.level == 1))
        elif item.kind == "lines":
            out.append(Centred(item.text, BODY_SIZE, bold=False))
        else:
            out.append(Paragraph(_escape(item.text), caption if item.gap and short else body))
        out.append(Spacer(width, 4))
    return out


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def reportlab_pdf(
    items: list[Item], *, running_head: str = "", two_column_from: int | None = None, **doc_options
) -> bytes:
    """A PDF of the items: A4, running head and "— N —" page numbers; items from ``two_column_from`` in two columns."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate

    _register_font()
    page_w, page_h = A4
    margin = 56

    def furniture(canvas, doc):
        canvas.saveState()
        canvas.setFont(CJK_FONT, 9)
        canvas.setFillColor(colors.grey)
        if running_head and doc.page > 1:
            canvas.drawString(margin, page_h - 36, running_head)
            canvas.line(margin, page_h - 40, page_w - margin, page_h - 40)
        number = f"— {doc.page} —"
        canvas.drawString((page_w - stringWidth(number, CJK_FONT, 9)) / 2, 28, number)
        canvas.restoreState()

    width, height = page_w - 2 * margin, page_h - 2 * margin
    one = PageTemplate("one", [Frame(margin, margin, width, height, id="body")], onPage=furniture)
    column = (width - 24) / 2
    two = PageTemplate(
        "two",
        [
            Frame(margin, margin, column, height, id="left"),
            Frame(margin + column + 24, margin, column, height, id="right"),
        ],
        onPage=furniture,
    )
    story = _flowables(items, width if two_column_from is None else column)
    if two_column_from is not None:
        head = _flowables(items[:two_column_from], width)
        story = [*head, NextPageTemplate("two"), PageBreak(), *_flowables(items[two_column_from:], column)]
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=A4, pageTemplates=[one, two], **doc_options)
    doc.build(story)
    return buffer.getvalue()
