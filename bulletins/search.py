"""Full-text search: a visitor's query, the items that match it, and the ranked results of the search page.

Why one module: the lists, the API, the CSV exports and the search page all
search the same way. A query is parsed once (:func:`parse_query`: words,
``"phrases"``, ``-exclusions``, both scripts; see :mod:`bulletins.query_syntax`),
and each search is cached as one entry: the candidates and the match count of
one list (:func:`candidates`), or the ranked results of the search page with
their facets (:func:`search_page`).

How a word is found: its jieba tokens (of the normal form, simplified script)
through the GIN index on ``search_vector``; when they match nothing at all
(jieba may cut a rare name differently alone than in its sentence), the
normal-form text through the index of two-character pieces (migrations 0005,
0012), which also checks phrases (characters in a row, whatever jieba made of
them) and leaves out exclusions.

Which matches are ranked: ``ts_rank`` reads each row's vector, so a common word
(100,000 matches) cannot be ranked whole on every request. The ranked set is
the ``RANK_CANDIDATES`` newest matches plus the ``TITLE_CANDIDATES`` newest
whose title holds every word, so this year's bulletins and the items about the
subject are always in it; a date sort orders every match in SQL and keeps the
first ``RANK_CANDIDATES``. The page says how many matched in all.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import EmptyResultSet
from django.db import DatabaseError, connection, models
from django.db.models import Case, F, Func, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Left, Length

from . import query_syntax
from .caching import cached_aggregate
from .models import Article, BriefItem
from .query_syntax import DEFAULT_SCOPE, DEFAULT_SORT, ParsedQuery, Scope, Sort, scope_for, sort_for

# How many of the newest matches a search ranks, and how many more of the newest title matches.
RANK_CANDIDATES = 1000
TITLE_CANDIDATES = 200
# Matches counted one by one in the text (phrases, exclusions, field scopes) are counted up to this many:
# a common phrase at a million articles would otherwise read half the archive's text (a minute and more).
COUNT_CAP = 10_000
# A phrase whose words are in at least this many items is looked for newest first (see _newest).
COMMON_WORDS = 5_000
# ts_rank normalisation 1: divided by 1 + log(length), so a long review naming a word now and then
# does not outrank the short item about it.
RANK_NORMALISATION = 1
TITLE_BONUS = 0.5  # added to the rank of an item whose title holds every word asked for

TEXT_JOINER = " || ' ' || "

__all__ = [
    "COUNT_CAP",
    "DEFAULT_SCOPE",
    "DEFAULT_SORT",
    "RANK_CANDIDATES",
    "Candidates",
    "candidates",
    "containing",
    "load_results",
    "matching",
    "parse_query",
    "ranked",
    "search_page",
]


def clean_query_text(q: str) -> str:
    """The visitor's query as plain text (NUL bytes removed, length capped)."""
    return (q or "").replace("\x00", "").strip()[:200]


@functools.lru_cache(maxsize=1024)
def parse_query(q: str) -> ParsedQuery:
    """Parse ``q`` once per process; every list, facet and rank of a request reuses the result."""
    return query_syntax.parse_query(clean_query_text(q))


@functools.lru_cache(maxsize=1024)
def _token_query(parsed: ParsedQuery) -> SearchQuery | None:
    """The words (not phrases, not exclusions) as a tsquery: the phrases and exclusions are checked on the text."""
    raw = query_syntax.to_tsquery(ParsedQuery(terms=parsed.terms)) if parsed.terms else None
    return SearchQuery(raw, search_type="raw", config="simple") if raw else None


@functools.lru_cache(maxsize=1024)
def _rank_query(parsed: ParsedQuery) -> SearchQuery | None:
    """Every word and phrase's tokens ANDed, for ``ts_rank`` over the candidates."""
    raw = query_syntax.to_tsquery(ParsedQuery(terms=parsed.terms, phrases=parsed.phrases), strict_phrases=False)
    return SearchQuery(raw, search_type="raw", config="simple") if raw else None


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


