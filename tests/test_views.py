"""The public pages on the imported seeds: content, filters, facets, pagination, query counts, escaping.

Why against the real import: the pages are only worth something on what the
importer really produces, and the filters must agree with the queryset
methods the JSON API and the CSV exports share.
"""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bulletins import search
from bulletins.filters import ArticleFilter, IssueFilter, facet_counts
from bulletins.models import Article, BriefItem, Issue, Organisation, Publication, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def hubei(seeded):
    """湖北省红十字会简报 第4期: the numbered plain-text bulletin with 4 articles and 9 brief items."""
    return Issue.objects.get(publication__name="湖北省红十字会简报", number=4)


def ids(page_obj) -> set[int]:
    return {obj.pk for obj in page_obj.object_list}


def get_all(client, path, **params):
    """One page holding the whole (small) result, so sets can be compared."""
    return client.get(path, {**params, "page_size": 100})


# --- every page -------------------------------------------------------------------------


def test_every_page_answers_200_on_the_seeds(client, hubei):
    """Each public path in the contract renders on real imported data."""
    article = hubei.articles.order_by("position").first()
    organisation = Organisation.objects.get(name="湖北省红十字会")
    topic = Topic.objects.filter(articles__isnull=False).first()
    paths = [
        "/",
        "/issues/",
        f"/issues/{hubei.pk}/",
        "/articles/",
        f"/articles/{article.pk}/",
        "/briefs/",
        "/organisations/",
        f"/organisations/{organisation.pk}/",
        "/topics/",
        f"/topics/{topic.slug}/",
        "/search/",
        "/search/?q=红十字",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "<title>" in response.content.decode()
        assert 'class="breadcrumbs' in response.content.decode() or path == "/", path


def test_home_shows_counts_latest_issues_chart_and_topics(client, seeded):
    """The front page tells what the archive holds at a glance."""
    response = client.get("/")
    html = response.content.decode()
    assert response.context["counts"] == {
        "issues": Issue.objects.count(),
        "articles": Article.objects.count(),
        "briefs": BriefItem.objects.count(),
        "organisations": Organisation.objects.count(),
    }
    assert "湖北省红十字会简报 第4期" in html
    assert "<svg" in html and "<rect" in html
    assert "造血干细胞捐献" in html
    assert 'name="q"' in html
    assert 'rel="alternate"' in html


def test_issue_list_shows_the_hubei_issue(client, hubei):
    html = client.get("/issues/").content.decode()
    assert "湖北省红十字会简报 第4期" in html
    assert hubei.get_absolute_url() in html


def test_issue_detail_has_masthead_contents_articles_in_order_briefs_and_raw_text(client, hubei):
    """The issue as published: its four articles appear in their printed order, with anchors."""
    response = client.get(hubei.get_absolute_url())
    html = response.content.decode()
    titles = list(hubei.articles.order_by("position").values_list("title", flat=True))
    assert len(titles) == 4
    positions = [html.index(f'id="article-{n}"') for n in range(1, 5)]
    assert positions == sorted(positions)
    for title, anchor in zip(titles, positions, strict=True):
        assert html.find(title, anchor) > anchor
        assert f'href="#article-{titles.index(title) + 1}"' in html
    assert "湖北省红十字会办公室" in html or "湖北省红十字会" in html
    assert "2021年4月30日" in html
    assert html.count('id="brief-') == 9
    assert "<details" in html and "第 4 期" in html  # the original text keeps its masthead spacing


def test_issue_detail_links_previous_and_next_issue_of_the_same_publication(client, seeded):
    """浙江红十字 第370期 and 第390期 link to each other, and nothing else does."""
    older = Issue.objects.get(publication__name="浙江红十字", number=370)
    newer = Issue.objects.get(publication__name="浙江红十字", number=390)
    older_html = client.get(older.get_absolute_url()).content.decode()
    newer_html = client.get(newer.get_absolute_url()).content.decode()
    assert f'rel="next" href="{newer.get_absolute_url()}"' in older_html
    assert 'rel="prev"' not in older_html.split('class="issue-nav"')[1].split("</nav>")[0]
    assert f'rel="prev" href="{older.get_absolute_url()}"' in newer_html


def test_article_detail_shows_body_links_and_related(client, hubei):
    """An article page links its organisations and topics to filtered lists and suggests related articles."""
    article = hubei.articles.get(position=2)
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert article.title in html
    for paragraph in article.paragraphs:
        assert f"<p>{paragraph[:20]}" in html
    assert hubei.get_absolute_url() in html
    for organisation in article.organisations.all():
        assert f"/articles/?organisation={organisation.pk}" in html
    for topic in article.topics.all():
        assert f"/articles/?topic={topic.slug}" in html
    related = list(response.context["related"])
    assert related and article not in related
    shared = set(article.topics.values_list("pk", flat=True))
    shared_orgs = set(article.organisations.values_list("pk", flat=True))
    for other in related:
        assert shared & set(other.topics.values_list("pk", flat=True)) or shared_orgs & set(
            other.organisations.values_list("pk", flat=True)
        )


def test_organisation_list_groups_by_level_with_counts(client, seeded):
    response = client.get("/organisations/")
    groups = dict(response.context["groups"])
    assert {"省级", "市级"} <= set(map(str, groups))
    hubei = next(o for o in groups["省级"] if o.name == "湖北省红十字会")
    assert hubei.article_count == Article.objects.for_organisation(hubei).count()
    assert hubei.brief_count == BriefItem.objects.for_organisation(hubei).count()
    assert hubei.issue_count == Issue.objects.for_organisation(hubei).count() >= 1


def test_organisation_detail_lists_its_issues_items_and_chart(client, hubei):
    organisation = Organisation.objects.get(name="湖北省红十字会")
    response = client.get(organisation.get_absolute_url())
    html = response.content.decode()
    assert hubei.title in html
    assert response.context["article_total"] == Article.objects.for_organisation(organisation).count()
    assert response.context["brief_total"] == BriefItem.objects.for_organisation(organisation).count()
    assert "<svg" in html
    assert f"/feeds/organisations/{organisation.pk}/" in html


def test_topic_pages(client, seeded):
    topic = Topic.objects.get(slug="stem-cell-donation")
    assert topic.name in client.get("/topics/").content.decode()
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    assert response.context["article_total"] == Article.objects.for_topic(topic).count()
    assert f"/feeds/topics/{topic.slug}/" in response.content.decode()


# --- filters ------------------------------------------------------------------------------


def test_briefs_of_the_hubei_bulletin_are_nine_items_of_april_2021(client, hubei):
    """The 简讯 section of 第4期: nine dated items, shown as a timeline under 2021年4月."""
    response = client.get("/briefs/", {"publication": hubei.publication_id})
    page = response.context["page_obj"]
    assert page.paginator.count == 9
    assert all(brief.day.strftime("%Y-%m") == "2021-04" for brief in page.object_list)
    assert "2021年4月" in response.content.decode()


def test_each_article_filter_narrows_like_its_queryset_method(client, hubei):
    """organisation, topic, publication, section, date range and q each give exactly the queryset's rows."""
    organisation = Organisation.objects.get(name="湖北省红十字会")
    topic = Topic.objects.get(slug="first-aid-training")
    section = Article.objects.exclude(section="").values_list("section", flat=True).first()
    after, before = datetime.date(2021, 4, 1), datetime.date(2021, 4, 30)
    cases = [
        ({"organisation": organisation.pk}, Article.objects.for_organisation(organisation)),
        ({"topic": topic.slug}, Article.objects.for_topic(topic)),
        ({"publication": hubei.publication_id}, Article.objects.for_publication(hubei.publication_id)),
        ({"section": section}, Article.objects.for_section(section)),
        ({"date_after": "2021-04-01", "date_before": "2021-04-30"}, Article.objects.between(after, before)),
        ({"q": "红十字"}, search.ranked(Article.objects.all(), "红十字")),
    ]
    total = Article.objects.count()
    for params, expected in cases:
        response = get_all(client, "/articles/", **params)
        assert response.status_code == 200, params
        found = ids(response.context["page_obj"])
        assert found == set(expected.values_list("pk", flat=True)), params
        assert 0 < len(found) <= total, params
    narrowed = get_all(client, "/articles/", topic=topic.slug, publication=hubei.publication_id)
    assert ids(narrowed.context["page_obj"]) == set(
        Article.objects.for_topic(topic).for_publication(hubei.publication_id).values_list("pk", flat=True)
    )


def test_brief_filters_narrow_by_organisation_topic_and_dates(client, hubei):
    organisation = Organisation.objects.get(name="咸宁市红十字会")
    response = get_all(client, "/briefs/", organisation=organisation.pk)
    assert ids(response.context["page_obj"]) == set(
        BriefItem.objects.for_organisation(organisation).values_list("pk", flat=True)
    )
    response = get_all(client, "/briefs/", date_after="2021-04-10", date_before="2021-04-20")
    days = [b.day for b in response.context["page_obj"].object_list]
    assert days and all(datetime.date(2021, 4, 10) <= d <= datetime.date(2021, 4, 20) for d in days)


def test_issue_filters_by_publication_publisher_year_and_dates(client, hubei):
    assert ids(get_all(client, "/issues/", publication=hubei.publication_id).context["page_obj"]) == {hubei.pk}
    assert hubei.pk in ids(get_all(client, "/issues/", publisher=hubei.publisher_id).context["page_obj"])
    by_year = ids(get_all(client, "/issues/", year=2021).context["page_obj"])
    assert by_year == set(Issue.objects.filter(date__year=2021).values_list("pk", flat=True))
    ranged = ids(get_all(client, "/issues/", date_after="2021-01-01", date_before="2021-06-30").context["page_obj"])
    assert ranged == {hubei.pk}


def test_facet_counts_equal_the_result_of_picking_each_option(client, hubei):
    """Beside each option is the count it would give with the other active filters: check every one."""
    base = {"publication": hubei.publication_id}
    response = client.get("/articles/", base)
    controls = {c.name: c for c in response.context["controls"]}
    for name in ("organisation", "topic", "publication"):
        assert controls[name].options, name
        for option in controls[name].options:
            picked = get_all(client, "/articles/", **{**base, name: option.value})
            assert picked.context["page_obj"].paginator.count == option.count, (name, option)


def test_facet_counts_helper_keeps_other_filters(seeded):
    """The helper the JSON API reuses: counts ignore the facet's own value but keep the others."""
    topic = Topic.objects.get(slug="first-aid-training")
    filterset = ArticleFilter({"topic": topic.slug}, queryset=Article.objects.all())
    assert filterset.is_valid()
    topic_counts = dict((slug, n) for slug, _label, n in facet_counts(filterset, "topic"))
    assert topic_counts[topic.slug] == Article.objects.for_topic(topic).count()
    org_counts = {pk: n for pk, _label, n in facet_counts(filterset, "organisation")}
    for pk, n in org_counts.items():
        assert n == Article.objects.for_topic(topic).for_organisation(pk).count()


def test_pagination_keeps_every_other_parameter(client, seeded):
    """The next-page link carries the filters and the page size."""
    # organisation-reform: six seed articles are about it (topic_scoring), two pages of three
    response = client.get("/articles/", {"topic": "organisation-reform", "page_size": 3})
    html = response.content.decode()
    match = re.search(r'rel="next" href="([^"]+)"', html)
    assert match, "expected a next page"
    link = match.group(1).replace("&amp;", "&")
    assert "topic=organisation-reform" in link and "page_size=3" in link and "page=2" in link
    second = client.get("/articles/" + link)
    assert second.context["page_obj"].number == 2
    assert ids(second.context["page_obj"]).isdisjoint(ids(response.context["page_obj"]))


def test_page_size_is_capped_and_bad_pages_do_not_crash(client, seeded):
    assert client.get("/articles/", {"page_size": 1000}).context["page_obj"].paginator.per_page == 100
    assert client.get("/articles/", {"page_size": "abc"}).context["page_obj"].paginator.per_page == 20
    last = client.get("/articles/", {"page": 999, "page_size": 5})
    assert last.status_code == 200
    assert last.context["page_obj"].number == last.context["page_obj"].paginator.num_pages
    assert client.get("/briefs/", {"page": "x"}).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"date_after": "2021-02-30"},
        {"date_before": "2021-13-01"},
        {"organisation": "abc"},
        {"organisation": "99999999999999999999999"},
        {"topic": "no-such-topic"},
        {"publication": "-1"},
        {"date_after": "2021-05-01", "date_before": "2021-04-01"},
    ],
)
def test_invalid_filter_values_show_the_form_error_not_a_500(client, seeded, params):
    """Bad ids, slugs and dates are named on the page with a 400, on every list that takes them."""
    paths = ["/articles/", "/briefs/", "/search/?q=红十字"]
    if set(params) <= set(IssueFilter.base_filters):
        paths.append("/issues/")
    for path in paths:
        response = client.get(path, params)
        assert response.status_code == 400, (path, params)
        assert 'class="form-errors"' in response.content.decode()


