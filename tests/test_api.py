"""The JSON API on the imported seeds.

Why against the seeds: the API's promise is "the same rows as the page, for
the same query string", which only means something on what the importer
really produced. Expected rows come from the queryset methods, an oracle
independent of the FilterSet wiring under test.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIRequestFactory

from bulletins import search
from bulletins.models import Article, BriefItem, Issue, Organisation, Publication, Topic
from bulletins.pagination import ArchivePagination

pytestmark = pytest.mark.usefixtures("seeded")

INTERNALS = {
    "segmented_text",
    "search_vector",
    "source_sha256",
    "source_name",
    "edited_fields",
    "version",
    "needs_review",
    "review_notes",
    "imported_at",
    "updated_at",
    "rank",
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def get(client, url, **params):
    response = client.get(url, params)
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response


def ids(client, url, **params):
    """Every id of a list, following next links; also proves the links work."""
    found, page = [], get(client, url, page_size=100, **params).json()
    found += [row["id"] for row in page["results"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        found += [row["id"] for row in page["results"]]
    return found


def html_ids(client, url, **params):
    """The ids on the HTML list page for the same parameters (the seeds fit on one page of 100)."""
    response = client.get(url, {**params, "page_size": 100})
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert not page.has_next()
    return [obj.pk for obj in page]


def walk(value):
    """Every dict nested anywhere in a JSON value."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


def assert_clean_and_linked(data):
    """No import internals anywhere; every object with an id carries its API and page URLs."""
    for obj in walk(data):
        assert not INTERNALS & obj.keys(), obj
        if obj.keys() == {"id", "name"}:
            continue  # a publication: no page of its own, its id is what ``publication=`` takes
        if {"id", "slug"} & obj.keys():
            assert obj["url"].startswith("http://testserver/api/"), obj
            assert obj["html_url"].startswith("http://testserver/"), obj
            assert not obj["html_url"].startswith("http://testserver/api/"), obj


def test_article_list_is_paged_clean_and_linked(client):
    """A list is count/next/previous/results, with ISO dates and no internals, only public fields."""
    data = get(client, "/api/articles/").json()
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["count"] == Article.objects.count()
    row = data["results"][0]
    assert set(row) == {
        "id",
        "url",
        "html_url",
        "issue",
        "publication",
        "position",
        "section",
        "title",
        "subtitle",
        "byline",
        "region",
        "date",
        "effective_date",
        "organisations",
        "topics",
        "keywords",
    }
    assert_clean_and_linked(data)
    for row in data["results"]:
        assert row["date"] is None or ISO_DATE.match(row["date"])
        assert row["effective_date"] is None or ISO_DATE.match(row["effective_date"])


def test_article_detail_has_body_and_its_page(client):
    article = Article.objects.exclude(body="").first()
    data = get(client, f"/api/articles/{article.pk}/").json()
    assert data["body"] == article.body
    assert data["html_url"] == f"http://testserver{article.get_absolute_url()}"
    assert data["url"] == f"http://testserver/api/articles/{article.pk}/"
    assert not INTERNALS & data.keys()
    assert_clean_and_linked(data)


def test_issue_detail_carries_articles_and_briefs_in_order(client):
    """One request gives the issue as published: its articles and brief items by position."""
    issue = Issue.objects.filter(briefs__isnull=False).distinct().first()
    data = get(client, f"/api/issues/{issue.pk}/").json()
    assert [a["id"] for a in data["articles"]] == list(issue.articles.order_by("position").values_list("pk", flat=True))
    assert [b["id"] for b in data["briefs"]] == list(issue.briefs.order_by("position").values_list("pk", flat=True))
    assert data["article_count"] == len(data["articles"])
    assert data["original_text"] == issue.raw_text
    assert ISO_DATE.match(data["date"])
    assert_clean_and_linked(data)


def test_issue_list_is_newest_first(client):
    expected = list(Issue.objects.newest_first().values_list("pk", flat=True))
    assert ids(client, "/api/issues/") == expected
    assert_clean_and_linked(get(client, "/api/issues/").json())


def test_issue_filters(client):
    zhejiang = Publication.objects.get(name="浙江红十字")
    assert set(ids(client, "/api/issues/", publication=zhejiang.pk)) == set(
        Issue.objects.filter(publication=zhejiang).values_list("pk", flat=True)
    )
    assert set(ids(client, "/api/issues/", year=2021)) == set(
        Issue.objects.filter(date__year=2021).values_list("pk", flat=True)
    )
    assert set(ids(client, "/api/issues/", date_after="2021-01-01", date_before="2021-12-31")) == set(
        Issue.objects.filter(date__year=2021).values_list("pk", flat=True)
    )


