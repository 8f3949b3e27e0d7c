"""Writing one prepared file to the archive, in one transaction.

Why here and nowhere else: the importer and the tests must agree on the rules
that keep the archive trustworthy: one transaction per file, an editor's
change always wins over a re-import (:mod:`.update`), and two imports at once
never create the same issue twice (a PostgreSQL advisory lock per issue key
serialises them).
"""

from __future__ import annotations

import psycopg
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone

from .. import history
from ..analysis.topics import load_starting_topics
from ..dry_run import prepared_as_dict
from ..models import Article, BriefItem, Issue, Organisation, Publication, Topic
from .insert import insert_issue
from .keep import keep_original
from .outcome import Outcome, StoreResult
from .prepare import PreparedFile
from .references import OrganisationCache, resolve_references
from .rows import issue_title
from .update import update_issue

# Errors after which the same file's transaction may simply be run again (concurrent writers).
TRANSIENT_ERRORS = (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure)
RETRIES = 3


def ensure_topics() -> int:
    """Create any starting topic that is missing (by slug); editors' versions are left alone."""
    return load_starting_topics(Topic)


def topic_taxonomy() -> list[dict]:
    """The editable topic list as plain dicts, for the Django-free analysis step."""
    return list(Topic.objects.values("slug", "name", "keywords"))


def issue_key(prepared: PreparedFile) -> str:
    """The advisory lock key of the issue a file holds: its publication, publisher and number, else its file name."""
    parsed = prepared.issue
    if parsed.publication and parsed.number:
        return f"issue:{parsed.publication}@{_publisher_name(prepared) or ''}#{parsed.number}"
    return f"source:{prepared.source_name}"


def _find_existing(prepared: PreparedFile) -> Issue | None:
    parsed = prepared.issue
    qs = Issue.objects.select_for_update()
    if parsed.publication and parsed.number:
        found = qs.filter(
            publication__name=parsed.publication,
            publication__publisher__name=_publisher_name(prepared),
            number=parsed.number,
        ).first()
        if found:
            return found
    return qs.filter(source_name=prepared.source_name, number__isnull=True).first() if not parsed.number else None


def _publisher_name(prepared: PreparedFile) -> str | None:
    return prepared.publisher.name if prepared.publisher else None


def store_prepared(
    prepared: PreparedFile, *, force: bool = False, cache: OrganisationCache | None = None
) -> StoreResult:
    """Write one prepared file in one transaction; an exception leaves nothing behind.

    A file whose issue is new (the common case in a bulk import) takes the fast
    insert (:mod:`.insert`); a file that updates an existing issue takes the
    ORM path that keeps editors' changes (:mod:`.update`).
    """
    if prepared.error or prepared.issue is None:
        return StoreResult(prepared.source_name, Outcome.FAILED, message=prepared.error or "无法解析")
    cache = cache or OrganisationCache()
    parsed = prepared.issue
    counts = {"articles": len(parsed.articles), "briefs": len(parsed.briefs)}
    with transaction.atomic(), history.recording(history.import_reason(prepared.source_name)):
        existing = None
        if _lock_and_look_up(prepared):
            same = Issue.objects.filter(source_sha256=prepared.sha256).first()
            if same and not force:
                return StoreResult(prepared.source_name, Outcome.UNCHANGED, issue_id=same.pk, title=same.title)
            existing = same or _find_existing(prepared)
            if existing and not same and not force and _is_copy(existing, prepared):
                # A copy of a stored issue under another file name: the first file's stays.
                return StoreResult(
                    prepared.source_name,
                    Outcome.UNCHANGED,
                    issue_id=existing.pk,
                    title=existing.title,
                    message=f"与 {existing.source_name} 为同一期",
                )
        now = timezone.now()
        lookups, refs = resolve_references(prepared, cache, now)
        if existing is None:
            issue_id = insert_issue(prepared, refs, lookups, now)
            history.record_new_issue(Issue, (Article, BriefItem), issue_id)
            if prepared.original:
                keep_original(issue_id, prepared)
            return StoreResult(
                prepared.source_name, Outcome.CREATED, issue_id=issue_id, title=issue_title(prepared), **counts
            )
        issue = Issue.objects.select_for_update().get(pk=existing.pk)
        kept = update_issue(prepared, issue, refs, lookups, now)
        if prepared.original:
            keep_original(issue.pk, prepared)
        return StoreResult(
            prepared.source_name, Outcome.UPDATED, issue_id=issue.pk, title=issue.title, kept=kept, **counts
        )


