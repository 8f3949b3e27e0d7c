"""The masthead of a numbered bulletin: publication, publisher, issue number and date."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .dates import CN_NUM_CHARS, DATE_RE, cn_to_int, dates_from_match
from .shapes import NOISE_RE
from .text import clean_space, halfwidth, han_count

_NUMBER_RE = re.compile(rf"(?<!总)第\s*([0-9]+|[{CN_NUM_CHARS}]+)\s*期")
_TOTAL_NUMBER_RE = re.compile(rf"总\s*第\s*([0-9]+|[{CN_NUM_CHARS}]+)\s*期")  # only when there is no 第N期
_WEEKDAY_RE = re.compile(r"[(（]?\s*(?:星期|礼拜|周)[一二三四五六日天]\s*[)）]?")


@dataclass
class Masthead:
    publication: str = ""
    publisher: str = ""
    number: int | None = None
    date: datetime.date | None = None
    body_start: int = 0  # index of the first line after the masthead
    found: bool = False


# A first line named like a periodical is a masthead even when number and date are missing.
_PUBLICATION_RE = re.compile(r"^.{2,16}(?:简报|通讯|快讯|会刊|工作动态|信息)$")
_PUBLISHER_SUFFIX_RE = re.compile(r"\s*(?:主办|编印|印发|办公室)\s*$")


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
    head.found = head.number is not None or head.date is not None or bool(_PUBLICATION_RE.search(head.publication))
    if not head.found:
        return Masthead()
    if not head.publisher and head.publication:
        head.publisher = _publisher_from_publication(head.publication)
    return head


def _masthead_role(line: str, head: Masthead, *, first: bool) -> str | None:
    """Consume one masthead line into ``head``; None when the line is content, not masthead."""
    if NOISE_RE.search(line) and len(line) <= 60:
        return "noise"
    role = None
    rest = line
    number = _NUMBER_RE.search(rest) or _TOTAL_NUMBER_RE.search(rest)
    if number and head.number is None:
        head.number = cn_to_int(number.group(1))
        rest = (rest[: number.start()] + rest[number.end() :]).strip()
        rest = re.sub(r"[(（]\s*总第\s*\S+?\s*期\s*[)）]|总第\s*\S+?\s*期", "", rest).strip()
        role = "number"
    date_match = DATE_RE.search(halfwidth(rest))
    if date_match and head.date is None:
        remaining = halfwidth(rest)
        remaining = _WEEKDAY_RE.sub("", remaining[: date_match.start()] + remaining[date_match.end() :]).strip()
        if not remaining or _PUBLISHER_SUFFIX_RE.search(remaining) or len(remaining) <= 4:
            start, _ = dates_from_match(date_match, None, None)
            if start is not None:
                head.date = start
                rest = remaining
                role = "date"
    if (
        rest
        and (rest.startswith("主办") or _PUBLISHER_SUFFIX_RE.search(rest))
        and len(rest) <= 30
        and not head.publisher
    ):
        publisher = re.sub(r"^主办\s*[:：]\s*", "", rest)
        head.publisher = _PUBLISHER_SUFFIX_RE.sub("", publisher).strip()
        return "publisher"
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
