"""Atom feeds on the imported seeds.

Why parse them: a feed reader rejects a document that is not Atom, silently;
each entry needs id, title, updated and link for readers to track it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from bulletins.models import Article, Issue, Organisation, Topic

pytestmark = pytest.mark.usefixtures("seeded")

ATOM = "{http://www.w3.org/2005/Atom}"


def parse_atom(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{tag}") is not None, tag
    for entry in root.findall(f"{ATOM}entry"):
        for tag in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{tag}") or "").strip(), tag
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/")
    return root


def entry_links(root) -> list[str]:
    return [entry.find(f"{ATOM}link").get("href") for entry in root.findall(f"{ATOM}entry")]


def test_issues_feed_lists_every_seed_issue(client):
    root = parse_atom(client.get("/feeds/issues/"))
    assert root.findtext(f"{ATOM}title") == "简报档案：最新期刊"
    expected = {f"http://testserver{issue.get_absolute_url()}" for issue in Issue.objects.all()}
    assert set(entry_links(root)) == expected


def test_issues_feed_puts_the_latest_import_first(client):
    """Following the archive means hearing about what was added, whatever its printed date."""
    oldest = Issue.objects.order_by("date").first()
    Issue.objects.filter(pk=oldest.pk).update(imported_at=timezone.now() + timezone.timedelta(days=1))
    root = parse_atom(client.get("/feeds/issues/"))
    assert entry_links(root)[0] == f"http://testserver{oldest.get_absolute_url()}"


def test_organisation_feed_has_its_articles(client):
    hubei = Organisation.objects.get(name="湖北省红十字会")
    root = parse_atom(client.get(f"/feeds/organisations/{hubei.pk}/"))
    assert "湖北省红十字会" in root.findtext(f"{ATOM}title")
    expected = {f"http://testserver{a.get_absolute_url()}" for a in Article.objects.for_organisation(hubei)}
    assert expected and set(entry_links(root)) == expected


def test_topic_feed_has_its_articles(client):
    topic = Topic.objects.get(slug="body-organ-donation")
    root = parse_atom(client.get(f"/feeds/topics/{topic.slug}/"))
    assert topic.name in root.findtext(f"{ATOM}title")
    expected = {f"http://testserver{a.get_absolute_url()}" for a in Article.objects.for_topic(topic)}
    assert expected and set(entry_links(root)) == expected


def test_summary_escapes_imported_text(client):
    """Summaries are type="html": markup in a bulletin must reach the reader as text, not as HTML."""
    topic = Topic.objects.get(slug="body-organ-donation")
    article = Article.objects.for_topic(topic).first()
    Article.objects.filter(pk=article.pk).update(body="<script>alert(1)</script> 遗体捐献")
    root = parse_atom(client.get(f"/feeds/topics/{topic.slug}/"))
    summaries = [e.findtext(f"{ATOM}summary") for e in root.findall(f"{ATOM}entry")]
    hit = next(s for s in summaries if "alert(1)" in s)
    assert "<script>" not in hit and "&lt;script&gt;" in hit


@pytest.mark.parametrize("url", ["/feeds/organisations/999999/", "/feeds/topics/no-such-topic/"])
def test_unknown_organisation_or_topic_is_404(client, url):
    assert client.get(url).status_code == 404
