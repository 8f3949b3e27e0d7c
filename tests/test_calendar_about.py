"""The calendar (years → months → issues, gaps in a run) and the about page with its live figures."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from bulletins.calendar_data import Gap, number_gaps, with_gaps, year_rows
from bulletins.models import Article, BriefItem, Issue, Publication

pytestmark = pytest.mark.usefixtures("seeded")


class FakeIssue:
    def __init__(self, publication_id, number):
        self.publication_id, self.number = publication_id, number


def test_number_gaps_and_runs():
    assert number_gaps([5, 7, 8, 12]) == [Gap(6, 6), Gap(9, 11)]
    assert number_gaps([3]) == [] and number_gaps([]) == []
    entries = with_gaps([FakeIssue(1, 5), FakeIssue(1, 7), FakeIssue(2, 1), FakeIssue(2, None)])
    assert [(e.gap.first, e.gap.last) if e.gap else e.issue.number for e in entries] == [5, (6, 6), 7, 1, None]


def test_year_rows_have_twelve_months_and_keep_empty_years():
    d = datetime.date
    rows = year_rows({d(2019, 3, 1): 2, d(2021, 4, 1): 1}, {d(2021, 4, 1): 13})
    assert [r.year for r in rows] == [2021, 2020, 2019]
    assert all(len(r.months) == 12 for r in rows)
    assert rows[0].months[3].issues == 1 and rows[0].items == 13 and rows[1].issues == 0


def test_calendar_counts_issues_and_items_per_month(client):
    html = client.get(reverse("bulletins:calendar")).content.decode()
    month = reverse("bulletins:calendar_month", args=[2021, 4])
    cell = re.search(rf'<a href="{month}">(.*?)</a>', html, re.S).group(1)
    issues = Issue.objects.filter(date__year=2021, date__month=4)
    items = Article.objects.filter(issue__in=issues).count() + BriefItem.objects.filter(issue__in=issues).count()
    assert f"{issues.count()} 期" in cell and f"{items} 篇（条）" in cell
    assert 'id="y2020"' in html and 'id="y2022"' in html


def test_publication_calendar_shows_the_missing_numbers(client):
    publication = Publication.objects.get(name="浙江红十字")
    html = client.get(reverse("bulletins:calendar"), {"publication": publication.pk}).content.decode()
    assert "浙江红十字 日历" in html
    assert '<li class="gap">第371–389期</li>' in html
    assert reverse("bulletins:calendar_month", args=[2020, 6]) + f"?publication={publication.pk}" in html
    # linked from the issue list and from each issue of the publication
    assert f'href="{reverse("bulletins:calendar")}"' in client.get(reverse("bulletins:issue_list")).content.decode()
    issue = publication.issues.first()
    assert f"?publication={publication.pk}" in client.get(issue.get_absolute_url()).content.decode()


def test_month_lists_its_issues_and_links_the_filtered_lists(client):
    issue = Issue.objects.get(number=4)
    response = client.get(reverse("bulletins:calendar_month", args=[2021, 4]))
    html = response.content.decode()
    assert issue.get_absolute_url() in html
    assert "date_after=2021-04-01&amp;date_before=2021-04-30" in html
    assert client.get(reverse("bulletins:calendar_month", args=[2021, 13])).status_code == 404
    assert client.get(reverse("bulletins:calendar"), {"publication": "x"}).status_code == 404
    assert "没有期刊" in client.get(reverse("bulletins:calendar_month", args=[1999, 1])).content.decode()


def test_about_page_live_figures_and_endpoints(client):
    html = client.get(reverse("bulletins:about")).content.decode()
    assert f"共 {Article.objects.count()} 篇文章和 {BriefItem.objects.count()} 条简讯" in html
    assert "期刊日期从 2020年6月24日 到 2022年1月21日" in html
    for name in (
        "opendata:api-root",
        "opendata:schema",
        "opendata:api-docs",
        "opendata:articles_csv",
        "opendata:feed_issues",
    ):
        assert f'href="{reverse(name)}"' in html, name
    assert "[N/OL]" in html and "OCR" in html
    footer = client.get(reverse("bulletins:home")).content.decode().split('class="site-footer"')[1]
    assert f'href="{reverse("bulletins:about")}"' in footer
