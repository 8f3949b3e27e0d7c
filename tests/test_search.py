"""Search: ranked Chinese full text over articles and brief items, snippets, hostile input.

Why these cases: visitors type Chinese phrases jieba splits into several
tokens (造血干细胞), rare names it cannot split well, and sometimes junk or
tsquery syntax; every one of them must give a page, never a 500, and the
snippet must come from the original text with the bulletin text escaped.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bulletins import search
from bulletins.models import Article, BriefItem, Issue, Topic
from bulletins.templatetags.archive import highlight

pytestmark = pytest.mark.django_db


def results(response):
    return response.context["page_obj"].object_list


def test_stem_cell_search_finds_the_articles_and_briefs_containing_it_ranked_with_marks(client, seeded):
    """造血干细胞 finds every article and brief item saying it, best match first, the term highlighted."""
    response = client.get("/search/", {"q": "造血干细胞", "page_size": 100})
    assert response.status_code == 200
    found = results(response)
    kinds = {(r["kind"], r["object"].pk) for r in found}
    containing_briefs = BriefItem.objects.filter(text__contains="造血干细胞")
    containing_articles = Article.objects.filter(body__contains="造血干细胞")
    assert containing_briefs.exists() or containing_articles.exists()
    for brief in containing_briefs:
        assert ("brief", brief.pk) in kinds
    for article in containing_articles:
        assert ("article", article.pk) in kinds
    html = response.content.decode()
    assert "<mark>造血干细胞</mark>" in html
    # Ranked: the scores behind the page never increase down the list.
    article_ranks = {a.pk: a.rank for a in search.ranked(Article.objects.all(), "造血干细胞")}
    brief_ranks = {b.pk: b.rank for b in search.ranked(BriefItem.objects.all(), "造血干细胞")}
    scores = [(article_ranks if r["kind"] == "article" else brief_ranks)[r["object"].pk] for r in found]
    assert scores == sorted(scores, reverse=True)


def test_snippet_is_cut_around_the_first_match_from_the_original_text(client, seeded):
    response = client.get("/search/", {"q": "造血干细胞"})
    snippets = re.findall(r'<p class="snippet">(.*?)</p>', response.content.decode(), re.S)
    assert snippets
    for snippet in snippets:
        assert "<mark>" in snippet
        assert len(re.sub(r"<[^>]+>", "", snippet)) <= 125


def test_rare_name_is_found_by_substring(client, seeded):
    """梁辰 (split by a page break in the PDF, joined by the parser) is found even if jieba splits it oddly."""
    holder = (
        BriefItem.objects.filter(text__contains="梁辰").first() or Article.objects.filter(body__contains="梁辰").first()
    )
    assert holder is not None, "the seeds mention 梁辰"
    response = client.get("/search/", {"q": "梁辰"})
    assert response.status_code == 200
    assert holder.pk in {r["object"].pk for r in results(response) if isinstance(r["object"], type(holder))}
    assert "<mark>梁辰</mark>" in response.content.decode()


@pytest.mark.parametrize(
    "q",
    [
        "& | ! :* <-> ' \" \\",
        "造血 & 干细胞 | !红十字",
        "红十字:*",
        "'",
        "\\",
        "a\x00b",
        "\x00",
        "红十字\x00会",
        "x" * 10_000,
        "红" * 10_000,
        "<script>alert(1)</script>",
        "%",
        "_",
        "   ",
    ],
)
def test_hostile_queries_give_a_page_not_a_500(client, seeded, q):
    for path in ("/search/", "/articles/", "/briefs/"):
        response = client.get(path, {"q": q})
        assert response.status_code == 200, (path, q[:20])
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_impossible_date_on_search_says_so(client, seeded):
    response = client.get("/search/", {"q": "红十字", "date_after": "2021-02-30"})
    assert response.status_code == 400
    assert "日期无效" in response.content.decode()


def test_filters_apply_on_top_of_search(client, seeded):
    """A topic narrows search results to items tagged with it, articles and briefs alike."""
    topic = Topic.objects.get(slug="stem-cell-donation")
    everything = results(client.get("/search/", {"q": "红十字", "page_size": 100}))
    narrowed = results(client.get("/search/", {"q": "红十字", "topic": topic.slug, "page_size": 100}))
    assert 0 < len(narrowed) < len(everything)
    for r in narrowed:
        assert topic in r["object"].topics.all()


def test_search_by_publication_and_dates_keeps_only_matching_items(client, seeded):
    hubei = Issue.objects.get(publication__name="湖北省红十字会简报", number=4)
    params = {"q": "红十字", "publication": hubei.publication_id, "date_after": "2021-04-10", "page_size": 100}
    found = results(client.get("/search/", params))
    assert found
    for r in found:
        assert r["object"].issue.publication_id == hubei.publication_id
        assert r["object"].effective_date.isoformat() >= "2021-04-10"


def test_no_results_say_so_and_offer_to_drop_each_filter(client, seeded):
    """An empty search explains itself and links to the same search without each filter."""
    topic = Topic.objects.get(slug="blood-donation")
    response = client.get("/search/", {"q": "造血干细胞", "topic": topic.slug, "date_before": "2000-01-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "没有找到" in html
    assert 'href="/search/?q=%E9%80%A0%E8%A1%80%E5%B9%B2%E7%BB%86%E8%83%9E&amp;date_before=2000-01-01"' in html
    assert 'href="/search/?q=%E9%80%A0%E8%A1%80%E5%B9%B2%E7%BB%86%E8%83%9E&amp;topic=blood-donation"' in html


def test_empty_query_shows_a_prompt(client, seeded):
    response = client.get("/search/", {"q": ""})
    assert response.status_code == 200
    assert response.context["page_obj"] is None


def test_search_query_count_is_bounded_whatever_the_page_size(client, seeded, django_assert_max_num_queries):
    """Ranking, facets and loading a page of mixed results take a fixed number of queries.

    Measured with caching off (as in every test): each facet then fetches its own
    candidates; in production the candidates and probes come from the cache.
    """
    counts = []
    for size in (20, 100):
        with CaptureQueriesContext(connection) as context:
            response = client.get("/search/", {"q": "红十字会", "page_size": size})
        kinds = {r["kind"] for r in results(response)}
        counts.append((len(context), kinds))
        with django_assert_max_num_queries(36):  # the match count of each kind: two lookups of candidates
            client.get("/search/", {"q": "红十字会", "page_size": size})
    if counts[0][1] == counts[1][1]:
        assert counts[0][0] == counts[1][0]


def test_highlight_escapes_the_text_before_marking():
    """The snippet builder never trusts bulletin text: tags in it come out escaped, only <mark> is added."""
    text = "前文<script>alert(1)</script>造血干细胞捐献&志愿者" + "后文" * 100
    html = str(highlight(text, ["造血干细胞", "<script>"]))
    assert "<script>" not in html
    assert "<mark>&lt;script&gt;</mark>" in html
    assert "<mark>造血干细胞</mark>" in html
    assert "&amp;" in html
    assert html.endswith("…")


def test_highlight_without_a_match_starts_at_the_beginning():
    assert str(highlight("红十字会<b>", ["不存在"])) == "红十字会&lt;b&gt;"


def test_common_terms_rank_a_capped_set_and_say_how_many_match(seeded, client, monkeypatch):
    """Ranking every match of a common word is the slow part at archive scale; the page ranks
    the newest RANK_CANDIDATES matches of each kind (and the newest title matches) and says how many matched."""
    all_matches = sum(search.matching(model.objects.all(), "红十字会").count() for model in (Article, BriefItem))
    assert all_matches > 4
    monkeypatch.setattr(search, "RANK_CANDIDATES", 2)
    monkeypatch.setattr(search, "TITLE_CANDIDATES", 0)
    assert search.ranked(Article.objects.all(), "红十字会").count() == 2
    response = client.get("/search/", {"q": "红十字会"})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 4
    assert response.context["capped"]
    assert response.context["matched"] == all_matches
    page = response.content.decode()
    assert f"共有 {all_matches} 条文章和简讯匹配" in page
    assert "最新的 2 条匹配" in page


def test_the_newest_title_matches_join_the_ranked_set_and_the_planner_settings_are_restored(seeded, monkeypatch):
    """With the newest matches cut to one, the newest items whose title holds the word are ranked too;
    counting the matches steers the planner only for that one query."""
    from django.db import connection

    def planner_settings():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('work_mem')")
            return cursor.fetchone()

    before = planner_settings()
    monkeypatch.setattr(search, "RANK_CANDIDATES", 1)
    found = search.candidates(Article.objects.all(), "红十字会")
    titled = [a for a in Article.objects.filter(pk__in=found.ids[1:]) if "红十字会" in a.title + " " + a.subtitle]
    assert titled and len(found.ids) == 1 + len(titled)
    assert found.total == search.matching(Article.objects.all(), "红十字会").count() > 1
    assert planner_settings() == before


def test_a_phrase_with_many_matches_is_counted_up_to_the_cap_and_the_page_says_more_than(seeded, client, monkeypatch):
    """Phrases are checked in each text: past COUNT_CAP matches the page says "more than", not a slow exact count."""
    phrase = '"红十字会"'
    exact = search.matching(Article.objects.all(), phrase).count()
    assert exact > 3
    monkeypatch.setattr(search, "RANK_CANDIDATES", 1)
    monkeypatch.setattr(search, "COUNT_CAP", 2)
    found = search.candidates(Article.objects.all(), phrase)
    assert (found.total, found.total_is_exact) == (2, False)
    words = search.candidates(Article.objects.all(), "红十字会")  # words are counted from the index: exact
    assert words.total_is_exact and words.total > 2
    page = client.get("/search/", {"q": phrase}).content.decode()
    assert "超过 4 条文章和简讯匹配" in page  # two kinds, each counted up to 2


def test_search_ranks_within_the_other_filters(seeded):
    """The text query is applied after the other filters, so capping never hides a filtered match."""
    from bulletins.filters import ArticleFilter
    from bulletins.models import Organisation

    shiyan = Organisation.objects.get(name="十堰市红十字会")
    filterset = ArticleFilter({"q": "红十字会", "organisation": shiyan.pk}, queryset=Article.objects.all())
    expected = set(search.matching(Article.objects.for_organisation(shiyan), "红十字会").values_list("pk", flat=True))
    assert expected
    assert set(filterset.qs.values_list("pk", flat=True)) == expected
