"""The shape of a publication calendar: years of month cells, and the numbers missing from a run.

Why pure Python: what the calendar shows (twelve cells a year, empty months
included; 第371–389期 missing) is arithmetic on counts and numbers, tested
without a database. The views feed it rows from three small aggregate queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise


@dataclass
class MonthCell:
    year: int
    month: int
    issues: int = 0
    items: int = 0

    @property
    def empty(self) -> bool:
        return not self.issues


@dataclass
class YearRow:
    year: int
    months: list[MonthCell] = field(default_factory=list)

    @property
    def issues(self) -> int:
        return sum(cell.issues for cell in self.months)

    @property
    def items(self) -> int:
        return sum(cell.items for cell in self.months)


def year_rows(issue_counts: dict[datetime.date, int], item_counts: dict[datetime.date, int]) -> list[YearRow]:
    """One row per year from the first to the last with issues, newest first, twelve cells each.

    Keys are the first day of a month; a year with no issue between two that
    have some is kept, so a pause in publication shows as an empty row.
    """
    if not issue_counts:
        return []
    first, last = min(issue_counts).year, max(issue_counts).year
    rows = []
    for year in range(last, first - 1, -1):
        cells = []
        for month in range(1, 13):
            key = datetime.date(year, month, 1)
            cells.append(MonthCell(year, month, issue_counts.get(key, 0), item_counts.get(key, 0)))
        rows.append(YearRow(year, cells))
    return rows


@dataclass(frozen=True)
class Gap:
    """Issue numbers missing between two issues that are in the archive: 第first期 to 第last期."""

    first: int
    last: int

    @property
    def size(self) -> int:
        return self.last - self.first + 1


def number_gaps(numbers: Iterable[int]) -> list[Gap]:
    """The runs of numbers missing between the smallest and the largest present."""
    present = sorted(set(numbers))
    return [Gap(a + 1, b - 1) for a, b in pairwise(present) if b - a > 1]


@dataclass
class RunEntry:
    """One line of a month's list: an issue, or a gap before it in the same publication."""

    issue: object = None
    gap: Gap | None = None


def with_gaps(issues: list) -> list[RunEntry]:
    """Issues in order, with a gap entry wherever a publication's numbers skip between two listed issues.

    ``issues`` are ordered by publication then number (objects with
    ``publication_id`` and ``number``); unnumbered issues never make a gap.
    """
    entries: list[RunEntry] = []
    previous = None
    for issue in issues:
        if (
            previous is not None
            and issue.number
            and previous.number
            and issue.publication_id == previous.publication_id
            and issue.number - previous.number > 1
        ):
            entries.append(RunEntry(gap=Gap(previous.number + 1, issue.number - 1)))
        entries.append(RunEntry(issue=issue))
        previous = issue
    return entries
