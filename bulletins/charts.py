"""Per-month timeline charts, drawn on the server as plain SVG geometry.

Why on the server: the chart then needs no script and no CDN, shows in any
browser and in the screenshots, and the template only places shapes whose
positions are computed here (no arithmetic in templates).

Why these proportions: a bar is at most ``SLOT_MAX`` wide, so one month is a
bar and not a red wall; the chart keeps its natural pixel width and scrolls
sideways on a narrow screen instead of shrinking its labels below legibility;
the y axis carries round values and, when bars are wide enough, each bar its
count. Every bar links to the list of that month (with the page's own
filter), and the same figures come as a table for screen readers.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.http import QueryDict
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .caching import cached_fragment

PLOT_WIDTH = 680  # the bars' area when there are many months
LEFT = 40  # room for the y-axis values
RIGHT = 8
PLOT_TOP = 18
PLOT_BOTTOM = 150
HEIGHT = 192  # month and year labels below the plot
SLOT_MAX = 48
MONTH_LABELS_FROM = 26  # slot width from which every month is labelled
VALUES_FROM = 18  # slot width from which each bar shows its count
MAX_MONTHS = 600  # fifty years; an absurd date range is cut to the most recent months


@dataclass(frozen=True)
class Bar:
    month: datetime.date
    articles: int
    briefs: int
    x: float
    y: float
    width: float
    height: float
    url: str
    show_value: bool

    @property
    def count(self) -> int:
        return self.articles + self.briefs

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def month_text(self) -> str:
        return _("%(year)d年%(month)d月") % {"year": self.month.year, "month": self.month.month}

    @property
    def label(self) -> str:
        return _("%(month)s：%(articles)d 篇文章，%(briefs)d 条简讯") % {
            "month": self.month_text,
            "articles": self.articles,
            "briefs": self.briefs,
        }


@dataclass(frozen=True)
class Tick:
    x: float
    text: str
    row: int = 0  # 0: the month line, 1: the year line


@dataclass(frozen=True)
class YTick:
    y: float
    value: int


@dataclass(frozen=True)
class MonthChart:
    bars: list[Bar]
    ticks: list[Tick]
    y_ticks: list[YTick]
    peak: int
    total: int
    first: datetime.date
    last: datetime.date
    width: int
    height: int = HEIGHT
    baseline: int = PLOT_BOTTOM
    left: int = LEFT

    @property
    def summary(self) -> str:
        return _("%(first)s 至 %(last)s 每月条目数，共 %(total)d 条，最多一个月 %(peak)d 条") % {
            "first": f"{self.first.year}年{self.first.month}月",
            "last": f"{self.last.year}年{self.last.month}月",
            "total": self.total,
            "peak": self.peak,
        }

    @property
    def rows(self) -> list[Bar]:
        """The months that have items, newest first: the table beside the chart."""
        return [bar for bar in reversed(self.bars) if bar.count]


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


def nice_step(peak: int, most: int = 4) -> int:
    """A round step (1, 2, 5 × 10^k) giving at most ``most`` ticks above zero up to ``peak``."""
    if peak <= most:
        return 1
    raw = peak / most
    power = 10 ** math.floor(math.log10(raw))
    return next(int(f * power) for f in (1, 2, 5, 10) if f * power >= raw)


def _month_url(month: datetime.date, kind: str, query: dict | None) -> str:
    """The article or brief-item list for one month, keeping the page's own filter (organisation, topic)."""
    params = QueryDict(mutable=True)
    params.update(query or {})
    last_day = _months(month, month + datetime.timedelta(days=31))[1] - datetime.timedelta(days=1)
    params["date_after"] = month.isoformat()
    params["date_before"] = last_day.isoformat()
    name = "bulletins:article_list" if kind == "article" else "bulletins:brief_list"
    return f"{reverse(name)}?{params.urlencode()}"


def month_chart(
    articles: dict[datetime.date, int], briefs: dict[datetime.date, int] | None = None, *, query: dict | None = None
) -> MonthChart | None:
    """Bars for every month from the first to the last with items (empty months included), or None."""
    briefs = briefs or {}
    counts = merge_counts(articles, briefs)
    if not counts:
        return None
    months = _months(min(counts), max(counts))[-MAX_MONTHS:]
    top = max(counts.get(month, 0) for month in months) or 1
    step = nice_step(top)
    scale_top = step * math.ceil(top / step)
    slot = min(SLOT_MAX, PLOT_WIDTH / len(months))
    gap = min(8.0, slot * 0.25)
    plot_height = PLOT_BOTTOM - PLOT_TOP
    bars, ticks = [], []
    for index, month in enumerate(months):
        a, b = articles.get(month, 0), briefs.get(month, 0)
        height = round(plot_height * (a + b) / scale_top, 1)
        x = round(LEFT + index * slot, 1)
        url = _month_url(month, "article" if a or not b else "brief", query) if a + b else ""
        bars.append(
            Bar(month, a, b, x + gap / 2, PLOT_BOTTOM - height, round(slot - gap, 1), height, url, slot >= VALUES_FROM)
        )
        if slot >= MONTH_LABELS_FROM:
            ticks.append(Tick(round(x + slot / 2, 1), _("%(month)d月") % {"month": month.month}))
        if month.month == 1 or index == 0:
            ticks.append(Tick(round(x + (slot / 2 if slot >= MONTH_LABELS_FROM else 0), 1), str(month.year), 1))
    years = [t for t in ticks if t.row == 1]
    if len(years) > 12:  # keep year labels from overlapping on long ranges: at most ~12
        keep = set(years[:: math.ceil(len(years) / 12)])
        ticks = [t for t in ticks if t.row == 0 or t in keep]
    y_ticks = [
        YTick(round(PLOT_BOTTOM - plot_height * value / scale_top, 1), value) for value in range(0, scale_top + 1, step)
    ]
    return MonthChart(
        bars=bars,
        ticks=ticks,
        y_ticks=y_ticks,
        peak=top,
        total=sum(counts.get(month, 0) for month in months),
        first=months[0],
        last=months[-1],
        width=math.ceil(LEFT + slot * len(months) + RIGHT),
    )


def rendered_month_chart(
    name: str, articles: dict[datetime.date, int], briefs: dict[datetime.date, int], *, query: dict | None = None
) -> SafeString:
    """The month chart as HTML, rendered once per archive state, page (``name``) and language.

    Why: at a million articles the archive spans hundreds of months, and building
    and rendering a bar, a link and a label for each cost more than the rest of the
    home page. The counts come from the archive state the key names, so the HTML
    is as current as they are.
    """

    return cached_fragment(
        "includes/month_chart.html",
        lambda: {"chart": month_chart(articles, briefs, query=query)},
        params=(name, sorted((query or {}).items())),
    )
