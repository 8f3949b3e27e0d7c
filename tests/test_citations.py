"""Citations and reference downloads, checked by parsing them as a reference manager would.

Why parse: a RIS or BibTeX file that looks right but that a parser reads
differently (a lost field, a broken brace) is of no use to a researcher.
"""

from __future__ import annotations

import datetime
import re

import bibtexparser
import pytest
import rispy
from django.urls import reverse

from bulletins.citations import Reference, bibtex, brief_title, gbt7714, ris
from bulletins.models import Article, BriefItem, Issue, Topic

ACCESSED = datetime.date(2026, 1, 5)
REF = Reference(
    key="article-7",
    title="红十字{救护}培训 100% & 更多_#",
    url="https://archive.example.org/articles/7/",
    organisation="湖北省红十字会",
    publication="湖北省红十字会简报",
    date=datetime.date(2021, 4, 30),
    number=4,
    page="3",
    byline="通讯员 张三",
)


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def test_gbt7714_newspaper_form():
    assert gbt7714(REF, ACCESSED) == (
        "湖北省红十字会. 红十字{救护}培训 100% & 更多_#[N/OL]. 湖北省红十字会简报, 2021-04-30(第4期): 3"
        "[2026-01-05]. https://archive.example.org/articles/7/."
    )
    bare = Reference(key="issue-1", title="专题", url="http://x/issues/1/")
    assert gbt7714(bare, ACCESSED) == "专题[N/OL][2026-01-05]. http://x/issues/1/."


def test_ris_parses_back():
    [entry] = rispy.loads(ris(REF, ACCESSED))
    assert entry["type_of_reference"] == "NEWS"
    assert entry["title"] == REF.title
    assert entry["authors"] == ["湖北省红十字会"]
    assert entry["secondary_title"] == "湖北省红十字会简报"
    assert entry["date"] == "2021/04/30" and entry["year"] == "2021"
    assert entry["number"] == "4" and entry["start_page"] == "3"
    assert entry["urls"] == [REF.url] and entry["id"] == "article-7"


def test_bibtex_parses_back_with_specials_escaped():
    library = bibtexparser.parse_string(bibtex(REF, ACCESSED))
    assert not library.failed_blocks
    [entry] = library.entries
    fields = {f.key: f.value for f in entry.fields}
    assert entry.entry_type == "article" and entry.key == "article-7"
    assert fields["title"] == r"红十字\{救护\}培训 100\% \& 更多\_\#"
    assert fields["author"] == "{湖北省红十字会}"
    assert fields["journal"] == "湖北省红十字会简报"
    assert (fields["year"], fields["number"], fields["pages"]) == ("2021", "4", "3")
    assert fields["url"] == REF.url


def test_brief_title_drops_the_printed_date():
    assert brief_title("4月26日至27日，潜江市红十字会举办培训。第二句。") == "潜江市红十字会举办培训"
    assert brief_title("甲" * 60).endswith("…")


@pytest.mark.usefixtures("seeded")
def test_pages_show_citation_copy_button_and_permalink(client):
    article = Article.objects.select_related("issue__publication").filter(issue__number=4).first()
    issue = article.issue
    for obj, kind in ((article, "article"), (issue, "issue")):
        html = client.get(obj.get_absolute_url()).content.decode()
        text = re.search(rf'<p class="cite-text" id="cite-{kind}-{obj.pk}">(.*?)</p>', html).group(1)
        assert "[N/OL]. 湖北省红十字会简报, 2021-04-30(第4期)[" in text
        assert text.endswith(f"http://testserver{obj.get_absolute_url()}.")
        assert f'data-copy="cite-{kind}-{obj.pk}"' in html
        assert f'href="{reverse("opendata:cite", args=[kind, obj.pk, "ris"])}"' in html
        assert "<script>" not in html and 'style="' not in html  # the copy button is static JS
    brief = issue.briefs.get(position=1)
    html = client.get(issue.get_absolute_url()).content.decode()
    assert f'id="cite-brief-{brief.pk}"' in html


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("kind,model", [("article", Article), ("brief", BriefItem), ("issue", Issue)])
def test_one_item_downloads(client, kind, model):
    obj = model.objects.first()
    response = client.get(reverse("opendata:cite", args=[kind, obj.pk, "ris"]))
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    assert response["Content-Disposition"] == f'attachment; filename="{kind}-{obj.pk}.ris"'
    [entry] = rispy.loads(response.content.decode())
    assert entry["urls"] == [f"http://testserver{obj.get_absolute_url()}"]
    library = bibtexparser.parse_string(
        client.get(reverse("opendata:cite", args=[kind, obj.pk, "bib"])).content.decode()
    )
    assert [e.key for e in library.entries] == [f"{kind}-{obj.pk}"]
    assert client.get(reverse("opendata:cite", args=[kind, 999999, "ris"])).status_code == 404


@pytest.mark.usefixtures("seeded")
def test_list_downloads_follow_the_list_filters(client):
    topic = Topic.objects.filter(articles__isnull=False).first()
    for params in ({}, {"topic": topic.slug}, {"q": "红十字", "date_after": "2021-01-01"}):
        expected = list(client.get("/api/articles/", {**params, "page_size": 100}).json()["results"])
        keys = [
            e["id"] for e in rispy.loads(body(client.get(reverse("opendata:articles_citations", args=["ris"]), params)))
        ]
        assert keys == [f"article-{row['id']}" for row in expected], params
        library = bibtexparser.parse_string(
            body(client.get(reverse("opendata:articles_citations", args=["bib"]), params))
        )
        assert not library.failed_blocks and [e.key for e in library.entries] == keys
    briefs = rispy.loads(body(client.get(reverse("opendata:briefs_citations", args=["ris"]))))
    assert len(briefs) == BriefItem.objects.count()
    html = client.get(reverse("bulletins:article_list"), {"topic": topic.slug, "page": 2}).content.decode()
    assert f'href="/articles.ris?topic={topic.slug}"' in html
    bad = client.get(reverse("opendata:briefs_citations", args=["bib"]), {"date_after": "2021-02-30"})
    assert bad.status_code == 400 and "date_after" in bad.content.decode()