def search_text(queryset: models.QuerySet) -> Func:
    """The normal form of an item's text, as the two-character index (migration 0012) reads it.

    ``search_text`` when the printed text differs from its normal form, else the
    printed texts joined by spaces; written exactly like the index expression so
    PostgreSQL can use the index.
    """
    joined = Func(
        *(F(field) for field in queryset.text_fields),
        template="(%(expressions)s)",
        arg_joiner=TEXT_JOINER,
        output_field=models.TextField(),
    )
    return Func(
        F("search_text"),
        joined,
        template="COALESCE(NULLIF(%(expressions)s)",
        arg_joiner=", ''), ",
        output_field=models.TextField(),
    )


class _BigramMatch(Func):
    """``bulletins_bigrams(<search text>) @@ 'pieces'::tsquery``: the index expression of migration 0012."""

    output_field = models.BooleanField()
    template = "bulletins_bigrams(%(expressions)s)::tsquery"
    arg_joiner = ") @@ ("


def containing(queryset: models.QuerySet, text: str) -> models.QuerySet:
    """Items whose normal-form text contains ``text`` (in normal form), found through the two-character index."""
    expression = search_text(queryset)
    qs = queryset.alias(_search_text=expression).filter(_search_text__contains=text)
    pieces = sorted({text[i : i + 2] for i in range(len(text) - 1)})
    if not pieces:
        return qs
    tsquery = " & ".join("'" + piece.replace("\\", "\\\\").replace("'", "''") + "'" for piece in pieces)
    return qs.filter(_BigramMatch(expression, Value(tsquery)))


def _not_containing(queryset: models.QuerySet, text: str) -> models.QuerySet:
    """Items whose normal-form text does not contain ``text``: a check on each row already selected."""
    return queryset.alias(_search_text=search_text(queryset)).exclude(_search_text__contains=text)


def _normal_title(queryset: models.QuerySet):
    """An article's title and subtitle in normal form: the start of ``search_text``, else as printed.

    Written so the body is never read: a title test over thousands of matches
    must not fetch each one's whole text.
    """
    title = Func(F("title"), F("subtitle"), template="(%(expressions)s)", arg_joiner=TEXT_JOINER)
    start = Left("search_text", Length("title") + 1 + Length("subtitle"))
    # "search_text = ''" compares lengths first, so the (long, compressed) text is not read for it.
    return Case(When(search_text="", then=title), default=start, output_field=models.TextField())


def _scope_filter(queryset: models.QuerySet, scope: Scope, text: str) -> Q:
    """Items whose ``scope`` fields hold ``text`` (normal form) in either script."""
    fields = scope.article_fields if queryset.model is Article else scope.brief_fields
    if not fields:
        return Q(pk__in=[])
    if fields[0] == "title":
        return Q(_normal_title__contains=text)
    return functools.reduce(lambda a, b: a | b, (Q(**{f"{field}__icontains": text}) for field in fields))


def matching(queryset: models.QuerySet, q: str, scope: Scope | None = None) -> models.QuerySet:
    """Every item of ``queryset`` matching ``q`` in ``scope`` (default: the full text).

    Words: their tokens if they match anything at all, else the text; phrases:
    the characters in a row; exclusions: items holding them are left out. A
    query of exclusions alone asks for nothing and matches nothing.
    """
    parsed = parse_query(q)
    scope = scope or scope_for(DEFAULT_SCOPE)
    if parsed.is_empty:
        return queryset.none() if parsed.exclusions else queryset
    qs = queryset
    if scope.uses_index:
        query = _token_query(parsed)
        if query is not None and queryset.model._default_manager.filter(search_vector=query).exists():
            qs = qs.filter(search_vector=query)
        else:
            for term in parsed.terms:
                qs = containing(qs, term.normalised)
        for phrase in parsed.substrings:
            qs = containing(qs, phrase)
        for excluded in parsed.excluded_substrings:
            qs = _not_containing(qs, excluded)
        return qs
    if queryset.model is Article:
        qs = qs.alias(_normal_title=_normal_title(qs))
    for part in parsed.positive:
        qs = qs.filter(_scope_filter(qs, scope, part.normalised))
    for part in parsed.exclusions:
        qs = qs.exclude(_scope_filter(qs, scope, part.normalised))
    return qs.distinct() if scope.name == "organisation" else qs


@dataclass(frozen=True)
class Candidates:
    """What one search of one list found: the ids it ranks or orders, and how many items matched in all."""

    ids: tuple[int, ...]
    total: int
    total_is_exact: bool = True  # else "at least ``total``" (see COUNT_CAP)


