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


def topic_months() -> tuple[dict, dict]:
    """({topic slug: {month or None: articles}}, {…: brief items}) for the whole archive.

    Computed by the writer after a change (:mod:`bulletins.warmup`) and served
    from the last state while an import runs. Why topics and not organisations:
    a dozen topics make a small table that every process keeps; thousands of
    organisations times hundreds of months would be megabytes read for each
    page, so an organisation's months are counted for its own page
    (:func:`organisation_counts_of`).
    """
    tables = cached_aggregate(
        "topic-months", lambda: [model.objects.subject_months("topic") for model in (Article, BriefItem)]
    )
    return tables[0], tables[1]


def topic_counts_of(slug: str) -> tuple[int, int, dict, dict]:
    """(articles, brief items, {month: articles}, {month: brief items}) of one topic."""
    articles, briefs = (table.get(slug, {}) for table in topic_months())
    return (
        sum(articles.values()),
        sum(briefs.values()),
        {month: n for month, n in articles.items() if month is not None},
        {month: n for month, n in briefs.items() if month is not None},
    )


def organisation_counts_of(organisation_id: int, articles, briefs) -> tuple[int, int, dict, dict]:
    """The same for one organisation, from its own items; served from an earlier state for ten minutes."""
    return cached_aggregate(
        "subject-counts",
        lambda: (articles.count(), briefs.count(), articles.month_counts(), briefs.month_counts()),
        params=("organisation", organisation_id),
        stale_seconds=600,
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
