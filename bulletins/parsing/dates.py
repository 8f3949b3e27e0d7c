"""Chinese numerals and dates: 第四十四期, 二〇二一年四月三十日, ranges such as 4月26日至27日."""

from __future__ import annotations

import datetime
import re
from collections import Counter

from .text import halfwidth

_CN_DIGIT = {
    ch: value
    for value, chars in enumerate(["〇零○", "一", "二两", "三", "四", "五", "六", "七", "八", "九"])
    for ch in chars
}
CN_NUM_CHARS = "〇零○一二三四五六七八九十百千两"


def cn_to_int(token: str) -> int | None:
    """'44' / '四十四' / '一百零二' / '二〇二一' -> int; None if it is not a number."""
    token = token.strip()
    if not token:
        return None
    if token.isdigit():
        return int(token)
    if all(ch in _CN_DIGIT for ch in token) and len(token) > 1:
        # digit-by-digit form used for years: 二〇二一
        return int("".join(str(_CN_DIGIT[ch]) for ch in token))
    try:
        import cn2an  # lazy: only Chinese numerals need it

        return int(cn2an.cn2an(token, "smart"))
    except Exception:  # cn2an raises plain ValueError/KeyError subclasses on junk
        return None


_YEAR = r"[0-9]{4}|[〇零○一二三四五六七八九]{4}"
_NUM = r"[0-9]{1,2}|[一二三四五六七八九十]{1,3}"
_RANGE_SEP = r"(?:至|到|[-—–~～])"
# One precise date, optionally followed by the end of a range:
#   2021年4月12日 | 4月26日至27日 | 4月26—27日 | 4月30日至5月2日 | 二〇二一年四月三十日
DATE_RE = re.compile(
    rf"(?<![0-9])(?:(?P<y>{_YEAR})\s*年\s*)?(?P<m>{_NUM})\s*月\s*(?P<d>{_NUM})\s*(?P<dsuf>[日号])?"
    rf"(?:\s*{_RANGE_SEP}\s*(?:(?P<y2>{_YEAR})\s*年\s*)?(?:(?P<m2>{_NUM})\s*月\s*)?(?P<d2>{_NUM})\s*[日号])?"
)
_YEAR_IN_TEXT_RE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*年\s*(?:([0-9]{1,2})\s*月)?")


def _safe_date(year: int | None, month: int | None, day: int | None) -> datetime.date | None:
    if year is None or month is None or day is None or not 1900 <= year <= 2100:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def dates_from_match(
    match: re.Match[str], year: int | None, issue_month: int | None
) -> tuple[datetime.date | None, datetime.date | None]:
    if match.group("dsuf") is None and match.group("d2") is None:
        return None, None  # "4月26" without 日 and not a range: not a date
    month, day = cn_to_int(match.group("m")), cn_to_int(match.group("d"))
    explicit_year = cn_to_int(match.group("y")) if match.group("y") else None
    start_year = explicit_year if explicit_year is not None else year
    if explicit_year is None and start_year is not None and issue_month and month and month - issue_month > 6:
        start_year -= 1  # a December event reported in a January issue happened last year
    start = _safe_date(start_year, month, day)
    if start is None:
        return None, None
    end = None
    if match.group("d2"):
        end_month = cn_to_int(match.group("m2")) if match.group("m2") else month
        end_year = cn_to_int(match.group("y2")) if match.group("y2") else start_year
        if not match.group("y2") and end_month is not None and month is not None and end_month < month:
            end_year = (end_year or 0) + 1  # 12月30日至1月2日 crosses the new year
        end = _safe_date(end_year, end_month, cn_to_int(match.group("d2")))
        if end is not None and end <= start:
            end = None
    return start, end


def parse_date(
    text: str, *, year: int | None = None, issue_month: int | None = None
) -> tuple[datetime.date | None, datetime.date | None]:
    """First precise date in ``text`` as (start, end); end is set only for ranges.

    A year written in the text wins over ``year``; without either the date is
    unknown.  Vague expressions (日前, 近日, 6月上旬) have no day and give (None, None).
    """
    if not text:
        return None, None
    text = halfwidth(text)
    for match in DATE_RE.finditer(text):
        start, end = dates_from_match(match, year, issue_month)
        if start is not None:
            return start, end
    return None, None


