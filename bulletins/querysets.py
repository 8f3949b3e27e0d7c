"""Reusable reads: every list, feed, export and API endpoint builds on these.

Why querysets and not helpers in views: the HTML lists, the JSON API, the CSV
exports and the feeds all ask the same questions ("articles mentioning this
organisation", "brief items in April 2021", "search 造血干细胞"); writing them
once keeps them answering alike.
"""

from __future__ import annotations

import datetime

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce


def build_search_query(q: str) -> SearchQuery | None:
    """Segment a visitor's query like the documents were segmented and AND the terms.

    The terms come from the same jieba tokenizer that filled ``segmented_text``;
    each one is quoted as a lexeme, so tsquery operators typed by a visitor
    (``& | ! :* <->``) are plain text, never syntax.
    """
    from .analysis import get_segmenter

    terms = get_segmenter().query_terms(q or "")
    if not terms:
        return None
    raw = " & ".join("'" + term.replace("\\", "").replace("'", "''") + "'" for term in terms)
    return SearchQuery(raw, search_type="raw", config="simple")


def clean_query_text(q: str) -> str:
    """The visitor's query as plain text for a substring match (NUL bytes removed, length capped)."""
    return (q or "").replace("\x00", "").strip()[:200]


class _DatedTextQuerySet(models.QuerySet):
    """Shared reads for articles and brief items: both are dated texts in an issue."""

    text_fields: tuple[str, ...] = ()

    def with_effective_date(self):
        """Annotate ``day``: the event date, else the issue date (what 'when' means to a reader)."""
        return self.annotate(day=Coalesce(F("date"), F("issue__date")))

    def between(self, after: datetime.date | None = None, before: datetime.date | None = None):
        qs = self
        if after:
            qs = qs.filter(Q(date__gte=after) | Q(date__isnull=True, issue__date__gte=after))
        if before:
            qs = qs.filter(Q(date__lte=before) | Q(date__isnull=True, issue__date__lte=before))
        return qs

    def for_organisation(self, organisation):
        """Items that mention the organisation or appear in an issue it published."""
        through = self.model.organisations.through
        mentioned = through.objects.filter(
            **{f"{self.model._meta.model_name}_id": OuterRef("pk"), "organisation_id": getattr(organisation, "pk", organisation)}
        )
        return self.filter(Q(Exists(mentioned)) | Q(issue__publisher=organisation))

    def for_topic(self, topic):
        through = self.model.topics.through
        tagged = through.objects.filter(
            **{f"{self.model._meta.model_name}_id": OuterRef("pk"), "topic_id": getattr(topic, "pk", topic)}
        )
        return self.filter(Exists(tagged))

    def for_publication(self, publication):
        return self.filter(issue__publication=publication)

    def search(self, q: str, *, rank: bool = True):
        """Full-text search over the jieba tokens, ranked; a substring match when that finds nothing.

        Why the fallback: jieba may split a rare name differently alone than in
        its sentence, so a term that plainly stands in the text must still be
        found. It only runs when the token search matched nothing.
        """
        text = clean_query_text(q)
        if not text:
            return self
        query = build_search_query(text)
        if query is not None:
            matched = self.filter(search_vector=query)
            if matched.exists():
                if rank:
                    matched = matched.annotate(rank=SearchRank(F("search_vector"), query)).order_by("-rank", "-pk")
                return matched
        substring = Q()
        for field in self.text_fields:
            substring |= Q(**{f"{field}__contains": text})
        return self.filter(substring)

    def list_related(self):
        """What a list row shows, fetched in a constant number of queries."""
        return self.select_related("issue__publication", "issue__publisher").prefetch_related(
            "organisations", "topics"
        )


class ArticleQuerySet(_DatedTextQuerySet):
    text_fields = ("title", "subtitle", "body")

    def for_section(self, section: str):
        return self.filter(section=section)


class BriefItemQuerySet(_DatedTextQuerySet):
    text_fields = ("text",)


class IssueQuerySet(models.QuerySet):
    def with_counts(self):
        return self.annotate(
            article_count=Count("articles", distinct=True), brief_count=Count("briefs", distinct=True)
        )

    def for_organisation(self, organisation):
        return self.filter(Q(publisher=organisation) | Q(publication__publisher=organisation))


class OrganisationQuerySet(models.QuerySet):
    def with_counts(self):
        return self.annotate(
            article_count=Count("articles", distinct=True),
            brief_count=Count("briefs", distinct=True),
            issue_count=Count("issues", distinct=True),
        )


class TopicQuerySet(models.QuerySet):
    def with_counts(self):
        return self.annotate(article_count=Count("articles", distinct=True), brief_count=Count("briefs", distinct=True))
