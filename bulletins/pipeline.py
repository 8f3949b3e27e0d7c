"""From a file's bytes to everything the database needs, without touching Django.

Why a separate, Django-free step: it is the expensive part (decoding, parsing,
one jieba pass per text, keywords, organisations, topics) and it runs in worker
processes for ``import_bulletins --workers N``. Importing this module must not
need Django: a spawned worker unpickles its entry points from here before it
has set Django up (see :func:`worker_init`, which then does, so that the worker
also writes its own files).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import multiprocessing.connection
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .analysis.organisations import OrgMention, describe, find_organisations
from .analysis.segmentation import get_segmenter
from .analysis.topics import assign_topics
from .parsing.bulletin import parse_bulletin
from .parsing.decoding import decode_bytes
from .parsing.results import ParsedIssue, ParseError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass
class AnalysedText:
    """Search and classification data of one article or brief item."""

    segmented: str
    keywords: list[str]
    organisations: list[OrgMention]
    topics: list[str]


@dataclass
class PreparedFile:
    """One parsed and analysed bulletin file, ready to be stored (or a failure)."""

    path: str
    source_name: str
    sha256: str
    raw_text: str = ""
    issue: ParsedIssue | None = None
    publisher: OrgMention | None = None
    articles: list[AnalysedText] = field(default_factory=list)
    briefs: list[AnalysedText] = field(default_factory=list)
    error: str = ""


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_source(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, str]:
    """Read a file's bytes and SHA-256, refusing huge files before reading them whole."""
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise ParseError(f"文件过大（{size / 1024 / 1024:.1f} MB，上限 {max_bytes / 1024 / 1024:.0f} MB）")
    data = path.read_bytes()
    return data, file_digest(data)


def _publisher_mention(issue: ParsedIssue) -> OrgMention | None:
    if not issue.publisher:
        return None
    return describe(issue.publisher)


def analyse_text(
    text: str, *, issue: ParsedIssue, topics: list[dict], region: str = "", keywords: bool
) -> AnalysedText:
    """Segment once; keywords and topics come from those same tokens."""
    segmenter = get_segmenter()
    segmented = segmenter.segmented(text)
    return AnalysedText(
        segmented=" ".join(segmented.tokens),
        keywords=segmenter.keywords(segmented) if keywords else [],
        organisations=find_organisations(
            text, publisher=issue.publisher, subject_city=issue.subject_city, region=region
        ),
        topics=assign_topics(segmented, topics),
    )


def prepare_file(
    path: str | Path, *, topics: list[dict], max_bytes: int = DEFAULT_MAX_BYTES, data: bytes | None = None
) -> PreparedFile:
    """Decode, parse and analyse one file. Never raises for bad input: the error is in ``.error``."""
    path = Path(path)
    prepared = PreparedFile(path=str(path), source_name=path.name, sha256="")
    try:
        if data is None:
            data, prepared.sha256 = read_source(path, max_bytes=max_bytes)
        else:
            prepared.sha256 = file_digest(data)
        text = decode_bytes(data, max_bytes=max_bytes)
        issue = parse_bulletin(text, source_name=path.name)
    except ParseError as exc:
        prepared.error = str(exc)
        return prepared
    except OSError as exc:
        prepared.error = f"无法读取文件：{exc.strerror or exc}"
        return prepared
    prepared.raw_text = text
    prepared.issue = issue
    prepared.publisher = _publisher_mention(issue)
    prepared.articles = [
        analyse_text(
            "\n".join(filter(None, [a.title, a.subtitle, a.body])),
            issue=issue,
            topics=topics,
            region=a.region,
            keywords=True,
        )
        for a in issue.articles
    ]
    prepared.briefs = [analyse_text(b.text, issue=issue, topics=topics, keywords=False) for b in issue.briefs]
    return prepared


def warm_up(topics: list[dict]) -> None:
    """Load what the first file would otherwise load lazily: jieba, the IDF table, the topic and place tables.

    Why: a worker (or a timed run) should pay these one-time costs (about a
    second) before its first file, not in the middle of the batch.
    """
    issue = ParsedIssue(publication="", publisher="", number=None, date=None, title="")
    analyse_text("湖北省红十字会在武汉举办应急救护培训班。", issue=issue, topics=topics, keywords=True)


# Worker-process entry points for ``import_bulletins --workers N`` (spawned processes unpickle them from here).
_WORKER: dict = {}


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
    module would pick (pytest-django renames it to the test database). The
    settings module still runs first, so an embedded server is started if
    needed (``ensure_running`` is reentrant and cheap when it runs already).
    A process that only writes (``analyses=False``) skips loading jieba.
    """
    _exit_with_parent()
    if analyses:
        warm_up(topics)
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django
    from django.conf import settings

    settings.DATABASES["default"] = dict(database)
    django.setup()

    from multiprocessing.util import Finalize

    from django.db import connection

    from .services import OrganisationCache

    # Close the worker's connection when the pool shuts it down, rather than dropping the socket.
    Finalize(None, connection.close, exitpriority=10)
    _WORKER.update(topics=topics, force=force, dry_run=dry_run, cache=OrganisationCache())


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


def worker_store(job: tuple[str, int]):
    """Prepare and store one file in this worker; only the (small) ``StoreResult`` goes back to the parent."""
    path, max_bytes = job
    return worker_write(prepare_file(path, topics=_WORKER["topics"], max_bytes=max_bytes))


def worker_write(prepared: PreparedFile):
    """Store one file the parent prepared (``--workers 1``: the parent segments, this process writes)."""
    from .services import store_safely

    return store_safely(prepared, force=_WORKER["force"], dry_run=_WORKER["dry_run"], cache=_WORKER["cache"])
