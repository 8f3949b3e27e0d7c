"""How to cite a piece of the archive: GB/T 7714-2015 text, RIS and BibTeX.

Why pure Python with a small ``Reference`` in and strings out: the formats are
rules about text, testable without a database, and the same reference feeds
the page's citation, a one-item download and a whole result list.

A bulletin is cited like a newspaper article (GB/T 7714-2015, 4.4 and 8.8):
responsible organisation, title, ``[N/OL]`` (a newspaper, read online),
publication, date of the issue, the issue number and page when known, the
date the reader looked it up, and the permanent link.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

BRIEF_TITLE_LENGTH = 40


@dataclass(frozen=True)
class Reference:
    """What a citation needs to know about one article, brief item or issue."""

    key: str  # stable and unique in the archive, e.g. "article-12"
    title: str
    url: str
    organisation: str = ""  # the responsible body (the publication's publisher)
    publication: str = ""
    date: datetime.date | None = None  # the issue's date of publication
    number: int | None = None  # the issue number
    page: str = ""
    byline: str = ""
    language: str = "zh"


# A date as printed at the start of a brief item: 4月1日， / 4月26日至27日， / 2021年4月12日，
_LEADING_DATE = re.compile(
    r"^\s*(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
    r"(?:\s*[至到—–~-]\s*(?:\d{1,2}\s*月\s*)?\d{1,2}\s*[日号])?\s*[，,、：:]?\s*"
)


def without_leading_date(text: str) -> str:
    """The text minus the date it opens with, so a page that shows the date beside it does not repeat it."""
    rest = _LEADING_DATE.sub("", text, count=1)
    return rest or text


def brief_title(text: str, length: int = BRIEF_TITLE_LENGTH) -> str:
    """A brief item has no title: its first sentence, cut to ``length`` characters, stands in."""
    text = without_leading_date(re.sub(r"\s+", " ", text).strip())
    first = re.split(r"(?<=[。！？；])", text, maxsplit=1)[0].rstrip("。；")
    return first if len(first) <= length else first[:length] + "…"


def _issue_part(ref: Reference) -> str:
    """``2021-04-30(第4期): 3``: the date, then the issue number and page in brackets when known."""
    part = ref.date.isoformat() if ref.date else ""
    if ref.number:
        part += f"(第{ref.number}期)"
    if ref.page:
        part += f": {ref.page}"
    return part


def gbt7714(ref: Reference, accessed: datetime.date) -> str:
    """The reference in GB/T 7714-2015 form, e.g.

    ``湖北省红十字会. 题名[N/OL]. 湖北省红十字会简报, 2021-04-30(第4期)[2026-12-07]. https://….``
    """
    head = f"{ref.organisation}. " if ref.organisation else ""
    source = ", ".join(p for p in (ref.publication, _issue_part(ref)) if p)
    text = f"{head}{ref.title}[N/OL]" + (f". {source}" if source else "")
    return f"{text}[{accessed.isoformat()}]. {ref.url}."


# --- RIS ----------------------------------------------------------------------------------


def _ris_line(tag: str, value) -> str:
    value = re.sub(r"\s+", " ", str(value)).strip()
    return f"{tag}  - {value}\r\n"


def ris(ref: Reference, accessed: datetime.date) -> str:
    """One RIS record (``TY  - NEWS`` … ``ER  -``), CRLF line ends as the format specifies."""
    lines = [_ris_line("TY", "NEWS"), _ris_line("ID", ref.key), _ris_line("TI", ref.title)]
    if ref.organisation:
        lines.append(_ris_line("AU", ref.organisation))
    if ref.publication:
        lines.append(_ris_line("T2", ref.publication))
    if ref.date:
        lines.append(_ris_line("PY", ref.date.year))
        lines.append(_ris_line("DA", ref.date.strftime("%Y/%m/%d")))
    if ref.number:
        lines.append(_ris_line("IS", ref.number))
    if ref.page:
        lines.append(_ris_line("SP", ref.page))
    if ref.byline:
        lines.append(_ris_line("N1", ref.byline))
    lines += [
        _ris_line("UR", ref.url),
        _ris_line("Y2", accessed.strftime("%Y/%m/%d")),
        _ris_line("LA", ref.language),
        "ER  - \r\n",
    ]
    return "".join(lines)


# --- BibTeX -------------------------------------------------------------------------------

_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")
_BIBTEX_REPLACEMENTS = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}


def bibtex_escape(value: str) -> str:
    """Text safe inside a braced BibTeX field: LaTeX specials escaped, whitespace folded."""
    value = re.sub(r"\s+", " ", value).strip()
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_REPLACEMENTS.get(m.group(1), "\\" + m.group(1)), value)


def bibtex(ref: Reference, accessed: datetime.date) -> str:
    """One ``@article`` entry; the organisation is double-braced so BibTeX keeps it as one corporate name."""
    fields = [("title", ref.title)]
    if ref.organisation:
        fields.append(("author", "{" + bibtex_escape(ref.organisation) + "}"))
    if ref.publication:
        fields.append(("journal", ref.publication))
    if ref.date:
        fields += [("year", str(ref.date.year)), ("date", ref.date.isoformat())]
    if ref.number:
        fields.append(("number", str(ref.number)))
    if ref.page:
        fields.append(("pages", ref.page))
    if ref.byline:
        fields.append(("note", ref.byline))
    fields += [("url", ref.url), ("urldate", accessed.isoformat()), ("langid", "chinese")]
    body = ",\n".join(f"  {name} = {{{value if name == 'author' else bibtex_escape(value)}}}" for name, value in fields)
    return f"@article{{{ref.key},\n{body}\n}}\n"


FORMATS = {
    "ris": (ris, "application/x-research-info-systems; charset=utf-8", "ris"),
    "bib": (bibtex, "application/x-bibtex; charset=utf-8", "bib"),
}


def render_many(refs: Iterable[Reference], fmt: str, accessed: datetime.date) -> Iterable[str]:
    """Records one after another (BibTeX entries separated by a blank line), as they come."""
    render = FORMATS[fmt][0]
    for ref in refs:
        yield render(ref, accessed) + ("\n" if fmt == "bib" else "")