def test_impossible_date_message_is_clear_and_in_chinese(client, seeded):
    html = client.get("/articles/", {"date_after": "2021-02-30"}).content.decode()
    assert "日期无效" in html and "YYYY-MM-DD" in html


def test_issue_year_filter_rejects_nonsense(client, seeded):
    assert client.get("/issues/", {"year": "99999999999999"}).status_code == 400
    assert client.get("/issues/", {"year": "abc"}).status_code == 400


# --- SQL query count ---------------------------------------------------------------------------


LIST_PATHS = [
    "/issues/",
    "/articles/",
    "/articles/?topic=party-building&date_after=2020-01-01",
    "/articles/?q=红十字",
    "/briefs/",
    "/briefs/?date_after=2021-04-01&topic=party-building",
    "/organisations/",
    "/topics/",
    "/",
]


def count_queries(client, path, **params) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path, params).status_code == 200
    return len(context)


@pytest.mark.parametrize("path", LIST_PATHS)
def test_list_pages_run_the_same_queries_whatever_the_page_size(client, seeded, path, django_assert_max_num_queries):
    """A list page's cost must not grow with its page size (no query per row)."""
    path, _, query = path.partition("?")
    params = dict(p.split("=") for p in query.split("&")) if query else {}
    small = count_queries(client, path, **params, page_size=20)
    large = count_queries(client, path, **params, page_size=100)
    assert small == large
    with django_assert_max_num_queries(20):
        client.get(path, {**params, "page_size": 100})


