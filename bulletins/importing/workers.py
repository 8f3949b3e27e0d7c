"""Worker-process entry points for ``import_bulletins --workers N``; the only place a worker sets Django up.

Why a module of its own that imports no Django at load time: a spawned worker
unpickles these functions (loading this module) before Django is set up;
:func:`worker_init` then sets it up, and only then loads :mod:`.store`.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading

from .prepare import PreparedFile, SourceFile, prepare_source, warm_up

_WORKER: dict = {}
# The parent's storage settings ride along with its database settings (originals and page images).
STORAGE_KEY = "ARCHIVE_STORAGE"


def worker_init(
    topics: list[dict],
    settings_module: str,
    database: dict,
    force: bool = False,
    dry_run: bool = False,
    analyses: bool = True,
) -> None:
    """Load jieba and set Django up once per worker, before its first file.

    ``database`` is the parent's actual connection settings: the worker must
    write to the same database, which is not always the one its settings
    module would pick (pytest-django renames it to the test database); the
    same goes for the storage that keeps originals and page images. The
    settings module still runs first, so an embedded server is started if
    needed (``ensure_running`` is reentrant and cheap when it runs already).
    A process that only writes (``analyses=False``) skips loading jieba.
    The Django imports are inside this function because they need the
    settings module chosen here.
    """
    _exit_with_parent()
    if analyses:
        warm_up(topics)
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django
    from django.conf import settings

    database = dict(database)
    for name, value in database.pop(STORAGE_KEY, {}).items():
        setattr(settings, name, value)
    settings.DATABASES["default"] = database
    django.setup()

    from multiprocessing.util import Finalize

    from django.db import connection

    from . import store

    # Close the worker's connection when the pool shuts it down, rather than dropping the socket.
    Finalize(None, connection.close, exitpriority=10)
    _WORKER.update(topics=topics, force=force, dry_run=dry_run, store=store, cache=store.OrganisationCache())


def _exit_with_parent() -> None:
    """End this worker as soon as the importer that started it is gone, even by ``kill -9``.

    Why: a worker blocked on its job queue never sees the queue close (it holds
    a copy of both ends), so it would outlive the importer, connection and
    all. Exiting at once drops the connection; PostgreSQL then rolls back the
    file in progress, exactly as if the importer itself had died mid-file.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def worker_store(source: SourceFile):
    """Prepare and store one file the parent read; only the (small) ``StoreResult`` goes back."""
    return worker_write(prepare_source(source, topics=_WORKER["topics"]))


def worker_write(prepared: PreparedFile):
    """Store one file the parent prepared (``--workers 1``: the parent segments, this process writes)."""
    return _WORKER["store"].store_safely(
        prepared, force=_WORKER["force"], dry_run=_WORKER["dry_run"], cache=_WORKER["cache"]
    )
