"""Full-text search: a visitor's query, the items that match it, and the ranked results of the search page.

Why one module: the lists, the API, the CSV exports and the search page all
search the same way. A query is cleaned and segmented once
(:func:`parse_query`, remembered per process), and each search is cached as
one entry: the matching ids of one list (:func:`ranked`), or the ranked
results of the search page with their facets (:func:`search_page`).

How a term is found: the jieba tokens of the query through the GIN index on
``search_vector``; when they match nothing (jieba may cut a rare name
differently alone than in its sentence), the text as typed through the index
of two-character pieces (migration 0005).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import F, Func, Value
from django.db.models.expressions import RawSQL

from .analysis.segmentation import get_segmenter
from .caching import cached_aggregate
from .models import Article, BriefItem

# How many of the newest matches a search ranks (and lists); see ``ranked``.
RANK_CANDIDATES = 1000

TEXT_JOINER = " || ' ' || "


def clean_query_text(q: str) -> str:
    """The visitor's query as plain text for a substring match (NUL bytes removed, length capped)."""
    return (q or "").replace("\x00", "").strip()[:200]


@dataclass(frozen=True)
class ParsedQuery:
    """A visitor's query, cleaned and segmented like the documents were."""

    text: str
    terms: tuple[str, ...]

    @property
    def tsquery(self) -> SearchQuery | None:
        """The terms ANDed, each quoted as a lexeme: tsquery operators typed by a visitor are plain text."""
        if not self.terms:
            return None
        raw = " & ".join("'" + term.replace("\\", "").replace("'", "''") + "'" for term in self.terms)
        return SearchQuery(raw, search_type="raw", config="simple")


@functools.lru_cache(maxsize=1024)
def parse_query(q: str) -> ParsedQuery:
    """Clean and segment ``q`` once; every list, facet and rank of a request reuses the result."""
    text = clean_query_text(q)
    return ParsedQuery(text, tuple(get_segmenter().query_terms(text)) if text else ())


def pk_in_array(ids: list[int]) -> Func:
    """``pk = ANY(%s)`` with the ids as one array parameter, for id lists of any length.

    Why not ``pk__in``: it writes one placeholder per id, and psycopg then
    splits and fills a thousand placeholders in Python for every query that
    reuses the list (several queries per page).
    """
    # One text parameter, cast by PostgreSQL: preparing a list field would convert the ids one by one in Python.
    literal = "{" + ",".join(str(int(pk)) for pk in ids) + "}"
    array = RawSQL("%s::bigint[]", (literal,), output_field=ArrayField(models.BigIntegerField()))
    return Func(F("pk"), array, template="%(expressions)s)", arg_joiner=" = ANY(", output_field=models.BooleanField())


class _BigramMatch(Func):
    """``bulletins_bigrams(text || ' ' || ...) @@ 'pieces'::tsquery``: the index expression of migration 0005."""

    output_field = models.BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        *texts, pieces = self.source_expressions
        parts, params = [], []
        for expression in texts:
            sql, expression_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(expression_params)
        pieces_sql, pieces_params = compiler.compile(pieces)
        return f"bulletins_bigrams({TEXT_JOINER.join(parts)}) @@ ({pieces_sql})::tsquery", [*params, *pieces_params]


def containing(queryset: models.QuerySet, text: str) -> models.QuerySet:
    """Items whose text contains ``text`` as written, found through the two-character index.

    The texts are joined exactly as in the index expression (migration 0005)
    so PostgreSQL can use it; ``icontains`` then keeps only true substrings.
    """
    fields = [F(field) for field in queryset.text_fields]
    joined = Func(*fields, template="(%(expressions)s)", arg_joiner=TEXT_JOINER, output_field=models.TextField())
    qs = queryset.alias(_joined_text=joined).filter(_joined_text__icontains=text)
    pieces = sorted({text[i : i + 2] for i in range(len(text) - 1)})
    if not pieces:
        return qs
    tsquery = " & ".join("'" + piece.replace("\\", "\\\\").replace("'", "''") + "'" for piece in pieces)
    return qs.filter(_BigramMatch(*fields, Value(tsquery)))


