"""Search as researchers use it: both scripts, phrases, exclusions, highlights, scopes, sorts, common terms.

Everything goes through the site (search page, list pages, API, CSV) on imported
bulletins, the seeds plus a variant printed in traditional script.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from bulletins import search
from bulletins.chinese_script import normalise
from bulletins.editing import analyse
from bulletins.models import Article, BriefItem, Issue

pytestmark = pytest.mark.django_db

VARIANTS = Path(__file__).resolve().parent / "variants"
TRADITIONAL = VARIANTS / "v29_traditional_total_number_briefs.txt"
TRADITIONAL_TITLE = "市紅十字會召開全市造血幹細胞捐獻工作會議"


def rows(response):
    return response.context["page_obj"].object_list


def texts(response) -> list[str]:
    out = []
    for r in rows(response):
        obj = r["object"]
        out.append(" ".join([obj.title, obj.subtitle, obj.body]) if r["kind"] == "article" else obj.text)
    return out


@pytest.fixture
def traditional(seeded):
    call_command("import_bulletins", str(TRADITIONAL), verbosity=0)
    return Article.objects.get(title=TRADITIONAL_TITLE)


def test_traditional_bulletin_is_stored_and_shown_as_printed(client, traditional):
    issue = traditional.issue
    assert "溫州紅十字" in issue.raw_text and "温州红十字" not in issue.raw_text
    assert "造血幹細胞" in traditional.body
    assert BriefItem.objects.filter(issue=issue, text__contains="應急救護").exists()
    page = client.get(traditional.get_absolute_url()).content.decode()
    assert TRADITIONAL_TITLE in page
    # analysed in normal form: tokens, organisations and topics as for a simplified text
    assert "造血干细胞" in traditional.segmented_text.split()
    assert traditional.search_text == normalise(f"{traditional.title} {traditional.subtitle} {traditional.body}")
    assert traditional.topics.filter(slug="stem-cell-donation").exists()


@pytest.mark.parametrize("q", ["造血干细胞", "造血幹細胞"])
def test_either_script_finds_both(client, traditional, q):
    response = client.get("/search/", {"q": q, "page_size": 100})
    found = {r["object"].pk for r in rows(response) if r["kind"] == "article"}
    assert traditional.pk in found
    simplified = Article.objects.filter(body__contains="造血干细胞").exclude(pk=traditional.pk)
    assert simplified.exists() and set(simplified.values_list("pk", flat=True)) <= found
    # the snippet marks the traditional article's own characters
    html = response.content.decode()
    assert "<mark>造血幹細胞</mark>" in html


def test_traditional_phrase_and_substring_find_traditional_text(client, traditional):
    for q in ['"召開全市造血"', "紅十字會 -宁波"]:
        response = client.get("/search/", {"q": q, "page_size": 100})
        assert traditional.pk in {r["object"].pk for r in rows(response) if r["kind"] == "article"}, q


def test_a_phrase_needs_its_characters_in_a_row(client, seeded):
    loose = texts(client.get("/search/", {"q": "应急 救护", "page_size": 100}))
    exact = texts(client.get("/search/", {"q": '"应急救护"', "page_size": 100}))
    assert exact and all("应急救护" in normalise(t) for t in exact)
    assert len(loose) > len(exact)


def test_a_phrase_across_jieba_words(client, seeded):
    """``字会员`` is no jieba word of ``红十字会员大会``, yet the characters are there in a row."""
    issue = Issue.objects.first()
    article = Article(issue=issue, position=999, title="某县召开红十字会员大会", body="全县红十字会员大会今天召开。")
    analyse(article)
    article.save()
    found = {r["object"].pk for r in rows(client.get("/search/", {"q": '"字会员"'})) if r["kind"] == "article"}
    assert article.pk in found


def test_exclusion_leaves_out_items_holding_it(client, seeded):
    everything = texts(client.get("/search/", {"q": "红十字会", "page_size": 100}))
    without = texts(client.get("/search/", {"q": "红十字会 -疫情", "page_size": 100}))
    assert any("疫情" in t for t in everything)
    assert without and not any("疫情" in t for t in without)
    assert client.get("/search/", {"q": "-疫情"}).context["page_obj"].paginator.count == 0


def test_search_help_is_under_the_box(client, seeded):
    html = client.get("/search/", {"q": "红十字会"}).content.decode()
    assert 'id="search-help"' in html and "用引号" in html and "减号" in html


def test_whole_phrase_is_one_mark_and_parts_only_when_it_is_absent(client, seeded):
    html = client.get("/search/", {"q": "应急救护", "page_size": 100}).content.decode()
    snippets = re.findall(r'<p class="snippet">(.*?)</p>', html, re.S)
    with_phrase = [s for s in snippets if "应急救护" in re.sub(r"</?mark>", "", s)]
    assert with_phrase
    for s in with_phrase:
        assert "<mark>应急救护</mark>" in s
        assert "<mark>应急</mark>" not in s and "<mark>救护</mark>" not in s


def test_title_scope_looks_only_in_titles(client, seeded):
    response = client.get("/search/", {"q": "救援队", "scope": "title", "page_size": 100})
    found = rows(response)
    assert found and all(r["kind"] == "article" and "救援队" in r["object"].title for r in found)
    everywhere = client.get("/search/", {"q": "救援队", "page_size": 100})
    assert len(rows(everywhere)) > len(found)


def test_organisation_and_byline_scopes(client, seeded):
    found = rows(client.get("/search/", {"q": "十堰", "scope": "organisation", "page_size": 100}))
    assert found and all(any("十堰" in o.name for o in r["object"].organisations.all()) for r in found)
    bylines = rows(client.get("/search/", {"q": "李伊平", "scope": "byline"}))
    assert [r["object"].byline for r in bylines] and all("李伊平" in r["object"].byline for r in bylines)


def test_date_sorts_and_the_same_rows_on_page_api_and_csv(client, seeded):
    for sort, direction in (("newest", -1), ("oldest", 1)):
        params = {"q": "红十字会", "sort": sort, "page_size": 100}
        days = [r["object"].day for r in rows(client.get("/search/", params)) if r["object"].day]
        assert days == sorted(days, reverse=direction < 0), sort
        page = [a.pk for a in client.get("/articles/", params).context["page_obj"]]
        api = [row["id"] for row in client.get("/api/articles/", params).json()["results"]]
        body = b"".join(client.get("/articles.csv", params).streaming_content).decode("utf-8-sig")
        listed = csv.DictReader(io.StringIO(body))
        assert page == api == [int(row["id"]) for row in listed], sort
    title = {"q": "红十字会", "scope": "title", "page_size": 100}
    titled = client.get("/articles/", title).context["page_obj"]
    assert len(titled) and all("红十字会" in a.title + a.subtitle for a in titled)


def test_scope_and_sort_ride_along_with_pagination(client, seeded):
    response = client.get("/search/", {"q": "红十字会", "scope": "all", "sort": "oldest", "page_size": 3})
    link = re.search(r'rel="next" href="([^"]+)"', response.content.decode()).group(1).replace("&amp;", "&")
    assert "scope=all" in link and "sort=oldest" in link and "page=2" in link


def test_an_unknown_scope_or_sort_is_a_clear_error(client, seeded):
    response = client.get("/search/", {"q": "红十字会", "sort": "random"})
    assert response.status_code == 400
    assert "没有这个选项" in response.content.decode()


def test_common_term_over_a_thousand_matches_ranks_and_sorts_the_newest(client, seeded):
    """1,100 old items and one new one match; the new one was stored last (the end of the index)."""
    issue = Issue.objects.create(
        title="合成档案",
        raw_text="合成",
        date=datetime.date(2001, 1, 1),
        imported_at=timezone.now(),
        source_sha256="a" * 64,
    )
    old = [
        Article(issue=issue, position=i, title=f"旧文{i}", body="档案测试词汇", segmented_text="档案 测试 词汇")
        for i in range(1, 1101)
    ]
    Article.objects.bulk_create(old)
    newest_issue = Issue.objects.create(
        title="今年",
        raw_text="今年",
        date=datetime.date(2030, 1, 1),
        imported_at=timezone.now(),
        source_sha256="b" * 64,
    )
    newest = Article.objects.create(
        issue=newest_issue, position=1, title="今年的档案测试词汇", body="档案测试词汇", segmented_text="档案 测试 词汇"
    )
    assert search.matching(Article.objects.all(), "测试").count() == 1101

    by_date = client.get("/search/", {"q": "测试", "sort": "newest"})
    assert rows(by_date)[0]["object"].pk == newest.pk
    assert by_date.context["matched"] == 1101
    assert "共有 1101 条文章和简讯匹配" in by_date.content.decode()
    ranked_ids = set(search.ranked(Article.objects.all(), "测试").values_list("pk", flat=True))
    assert newest.pk in ranked_ids
    oldest = client.get("/search/", {"q": "测试", "sort": "oldest"})
    assert rows(oldest)[0]["object"].issue_id == issue.pk


def test_related_articles_share_specific_terms_or_organisations(seeded):
    """No long review leads every related list; each related article shares a keyword or an organisation."""
    firsts = []
    for article in Article.objects.prefetch_related("organisations").select_related("issue"):
        related = Article.objects.related_to(article)
        assert article not in related
        mine = set(article.keywords), {o.pk for o in article.organisations.all()} | {article.issue.publisher_id}
        for other in related:
            theirs = set(other.keywords), {o.pk for o in other.organisations.all()} | {other.issue.publisher_id}
            assert mine[0] & theirs[0] or mine[1] & theirs[1]
        if related:
            firsts.append(related[0].pk)
    assert firsts and len(set(firsts)) > len(firsts) / 4
