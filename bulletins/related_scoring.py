"""Related articles by the specific terms and organisations they share.

Pure Python (no Django): the caller fetches a few hundred candidate profiles
and the document frequencies, this module ranks them.

Why not shared topics: a topic holds a tenth of the archive, so two articles
sharing one (or a provincial publisher) are barely related, and a long review
tagged with many topics came first in every list. Here each shared thing
weighs its inverse document frequency, ``log(N / df)``: a county Red Cross
society or a word like ``槽罐车`` that few articles carry links two articles
strongly, a publisher or a word found everywhere hardly at all. Shared topics
only break ties.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from .keyword_stopwords import generic_words

__all__ = ["Frequencies", "ItemProfile", "RelatedWeights", "related", "specific_terms"]


@dataclass(frozen=True)
class ItemProfile:
    """What relatedness looks at in one article."""

    id: int
    keywords: Collection[str] = ()
    organisations: Collection[int] = ()  # organisation ids (mentioned, and the publisher)
    topics: Collection[str] = ()
    day: datetime.date | None = None


@dataclass(frozen=True)
class RelatedWeights:
    term: float = 1.0
    organisation: float = 1.5  # a shared organisation says more than a shared word
    topic: float = 0.05  # ties only
    min_score: float = 2.0  # below this nothing is related: one common word or a big publisher is not enough
    # A thing carried by more than this share of the archive is no evidence at all.
    max_share: float = 0.2


@dataclass(frozen=True)
class Frequencies:
    """Document frequencies: how many articles carry each keyword and each organisation, of ``total``."""

    total: int
    terms: Mapping[str, int] = field(default_factory=dict)
    organisations: Mapping[int, int] = field(default_factory=dict)


def _idf(df: int | None, total: int, max_share: float) -> float:
    if not df or total <= 0 or df > max_share * total:
        return 0.0
    return math.log(total / df)


def specific_terms(profile: ItemProfile, freq: Frequencies, limit: int = 8, weights: RelatedWeights | None = None):
    """The article's ``limit`` most specific keywords (carried by at least one other article), rarest first.

    What the caller looks candidates up by (``keywords && ARRAY[...]`` on the GIN index), so a
    candidate pool is bounded by rare words rather than flooded by common ones.
    """
    weights = weights or RelatedWeights()
    stop = generic_words()
    usable = [
        term
        for term in dict.fromkeys(profile.keywords)
        if term not in stop
        and freq.terms.get(term, 0) > 1
        and _idf(freq.terms.get(term), freq.total, weights.max_share)
    ]
    return sorted(usable, key=lambda t: (freq.terms[t], t))[:limit]


def related(
    article: ItemProfile,
    candidates: Iterable[ItemProfile],
    freq: Frequencies,
    *,
    limit: int = 5,
    weights: RelatedWeights | None = None,
) -> list[tuple[int, float]]:
    """``[(id, score)]`` of the candidates most related to ``article``, best first, at most ``limit``.

    Score: the IDF of each shared keyword (times ``weights.term``) plus the IDF
    of each shared organisation (times ``weights.organisation``), plus a small
    amount per shared topic. Candidates under ``weights.min_score`` are left
    out, so an article with nothing specific in common with any other shows
    no related list rather than a random one. Ties: the candidate nearest in
    date, then the newest id.
    """
    weights = weights or RelatedWeights()
    stop = generic_words()
    terms = {t for t in article.keywords if t not in stop}
    orgs = set(article.organisations)
    topics = set(article.topics)
    scored: list[tuple[float, int, int]] = []
    for candidate in candidates:
        if candidate.id == article.id:
            continue
        score = weights.term * sum(
            _idf(freq.terms.get(t), freq.total, weights.max_share) for t in terms.intersection(candidate.keywords)
        )
        score += weights.organisation * sum(
            _idf(freq.organisations.get(o), freq.total, weights.max_share)
            for o in orgs.intersection(candidate.organisations)
        )
        if score < weights.min_score:
            continue
        score += weights.topic * len(topics.intersection(candidate.topics))
        distance = (
            abs((article.day - candidate.day).days) if article.day and candidate.day else 10**6
        )  # undated: after every dated tie
        scored.append((score, -distance, candidate.id))
    scored.sort(reverse=True)
    return [(pk, round(score, 4)) for score, _, pk in scored[:limit]]