def all_dates(text: str, year: int | None) -> list[datetime.date]:
    dates = []
    for match in DATE_RE.finditer(text):
        start, end = dates_from_match(match, year, None)
        dates.extend(d for d in (start, end) if d is not None)
    return dates


def year_from_text(text: str) -> int | None:
    """Year the text is about: the latest 'YYYY年M月' (截至2021年12月), else the most common 'YYYY年'.

    Bare years are a weaker signal because plans name future years (2021-2025年).
    """
    with_month, bare = [], []
    for match in _YEAR_IN_TEXT_RE.finditer(text):
        value = int(match.group(1))
        (with_month if match.group(2) else bare).append(value)
    if with_month:
        return max(with_month)
    if bare:
        counts = Counter(bare)
        return max(counts, key=lambda y: (counts[y], y))
    return None


# Dates written with digits and separators: 2014/04/18, 2014.4.18, 2014-04-18.
NUMERIC_DATE_RE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*([/.\-])\s*([0-9]{1,2})\s*\2\s*([0-9]{1,2})(?![0-9])")
# The letter O (or a zero) typed for 〇 between Chinese numerals: 二OO九年.
_LETTER_O_RE = re.compile(r"[〇零○一二三四五六七八九][〇零○一二三四五六七八九OoΟ0]{3}(?=\s*年)")


def masthead_date(text: str) -> tuple[datetime.date | None, int, int]:
    """The issue date a masthead line gives, with the span it takes; (None, 0, 0) when there is none.

    Mastheads also write 2014/04/18, 2014.4.18 and 二OO九年六月十日, which running text does not.
    """
    text = _LETTER_O_RE.sub(lambda m: re.sub("[OoΟ0]", "〇", m.group()), halfwidth(text))
    numeric = NUMERIC_DATE_RE.search(text)
    if numeric:
        y, _, m, d = numeric.groups()
        return _safe_date(int(y), int(m), int(d)), numeric.start(), numeric.end()
    match = DATE_RE.search(text)
    if match and match.group("y"):
        start, _ = dates_from_match(match, None, None)
        if start is not None:
            return start, match.start(), match.end()
    return None, 0, 0


# Digits lost in PDF extraction (they were set in another font) leave a space before 年, 月 or 日
# with no digit ("推进 年工作", "于 月 日"), or a year cut short before its month ("20 年3月18日").
_LOST_DIGITS_RE = re.compile(
    r"(?<=[^\s0-9A-Za-z])[^\S\n]+(?=[年月日])|(?<![0-9])[0-9]{1,3}[^\S\n]+年\s*[0-9]{0,2}\s*月"
)
# A masthead date line whatever digits survived: "20 年3月18日", " 年 月 日".
LOST_DATE_LINE_RE = re.compile(r"^[0-9\s]*年[0-9\s]*月[0-9\s]*日?\s*$")


def lost_digits(text: str) -> str:
    """The line of ``text`` where a date's digits were lost, "" when there is none.

    Letter-spaced lines ("节 日 快 乐", headings spread to fill a column) put a space
    between every character, so a space before 日 there is layout, not a gap.
    """
    for line in text.splitlines():
        if not _LOST_DIGITS_RE.search(line):
            continue
        words = line.split()
        if len(words) >= 3 and sum(len(w) == 1 for w in words) * 2 > len(words):
            continue
        return line.strip()
    return ""


DATE_ONLY_RE = re.compile(rf"^\s*(?:{_YEAR})\s*年\s*(?:{_NUM})\s*月(?:\s*(?:{_NUM})\s*日)?\s*$")


def brief_date(
    text: str, year: int | None, issue_month: int | None
) -> tuple[datetime.date | None, datetime.date | None]:
    """The date a brief item starts with; items without one at the start get their first date."""
    match = DATE_RE.match(halfwidth(text).lstrip())
    if match:
        start, end = dates_from_match(match, year, issue_month)
        if start is not None:
            return start, end
    return parse_date(text, year=year, issue_month=issue_month)
