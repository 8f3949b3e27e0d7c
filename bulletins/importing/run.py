"""The import batch: files in, one result per file out, in one process or several.

The way of a file: :func:`read_sources` reads it and hashes it (once, with the
one size check) and skips it when its bytes are already in the archive;
:func:`.prepare.prepare_source` decodes, parses and analyses it; and
:func:`.store.store_safely` writes it in its own transaction, so that a failure
costs that file only and the batch goes on.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent import futures
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from django.conf import settings
from django.db import connection

from ..models import Issue
from .originals import ReadLimits
from .outcome import Outcome, StoreResult
from .prepare import SourceFile, prepare_source, read_source
from .references import OrganisationCache
from .store import store_safely, topic_taxonomy
from .workers import STORAGE_KEY, worker_init, worker_store, worker_write

# Files read, hashed and checked against the archive per query.
READ_CHUNK = 100
# What a folder is searched for; a single file named on the command line is read whatever its name.
IMPORTED_SUFFIXES = frozenset({".txt", ".pdf", ".docx", ".html", ".htm"})


def collect_paths(paths: list[str]) -> tuple[list[Path], list[StoreResult]]:
    """Expand files and folders (searched recursively for texts and originals) into a sorted, de-duplicated list."""
    found: dict[Path, None] = {}
    missing: list[StoreResult] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.suffix.lower() in IMPORTED_SUFFIXES and child.is_file():
                    found.setdefault(child.resolve(), None)
        elif path.is_file():
            found.setdefault(path.resolve(), None)
        else:
            missing.append(StoreResult(raw, Outcome.FAILED, message="路径不存在"))
    return list(found), missing


def read_sources(paths: Iterable[Path], *, force: bool, emit: Callable[[StoreResult], None]) -> Iterator[SourceFile]:
    """Each file read and hashed once; a file whose bytes are stored already is reported unchanged, not yielded.

    Read lazily, ``READ_CHUNK`` files at a time with one query each, so that a
    large batch never holds more than a chunk of files in memory.
    """
    iterator = iter(paths)
    limits = ReadLimits(max_pages=settings.IMPORT_MAX_PAGES, time_limit=settings.IMPORT_TIME_LIMIT)
    while chunk := list(itertools.islice(iterator, READ_CHUNK)):
        sources = [read_source(path, max_bytes=settings.IMPORT_MAX_BYTES, limits=limits) for path in chunk]
        known = {}
        if not force:
            digests = [source.sha256 for source in sources if source.sha256]
            known = {
                sha: (pk, title)
                for sha, pk, title in Issue.objects.filter(source_sha256__in=digests)
                .order_by()
                .values_list("source_sha256", "pk", "title")
            }
        for source in sources:
            if source.sha256 in known:
                pk, title = known[source.sha256]
                emit(StoreResult(source.name, Outcome.UNCHANGED, issue_id=pk, title=title))
            else:
                yield source


def import_paths(
    paths: list[Path],
    *,
    force: bool = False,
    dry_run: bool = False,
    workers: int = 1,
    on_result: Callable[[StoreResult], None] | None = None,
) -> list[StoreResult]:
    """Import files: unchanged ones are skipped by hash, the rest prepared and stored in ``workers`` processes.

    With ``workers > 1`` each worker process both prepares and writes its
    files over its own connection and sends back only the result; this
    process counts as one of the workers where it may write (see
    :func:`_import_in_pool`). Returns one result per path, in completion order.
    """
    results: list[StoreResult] = []

    def emit(result: StoreResult) -> None:
        results.append(result)
        if on_result:
            on_result(result)

    topics = topic_taxonomy()
    sources = read_sources(paths, force=force, emit=emit)
    # Enough of the files to choose: a helper process is only worth starting for two files or more.
    head = list(itertools.islice(sources, max(workers, 2)))
    sources = itertools.chain(head, sources)
    if workers > 1 and len(head) > 1:
        _import_in_pool(sources, topics, workers=min(workers, len(head)), force=force, dry_run=dry_run, emit=emit)
    elif len(head) > 1 and not dry_run and not connection.in_atomic_block:
        _prepare_while_writing(sources, topics, force=force, emit=emit)
    else:
        cache = OrganisationCache()
        for source in sources:
            emit(store_safely(prepare_source(source, topics=topics), force=force, dry_run=dry_run, cache=cache))
    return results


def _prepare_while_writing(sources: Iterator[SourceFile], topics: list[dict], *, force: bool, emit) -> None:
    """One worker: this process prepares file N+1 while a writer process stores file N.

    Why a process and not a thread: storing a file takes several round trips
    to PostgreSQL, and a writer thread would have to win the GIL back from the
    segmenting thread after each of them, so the writes would fall behind. A
    separate process sets Django up on its own connection (the parent's
    actual settings), starts while the first files are being prepared, and
    receives each prepared file (parse, tokens, keywords, organisations,
    topics: a few tens of kilobytes) through a pipe. At most two files wait
    for it, so memory stays flat. Not used inside a caller's transaction:
    rows written by another connection would be neither visible to the caller
    nor rolled back with it.
    """
    init = (topics, os.environ.get("DJANGO_SETTINGS_MODULE", "archive.settings"), _worker_db_settings(), force)
    context = multiprocessing.get_context("spawn")
    waiting: collections.deque = collections.deque()
    with (
        _helpers_alive(),
        ProcessPoolExecutor(1, mp_context=context, initializer=worker_init, initargs=(*init, False, False)) as writer,
    ):
        for source in sources:
            waiting.append(writer.submit(worker_write, prepare_source(source, topics=topics)))
            while waiting and (waiting[0].done() or len(waiting) > 2):
                emit(waiting.popleft().result())
        while waiting:
            emit(waiting.popleft().result())


@contextlib.contextmanager
def _helpers_alive():
    """A helper process that died (killed, out of memory) stops the import with a clear message.

    Why both here and not only around results: once a process has died, the
    pool refuses new files too (``submit`` raises), not only the results.
    """
    try:
        yield
    except BrokenProcessPool as exc:
        raise RuntimeError("导入的辅助进程意外退出（可能被系统终止）") from exc


def _import_in_pool(
    sources: Iterator[SourceFile], topics: list[dict], *, workers: int, force: bool, dry_run: bool, emit
) -> None:
    """``workers`` processes prepare and store the files; where it may write, this process is one of them.

    "spawn": a fresh interpreter per worker that sets Django up itself and
    opens its own connection, never this process's; the parent's actual
    connection settings go along (in tests NAME is the test database).
    Starting a worker (interpreter, Django, jieba, the IDF and place tables)
    costs one to a few seconds of CPU, so this process, which has all of that
    loaded already, imports files itself between handing them out: one
    process fewer to start, and no core left to a process that only waits.
    Files are handed to the spawned workers a few at a time (at most two per
    worker in flight), so that a worker always has its next file while this
    process works on one. Inside a caller's transaction or in a dry run this
    process does not write (rows written by other connections would not be
    rolled back with the caller's), and all ``workers`` are spawned. A worker
    that dies (killed, out of memory) stops the import with a clear error
    instead of leaving it waiting for a result that will never come.
    """
    pending = iter(sources)
    running: set = set()
    # Helping writes on this process's connection: not inside a caller's transaction (workers write outside it).
    helping = not dry_run and not connection.in_atomic_block
    processes = workers - 1 if helping else workers
    cache = OrganisationCache()
    init = (topics, os.environ.get("DJANGO_SETTINGS_MODULE", "archive.settings"), _worker_db_settings(), force, dry_run)
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(processes, mp_context=context, initializer=worker_init, initargs=init)
    exhausted = False

    def next_source() -> SourceFile | None:
        nonlocal exhausted
        source = None if exhausted else next(pending, None)
        exhausted = source is None
        return source

    try:
        with _helpers_alive():
            while not exhausted or running:
                while not exhausted and len(running) < 2 * processes:
                    source = next_source()
                    if source is not None:
                        running.add(pool.submit(worker_store, source))
                if not running:
                    break
                own_turn = helping and not exhausted
                done, _ = futures.wait(running, timeout=0 if own_turn else None, return_when=futures.FIRST_COMPLETED)
                for future in done:
                    running.discard(future)
                    emit(future.result())
                if not done:  # every worker has its next file: this process imports the one after
                    source = next_source()
                    if source is not None:
                        prepared = prepare_source(source, topics=topics)
                        emit(store_safely(prepared, force=force, dry_run=dry_run, cache=cache))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _worker_db_settings() -> dict:
    """The parent's live connection and storage settings, for workers to write to the very same places."""
    return {key: value for key, value in connection.settings_dict.items() if key != "TEST"} | {
        "TEST": dict(connection.settings_dict.get("TEST") or {}),
        STORAGE_KEY: {"STORAGES": dict(settings.STORAGES), "MEDIA_ROOT": str(settings.MEDIA_ROOT)},
    }
