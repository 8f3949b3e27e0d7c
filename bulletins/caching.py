"""Whole-archive aggregates, cached until the archive changes.

Why: counts over every article (topic totals, the month chart, the facet
counts of a broad list) read hundreds of thousands of link rows, yet the
archive only changes when an import or an editor writes. Each cached value is
keyed by an *archive stamp* (the database snapshot, see :func:`archive_stamp`),
so any import or edit makes the next request recompute. The stamp is read once per request (``ArchiveStampMiddleware``):
a page served from cached counts still asks the database, so an outage is
reported as such instead of showing an empty archive.
"""

from __future__ import annotations

import contextvars
import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.db import connection

T = TypeVar("T")

AGGREGATE_SECONDS = 15 * 60
ISSUE_TABLE = "bulletins_issue"

# The stamp of the request being served: "" inside a request until first read; None outside
# a request (commands, tests), where it is read afresh every time.
_request_stamp: contextvars.ContextVar[str | None] = contextvars.ContextVar("archive_stamp", default=None)


def archive_stamp() -> str:
    """Changes whenever anything in the database changes: an import, an edit, a deletion.

    Why PostgreSQL's snapshot (``xmin:xmax:in-progress``): two snapshots that
    are equal see exactly the same committed transactions, hence the same
    data, and reading one costs nothing whatever the archive's size. Any
    committed write moves it, so it is conservative: a write elsewhere in the
    database also makes the next request recompute,
    never the other way round. The public site itself writes nothing.
    """
    remembered = _request_stamp.get()
    if remembered:
        return remembered
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned() IS NOT NULL")
        snapshot, writing = cursor.fetchone()
    stamp = snapshot
    if writing:
        # This transaction has written, and its own changes are in no snapshot: count them in the slow way.
        # Raw SQL on the issue table by name, so that this module needs no model (models use it through querysets).
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*), sum(version), max(imported_at), max(updated_at) FROM {ISSUE_TABLE}")
            stamp += ":" + ":".join(map(str, cursor.fetchone()))
    if remembered is not None:  # inside a request: keep it for the rest of the request
        _request_stamp.set(stamp)
    return stamp


class ArchiveStampMiddleware:
    """Read the archive stamp at most once per request, on first use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_stamp.set("")
        try:
            return self.get_response(request)
        finally:
            _request_stamp.reset(token)


def cached_aggregate(name: str, compute: Callable[[], T], *, params: object = ()) -> T:
    """``compute()``, remembered for this archive state (and at most ``AGGREGATE_SECONDS``)."""
    if isinstance(caches[DEFAULT_CACHE_ALIAS], DummyCache):
        return compute()  # caching switched off: no stamp to read either
    digest = hashlib.sha256(repr((name, params, archive_stamp())).encode()).hexdigest()
    return cache.get_or_set(f"archive:{digest}", compute, AGGREGATE_SECONDS)
