"""Read a Word (DOCX) original: paragraphs in order, headings from styles or from direct formatting.

Why both ways: documents written in Word usually mark headlines with heading
styles (标题 1, Heading 2); documents from WPS, or pasted together, often use
only direct formatting, a larger size and bold on the runs. When a document
has no heading style at all, short bold or larger paragraphs are ranked by
size into heading levels instead.

Page numbers are the ones Word recorded when it last laid the document out
(``lastRenderedPageBreak``) and explicit page breaks; a DOCX has no fixed
pages, so they are as good as the file says.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass

from .base import CorruptOriginal, Paragraph, ReadResult, compose_text, normalise_cjk

__all__ = ["read_docx"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE_RE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_SENTENCE_END = "。！？!?；;，,、："


@dataclass
class _Para:
    text: str
    style_level: int  # from a heading style, 0 if none
    size: float  # largest run size in points (direct or from the style)
    bold: bool  # every visible run bold
    page: int
    gap_before: int


def _style_level(paragraph) -> int:
    style = paragraph.style
    while style is not None:
        name = (style.name or "").strip()
        if name.lower() == "title":
            return 1
        match = _HEADING_STYLE_RE.match(name)
        if match:
            return int(match.group(1))
        style = style.base_style
    return 0


def _style_value(paragraph, attr: str):
    style = paragraph.style
    while style is not None:
        value = getattr(style.font, attr)
        if value is not None:
            return value
        style = style.base_style
    return None


def _run_size(run, paragraph, default: float) -> float:
    size = run.font.size or _style_value(paragraph, "size")
    return size.pt if size is not None else default


def _collect(document) -> list[_Para]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    default = document.styles["Normal"].font.size
    default_size = default.pt if default is not None else 10.5
    out: list[_Para] = []
    page, blanks, photo = 1, 0, False

    def visit(paragraph) -> None:
        nonlocal page, blanks, photo
        xml = paragraph._p
        breaks = len(xml.findall(f".//{_W}lastRenderedPageBreak")) + sum(
            1 for br in xml.iter(f"{_W}br") if br.get(f"{_W}type") == "page"
        )
        start_page = page
        page += breaks
        if xml.find(f".//{_W}drawing") is not None or xml.find(f".//{_W}pict") is not None:
            photo = True
        text = paragraph.text.strip()
        if not text:
            blanks += 1
            return
        runs = [run for run in paragraph.runs if run.text.strip()]
        bold_style = bool(_style_value(paragraph, "bold"))
        out.append(
            _Para(
                text=text,
                style_level=_style_level(paragraph),
                size=max((_run_size(run, paragraph, default_size) for run in runs), default=default_size),
                bold=bool(runs) and all(run.bold or (run.bold is None and bold_style) for run in runs),
                page=start_page,
                gap_before=3 if (photo or blanks >= 2) and out else 1,
            )
        )
        blanks, photo = 0, False

    for child in document.element.body.iterchildren():
        if child.tag == f"{_W}p":
            visit(DocxParagraph(child, document))
        elif child.tag == f"{_W}tbl":
            for row in Table(child, document).rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        visit(paragraph)
    return out


def _levels(paras: list[_Para]) -> list[int]:
    """Heading level of each paragraph: from styles when the document uses them, else from size and bold."""
    if any(p.style_level for p in paras):
        return [p.style_level for p in paras]
    sizes = Counter()
    for p in paras:
        sizes[p.size] += len(p.text)
    body = sizes.most_common(1)[0][0] if sizes else 10.5

    def headline(p: _Para) -> bool:
        shaped = len(p.text) <= 60 and p.text[-1] not in _SENTENCE_END and "\n" not in p.text
        return shaped and (p.size >= body * 1.2 or (p.bold and p.size >= body))

    ranked = sorted({p.size for p in paras if headline(p)}, reverse=True)
    return [ranked.index(p.size) + 1 if headline(p) else 0 for p in paras]


def read_docx(data: bytes, name: str) -> ReadResult:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        paras = _collect(document)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise CorruptOriginal(name, f"Word 文件已损坏，无法打开（{type(exc).__name__}）") from None
    except Exception as exc:  # lxml's XMLSyntaxError and python-docx's own errors on damaged parts
        raise CorruptOriginal(name, f"Word 文件已损坏，无法打开（{type(exc).__name__}）") from None
    paragraphs = [
        Paragraph(text=normalise_cjk(p.text), page=p.page, level=min(level, 6), gap_before=p.gap_before)
        for p, level in zip(paras, _levels(paras), strict=True)
    ]
    if not paragraphs:
        raise CorruptOriginal(name, "Word 文件中没有文字")
    pages = max(p.page for p in paragraphs)
    return ReadResult(kind="docx", text=compose_text(paragraphs), paragraphs=paragraphs, pages=pages)