def _is_copy(existing: Issue, prepared: PreparedFile) -> bool:
    """Whether a file of an issue already stored is a mere copy (re-encoded, renamed) to report, not to write.

    An original (PDF, Word, web page) of an issue imported from text is not a
    copy: it brings what the text lacks, the printed pages, so it is attached
    and the issue updated where editors did not change it.
    """
    if existing.source_name == prepared.source_name:
        return False
    return not (prepared.original and not existing.original)


def _lock_and_look_up(prepared: PreparedFile) -> bool:
    """Lock the file's keys, then say whether any issue it could update exists; one round trip.

    ``synchronous_commit = off`` for this transaction only: COMMIT then returns
    before the WAL reaches the disk. Safe for an import: a crash can lose only
    the last few files committed before it, whole (never half a file, the
    transaction is still atomic), and a re-run imports exactly those again
    because their SHA-256 is not in the archive. The editors' writes keep the
    server's durable default.

    The look-up is a separate statement after the locks, so in READ COMMITTED
    it sees whatever an import holding the same lock committed meanwhile.
    Returns ``False`` when neither the same bytes nor the same issue (by
    publication, publisher and number, or by file name for unnumbered issues) is stored:
    the caller may then insert without further checks.
    """
    parsed = prepared.issue
    by_number = bool(parsed.publication and parsed.number)
    by_source = not parsed.number
    issue, publication = Issue._meta.db_table, Publication._meta.db_table
    organisation = Organisation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SET LOCAL synchronous_commit TO off; "
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0)), pg_advisory_xact_lock(hashtextextended(%s, 0)); "
            f"SELECT EXISTS (SELECT 1 FROM {issue} WHERE source_sha256 = %s)"
            f" OR (%s AND EXISTS (SELECT 1 FROM {issue} i JOIN {publication} p ON p.id = i.publication_id"
            f" LEFT JOIN {organisation} o ON o.id = p.publisher_id"
            "  WHERE p.name = %s AND o.name IS NOT DISTINCT FROM %s AND i.number = %s))"
            f" OR (%s AND EXISTS (SELECT 1 FROM {issue} WHERE source_name = %s AND number IS NULL))",
            [
                f"sha:{prepared.sha256}",
                issue_key(prepared),
                prepared.sha256,
                by_number,
                parsed.publication or "",
                _publisher_name(prepared),
                parsed.number or 0,
                by_source,
                prepared.source_name,
            ],
        )
        while cursor.nextset():
            pass
        # psycopg keeps the last statement's result current after the sets are walked.
        row = cursor.fetchone()
    return bool(row and row[0])


def store_safely(prepared: PreparedFile, *, force: bool, dry_run: bool, cache: OrganisationCache) -> StoreResult:
    """Store one file; a database error fails that file only, with a message instead of a traceback."""
    if dry_run:
        if prepared.error:
            return StoreResult(prepared.source_name, Outcome.FAILED, message=prepared.error)
        return StoreResult(
            prepared.source_name,
            Outcome.CHECKED,
            title=prepared.issue.title,
            articles=len(prepared.issue.articles),
            briefs=len(prepared.issue.briefs),
            parsed=prepared_as_dict(prepared),
        )
    for attempt in range(1, RETRIES + 1):
        try:
            return store_prepared(prepared, force=force, cache=cache)
        except Exception as exc:
            # Rows cached during the failed transaction may have been rolled back with it.
            cache.clear()
            if attempt < RETRIES and isinstance(exc.__cause__, TRANSIENT_ERRORS):
                continue  # the whole file's transaction was rolled back: simply run it again
            close_old_connections()
            return _failed(prepared, exc)
    raise AssertionError("unreachable")


def _failed(prepared: PreparedFile, exc: Exception) -> StoreResult:
    """One clear line for a file that could not be stored."""
    detail = (str(exc).strip().splitlines() or [exc.__class__.__name__])[0]
    prefix = "数据库错误" if isinstance(exc, DatabaseError) else "导入出错"
    return StoreResult(prepared.source_name, Outcome.FAILED, message=f"{prefix}：{detail}")