def test_organisations_and_topics(client):
    """The lists whose ids and slugs the other filters take, with counts and their own filters."""
    orgs = get(client, "/api/organisations/", page_size=100).json()
    assert orgs["count"] == Organisation.objects.count()
    assert [o["name"] for o in orgs["results"]] == sorted(o["name"] for o in orgs["results"])
    assert_clean_and_linked(orgs)
    hubei = Organisation.objects.get(name="湖北省红十字会")
    one = get(client, f"/api/organisations/{hubei.pk}/").json()
    # Counted as the ``organisation`` filter counts: mentioned, or in an issue it published.
    assert one["article_count"] == Article.objects.for_organisation(hubei).count()
    assert one["brief_count"] == BriefItem.objects.for_organisation(hubei).count()
    assert one["issue_count"] == Issue.objects.for_organisation(hubei).count()
    assert one["article_count"] == get(client, "/api/articles/", organisation=hubei.pk).json()["count"]
    assert set(ids(client, "/api/organisations/", level="province")) == set(
        Organisation.objects.filter(level="province").values_list("pk", flat=True)
    )

    topics = get(client, "/api/topics/", page_size=100).json()
    assert {t["slug"] for t in topics["results"]} == set(Topic.objects.values_list("slug", flat=True))
    assert_clean_and_linked(topics)
    topic = get(client, "/api/topics/blood-donation/").json()
    assert topic["name"] == Topic.objects.get(slug="blood-donation").name


def _article_cases():
    hubei = Organisation.objects.get(name="湖北省红十字会")
    zhejiang = Publication.objects.get(name="浙江红十字")
    section = Article.objects.exclude(section="").values_list("section", flat=True).first()
    qs = Article.objects.all()
    return [
        ({"organisation": hubei.pk}, qs.for_organisation(hubei)),
        ({"topic": "party-building"}, qs.for_topic(Topic.objects.get(slug="party-building"))),
        ({"publication": zhejiang.pk}, qs.for_publication(zhejiang)),
        ({"section": section}, qs.for_section(section)),
        (
            {"date_after": "2021-04-01", "date_before": "2021-04-30"},
            qs.between(*map(_date, ("2021-04-01", "2021-04-30"))),
        ),
        ({"q": "造血干细胞"}, search.ranked(qs, "造血干细胞")),
        (
            # the Hubei articles about relief (topics are assigned by subject: see tests/test_topic_scoring.py)
            {"organisation": hubei.pk, "topic": "humanitarian-relief"},
            qs.for_organisation(hubei).for_topic(Topic.objects.get(slug="humanitarian-relief")),
        ),
    ]


def _date(text):
    import datetime

    return datetime.date.fromisoformat(text)


def test_article_filters_match_the_querysets(client):
    """Each filter of the articles page narrows the API list to exactly the rows its queryset method gives."""
    total = Article.objects.count()
    for params, expected in _article_cases():
        got = ids(client, "/api/articles/", **params)
        assert sorted(got) == sorted(expected.values_list("pk", flat=True)), params
        assert 0 < len(got) < total, params


def test_lists_match_their_html_pages(client):
    """Same query string, same rows in the same order as the page a visitor sees: one FilterSet for both."""
    for params, _expected in _article_cases():
        assert ids(client, "/api/articles/", **params) == html_ids(client, "/articles/", **params), params
        assert ids(client, "/api/briefs/", **params) == html_ids(client, "/briefs/", **params), params
    for params in ({}, {"year": 2021}, {"publication": Publication.objects.get(name="浙江红十字").pk}):
        assert ids(client, "/api/issues/", **params) == html_ids(client, "/issues/", **params), params


def test_search_is_ranked_like_the_queryset(client):
    """``q`` keeps the ranking of ``.search()``, not the default order."""
    assert ids(client, "/api/articles/", q="造血干细胞") == list(
        search.ranked(Article.objects.all(), "造血干细胞").values_list("pk", flat=True)
    )


def test_brief_filters_match_the_querysets(client):
    hubei = Organisation.objects.get(name="湖北省红十字会")
    qs = BriefItem.objects.all()
    cases = [
        ({"organisation": hubei.pk}, qs.for_organisation(hubei)),
        ({"topic": "communication"}, qs.for_topic(Topic.objects.get(slug="communication"))),
        ({"date_after": "2021-04-10"}, qs.between(after=_date("2021-04-10"))),
        ({"q": "志愿"}, search.ranked(qs, "志愿")),
        ({"publication": Publication.objects.get(name="浙江红十字").pk}, qs.none()),
    ]
    for params, expected in cases:
        assert sorted(ids(client, "/api/briefs/", **params)) == sorted(expected.values_list("pk", flat=True)), params
    data = get(client, "/api/briefs/").json()
    assert data["count"] == BriefItem.objects.count()
    assert_clean_and_linked(data)