def _by_date(queryset: models.QuerySet, sort: Sort) -> models.QuerySet:
    """Matches newest first in the lists' own order, else oldest first (undated last either way).

    Newest first is the order of ``article_newest_first_idx`` / ``brief_newest_first_idx``,
    so the newest matches of a common word are read off that index and the scan stops
    after ``RANK_CANDIDATES`` rows, where any other order sorts every match first.
    """
    if sort.name == "oldest":
        return queryset.order_by(F("day").asc(nulls_last=True), "issue_id", "position")
    return queryset.order_by(F("day").desc(nulls_last=True), "-issue_id", "position")


def candidates(queryset: models.QuerySet, q: str, scope: Scope | None = None, sort: Sort | None = None) -> Candidates:
    """The matches of ``q`` within ``queryset`` a page can show, and their total; one cache entry per search.

    By relevance: the ``RANK_CANDIDATES`` newest matches and the
    ``TITLE_CANDIDATES`` newest whose title holds every word and phrase (see the
    module docstring). By date: the first ``RANK_CANDIDATES`` of every match in
    that order.
    """
    parsed = parse_query(q)
    scope = scope or scope_for(DEFAULT_SCOPE)
    sort = sort or sort_for(DEFAULT_SORT)
    base = queryset.order_by()
    try:
        key = (queryset.model.__name__, str(base.query), parsed.display(), scope.name, sort.name)
    except EmptyResultSet:
        return Candidates((), 0)

    def compute() -> Candidates:
        matches = matching(base, q, scope)
        reads_text = bool(parsed.substrings or parsed.excluded_substrings) or not scope.uses_index
        ids = _newest(matches, base, parsed, sort, reads_text and scope.uses_index)
        # Counting every match costs a pass over them: only needed when the first pass was cut short.
        total, exact = len(ids), True
        if len(ids) >= RANK_CANDIDATES:
            total = _count_through_index(matches[: COUNT_CAP + 1] if reads_text else matches)
            if total > COUNT_CAP and reads_text:
                total, exact = COUNT_CAP, False
        if total > len(ids) and not sort.order_by and queryset.model is Article and parsed.positive:
            ids += _title_candidates(base, matches, parsed, sort)
        return Candidates(tuple(dict.fromkeys(ids)), total, exact)

    return cached_aggregate("search", compute, params=key)


def _title_candidates(base: models.QuerySet, matches: models.QuerySet, parsed: ParsedQuery, sort: Sort) -> list[int]:
    """The ``TITLE_CANDIDATES`` newest matches among the newest items whose title holds every word.

    Titles first, then the match: testing the match on every item whose title
    holds a common word reads each one's whole index entry (a second on 200,000
    articles); the titles are short and read cheaply, and only a few hundred of
    them are then tested.
    """
    holders = base.alias(_normal_title=_normal_title(base))
    for part in parsed.positive:
        holders = holders.filter(_normal_title__contains=part.normalised)
    newest_holders = _by_date(holders, sort).values("pk")[: TITLE_CANDIDATES * 4]
    titled = matches.filter(pk__in=newest_holders)
    return list(_by_date(titled, sort).values_list("pk", flat=True)[:TITLE_CANDIDATES])


@contextlib.contextmanager
def _planner(**settings: str):
    """Run the queries inside with these planner settings, restored at once afterwards.

    So no other query of the request is affected; in a transaction that fails,
    PostgreSQL rolls the settings back itself.
    """
    with connection.cursor() as cursor:
        for name, value in settings.items():
            cursor.execute(f"SET {name} = {value}")
        try:
            yield
        except DatabaseError:
            if connection.get_autocommit():
                for name in settings:
                    cursor.execute(f"RESET {name}")
            raise
        for name in settings:
            cursor.execute(f"RESET {name}")


def _count_through_index(matches: models.QuerySet) -> int:
    """How many items match, counted from the index.

    Why the planner is steered: for a word in most items it reads the whole table
    instead, and decompresses every item's index entry to test it (1.6 s against
    0.3 s on 200,000 articles); with the memory for an exact list of matches, the
    index gives them without that test.
    """
    with _planner(enable_seqscan="off", work_mem="'64MB'"):
        return matches.count()