def matching(queryset: models.QuerySet, q: str) -> models.QuerySet:
    """Every item of ``queryset`` matching ``q``: the tokens if they match anything at all, else a substring scan."""
    parsed = parse_query(q)
    if not parsed.text:
        return queryset
    query = parsed.tsquery
    if query is not None and queryset.model._default_manager.filter(search_vector=query).exists():
        return queryset.filter(search_vector=query)
    return containing(queryset, parsed.text)


def ranked(queryset: models.QuerySet, q: str) -> models.QuerySet:
    """The best matches for ``q``, best first: at most ``RANK_CANDIDATES`` of them, ranked.

    Why capped: ``ts_rank`` reads every matching row's vector, and the
    facets, the count and the page would each re-read all matches; for a
    common word that is 100,000 rows per query. The first
    ``RANK_CANDIDATES`` matches the index yields are fetched once (one cache
    entry per list and query, for this archive state) and ranked; the page
    says when there are more.
    """
    parsed = parse_query(q)
    if not parsed.text:
        return queryset
    base = queryset.order_by()
    try:
        key = (queryset.model.__name__, str(base.query), parsed.text)
    except EmptyResultSet:
        return queryset.none()
    ids = cached_aggregate(
        "search",
        lambda: list(matching(base, parsed.text).values_list("pk", flat=True)[:RANK_CANDIDATES]),
        params=key,
    )
    query = parsed.tsquery
    rank = SearchRank(F("search_vector"), query) if query is not None else Value(0.0)
    return queryset.filter(pk_in_array(ids)).annotate(rank=rank).order_by("-rank", "-pk")


# --- the search page: articles and brief items in one ranked list ------------------------


def _scored(queryset: models.QuerySet, kind: str) -> models.QuerySet:
    """(kind, id, score, day) rows of a filtered queryset, ready for a UNION across articles and briefs."""
    score = F("rank") if "rank" in queryset.query.annotations else Value(0.0)
    return (
        queryset.order_by()
        .annotate(kind=Value(kind), oid=F("pk"), score=score, when=F("day"))
        .values_list("kind", "oid", "score", "when")
    )


def search_page(articles, briefs, *, params, facets: Callable[[], dict]) -> tuple[list[tuple], dict]:
    """The whole ranked list of a search and its facets, remembered as one entry per search.

    ``articles`` and ``briefs`` are the filtered querysets (``briefs`` is
    ``None`` when a filter leaves brief items out); ``params`` are the query
    and filters that identify the search. The ranked list holds at most
    ``RANK_CANDIDATES`` (kind, id, score, day) rows per kind, a few
    kilobytes: every further page of the same search, and the same search
    asked again, then costs no ranking at all. Its length is the result count.
    """

    def compute():
        rows = _scored(articles, "article")
        if briefs is not None:
            rows = rows.union(_scored(briefs, "brief"), all=True)
        ordered = rows.order_by("-score", F("when").desc(nulls_last=True), "kind", "-oid")
        return list(ordered), facets()

    return cached_aggregate("search-page", compute, params=params)


def load_results(rows) -> list[dict]:
    """A page's (kind, id) rows as objects, two queries plus prefetches, in rank order."""
    ids = {"article": [], "brief": []}
    for kind, pk, _score, _when in rows:
        ids[kind].append(pk)
    loaded = {
        "article": Article.objects.list_related().in_bulk(ids["article"]),
        "brief": BriefItem.objects.list_related().in_bulk(ids["brief"]),
    }
    results = []
    for kind, pk, _score, _when in rows:
        obj = loaded[kind].get(pk)
        if obj is not None:
            text = obj.body or obj.subtitle or obj.title if kind == "article" else obj.text
            results.append({"kind": kind, "object": obj, "text": text})
    return results