def test_paging_keeps_filters_in_next_link(client):
    """The next link carries every filter, so following it stays inside the filtered list."""
    hubei_province = Publication.objects.get(name="浙江红十字")
    params = {"publication": hubei_province.pk, "date_after": "2020-01-01"}
    first = get(client, "/api/articles/", page_size=2, **params).json()
    assert len(first["results"]) == 2 and first["previous"] is None
    assert f"publication={hubei_province.pk}" in first["next"]
    assert "date_after=2020-01-01" in first["next"] and "page_size=2" in first["next"]
    second = client.get(first["next"]).json()
    assert second["count"] == first["count"]
    all_ids = ids(client, "/api/articles/", **params)
    assert [r["id"] for r in first["results"] + second["results"]] == all_ids[:4]


def test_page_size_is_capped_at_100():
    request = APIRequestFactory().get("/api/articles/", {"page_size": "5000"})
    from rest_framework.request import Request

    assert ArchivePagination().get_page_size(Request(request)) == 100


def test_constant_queries_per_page(client):
    """Prefetching keeps a page at the same number of SQL queries whatever its size."""
    counts = []
    for size in (2, 20):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/articles/", {"page_size": size}).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
    for url in ("/api/briefs/", "/api/issues/", "/api/organisations/", "/api/topics/"):
        small, big = [], []
        for size, bucket in ((1, small), (50, big)):
            with CaptureQueriesContext(connection) as ctx:
                client.get(url, {"page_size": size})
            bucket.append(len(ctx))
        assert small == big, url
    issue = Issue.objects.order_by("-pk").first()
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/api/issues/{issue.pk}/")
    assert len(ctx) <= 8


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_after": "2021-02-30"}, "date_after"),
        ({"date_before": "yesterday"}, "date_before"),
        ({"organisation": "abc"}, "organisation"),
        ({"organisation": "999999"}, "organisation"),
        ({"topic": "no-such-topic"}, "topic"),
    ],
)
def test_bad_filter_value_is_400_with_a_message(client, params, field):
    """The body names the parameter and the value, so a script's author sees what to fix."""
    response = get(client, "/api/articles/", **params)
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"]
    assert field in body["detail"] and next(iter(params.values())) in body["detail"]


def test_reversed_date_range_is_400(client):
    response = get(client, "/api/briefs/", date_after="2021-05-01", date_before="2021-01-01")
    assert response.status_code == 400
    assert "2021-05-01" in response.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/articles/999999/",
        "/api/issues/999999/",
        "/api/briefs/999999/",
        "/api/organisations/999999/",
        "/api/topics/no-such/",
    ],
)
def test_unknown_object_is_json_404(client, url):
    """The message names what was asked for, so a stale id in a script is easy to spot."""
    response = get(client, url)
    assert response.status_code == 404
    assert url.rstrip("/").rsplit("/", 1)[1] in response.json()["detail"]


def test_unknown_path_under_api_is_json_404(client):
    """A typo in an API path must not answer with the site's HTML error page."""
    response = get(client, "/api/no-such-endpoint/")
    assert response.status_code == 404
    assert "/api/no-such-endpoint/" in response.json()["detail"]
    assert get(client, "/api/issues/1/extra/").status_code == 404
    assert get(client, "/api/articles/", page=999).status_code == 404


@pytest.mark.parametrize(
    "url", ["/api/articles/", "/api/issues/", "/api/briefs/", "/api/topics/", "/api/organisations/"]
)
def test_read_only_for_everyone(client, admin_client, url):
    """Writes are refused even for a logged-in superuser; reads and OPTIONS work."""
    for c in (client, admin_client):
        assert c.post(url, {"title": "x"}).status_code == 405
    detail = get(client, url).json()["results"][0]["url"]
    for method in (client.put, client.patch, client.delete, admin_client.delete):
        assert method(detail, {}, content_type="application/json").status_code == 405
    assert client.head(url).status_code == 200
    assert client.options(url).status_code == 200


def test_schema_describes_the_api(client):
    """The OpenAPI description lists every endpoint and the shared filter parameters with their types."""
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    for path in (
        "/api/issues/",
        "/api/issues/{id}/",
        "/api/articles/",
        "/api/articles/{id}/",
        "/api/briefs/",
        "/api/organisations/",
        "/api/topics/",
    ):
        assert set(schema["paths"][path]) == {"get"}, path
    params = {p["name"]: p["schema"]["type"] for p in schema["paths"]["/api/articles/"]["get"]["parameters"]}
    assert params["organisation"] == "integer" and params["topic"] == "string"
    assert {"publication", "section", "date_after", "date_before", "q", "page", "page_size"} <= params.keys()
    assert client.get("/api/schema/").status_code == 200  # YAML by default
