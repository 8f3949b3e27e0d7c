"""The English interface: every interface string translated, content left in Chinese.

How "untranslated" is found: a page is rendered in English, its visible text and
its readable attributes (aria-label, title, placeholder, alt) are collected,
every piece of archive content (titles, texts, names, the Chinese citation) is
removed, and any Chinese character still left is an interface string that
missed its translation.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from bulletins.models import Article, BriefItem, Issue, Organisation, Publication, Topic

pytestmark = pytest.mark.usefixtures("seeded")

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
READABLE_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}
SKIPPED_TAGS = {"script", "style", "pre", "code"}  # pre: the original text; code: file names


class TextCollector(HTMLParser):
    """Visible text and readable attributes, outside elements that declare themselves Chinese content."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.pieces: list[str] = []

    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skip = (
            tag in SKIPPED_TAGS
            or (attrs.get("lang") or "").startswith("zh")
            or "cite-text" in (attrs.get("class") or "")
        )
        if not (skip or self._skipping()):
            self.pieces += [v for k, v in attrs.items() if k in READABLE_ATTRIBUTES and v]
        if tag not in {"br", "input", "img", "meta", "link", "col", "hr", "rect", "line"}:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        if not self._skipping():
            self.pieces += [v for k, v in dict(attrs).items() if k in READABLE_ATTRIBUTES and v]

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self._skipping() and data.strip():
            self.pieces.append(data)


VISITOR_QUERIES = ["红十字", "没有这个词语啊"]


def content_strings() -> list[str]:
    """Every piece of archive content a page may show, longest first."""
    values: set[str] = set()
    for article in Article.objects.all():
        values |= {article.title, article.subtitle, article.byline, article.section, article.region, *article.keywords}
        values |= set(article.paragraphs) | set(article.captions)
    for brief in BriefItem.objects.all():
        values |= {brief.text}
    for issue in Issue.objects.all():
        values |= {issue.title, issue.review_notes, issue.source_name}
    for model in (Organisation, Publication, Topic):
        values |= {str(obj) for obj in model.objects.all()}
    values |= {o.region for o in Organisation.objects.all()} | {t.description for t in Topic.objects.all()}
    values |= {keyword for t in Topic.objects.all() for keyword in t.keywords}
    values |= set(VISITOR_QUERIES)  # what a visitor typed is shown back as typed
    return sorted((v for v in values if v and CJK.search(v)), key=len, reverse=True)


def untranslated(html: str, content: list[str], corpus: str) -> set[str]:
    collector = TextCollector()
    collector.feed(html)
    left = set()
    for piece in collector.pieces:
        for value in content:
            if value in piece:
                piece = piece.replace(value, " ")
        for run in CJK.findall(piece):
            stripped = run.strip("，。：；、（）“”【】…·　 ")
            if stripped and stripped not in corpus:  # a snippet or a shortened title is content too
                left.add(run)
    return left


def page_urls() -> list[str]:
    issue = Issue.objects.get(number=4)
    article = issue.articles.order_by("position").first()
    organisation = Organisation.objects.get(name="湖北省红十字会")
    topic = Topic.objects.filter(articles__isnull=False).first()
    publication = issue.publication
    return [
        reverse("bulletins:home"),
        reverse("bulletins:issue_list"),
        issue.get_absolute_url(),
        Issue.objects.get(number=370).get_absolute_url(),
        reverse("bulletins:article_list"),
        article.get_absolute_url(),
        reverse("bulletins:brief_list"),
        reverse("bulletins:organisation_list"),
        organisation.get_absolute_url(),
        reverse("bulletins:topic_list"),
        topic.get_absolute_url(),
        reverse("bulletins:search"),
        *(reverse("bulletins:search") + f"?q={q}" for q in VISITOR_QUERIES),
        reverse("bulletins:article_list") + "?date_after=2021-02-30",
        reverse("bulletins:calendar"),
        reverse("bulletins:calendar") + f"?publication={publication.pk}",
        reverse("bulletins:calendar_month", args=[2021, 4]),
        reverse("bulletins:about"),
        "/no-such-page/",
    ]


def test_catalogue_is_complete_and_english():
    catalogue = polib.pofile(str(settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    assert not catalogue.untranslated_entries() and not catalogue.fuzzy_entries()
    chinese = [e.msgid for e in catalogue if CJK.search(e.msgstr + "".join(e.msgstr_plural.values()))]
    assert not chinese, chinese


def test_every_page_renders_in_chinese(client):
    for url in page_urls():
        response = client.get(url)
        assert response.status_code in (200, 400, 404), url
        assert '<html lang="zh-Hans">' in response.content.decode(), url


def test_every_page_in_english_has_no_untranslated_interface_string(client):
    content = content_strings()
    corpus = "\n".join(content)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    problems = {}
    for url in page_urls():
        response = client.get(url)
        html = response.content.decode()
        assert '<html lang="en">' in html, url
        left = untranslated(html, content, corpus)
        if left:
            problems[url] = sorted(left)
    assert not problems, problems


def test_chinese_is_the_default_and_english_is_chosen_by_the_switch(client):
    html = client.get(reverse("bulletins:home")).content.decode()
    assert '<html lang="zh-Hans">' in html and "简报档案" in html
    assert f'action="{reverse("set_language")}" method="post"' in html
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("bulletins:about")})
    assert response.status_code == 302 and response["Location"] == reverse("bulletins:about")
    html = client.get(reverse("bulletins:about")).content.decode()
    assert "About the archive" in html and '<button type="submit" name="language" value="zh-hans"' in html
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "关于本档案" in client.get(reverse("bulletins:about")).content.decode()
