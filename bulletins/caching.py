"""Whole-archive aggregates, cached until the archive changes.

Why: counts over every article (topic totals, the month chart, the facet
counts of a broad list) read hundreds of thousands of link rows, yet the
archive only changes when an import or an editor writes. Each cached value is
keyed by an *archive stamp* (issue count, total of issue versions, latest
import and change time), so any import or edit makes the next request
recompute; the stamp itself is re-read at most every ``STAMP_SECONDS``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.db.models import Count, Max, Sum

T = TypeVar("T")

STAMP_SECONDS = 5
AGGREGATE_SECONDS = 15 * 60


def archive_stamp() -> str:
    """Changes whenever an issue is imported, re-imported, edited or deleted (or one of its items edited)."""
    stamp = cache.get("archive:stamp")
    if stamp is None:
        from .models import Issue

        row = Issue.objects.aggregate(n=Count("pk"), v=Sum("version"), i=Max("imported_at"), u=Max("updated_at"))
        stamp = f"{row['n']}:{row['v']}:{row['i']}:{row['u']}"
        cache.set("archive:stamp", stamp, STAMP_SECONDS)
    return stamp


def cached_aggregate(name: str, compute: Callable[[], T], *, params: object = ()) -> T:
    """``compute()``, remembered for this archive state (and at most ``AGGREGATE_SECONDS``)."""
    if isinstance(caches[DEFAULT_CACHE_ALIAS], DummyCache):
        return compute()  # caching switched off: no stamp to read either
    digest = hashlib.sha256(repr((name, params, archive_stamp())).encode()).hexdigest()
    return cache.get_or_set(f"archive:{digest}", compute, AGGREGATE_SECONDS)
