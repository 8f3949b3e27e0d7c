"""The masthead of a numbered bulletin: publication, publisher, issue number and date."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .dates import CN_NUM_CHARS, LOST_DATE_LINE_RE, cn_to_int, lost_digits, masthead_date
from .shapes import NOISE_RE, ORG_RE, headline_shaped
from .text import clean_space, halfwidth, han_count

_NUMBER_RE = re.compile(rf"(?<!总)第\s*([0-9]+|[{CN_NUM_CHARS}]+)\s*期")
_TOTAL_NUMBER_RE = re.compile(rf"[(（]?\s*总\s*第\s*([0-9]+|[{CN_NUM_CHARS}]+)\s*期\s*[)）]?")
# What is left of a masthead line once its number is read: 〔2019〕, 2016年, empty brackets.
_NUMBER_LEFTOVER_RE = re.compile(
    r"[〔\[［(（]\s*(?:19|20)[0-9]{2}\s*[〕\]］)）]|(?:19|20)[0-9]{2}\s*年?\s*$|[(（]\s*[)）]"
)
_LEADING_YEAR_RE = re.compile(r"^(?:19|20)[0-9]{2}\s*年?\s*(?=\S)")
_WEEKDAY_RE = re.compile(r"[(（]?\s*(?:星期|礼拜|周)[一二三四五六日天]\s*[)）]?")


@dataclass
class Masthead:
    publication: str = ""
    publisher: str = ""
    number: int | None = None
    total_number: int | None = None  # 总第N期
    date: datetime.date | None = None
    body_start: int = 0  # index of the first line after the masthead
    found: bool = False
    lost_digits: str = ""  # the date line, when PDF extraction lost its digits ("20 年3月18日")


# A first line named like a periodical is a masthead even when number and date are missing.
_PUBLICATION_RE = re.compile(r"^.{2,16}(?:简报|通讯|快讯|会刊|工作动态|信息)$")
_PUBLISHER_SUFFIX_RE = re.compile(r"\s*(?:主办|编印|印发|编|办公室)\s*$")


def read_masthead(lines: list[str]) -> Masthead:
    """Read the masthead line by line from the top.

    Line-wise because markdown line breaks glue 第370期 / date / 主办 into one block.
    The masthead counts only if it yields an issue number, a date or a periodical's
    name (…简报); otherwise the text is a feature page and the first line is its title.
    """
    head = Masthead()
    seen = 0
    for index, raw in enumerate(lines):
        line = clean_space(raw.lstrip("#"))
        if not line:
            continue
        seen += 1
        if seen > 15:
            break
        role = _masthead_role(line, head, first=seen == 1)
        if role is None:
            break
        head.body_start = index + 1
    if head.number is None:
        head.number = head.total_number  # 总第120期 alone is the only number the issue has
    head.found = head.number is not None or head.date is not None or bool(_PUBLICATION_RE.search(head.publication))
    if not head.found:
        return _site_name(lines)
    if not head.publisher and head.publication:
        head.publisher = _publisher_from_publication(head.publication)
    return head


def _site_name(lines: list[str]) -> Masthead:
    """No masthead, but maybe the publisher's name alone on the first line, above a headline.

    Web pages saved as text open with the site's name ("孝感市红十字会"), then the
    article's headline; the name is the publisher, not the first half of the headline.
    """
    content = [(index, clean_space(raw.lstrip("#"))) for index, raw in enumerate(lines) if raw.strip()][:2]
    if len(content) < 2:
        return Masthead()
    (index, first), (_, second) = content
    publisher = _publisher_of(first) if len(first) <= 30 else ""
    if publisher and headline_shaped(second):
        return Masthead(publisher=publisher, body_start=index + 1)
    return Masthead()


def _read_number(rest: str, head: Masthead) -> str | None:
    """Take 第N期 and 总第N期 out of a line; the rest of the line, or None when it has no number."""
    total = _TOTAL_NUMBER_RE.search(rest)
    if total and head.total_number is None:
        head.total_number = cn_to_int(total.group(1))
        rest = (rest[: total.start()] + rest[total.end() :]).strip()
    number = _NUMBER_RE.search(rest)
    if number and head.number is None:
        head.number = cn_to_int(number.group(1))
        rest = (rest[: number.start()] + rest[number.end() :]).strip()
    elif not total:
        return None
    rest = _NUMBER_LEFTOVER_RE.sub("", rest).strip()
    return _LEADING_YEAR_RE.sub("", rest).strip()  # 2015工作简报第5期: the name without its year


def _publisher_of(text: str) -> str:
    """The issuing body a masthead line names (丽水市红十字会办公室 → 丽水市红十字会), "" if none.

    An office is the body's own when it belongs to a 会; 云和县人民政府办公室 is a body itself.
    """
    text = re.sub(r"^主办\s*[:：]\s*", "", text.strip())
    stem = _PUBLISHER_SUFFIX_RE.sub("", text).strip()
    if stem != text and (not text.endswith("办公室") or stem.endswith("会")):
        return stem
    return text if ORG_RE.match(text) or text.endswith(("工会", "大学", "学院")) else ""


def _masthead_role(line: str, head: Masthead, *, first: bool) -> str | None:
    """Consume one masthead line into ``head``; None when the line is content, not masthead."""
    if NOISE_RE.search(line) and len(line) <= 60:
        return "noise"
    role = None
    rest = _read_number(line, head)
    if rest is not None:
        role = "number"
    else:
        rest = line
    date, start, end = masthead_date(rest) if head.date is None else (None, 0, 0)
    if date is not None:
        remaining = halfwidth(rest)
        remaining = _WEEKDAY_RE.sub("", remaining[:start] + remaining[end:]).strip()
        if not remaining or _publisher_of(remaining) or len(remaining) <= 4:
            head.date = date
            rest = remaining
            role = "date"
    if role is None and head.date is None and LOST_DATE_LINE_RE.match(line) and lost_digits(line):
        head.lost_digits = line  # the date line is there, its digits are not: no date, flagged
        return "date"
    may_be_publisher = rest and len(rest) <= 30 and not head.publisher and not (first and not role)
    if may_be_publisher and (publisher := _publisher_of(rest)):
        head.publisher = publisher
        return role or "publisher"
    if role:
        if rest and first and not head.publication:
            head.publication = rest
        return role
    if first and len(line) <= 30 and han_count(line) >= 2:
        head.publication = line
        return "publication"
    if not rest:
        return "empty"
    return None


def _publisher_from_publication(publication: str) -> str:
    """湖北省红十字会简报 -> 湖北省红十字会: a bulletin is named after the body that issues it."""
    stem = re.sub(r"(?:工作)?(?:简报|通讯|动态|信息|快讯|简讯|会刊)$", "", publication).strip()
    return stem if stem.endswith("会") and stem != publication else ""
