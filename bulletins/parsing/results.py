"""What the parser produces: an issue with its articles and brief items, or a ParseError."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


class ParseError(ValueError):
    """The input cannot be turned into an issue; the message is shown to the user as is."""


@dataclass
class ParsedBrief:
    position: int  # 1-based within the issue
    text: str  # without the leading ▲
    date: datetime.date | None
    end_date: datetime.date | None  # for ranges like 4月26日至27日
    source: str = ""  # the reporter named in brackets at the item's end, out of its text


@dataclass
class ParsedArticle:
    position: int  # 1-based within the issue
    title: str
    subtitle: str = ""
    section: str = ""
    byline: str = ""
    region: str = ""
    body: str = ""
    date: datetime.date | None = None
    captions: list[str] = field(default_factory=list)


@dataclass
class ParsedIssue:
    publication: str
    publisher: str
    number: int | None
    date: datetime.date | None
    title: str
    subject_city: str = ""
    articles: list[ParsedArticle] = field(default_factory=list)
    briefs: list[ParsedBrief] = field(default_factory=list)
    review_reasons: list[str] = field(default_factory=list)
    year: int | None = None
    kind: str = "bulletin"  # "bulletin": a numbered issue with a masthead; "feature": a page without one
    total_number: int | None = None  # 总第N期, printed beside the issue number
