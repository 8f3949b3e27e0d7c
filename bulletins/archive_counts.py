"""How many issues, articles and brief items name each organisation or topic, for the whole archive.

Why one module: the organisation and topic pages, the home page and the API's
organisation and topic lists show the same counts. Computed per organisation
with a subquery each, a page of fifty organisations took 53 s at a million
articles; grouped once over the link tables and remembered per archive state
(:func:`bulletins.caching.cached_aggregate`), they cost a dictionary look-up.
"""

from __future__ import annotations

from collections.abc import Iterable

from .caching import cached_aggregate
from .models import Article, BriefItem, Issue


def organisation_counts() -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
    """({organisation id: issues}, {…: articles}, {…: brief items}), as the ``organisation`` filter counts."""
    return cached_aggregate(
        "organisation-counts",
        lambda: [
            {pk: n for pk, _name, n in model.objects.organisation_counts()} for model in (Issue, Article, BriefItem)
        ],
    )


def topic_counts() -> tuple[dict[str, int], dict[str, int]]:
    """({topic slug: articles}, {…: brief items})."""
    return cached_aggregate(
        "topic-counts",
        lambda: [{slug: n for slug, _name, n in model.objects.topic_counts()} for model in (Article, BriefItem)],
    )


def subject_months(subject: str) -> tuple[dict, dict]:
    """For ``subject`` "organisation" or "topic": ({key: {month or None: articles}}, {…: brief items}).

    Whole-archive, computed by the writer after a change (:mod:`bulletins.warmup`)
    and served from the last state while an import runs.
    """
    return cached_aggregate(
        "subject-months",
        lambda: [model.objects.subject_months(subject) for model in (Article, BriefItem)],
        params=subject,
    )


def subject_counts(subject: str, key) -> tuple[int, int, dict, dict]:
    """(articles, brief items, {month: articles}, {month: brief items}) of one organisation or topic."""
    articles, briefs = (table.get(key, {}) for table in subject_months(subject))
    return (
        sum(articles.values()),
        sum(briefs.values()),
        {month: n for month, n in articles.items() if month is not None},
        {month: n for month, n in briefs.items() if month is not None},
    )


def with_organisation_counts(organisations: Iterable) -> list:
    """The organisations with ``issue_count``, ``article_count`` and ``brief_count`` set."""
    issues, articles, briefs = organisation_counts()
    found = list(organisations)
    for organisation in found:
        organisation.issue_count = issues.get(organisation.pk, 0)
        organisation.article_count = articles.get(organisation.pk, 0)
        organisation.brief_count = briefs.get(organisation.pk, 0)
    return found


def with_topic_counts(topics: Iterable) -> list:
    """The topics with ``article_count`` and ``brief_count`` set."""
    articles, briefs = topic_counts()
    found = list(topics)
    for topic in found:
        topic.article_count = articles.get(topic.slug, 0)
        topic.brief_count = briefs.get(topic.slug, 0)
    return found
