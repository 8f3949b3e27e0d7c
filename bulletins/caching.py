"""Whole-archive aggregates, cached until the archive changes.

Why: counts over every article (topic totals, the month chart, the facet
counts of a broad list) read hundreds of thousands of link rows, yet the
archive only changes when an import or an editor writes. Each cached value is
keyed by an *archive stamp* (a version counter kept by the database, see
:func:`archive_stamp`), so any import or edit makes the next request
recompute. The stamp is read once per request (``ArchiveStampMiddleware``):
a page served from cached counts still asks the database, so an outage is
reported as such instead of showing an empty archive.

The cache is shared by default (Django's database cache, see settings), so what
one worker or app server computed serves all of them; the writer computes the
common aggregates again right after a change (bulletins/warmup.py).
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

T = TypeVar("T")

# Entries live until the archive changes (their key names the archive state, so a change makes
# them unreachable, and the writer purges them: bulletins/warmup.py). An expiry would bring back
# the slow first visit after a quiet night.
AGGREGATE_SECONDS = None
KEY_PREFIX = "archive:"
ISSUE_TABLE = "bulletins_issue"

# The stamp of the request being served: "" inside a request until first read; None outside
# a request (commands, tests), where it is read afresh every time.
_request_stamp: contextvars.ContextVar[str | None] = contextvars.ContextVar("archive_stamp", default=None)
# How many aggregates this request had to compute (the rest came from the cache).
_request_computed: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("archive_computed", default=None)

# Response header saying how many aggregates the request computed ("0": all from the cache).
COMPUTED_HEADER = "X-Archive-Computed"


def archive_stamp() -> str:
    """Changes whenever the archive changes: an import, an edit, a deletion; and only then.

    Why a counter kept by the database (migration 0012_archive_state): it moves in the same
    commit as the change itself, from every writer (importers on other machines,
    the admin, SQL by hand), and reading it is one primary-key look-up whatever
    the archive's size. Cache writes and other databases on the same server do
    not move it, so entries in a shared cache stay valid until the archive
    really changes.
    """
    remembered = _request_stamp.get()
    if remembered:
        return remembered
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT epoch::text || ':' || version, pg_current_xact_id_if_assigned()::text"
            " FROM bulletins_archive_state WHERE id = 1"
        )
        row = cursor.fetchone()
    stamp, writing = row if row else ("none", None)
    if writing:
        # This transaction has written, and the counter moves only when it commits: count its own
        # changes in the slow way, under a key no other transaction can share.
        # Raw SQL on the issue table by name, so that this module needs no model (models use it through querysets).
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*), sum(version), max(imported_at), max(updated_at) FROM {ISSUE_TABLE}")
            stamp += f":tx{writing}:" + ":".join(map(str, cursor.fetchone()))
    if remembered is not None:  # inside a request: keep it for the rest of the request
        _request_stamp.set(stamp)
    return stamp


class ArchiveStampMiddleware:
    """Read the archive stamp at most once per request, on first use; say what was computed.

    The header lets an operator (and the tests) see whether a page was served from
    the shared cache, e.g. the first visit after an import.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_scope() as computed:
            response = self.get_response(request)
        response[COMPUTED_HEADER] = str(computed[0])
        return response


@contextlib.contextmanager
def request_scope():
    """Within: the stamp is read once, and the list yielded counts the aggregates computed."""
    token = _request_stamp.set("")
    computed = [0]
    counter = _request_computed.set(computed)
    try:
        yield computed
    finally:
        _request_stamp.reset(token)
        _request_computed.reset(counter)


