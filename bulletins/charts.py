"""Per-month timeline charts, drawn on the server as plain SVG geometry.

Why on the server: the chart then needs no script and no CDN, shows in any
browser and in the screenshots, and the template only places rectangles whose
positions are computed here (no arithmetic in templates).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

WIDTH = 720
HEIGHT = 180
PLOT_TOP = 16
PLOT_BOTTOM = 150  # bars end here; year labels go below
MAX_MONTHS = 600  # fifty years; an absurd date range is cut to the most recent months


@dataclass(frozen=True)
class Bar:
    month: datetime.date
    count: int
    x: float
    y: float
    width: float
    height: float

    @property
    def label(self) -> str:
        return _("%(year)d年%(month)d月：%(count)d 条") % {
            "year": self.month.year,
            "month": self.month.month,
            "count": self.count,
        }


@dataclass(frozen=True)
class Tick:
    x: float
    text: str


@dataclass(frozen=True)
class MonthChart:
    bars: list[Bar]
    ticks: list[Tick]
    peak: int
    total: int
    first: datetime.date
    last: datetime.date
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = PLOT_BOTTOM

    @property
    def summary(self) -> str:
        return _("%(first)s 至 %(last)s 每月条目数，共 %(total)d 条，最多一个月 %(peak)d 条") % {
            "first": f"{self.first.year}年{self.first.month}月",
            "last": f"{self.last.year}年{self.last.month}月",
            "total": self.total,
            "peak": self.peak,
        }


def merge_counts(*counts: dict[datetime.date, int]) -> dict[datetime.date, int]:
    """Add several {month: n} dicts (articles and brief items together)."""
    merged: dict[datetime.date, int] = {}
    for mapping in counts:
        for month, n in mapping.items():
            merged[month] = merged.get(month, 0) + n
    return merged


def _months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(datetime.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_chart(counts: dict[datetime.date, int]) -> MonthChart | None:
    """Bars for every month from the first to the last with items (empty months included), or None."""
    if not counts:
        return None
    months = _months(min(counts), max(counts))[-MAX_MONTHS:]
    peak = max(counts.get(month, 0) for month in months) or 1
    slot = WIDTH / len(months)
    gap = min(2.0, slot * 0.2)
    plot_height = PLOT_BOTTOM - PLOT_TOP
    bars, ticks = [], []
    for index, month in enumerate(months):
        n = counts.get(month, 0)
        height = round(plot_height * n / peak, 1)
        x = round(index * slot, 1)
        bars.append(Bar(month, n, x + gap / 2, PLOT_BOTTOM - height, round(slot - gap, 1), height))
        if month.month == 1 or index == 0:
            ticks.append(Tick(x, str(month.year)))
    # Keep year labels from overlapping on long ranges: at most ~12 labels.
    step = max(1, len(ticks) // 12 + (1 if len(ticks) % 12 else 0)) if len(ticks) > 12 else 1
    return MonthChart(
        bars=bars,
        ticks=ticks[::step],
        peak=peak,
        total=sum(counts.get(month, 0) for month in months),
        first=months[0],
        last=months[-1],
    )
