"""What a first visit showed: dates said twice, contents that skip numbers, unnamed CSV dates, no favicon.

Why each check reads the rendered page: these are what a reader sees, so the
test looks where the reader looks.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from bulletins.models import BriefItem, Issue, Organisation
from bulletins.templatetags.archive import date_span, toc_groups, without_leading_date

pytestmark = pytest.mark.usefixtures("seeded")


def test_date_span_writes_year_and_month_once():
    d = datetime.date
    assert date_span(d(2021, 4, 26), d(2021, 4, 27)) == "2021年4月26日至27日"
    assert date_span(d(2021, 4, 30), d(2021, 5, 2)) == "2021年4月30日至5月2日"
    assert date_span(d(2021, 12, 30), d(2022, 1, 2)) == "2021年12月30日至2022年1月2日"
    assert date_span(d(2021, 4, 1)) == "2021年4月1日"
    assert without_leading_date("4月26日至27日，潜江市红十字会") == "潜江市红十字会"
    assert without_leading_date("4月1日") == "4月1日"  # nothing left: keep the text


def test_brief_item_date_is_shown_once_as_its_range(client):
    ranged = BriefItem.objects.get(end_date__isnull=False)
    html = client.get(ranged.issue.get_absolute_url()).content.decode()
    item = re.search(rf'<li id="brief-{ranged.position}">(.*?)</li>', html, re.S).group(1)
    assert "2021年4月26日至27日" in item
    assert "4月26日至27日，" not in item  # the printed date is not repeated after the formatted one
    for brief in BriefItem.objects.filter(issue=ranged.issue, end_date__isnull=True):
        item = re.search(rf'<li id="brief-{brief.position}">(.*?)</li>', html, re.S).group(1)
        assert item.count(f"{brief.date.month}月{brief.date.day}日") == 1, item


def test_contents_number_articles_only_with_sections_as_labels(client):
    issue = Issue.objects.get(number=370)
    html = client.get(issue.get_absolute_url()).content.decode()
    toc = html[html.index('class="toc"') : html.index("</nav>", html.index('class="toc"'))]
    assert "<li class" not in toc  # section headings are not list items
    starts = [int(n) for n in re.findall(r'<ol start="(\d+)">', toc)]
    counts = [len(re.findall(r"<li>", ol)) for ol in re.findall(r"<ol[^>]*>(.*?)</ol>", toc, re.S)]
    assert starts == [1, *[1 + sum(counts[:i]) for i in range(1, len(counts))]]
    assert sum(counts) == issue.articles.count()
    assert '<p class="toc-section">每月要览</p>' in toc
    groups = toc_groups(list(issue.articles.order_by("position")))
    assert [g.start for g in groups] == starts


def test_favicon_linked_and_served(client):
    html = client.get(reverse("bulletins:home")).content.decode()
    assert re.search(r'<link rel="icon" href="[^"]+favicon\.svg" type="image/svg\+xml">', html)
    assert re.search(r'<link rel="icon" href="[^"]+favicon\.png" type="image/png"', html)
    static = Path(settings.BASE_DIR) / "static" / "bulletins"
    assert (static / "favicon.svg").read_text().startswith("<svg")
    assert (static / "favicon.png").read_bytes().startswith(b"\x89PNG")
    assert (static / "favicon.ico").read_bytes()[:4] == b"\0\0\1\0"
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.ico")


def test_api_root_links_to_schema_and_local_docs(client):
    data = client.get(reverse("opendata:api-root")).json()
    assert data["schema"].endswith(reverse("opendata:schema"))
    assert data["docs"].endswith(reverse("opendata:api-docs"))
    docs = client.get(reverse("opendata:api-docs")).content.decode()
    assert "swagger-ui-bundle.js" in docs
    assert not re.search(r'(src|href)="https?://', docs)  # served from this site, no CDN
    assert "<script>" not in docs  # the set-up script is a separate file


def test_footer_links_to_api_and_csv(client):
    html = client.get(reverse("bulletins:issue_list")).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    for name in ("opendata:api-root", "opendata:articles_csv", "opendata:briefs_csv", "opendata:feed_issues"):
        assert f'href="{reverse(name)}"' in footer, name


def test_review_badge_and_organisation_tables(client):
    css = (Path(settings.BASE_DIR) / "static" / "bulletins" / "site.css").read_text()
    assert re.search(r"\.badge \{[^}]*white-space: nowrap", css)
    assert re.search(r"table\.counts \{[^}]*table-layout: fixed", css)
    html = client.get(reverse("bulletins:organisation_list")).content.decode()
    tables = html.count('<table class="counts">')
    assert tables > 1 and html.count('<col class="num">') == 3 * tables
    assert Organisation.objects.exists()