class RecentEntries:
    """The entries this process read last, kept as pickles, in front of the shared cache.

    Why it is safe: a key names the archive state, and an entry never changes under its
    key (a change to the archive moves the state, so new keys), so a copy kept here is
    as good as the shared one until it is pushed out. Why it pays: with the cache in the
    database, each entry read is a query; a search page reads three or four. Pickles
    rather than the objects, so no caller can change what the next one gets; the
    budget is in bytes, the least recently used go first.
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.used = 0
        self.entries: OrderedDict[str, bytes] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> tuple[bool, object]:
        with self.lock:
            data = self.entries.get(key)
            if data is None:
                return False, None
            self.entries.move_to_end(key)
        return True, pickle.loads(data)

    def put(self, key: str, value: object) -> None:
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        if len(data) > self.budget // 8:
            return  # one huge entry must not push out everything else
        with self.lock:
            old = self.entries.pop(key, None)
            self.used += len(data) - (len(old) if old else 0)
            self.entries[key] = data
            while self.used > self.budget:
                _key, dropped = self.entries.popitem(last=False)
                self.used -= len(dropped)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.used = 0


RECENT = RecentEntries(budget=32 * 1024 * 1024)


# While an import runs, every file it commits moves the archive state. Visitors then get the last
# value computed for an aggregate (kept under LATEST_PREFIX, outside the state-named keys the writer
# purges) instead of computing it again for each file; the import's own warming ends that.
IMPORTING_KEY = "archive-importing"
LATEST_PREFIX = "archive-latest:"
# The mark is renewed after each file, so an import that was killed stops counting after this long.
IMPORT_MARK_SECONDS = 600
# After a change, the first request that needs an aggregate computes it; requests for the same one that
# arrive meanwhile are served its last value instead of computing it too (after an import, fifty visitors
# asking for the same search at once made every worker compute it, and everyone waited seconds). The
# claim expires, so a computation that died is taken up again by a later request.
COMPUTING_PREFIX = "archive-computing:"
COMPUTING_SECONDS = 60
_MISSING = object()


def mark_importing() -> None:
    """Say that an import is running (call again after each file); see :data:`IMPORTING_KEY`."""
    if not isinstance(caches[DEFAULT_CACHE_ALIAS], DummyCache | LocMemCache):
        cache.set(IMPORTING_KEY, True, IMPORT_MARK_SECONDS)


def unmark_importing() -> None:
    if not isinstance(caches[DEFAULT_CACHE_ALIAS], DummyCache | LocMemCache):
        cache.delete(IMPORTING_KEY)


def cached_aggregate(name: str, compute: Callable[[], T], *, params: object = (), stale_seconds: float = 0) -> T:
    """``compute()``, remembered for this archive state (in this process, then in the shared cache).

    While an import runs, an aggregate of an earlier state is served rather than
    computed again (counts a few files behind, for the length of the import);
    otherwise only one request computes a missing aggregate and the others meanwhile
    get its earlier value (see :data:`COMPUTING_PREFIX`).
    ``stale_seconds``: an aggregate of one item (an article's related items, an
    organisation's totals) computed for an earlier state is served for that long.
    Why: every import or edit changes the archive's state, and recomputing such an
    aggregate for each of thousands of items then costs seconds per page at a
    million articles; a few minutes' lag on them is harmless, on whole-archive
    counts it is not (those the writer recomputes itself).
    """
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, DummyCache):
        return compute()  # caching switched off: no stamp to read either
    digest = hashlib.sha256(repr((name, params)).encode()).hexdigest()[:40]
    key = f"{stamp_prefix()}{digest}"
    if isinstance(backend, LocMemCache):
        return cache.get_or_set(key, lambda: _counted(compute), AGGREGATE_SECONDS)  # already in this process
    found, value = RECENT.get(key)
    if found:
        return value
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        # Its last value and the import mark in one round trip (with the database cache, one query).
        found = cache.get_many([LATEST_PREFIX + digest, IMPORTING_KEY])
        latest = _latest(found.get(LATEST_PREFIX + digest))
        if latest is not None and (
            time.time() - latest[0] < stale_seconds
            or found.get(IMPORTING_KEY)
            or not cache.add(COMPUTING_PREFIX + key, True, COMPUTING_SECONDS)
        ):
            return latest[1]  # not kept under this state's key: a later computation replaces it
        value = _counted(compute)
        cache.set_many({key: value, LATEST_PREFIX + digest: (time.time(), value)}, AGGREGATE_SECONDS)
    RECENT.put(key, value)
    return value


def cached_fragment(template: str, context: Callable[[], dict], *, params: object = ()) -> SafeString:
    """``template`` rendered with ``context()``, once per archive state, language, script prefix and ``params``.

    Why: a part of a page with hundreds of rows, links and translated labels (the
    month chart, the calendar's grid, the table of organisations) costs more to
    build than the rest of its page, and changes only with the archive.
    """
    html = cached_aggregate(
        "fragment",
        lambda: render_to_string(template, context()),
        params=(template, params, get_language(), get_script_prefix()),
    )
    return mark_safe(html)  # our own template's output, escaped when it was rendered


def _latest(entry: object) -> tuple[float, object] | None:
    """A (when computed, value) entry of :data:`LATEST_PREFIX`, or None for anything else found there."""
    if isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], float):
        return entry
    return None


def stamp_prefix(stamp: str | None = None) -> str:
    """The part of every cache key that names the archive state: entries of older states share none."""
    return f"{KEY_PREFIX}{hashlib.sha256((stamp or archive_stamp()).encode()).hexdigest()[:16]}:"


def _counted(compute: Callable[[], T]) -> T:
    computed = _request_computed.get()
    if computed is not None:
        computed[0] += 1
    return compute()
