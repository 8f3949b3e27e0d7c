"""Timeline charts: axes with values, a sensible width, bars that link to their month, a table equivalent."""

from __future__ import annotations

import datetime
import re
from urllib.parse import parse_qs, urlparse

import pytest

from bulletins import charts
from bulletins.models import Article, Organisation

d = datetime.date


def test_one_month_is_one_bar_not_a_wall():
    chart = charts.month_chart({d(2021, 4, 1): 3}, {d(2021, 4, 1): 9})
    [bar] = chart.bars
    assert bar.width <= charts.SLOT_MAX and chart.width < 120
    assert (bar.articles, bar.briefs, bar.count) == (3, 9, 12)
    assert [t.value for t in chart.y_ticks] == [0, 5, 10, 15]  # round values up to just above the peak
    assert bar.show_value and {t.text for t in chart.ticks} == {"4月", "2021"}
    assert parse_qs(urlparse(bar.url).query) == {"date_after": ["2021-04-01"], "date_before": ["2021-04-30"]}


def test_long_ranges_fit_and_thin_their_labels():
    counts = {d(1990 + i // 12, i % 12 + 1, 1): i % 7 for i in range(12 * 30)}
    chart = charts.month_chart(counts, query={"topic": "volunteering"})
    assert chart.width <= charts.LEFT + charts.PLOT_WIDTH + charts.RIGHT + 1
    assert len(chart.ticks) <= 13 and not any(bar.show_value for bar in chart.bars)
    assert all("topic=volunteering" in bar.url for bar in chart.bars if bar.count)
    assert not any(bar.url for bar in chart.bars if not bar.count)
    assert charts.month_chart({}) is None


def test_nice_steps():
    assert [charts.nice_step(n) for n in (1, 4, 7, 12, 40, 95, 1000)] == [1, 1, 2, 5, 10, 50, 500]


@pytest.mark.usefixtures("seeded")
def test_organisation_chart_bars_link_to_the_filtered_month(client):
    organisation = Organisation.objects.get(name="湖北省红十字会")
    html = client.get(organisation.get_absolute_url()).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert re.search(r'class="y-value">\d+</text>', svg)
    links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)">', svg)
    assert links
    for url, label in links:
        url = url.replace("&amp;", "&")
        params = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
        assert params["organisation"] == str(organisation.pk)
        after = datetime.date.fromisoformat(params["date_after"])
        expected = Article.objects.for_organisation(organisation).between(
            after, datetime.date.fromisoformat(params["date_before"])
        )
        assert f"{expected.count()} 篇文章" in label
        page = client.get(url)
        assert page.status_code == 200 and len(page.context["page_obj"].object_list) == min(expected.count(), 20)
    table = html[html.index('class="chart-table"') :]
    assert table.count('<tr><th scope="row">') == len(links)  # the table has a row per linked bar