def _newest(matches: models.QuerySet, base: models.QuerySet, parsed: ParsedQuery, sort: Sort, text_checked: bool):
    """The ids of the first ``RANK_CANDIDATES`` matches in ``sort`` order.

    Why the planner is steered for common phrases and exclusions: it cannot tell how
    many items hold a phrase, guesses few, and checks the text of every item holding
    its characters before sorting them (58 s for a phrase in 400,000 of 1,000,000
    articles). When the phrase's words are common (at least ``COMMON_WORDS`` items,
    counted cheaply from the word index), walking the items newest first and
    checking each finds the first thousand after a few thousand items instead.
    """
    ordered = _by_date(matches, sort).values_list("pk", flat=True)[:RANK_CANDIDATES]
    query = _rank_query(parsed)
    if text_checked and sort.name != "oldest" and query is not None:
        common = base.filter(search_vector=query)[:COMMON_WORDS]
        if _count_through_index(common) >= COMMON_WORDS:
            with _planner(enable_bitmapscan="off", enable_seqscan="off"):
                return list(ordered)
    return list(ordered)


def _title_bonus(queryset: models.QuerySet, parsed: ParsedQuery):
    if queryset.model is not Article or not parsed.positive:
        return Value(0.0)
    holds = functools.reduce(lambda a, b: a & b, (Q(_normal_title__contains=p.normalised) for p in parsed.positive))
    return Case(When(holds, then=Value(TITLE_BONUS)), default=Value(0.0), output_field=models.FloatField())


def ranked(queryset: models.QuerySet, q: str, scope: Scope | None = None, sort: Sort | None = None):
    """The matches of ``q`` a list shows, in ``sort`` order (default: best first), with a ``rank``.

    Relevance: ``ts_rank`` (length-normalised) plus a bonus when the title
    holds every word. The rank is computed over the candidates only (see
    :func:`candidates`).
    """
    parsed = parse_query(q)
    if parsed.is_empty and not parsed.exclusions:
        return queryset
    scope = scope or scope_for(DEFAULT_SCOPE)
    sort = sort or sort_for(DEFAULT_SORT)
    found = candidates(queryset, q, scope, sort)
    qs = queryset.filter(pk_in_array(list(found.ids)))
    if sort.order_by:
        return _by_date(qs.annotate(rank=Value(0.0)), sort)
    query = _rank_query(parsed) if scope.uses_index else None
    rank = SearchRank(F("search_vector"), query, normalization=Value(RANK_NORMALISATION)) if query else Value(0.0)
    if queryset.model is Article:
        qs = qs.alias(_normal_title=_normal_title(qs))
    return qs.annotate(rank=rank + _title_bonus(qs, parsed)).order_by("-rank", F("day").desc(nulls_last=True), "-pk")


# --- the search page: articles and brief items in one ranked list ------------------------


def _scored(queryset: models.QuerySet, kind: str) -> models.QuerySet:
    """(kind, id, score, day) rows of a filtered queryset, ready for a UNION across articles and briefs."""
    score = F("rank") if "rank" in queryset.query.annotations else Value(0.0)
    return (
        queryset.order_by()
        .annotate(kind=Value(kind), oid=F("pk"), score=score, when=F("day"))
        .values_list("kind", "oid", "score", "when")
    )


def search_page(
    articles, briefs, *, params, facets: Callable[[], dict], sort: Sort | None = None
) -> tuple[list[tuple], dict]:
    """The whole ranked list of a search and its facets, remembered as one entry per search.

    ``articles`` and ``briefs`` are the filtered querysets (``briefs`` is
    ``None`` when a filter leaves brief items out); ``params`` are the query
    and filters that identify the search. The ranked list holds at most
    ``RANK_CANDIDATES`` (kind, id, score, day) rows per kind, a few
    kilobytes: every further page of the same search, and the same search
    asked again, then costs no ranking at all. ``sort`` orders it (default:
    by relevance; a date sort merges the two kinds by date).
    """
    sort = sort or sort_for(DEFAULT_SORT)

    def compute():
        rows = _scored(articles, "article")
        if briefs is not None:
            rows = rows.union(_scored(briefs, "brief"), all=True)
        if sort.name == "oldest":
            ordered = rows.order_by(F("when").asc(nulls_last=True), "kind", "oid")
        elif sort.name == "newest":
            ordered = rows.order_by(F("when").desc(nulls_last=True), "kind", "-oid")
        else:
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
