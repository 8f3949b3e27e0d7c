"""Atom feeds: new issues, and new articles per organisation and per topic.

Why ordered by import time: a feed tells a follower what is new in the
archive, and an old bulletin imported today is news to them even though its
printed date is years back. Entry summaries are escaped, because Atom's
``type="html"`` summary would otherwise let imported text act as markup in a
feed reader.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator

from .models import Article, Issue, Organisation, Topic

FEED_LENGTH = 30
SUMMARY_CHARS = 200


class IssuesFeed(Feed):
    feed_type = Atom1Feed
    title = "简报档案：最新期刊"
    subtitle = "新收入档案的简报期刊。"

    def link(self):
        return reverse("bulletins:issue_list")

    def items(self):
        issues = Issue.objects.select_related("publication", "publisher").without_text()
        return issues.order_by("-imported_at", "-pk")[:FEED_LENGTH]

    def item_title(self, item: Issue) -> str:
        return f"{item.title}（{item.date:%Y-%m-%d}）" if item.date else item.title

    def item_description(self, item: Issue) -> str:
        parts = [str(p) for p in (item.publication, item.publisher) if p]
        if item.number:
            parts.append(f"第 {item.number} 期")
        return escape("，".join(parts))

    def item_pubdate(self, item: Issue):
        return item.imported_at

    def item_updateddate(self, item: Issue):
        return item.updated_at

    def item_author_name(self, item: Issue):
        return str(item.publisher) if item.publisher else None


class _ArticlesFeed(Feed):
    """New articles in a filtered list; subclasses say which list."""

    feed_type = Atom1Feed

    def articles(self, obj):
        raise NotImplementedError

    def items(self, obj):
        return self.articles(obj).list_related().order_by("-issue__imported_at", "-issue_id", "position")[:FEED_LENGTH]

    def link(self, obj):
        return obj.get_absolute_url()

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        source = f"{item.issue.title}（{item.effective_date:%Y-%m-%d}）" if item.effective_date else item.issue.title
        return escape(f"{source}：{Truncator(item.body).chars(SUMMARY_CHARS)}")

    def item_pubdate(self, item: Article):
        return item.issue.imported_at

    def item_updateddate(self, item: Article):
        return item.issue.updated_at

    def item_author_name(self, item: Article):
        return item.byline or None

    def item_categories(self, item: Article):
        return [topic.name for topic in item.topics.all()]


class OrganisationArticlesFeed(_ArticlesFeed):
    def get_object(self, request, pk):
        return get_object_or_404(Organisation, pk=pk)

    def title(self, obj: Organisation) -> str:
        return f"简报档案：{obj.name}的最新文章"

    def subtitle(self, obj: Organisation) -> str:
        return f"提及{obj.name}或由其发布的新文章。"

    def articles(self, obj):
        return Article.objects.for_organisation(obj)


class TopicArticlesFeed(_ArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, obj: Topic) -> str:
        return f"简报档案：主题“{obj.name}”的最新文章"

    def subtitle(self, obj: Topic) -> str:
        return f"归入主题“{obj.name}”的新文章。"

    def articles(self, obj):
        return Article.objects.for_topic(obj)
