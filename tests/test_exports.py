"""CSV exports on the imported seeds.

Why round-trip through the csv module and compare with the API: an export is
only useful if a researcher gets back exactly the rows the list showed for the
same query string, in the same order, and Excel shows the Chinese text (which
needs the BOM).
"""

from __future__ import annotations

import csv
import io

import pytest

from bulletins.models import Article, BriefItem, Organisation, Publication

pytestmark = pytest.mark.usefixtures("seeded")

BOM = "\ufeff"


def read_csv(response) -> list[dict]:
    """Decode a streamed export the way a careful consumer would: BOM first, then csv.DictReader."""
    assert response.status_code == 200, response
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.DictReader(io.StringIO(text[len(BOM) :], newline="")))


def api_ids(client, url, params) -> list[int]:
    found, page = [], client.get(url, {**params, "page_size": 100}).json()
    found += [row["id"] for row in page["results"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        found += [row["id"] for row in page["results"]]
    return found


def article_params():
    hubei = Organisation.objects.get(name="湖北省红十字会")
    zhejiang = Publication.objects.get(name="浙江红十字")
    section = Article.objects.exclude(section="").values_list("section", flat=True).first()
    return [
        {},
        {"organisation": hubei.pk},
        {"topic": "party-building"},
        {"publication": zhejiang.pk},
        {"section": section},
        {"date_after": "2021-04-01", "date_before": "2021-04-30"},
        {"q": "造血干细胞"},
        {"organisation": hubei.pk, "topic": "humanitarian-relief", "date_before": "2021-12-31"},
    ]


def html_ids(client, url, params) -> list[int]:
    """The ids on the HTML list page (the seeds fit on one page of 100)."""
    response = client.get(url, {**params, "page_size": 100})
    assert response.status_code == 200
    return [obj.pk for obj in response.context["page_obj"]]


def test_articles_csv_has_the_same_rows_as_the_list_page(client):
    """For every filter, the CSV rows are the list page's rows and the API's, ids and order alike."""
    for params in article_params():
        csv_ids = [int(r["id"]) for r in read_csv(client.get("/articles.csv", params))]
        assert csv_ids, params
        assert csv_ids == html_ids(client, "/articles/", params), params
        assert csv_ids == api_ids(client, "/api/articles/", params), params


def test_articles_csv_columns_and_content(client):
    """Columns a researcher needs, full bodies with their line breaks, Chinese intact, absolute page links."""
    response = client.get("/articles.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="articles.csv"'
    rows = read_csv(response)
    assert list(rows[0]) == [
        "id",
        "issue_id",
        "issue",
        "publication",
        "date",
        "issue_date",
        "effective_date",
        "section",
        "title",
        "byline",
        "organisations",
        "topics",
        "url",
        "body",
    ]
    assert len(rows) == Article.objects.count()
    by_id = {int(r["id"]): r for r in rows}
    for article in Article.objects.select_related("issue").prefetch_related("organisations", "topics"):
        row = by_id[article.pk]
        assert row["title"] == article.title
        assert row["body"] == article.body
        assert row["url"] == f"http://testserver{article.get_absolute_url()}"
        assert row["date"] == (article.date.isoformat() if article.date else "")
        assert row["issue_date"] == (article.issue.date.isoformat() if article.issue.date else "")
        assert row["effective_date"] == (article.effective_date.isoformat() if article.effective_date else "")
        assert set(filter(None, row["organisations"].split("; "))) == {o.name for o in article.organisations.all()}
        assert set(filter(None, row["topics"].split("; "))) == {t.name for t in article.topics.all()}


def test_briefs_csv_has_the_same_rows_as_the_list_page(client):
    hubei = Organisation.objects.get(name="湖北省红十字会")
    for params in [
        {},
        {"organisation": hubei.pk},
        {"topic": "communication"},
        {"date_after": "2021-04-10"},
        {"q": "志愿"},
    ]:
        csv_ids = [int(r["id"]) for r in read_csv(client.get("/briefs.csv", params))]
        assert csv_ids == html_ids(client, "/briefs/", params), params
        assert csv_ids == api_ids(client, "/api/briefs/", params), params
    rows = read_csv(client.get("/briefs.csv"))
    assert list(rows[0]) == [
        "id",
        "issue_id",
        "issue",
        "publication",
        "date",
        "issue_date",
        "effective_date",
        "end_date",
        "organisations",
        "topics",
        "url",
        "text",
    ]
    assert {r["text"] for r in rows} == set(BriefItem.objects.values_list("text", flat=True))


def test_csv_streams_in_constant_queries(client, django_assert_max_num_queries):
    """Organisations and topics are prefetched per chunk, not fetched per row."""
    with django_assert_max_num_queries(8):
        read_csv(client.get("/articles.csv"))


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/articles.csv", {"date_after": "2021-02-30"}, "date_after"),
        ("/briefs.csv", {"date_before": "2021-13-01"}, "date_before"),
        ("/articles.csv", {"organisation": "abc"}, "organisation"),
        ("/briefs.csv", {"topic": "no-such-topic"}, "topic"),
    ],
)
def test_bad_parameter_is_400_with_a_plain_message(client, url, params, field):
    """A spreadsheet user gets a sentence naming the parameter and value, not an empty file."""
    response = client.get(url, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    message = response.content.decode()
    assert field in message and next(iter(params.values())) in message


def test_exports_are_read_only(client):
    assert client.post("/articles.csv").status_code == 405
    assert client.head("/briefs.csv").status_code == 200
