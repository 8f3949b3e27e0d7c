"""The writer computes the whole-archive aggregates again, so no visitor waits for them.

Why: an import or an editor's save changes the archive state, which makes every
cached count unreachable (bulletins/caching.py). At a million articles the home
page and the unfiltered lists need seconds of counting; whoever comes first
would pay for it. The process that changed the archive is the one that knows
it did, so it renders those pages once, which fills the shared cache for every
worker and app server:

* ``import_bulletins`` calls :func:`warm_archive` before it exits;
* the admin calls :func:`warm_after_response`: the pages are computed in a
  thread started once the editor's response has been sent (``request_finished``),
  after the change is committed, so the editor never waits for it.

Pages are rendered through their own views (no copy of what they count), with a
plain GET request and no middleware; the entries of older archive states are
then removed from the cache.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import request_finished
from django.db import connections, router, transaction
from django.http import HttpRequest, QueryDict
from django.urls import resolve, reverse

from . import archive_counts, caching
from .models import Article

logger = logging.getLogger(__name__)

# The pages whose aggregates cover the whole archive: the home page, the unfiltered lists, the
# calendar of every publication and the about page's live counts.
PAGES = [
    "bulletins:home",
    "bulletins:article_list",
    "bulletins:brief_list",
    "bulletins:issue_list",
    "bulletins:organisation_list",
    "bulletins:topic_list",
    "bulletins:calendar",
    "bulletins:about",
]

# Whole-archive aggregates that no page of PAGES shows but every article and topic page needs.
AGGREGATES = {
    "related-frequencies": lambda: Article.objects.related_frequencies(),
    "topic-months": archive_counts.topic_months,
}


def cache_is_shared() -> bool:
    """Whether another process would see what this one computes (not so for a per-process or no cache)."""
    return not isinstance(caches[DEFAULT_CACHE_ALIAS], DummyCache | LocMemCache)


def _request(path: str) -> HttpRequest:
    """A visitor's anonymous GET of ``path``, as the page's view and its templates see it (``resolver_match`` too)."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict()
    hosts = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"]
    request.META = {"HTTP_HOST": hosts[0] if hosts else "localhost", "SERVER_PORT": "443", "wsgi.url_scheme": "https"}
    request.resolver_match = resolve(path)
    return request


def _render(path: str):
    """A page's view called as for a visitor's anonymous GET of ``path``."""

    def render():
        request = _request(path)
        return request.resolver_match.func(request)

    return render


def warm_archive() -> dict[str, int]:
    """Render each page of :data:`PAGES` once and compute :data:`AGGREGATES`; returns how many aggregates each
    had to compute.

    Runs in the writer's process after its changes are committed; a page that
    fails is logged and skipped (the visitor will compute it, as without warming).
    """
    if not cache_is_shared():
        return {}
    stamp = caching.archive_stamp()
    paths = [reverse(name) for name in PAGES]
    work = [(path, _render(path)) for path in paths] + list(AGGREGATES.items())
    computed = {}
    for name, compute in work:
        with caching.request_scope() as counter:
            try:
                compute()
            except Exception:
                logger.exception("warming %s failed", name)
                continue
        computed[name] = counter[0]
    purge_stale(stamp)
    return computed


def purge_stale(stamp: str) -> int:
    """Remove cached aggregates of every archive state but ``stamp``'s; returns how many, where known.

    Entries of an older state can never be read again; deleting them keeps the
    shared cache small without expiring the current ones.
    """
    backend = caches[DEFAULT_CACHE_ALIAS]
    current = caching.stamp_prefix(stamp)
    if isinstance(backend, DatabaseCache):
        db = connections[router.db_for_write(backend.cache_model_class)]
        table = db.ops.quote_name(backend._table)
        with db.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE cache_key LIKE %s AND cache_key NOT LIKE %s",
                [backend.make_key(caching.KEY_PREFIX) + "%", backend.make_key(current) + "%"],
            )
            return cursor.rowcount
    if hasattr(backend, "iter_keys"):  # django-redis
        stale = [key for key in backend.iter_keys(f"{caching.KEY_PREFIX}*") if not key.startswith(current)]
        if stale:
            backend.delete_many(stale)
        return len(stale)
    return 0


# --- after an editor's save ----------------------------------------------------------------

_lock = threading.Lock()
_pending = False
_thread: threading.Thread | None = None  # the running warming thread, if any
_last: threading.Thread | None = None  # the latest one started, for wait()


def warm_after_response() -> None:
    """Warm the cache once this transaction commits and the current response has been sent."""
    if cache_is_shared():
        transaction.on_commit(_mark_pending)


def _mark_pending() -> None:
    global _pending
    with _lock:
        _pending = True


def _start_if_pending(**_kwargs) -> None:
    global _thread, _last
    with _lock:
        if not _pending or _thread is not None:
            return  # nothing to do, or the running thread will see the flag and go again
        _thread = _last = threading.Thread(target=_warm_while_pending, name="archive-warmup", daemon=True)
        _thread.start()


def _warm_while_pending() -> None:
    """Warm until no further change arrived meanwhile; several saves in a row cost one or two passes."""
    global _pending, _thread
    try:
        while True:
            with _lock:
                if not _pending:
                    _thread = None
                    return
                _pending = False
            warm_archive()
    except Exception:
        logger.exception("warming the archive cache failed")
        with _lock:
            _thread = None
    finally:
        connections.close_all()  # this thread's own connection


def wait(timeout: float = 60) -> None:
    """Wait for a warming thread of this process to finish (for tests and management commands)."""
    thread = _last
    if thread is not None:
        thread.join(timeout)


request_finished.connect(_start_if_pending, dispatch_uid="bulletins.warmup")