# --- escaping and errors --------------------------------------------------------------------------


SCRIPT = "<script>alert(1)</script>"


def test_imported_text_is_always_escaped(client, seeded):
    """Bulletin text is data: a title or body holding <script> is shown as text everywhere."""
    raw = f"恶意{SCRIPT}内容"
    issue = Issue.objects.create(
        title=f"测试{SCRIPT}",
        source_name=f"{SCRIPT}.txt",
        source_sha256=hashlib.sha256(raw.encode()).hexdigest(),
        raw_text=raw,
        imported_at=timezone.now(),
        date=datetime.date(2021, 4, 29),
    )
    article = Article.objects.create(
        issue=issue, position=1, title=f"标题{SCRIPT}", subtitle=SCRIPT, byline=SCRIPT, body=f"正文{SCRIPT}红十字"
    )
    brief = BriefItem.objects.create(
        issue=issue, position=1, text=f"简讯{SCRIPT}红十字", date=datetime.date(2021, 4, 29)
    )
    organisation = Organisation.objects.create(name=f"组织{SCRIPT}", level="city")
    article.organisations.add(organisation)
    brief.organisations.add(organisation)
    for path in (
        "/",
        "/issues/",
        issue.get_absolute_url(),
        "/articles/",
        article.get_absolute_url(),
        "/briefs/",
        "/organisations/",
        organisation.get_absolute_url(),
        "/search/?q=红十字",
        f"/search/?q={SCRIPT}",
        f"/articles/?q={SCRIPT}",
    ):
        html = client.get(path, {"page_size": 100}).content.decode()
        assert SCRIPT not in html, path
        assert "<script>alert" not in html, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(article.get_absolute_url()).content.decode()


def test_unknown_ids_give_the_site_404_page(client, seeded, settings):
    """With DEBUG off, a missing issue, article, organisation or topic shows the styled 404 page."""
    settings.DEBUG = False
    for path in ("/issues/999999/", "/articles/999999/", "/organisations/999999/", "/topics/no-such-topic/", "/nope/"):
        response = client.get(path)
        assert response.status_code == 404, path
        html = response.content.decode()
        assert "页面不存在" in html and 'class="site-header"' in html and "site.css" in html


def test_list_links_csv_and_feed_with_the_same_parameters(client, seeded):
    """The articles and briefs lists leave a slot for their CSV twin and a matching feed."""
    topic = Topic.objects.get(slug="first-aid-training")
    html = client.get("/articles/", {"topic": topic.slug}).content.decode()
    assert "/articles.csv?topic=first-aid-training" in html
    assert f"/feeds/topics/{topic.slug}/" in html
    organisation = Organisation.objects.get(name="湖北省红十字会")
    html = client.get("/briefs/", {"organisation": organisation.pk}).content.decode()
    assert f"/briefs.csv?organisation={organisation.pk}" in html
    assert f"/feeds/organisations/{organisation.pk}/" in html
    assert "/feeds/issues/" in client.get("/issues/").content.decode()


def test_publication_without_issues_is_a_valid_choice(client, seeded):
    """A publication with nothing yet is a valid filter giving an empty, explained list."""
    empty = Publication.objects.create(name="空刊物")
    response = client.get("/articles/", {"publication": empty.pk})
    assert response.status_code == 200
    assert "没有符合条件的文章" in response.content.decode()


@pytest.mark.parametrize("model", [Article, BriefItem])
def test_facets_of_an_unfiltered_list_equal_those_of_a_filter_keeping_every_row(seeded, model):
    """An unfiltered list counts its facets without the subquery of every id: the counts must not change."""
    from bulletins.filters import ArticleFilter, BriefItemFilter, facet_counts

    every = model.objects.filter(pk__gt=0)
    assert every.count() == model.objects.count()
    assert model.objects.all().organisation_counts() == every.organisation_counts()
    assert model.objects.all().topic_counts() == every.topic_counts()
    filter_class = ArticleFilter if model is Article else BriefItemFilter
    for name in filter_class.facets:
        plain = facet_counts(filter_class({}, queryset=model.objects.all()), name)
        assert plain == facet_counts(filter_class({}, queryset=every), name), name
        assert plain, f"the seeds give {name} options"
