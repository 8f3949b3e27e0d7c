"""Every write to the archive goes through here.

Why: the importer, the admin and the tests must agree on the rules that keep
the archive trustworthy: one transaction per file, an editor's change always
wins over a re-import, and two imports at once never create the same issue
twice (a PostgreSQL advisory lock per issue key serialises them).
"""

from __future__ import annotations

import collections
import contextlib
import enum
import multiprocessing
import os
from collections.abc import Callable
from concurrent import futures
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from . import history
from .analysis.organisations import OrgMention, describe
from .analysis.topics import load_starting_topics
from .dry_run import prepared_as_dict
from .editing import STRUCTURE_KEPT, bump_issue_version, mark_edited, rows_by_file_position  # noqa: F401
from .models import Article, BriefItem, Issue, Organisation, Publication, Topic
from .pipeline import PreparedFile, file_digest, prepare_file, worker_init, worker_store, worker_write

# Fields an importer may set on each model; an editor's change to any of them is kept.
ISSUE_FIELDS = ("publication", "publisher", "number", "total_number", "date", "title", "needs_review", "review_notes")
ARTICLE_FIELDS = ("section", "title", "subtitle", "byline", "region", "body", "captions", "date", "keywords")
BRIEF_FIELDS = ("date", "end_date", "text", "source")


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"
    CHECKED = "checked"  # --dry-run: parsed and analysed, nothing written


@dataclass
class StoreResult:
    """What happened to one file; the command turns a list of these into its report."""

    source: str
    outcome: Outcome
    issue_id: int | None = None
    title: str = ""
    articles: int = 0
    briefs: int = 0
    kept: list[str] = field(default_factory=list)
    message: str = ""
    parsed: dict | None = None  # --dry-run: everything parsed and analysed (see bulletins.dry_run)

    def as_dict(self) -> dict:
        extra = {} if self.parsed is None else {"parsed": self.parsed}
        return {
            "source": self.source,
            "outcome": str(self.outcome),
            "issue_id": self.issue_id,
            "title": self.title,
            "articles": self.articles,
            "briefs": self.briefs,
            "kept_editor_fields": self.kept,
            "message": self.message,
        } | extra


def mark_reviewed(queryset: QuerySet[Issue]) -> int:
    """The admin action: the editor vouches for these issues."""
    count = 0
    with transaction.atomic():
        # The admin's queryset carries annotations (counts) that FOR UPDATE refuses; lock by id.
        ids = list(queryset.values_list("pk", flat=True))
        for issue in Issue.objects.filter(pk__in=ids).select_for_update():
            issue.needs_review = False
            mark_edited(issue, ["needs_review"])
            issue.version = F("version") + 1
            issue.save(update_fields=["needs_review", "edited_fields", "version", "updated_at"])
            count += 1
    return count


def ensure_topics() -> int:
    """Create any starting topic that is missing (by slug); editors' versions are left alone."""
    return load_starting_topics(Topic)


def topic_taxonomy() -> list[dict]:
    """The editable topic list as plain dicts, for the Django-free analysis step."""
    return list(Topic.objects.values("slug", "name", "keywords"))


def _advisory_lock(*keys: str) -> None:
    """Take a transaction-level advisory lock per key, in order, in one round trip."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join("pg_advisory_xact_lock(hashtextextended(%s, 0))" for _ in keys), list(keys)
        )


def _issue_key(prepared: PreparedFile) -> str:
    parsed = prepared.issue
    if parsed.publication and parsed.number:
        return f"issue:{parsed.publication}@{_publisher_name(prepared) or ''}#{parsed.number}"
    return f"source:{prepared.source_name}"


def _find_existing(prepared: PreparedFile) -> Issue | None:
    parsed = prepared.issue
    qs = Issue.objects.select_for_update()
    if parsed.publication and parsed.number:
        publisher = _publisher_name(prepared)
        found = qs.filter(
            publication__name=parsed.publication, publication__publisher__name=publisher, number=parsed.number
        ).first()
        if found:
            return found
    return qs.filter(source_name=prepared.source_name, number__isnull=True).first() if not parsed.number else None


def _publisher_name(prepared: PreparedFile) -> str | None:
    return prepared.publisher.name if prepared.publisher else None


class OrganisationCache:
    """Canonical organisations by name, created on first sight, in few queries.

    Also keeps the topics and publications already looked up during one batch,
    so a file costs no query for them once they are known.
    """

    def __init__(self):
        self._by_name: dict[str, Organisation] = {}
        self._publications: dict[str, Publication] = {}
        self._topics: dict[str, Topic] | None = None

    def clear(self) -> None:
        """Forget everything: after a rolled-back transaction, cached rows may not exist."""
        self._by_name.clear()
        self._publications.clear()
        self._topics = None

    def topics(self) -> dict[str, Topic]:
        if self._topics is None:
            self._topics = {t.slug: t for t in Topic.objects.all()}
        return self._topics

    def publication(self, name: str, publisher: Organisation | None) -> Publication:
        """The publication called ``name``, created (with this publisher) if new: one statement, no savepoint."""
        key = f"{name}@{publisher.pk if publisher else ''}"
        found = self._publications.get(key)
        if found is None:
            table = Publication._meta.db_table
            with connection.cursor() as cursor:
                cursor.execute(
                    f"WITH new AS (INSERT INTO {table} (name, publisher_id) VALUES (%s, %s)"
                    " ON CONFLICT (name, publisher_id) DO NOTHING RETURNING id, name, publisher_id)"
                    f" SELECT id, name, publisher_id FROM new UNION ALL SELECT id, name, publisher_id FROM {table}"
                    " WHERE name = %s AND publisher_id IS NOT DISTINCT FROM %s",
                    [name, publisher.pk if publisher else None, name, publisher.pk if publisher else None],
                )
                row = cursor.fetchone()
                if row is None:
                    # Committed by another import after this statement began: a new statement sees it.
                    cursor.execute(
                        f"SELECT id, name, publisher_id FROM {table} WHERE name = %s"
                        " AND publisher_id IS NOT DISTINCT FROM %s",
                        [name, publisher.pk if publisher else None],
                    )
                    row = cursor.fetchone()
            found = Publication.from_db(None, ["id", "name", "publisher_id"], row)
            self._publications[key] = found
        return found

    def resolve(self, mentions: list[OrgMention]) -> dict[str, Organisation]:
        """Organisations by name for these mentions (and their parents), creating the new ones.

        Names not cached yet cost one statement: an ``INSERT ... ON CONFLICT DO
        NOTHING`` returning the new rows, and the existing ones read in the same
        statement. A name committed by a concurrent import after that statement
        began is in neither; a second look-up finds it.
        """
        wanted = {m.name: m for m in mentions}
        for parent in {m.parent for m in mentions if m.parent}:
            wanted.setdefault(parent, describe(parent))
        # Sorted, so that two imports creating the same names lock them in the same order.
        missing = sorted(name for name in wanted if name not in self._by_name)
        if missing:
            table = Organisation._meta.db_table
            fields = ["id", "name", "parent_id"]
            created = False
            with connection.cursor() as cursor:
                cursor.execute(
                    f"WITH new AS (INSERT INTO {table} (name, kind, level, region, province, aliases)"
                    " SELECT name, kind, level, region, province, '{}' FROM unnest(%s::text[], %s::text[],"
                    " %s::text[], %s::text[], %s::text[]) AS v(name, kind, level, region, province)"
                    " ORDER BY name ON CONFLICT (name) DO NOTHING RETURNING id, name, parent_id, true)"
                    f" SELECT * FROM new UNION ALL SELECT id, name, parent_id, false FROM {table}"
                    " WHERE name = ANY(%s::text[])",
                    [
                        missing,
                        [wanted[n].kind for n in missing],
                        [wanted[n].level for n in missing],
                        [wanted[n].region for n in missing],
                        [wanted[n].province for n in missing],
                        missing,
                    ],
                )
                for *row, is_new in cursor.fetchall():
                    self._by_name[row[1]] = Organisation.from_db(None, fields, row)
                    created = created or is_new
                late = [name for name in missing if name not in self._by_name]
                if late:
                    cursor.execute(f"SELECT id, name, parent_id FROM {table} WHERE name = ANY(%s::text[])", [late])
                    for row in cursor.fetchall():
                        self._by_name[row[1]] = Organisation.from_db(None, fields, row)
            if created:
                self._link_parents(sorted((m for m in wanted.values() if m.parent), key=lambda m: m.name))
        return {name: self._by_name[name] for name in wanted}

    def _link_parents(self, mentions: list[OrgMention]) -> None:
        """Give organisations without a parent the one their mention names, in one statement."""
        pairs = []
        for mention in mentions:
            org, parent = self._by_name.get(mention.name), self._by_name.get(mention.parent)
            if org and parent and org.parent_id is None and org.pk != parent.pk:
                pairs.append((org, parent))
        if not pairs:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Organisation._meta.db_table} AS o SET parent_id = v.parent"
                f" FROM (VALUES {', '.join(['(%s::bigint, %s::bigint)'] * len(pairs))}) AS v(id, parent)"
                " WHERE o.id = v.id AND o.parent_id IS NULL",
                [pk for org, parent in pairs for pk in (org.pk, parent.pk)],
            )
        for org, parent in pairs:
            org.parent_id = parent.pk


def store_prepared(
    prepared: PreparedFile, *, force: bool = False, cache: OrganisationCache | None = None
) -> StoreResult:
    """Write one prepared file in one transaction; an exception leaves nothing behind.

    A file whose issue is new (the common case in a bulk import) is written
    with a handful of hand-built statements (:func:`_insert_new_issue`); a file
    that updates an existing issue takes the ORM path that keeps editors'
    changes (:func:`_write_issue`), which is rare and not worth a second copy.
    """
    if prepared.error or prepared.issue is None:
        return StoreResult(prepared.source_name, Outcome.FAILED, message=prepared.error or "无法解析")
    cache = cache or OrganisationCache()
    with transaction.atomic(), history.recording(history.import_reason(prepared.source_name)):
        found = _lock_and_look_up(prepared)
        if found is None:
            return _insert_new_issue(prepared, cache)
        same = Issue.objects.filter(source_sha256=prepared.sha256).first()
        if same and not force:
            return StoreResult(prepared.source_name, Outcome.UNCHANGED, issue_id=same.pk, title=same.title)
        existing = same or _find_existing(prepared)
        if existing and not same and not force and existing.source_name != prepared.source_name:
            message = f"与 {existing.source_name} 为同一期"  # a copy under another name: keep the first file's
            return StoreResult(prepared.source_name, Outcome.UNCHANGED, existing.pk, existing.title, message=message)
        if existing:
            existing = Issue.objects.select_for_update().get(pk=existing.pk)
        return _write_issue(prepared, existing, cache)


def _lock_and_look_up(prepared: PreparedFile) -> bool | None:
    """Lock the file's keys, then say whether any issue it could update exists; one round trip.

    ``synchronous_commit = off`` for this transaction only: COMMIT then returns
    before the WAL reaches the disk. Safe for an import: a crash can lose only
    the last few files committed before it, whole (never half a file, the
    transaction is still atomic), and a re-run imports exactly those again
    because their SHA-256 is not in the archive. The editors' writes keep the
    server's durable default.

    The look-up is a separate statement after the locks, so in READ COMMITTED
    it sees whatever an import holding the same lock committed meanwhile.
    Returns ``None`` when neither the same bytes nor the same issue (by
    publication and number, or by file name for unnumbered issues) is stored:
    the caller may then insert without further checks.
    """
    parsed = prepared.issue
    by_number = bool(parsed.publication and parsed.number)
    by_source = not parsed.number
    issue, publication = Issue._meta.db_table, Publication._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SET LOCAL synchronous_commit TO off; "
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0)), pg_advisory_xact_lock(hashtextextended(%s, 0)); "
            f"SELECT EXISTS (SELECT 1 FROM {issue} WHERE source_sha256 = %s)"
            f" OR (%s AND EXISTS (SELECT 1 FROM {issue} i JOIN {publication} p ON p.id = i.publication_id"
            f" LEFT JOIN {Organisation._meta.db_table} o ON o.id = p.publisher_id"
            "                    WHERE p.name = %s AND o.name IS NOT DISTINCT FROM %s AND i.number = %s))"
            f" OR (%s AND EXISTS (SELECT 1 FROM {issue} WHERE source_name = %s AND number IS NULL))",
            [
                f"sha:{prepared.sha256}",
                _issue_key(prepared),
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
    return True if row and row[0] else None


def _resolve_references(prepared: PreparedFile, cache: OrganisationCache):
    """The file's organisations (by name), its publisher and its publication, created if new."""
    parsed = prepared.issue
    mentions = [m for analysed in [*prepared.articles, *prepared.briefs] for m in analysed.organisations]
    if prepared.publisher:
        mentions.append(prepared.publisher)
    orgs = cache.resolve(mentions)
    publisher = orgs.get(prepared.publisher.name) if prepared.publisher else None
    publication = None
    if parsed.publication:
        publication = cache.publication(parsed.publication, publisher)
    return orgs, publisher, publication


def _insert_new_issue(prepared: PreparedFile, cache: OrganisationCache) -> StoreResult:
    """Insert a new issue, its articles, brief items and their links in two statements.

    Why not the ORM here: building model instances, four ``bulk_create`` calls
    and their SQL cost more per file than PostgreSQL spends storing it. The
    issue goes first, alone, so that the rows inserted next see it (the
    ``day`` trigger on articles and brief items reads the issue's date); the
    children and all four link tables then go in one statement of
    data-modifying CTEs, the link rows joined to the new ids by position.
    Column lists are explicit: columns the database fills (identity,
    generated, trigger-maintained) are left to it.
    """
    parsed = prepared.issue
    orgs, publisher, publication = _resolve_references(prepared, cache)
    now = timezone.now()
    title = parsed.title[:300] or prepared.source_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Issue._meta.db_table} (publication_id, publisher_id, number, total_number, date, title,"
            " source_name, source_sha256, raw_text, imported_at, updated_at, needs_review, review_notes,"
            " edited_fields, version) VALUES (%s, %s, %s, %s, %s::date, %s, %s, %s, %s, %s, %s, %s, %s, '{}', 1)"
            " RETURNING id",
            [
                publication.pk if publication else None,
                publisher.pk if publisher else None,
                parsed.number,
                parsed.total_number,
                parsed.date,
                title,
                prepared.source_name,
                prepared.sha256,
                prepared.raw_text,
                now,
                now,
                bool(parsed.review_reasons),
                "；".join(parsed.review_reasons),
            ],
        )
        issue_id = cursor.fetchone()[0]
        sql, params = _children_sql(issue_id, prepared, orgs, cache.topics())
        if sql:
            cursor.execute(sql, params)
    history.record_new_issue(Issue, (Article, BriefItem), issue_id)
    return StoreResult(
        prepared.source_name,
        Outcome.CREATED,
        issue_id=issue_id,
        title=title,
        articles=len(parsed.articles),
        briefs=len(parsed.briefs),
    )


_ARTICLE_COLUMNS = (
    "position, section, title, subtitle, byline, region, body, captions, date, keywords, segmented_text, edited_fields"
)
_ARTICLE_ROW = "(%s::integer, %s, %s, %s, %s, %s, %s, %s::text[], %s::date, %s::varchar[], %s, '{}'::varchar[])"
_BRIEF_COLUMNS = "position, date, end_date, text, source, segmented_text, edited_fields"
_BRIEF_ROW = "(%s::integer, %s::date, %s::date, %s, %s, %s, '{}'::varchar[])"
_LINK_ROW = "(%s::integer, %s::bigint)"


def _link_rows(analysed: list, positions: list[int], orgs: dict, topics: dict) -> tuple[list, list]:
    """(position, organisation id) and (position, topic id) pairs, each pair once."""
    org_rows, topic_rows = [], []
    for position, extra in zip(positions, analysed, strict=True):
        for names, lookup, out in (
            ([m.name for m in extra.organisations], orgs, org_rows),
            (extra.topics, topics, topic_rows),
        ):
            seen = set()
            for name in names:
                target = lookup.get(name)
                if target is not None and target.pk not in seen:
                    seen.add(target.pk)
                    out += (position, target.pk)
    return org_rows, topic_rows


def _children_sql(issue_id: int, prepared: PreparedFile, orgs: dict, topics: dict) -> tuple[str, list]:
    """One statement inserting a new issue's articles, brief items and link rows (``""`` if none)."""
    parsed = prepared.issue
    ctes: list[str] = []
    params: list = []
    for alias, model, items, analysed, columns, row in (
        ("a", Article, parsed.articles, prepared.articles, _ARTICLE_COLUMNS, _ARTICLE_ROW),
        ("b", BriefItem, parsed.briefs, prepared.briefs, _BRIEF_COLUMNS, _BRIEF_ROW),
    ):
        if not items:
            continue
        params.append(issue_id)
        for item, extra in zip(items, analysed, strict=True):
            if model is Article:
                v = _article_values(item)
                params += (
                    v["position"], v["section"], v["title"], v["subtitle"], v["byline"], v["region"], v["body"],
                    v["captions"], v["date"], extra.keywords, extra.segmented,
                )  # fmt: skip
            else:
                params += (item.position, item.date, item.end_date, item.text, item.source[:100], extra.segmented)
        ctes.append(
            f"{alias} AS (INSERT INTO {model._meta.db_table} (issue_id, {columns})"
            f" SELECT %s::bigint, v.* FROM (VALUES {', '.join([row] * len(items))}) AS v RETURNING id, position)"
        )
        org_rows, topic_rows = _link_rows(analysed, [item.position for item in items], orgs, topics)
        for suffix, relation, rows in (("o", "organisations", org_rows), ("t", "topics", topic_rows)):
            if not rows:
                continue
            m2m = model._meta.get_field(relation)
            ctes.append(
                f"{alias}{suffix} AS (INSERT INTO {m2m.m2m_db_table()} ({m2m.m2m_column_name()}, "
                f"{m2m.m2m_reverse_name()}) SELECT {alias}.id, l.target FROM {alias} JOIN (VALUES "
                f"{', '.join([_LINK_ROW] * (len(rows) // 2))}) AS l(position, target) ON l.position = {alias}.position)"
            )
            params += rows
    if not ctes:
        return "", []
    return "WITH " + ", ".join(ctes) + " SELECT 1", params


def _write_issue(prepared: PreparedFile, existing: Issue | None, cache: OrganisationCache) -> StoreResult:
    """The ORM path: create or update an issue, keeping every field an editor changed."""
    parsed = prepared.issue
    orgs, publisher, publication = _resolve_references(prepared, cache)
    values = {
        "publication": publication,
        "publisher": publisher,
        "number": parsed.number,
        "total_number": parsed.total_number,
        "date": parsed.date,
        "title": parsed.title[:300] or prepared.source_name,
        "needs_review": bool(parsed.review_reasons),
        "review_notes": "；".join(parsed.review_reasons),
    }
    provenance = {
        "source_name": prepared.source_name,
        "source_sha256": prepared.sha256,
        "raw_text": prepared.raw_text,
        "imported_at": timezone.now(),
    }
    kept: list[str] = []
    if existing is None:
        issue = Issue.objects.create(**values, **provenance)
        outcome = Outcome.CREATED
    else:
        issue = existing
        kept += [STRUCTURE_KEPT] if issue.structure_edited else []
        kept += _apply(issue, values, "期刊")
        for name, value in provenance.items():
            setattr(issue, name, value)
        issue.version += 1
        issue.save()
        outcome = Outcome.UPDATED
    topics = cache.topics()
    new = existing is None
    kept += _write_children(
        issue,
        Article,
        [_article_values(a) for a in parsed.articles],
        prepared.articles,
        orgs,
        topics,
        label="文章",
        new=new,
    )
    kept += _write_children(
        issue,
        BriefItem,
        [_brief_values(b) for b in parsed.briefs],
        prepared.briefs,
        orgs,
        topics,
        label="简讯",
        new=new,
    )
    return StoreResult(
        prepared.source_name,
        outcome,
        issue_id=issue.pk,
        title=issue.title,
        articles=len(parsed.articles),
        briefs=len(parsed.briefs),
        kept=kept,
    )


def _article_values(article) -> dict:
    return {
        "position": article.position,
        "section": article.section[:100],
        "title": (article.title or "（无标题）")[:500],
        "subtitle": article.subtitle[:500],
        "byline": article.byline[:200],
        "region": article.region[:100],
        "body": article.body,
        "captions": list(article.captions),
        "date": article.date,
    }


def _brief_values(brief) -> dict:
    return {
        "position": brief.position,
        "date": brief.date,
        "end_date": brief.end_date,
        "text": brief.text,
        "source": brief.source[:100],
    }


def _apply(obj, values: dict, label: str) -> list[str]:
    """Set every value the editor has not changed; return the kept ones for the report."""
    kept = []
    for name, value in values.items():
        if name in obj.edited_fields:
            kept.append(f"{label}{getattr(obj, 'position', '')}.{name}")
            continue
        setattr(obj, name, value)
    return kept


def _write_children(
    issue, model, rows: list[dict], analysed, orgs, topics, *, label: str, new: bool = False
) -> list[str]:
    """Create or update articles/brief items by position, keeping editors' changes.

    Rows are matched by position so that an article keeps its id (and its
    permalink) across re-imports. A row an editor touched is never deleted.
    ``new``: the issue was created in this transaction, so it has no rows or links yet.
    Once an editor changed the issue's structure (``frozen``), rows are matched
    by their position in the file and nothing is added, removed or moved.
    """
    frozen = not new and issue.structure_edited
    existing = {} if new else rows_by_file_position(model, issue)
    kept: list[str] = []
    to_create, to_update, links = [], [], []
    update_fields = [*(ARTICLE_FIELDS if model is Article else BRIEF_FIELDS), "segmented_text"]
    for values, extra in zip(rows, analysed, strict=True):
        values = {**values, "segmented_text": extra.segmented}
        if model is Article:
            values["keywords"] = extra.keywords
        obj = existing.pop(values.pop("position") if frozen else values["position"], None)
        if obj is None:
            if frozen:
                continue
            obj = model(issue=issue, **values)
            to_create.append(obj)
        else:
            kept += _apply(obj, values, label)
            to_update.append(obj)
        links.append((obj, extra))
    leftover = [] if frozen else list(existing.values())
    stale = [obj.pk for obj in leftover if not obj.edited_fields]
    kept += [f"{label}{obj.position}" for obj in leftover if obj.edited_fields]
    if stale:
        model.objects.filter(pk__in=stale).delete()
    model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, update_fields)
    history.record_bulk(model, to_create, created=True)
    history.record_bulk(model, to_update)
    _write_links(model, links, orgs, topics, new=new)
    return kept


def _write_links(model, links, orgs, topics, *, new: bool = False) -> None:
    """Replace organisation and topic links in bulk, except where an editor set them."""
    owner = f"{model._meta.model_name}_id"
    for relation, target, lookup, key in (
        ("organisations", "organisation_id", orgs, lambda e: [m.name for m in e.organisations]),
        ("topics", "topic_id", topics, lambda e: e.topics),
    ):
        through = getattr(model, relation).through
        free = [(obj, extra) for obj, extra in links if relation not in obj.edited_fields]
        if not new:
            through.objects.filter(**{f"{owner}__in": [obj.pk for obj, _ in free]}).delete()
        rows = []
        for obj, extra in free:
            seen = set()
            for name in key(extra):
                target_obj = lookup.get(name)
                if target_obj and target_obj.pk not in seen:
                    seen.add(target_obj.pk)
                    rows.append(through(**{owner: obj.pk, target: target_obj.pk}))
        through.objects.bulk_create(rows, ignore_conflicts=True)


def collect_paths(paths: list[str]) -> tuple[list[Path], list[StoreResult]]:
    """Expand files and folders (searched recursively for ``*.txt``) into a sorted, de-duplicated list."""
    found: dict[Path, None] = {}
    missing: list[StoreResult] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*.txt")):
                if child.is_file():
                    found.setdefault(child.resolve(), None)
        elif path.is_file():
            found.setdefault(path.resolve(), None)
        else:
            missing.append(StoreResult(raw, Outcome.FAILED, message="路径不存在"))
    return list(found), missing


def import_paths(
    paths: list[Path],
    *,
    force: bool = False,
    dry_run: bool = False,
    workers: int = 1,
    max_bytes: int | None = None,
    on_result: Callable[[StoreResult], None] | None = None,
) -> list[StoreResult]:
    """Import files: unchanged ones are skipped by hash, the rest prepared and stored in ``workers`` processes.

    Each file is stored in its own transaction as soon as it is ready, so a
    failure (bad input, a lost connection) costs that file only and the batch
    goes on. With ``workers > 1`` each worker process both prepares and writes
    its files over its own connection and sends back only the result: writing
    in the parent made the parent the bottleneck. Returns one result per path,
    in completion order.
    """
    max_bytes = max_bytes or settings.IMPORT_MAX_BYTES
    results: list[StoreResult] = []

    def emit(result: StoreResult) -> None:
        results.append(result)
        if on_result:
            on_result(result)

    todo = []
    if not force:
        digests = {}
        for path in paths:
            try:
                if path.stat().st_size <= max_bytes:
                    digests[path] = file_digest(path.read_bytes())
            except OSError:
                pass
        known = {
            sha: (pk, title)
            for sha, pk, title in Issue.objects.filter(source_sha256__in=digests.values())
            .order_by()
            .values_list("source_sha256", "pk", "title")
        }
        for path in paths:
            if digests.get(path) in known:
                pk, title = known[digests[path]]
                emit(StoreResult(path.name, Outcome.UNCHANGED, issue_id=pk, title=title))
            else:
                todo.append(path)
    else:
        todo = list(paths)

    topics = topic_taxonomy()
    jobs = [(str(path), max_bytes) for path in todo]
    if workers > 1 and len(jobs) > 1:
        _import_in_pool(jobs, topics, workers=min(workers, len(jobs)), force=force, dry_run=dry_run, emit=emit)
    elif len(jobs) > 1 and not dry_run and not connection.in_atomic_block:
        _prepare_while_writing(jobs, topics, force=force, emit=emit)
    else:
        cache = OrganisationCache()
        for path, limit in jobs:
            prepared = prepare_file(path, topics=topics, max_bytes=limit)
            emit(store_safely(prepared, force=force, dry_run=dry_run, cache=cache))
    return results


def _prepare_while_writing(jobs: list[tuple[str, int]], topics: list[dict], *, force: bool, emit) -> None:
    """One worker: this process prepares file N+1 while a writer process stores file N.

    Why a process and not a thread: storing a file takes several round trips
    to PostgreSQL, and a writer thread had to win the GIL back from the
    segmenting thread after each of them (up to 5 ms every time), so the
    writes fell behind and held the import back (about half the time of a
    one-worker import went there). A separate process sets Django up on its
    own connection (the parent's actual settings), starts while the first
    files are being prepared, and receives each prepared file (parse, tokens,
    keywords, organisations, topics: a few tens of kilobytes) through a pipe.
    At most two files wait for it, so memory stays flat. Not used inside a
    caller's transaction: rows written by another connection would be neither
    visible to the caller nor rolled back with it.
    """
    init = (topics, os.environ.get("DJANGO_SETTINGS_MODULE", "archive.settings"), _worker_db_settings(), force)
    context = multiprocessing.get_context("spawn")
    waiting: collections.deque = collections.deque()
    with (
        _helpers_alive(),
        ProcessPoolExecutor(1, mp_context=context, initializer=worker_init, initargs=(*init, False, False)) as writer,
    ):
        for path, limit in jobs:
            waiting.append(writer.submit(worker_write, prepare_file(path, topics=topics, max_bytes=limit)))
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


def _import_in_pool(jobs: list, topics: list[dict], *, workers: int, force: bool, dry_run: bool, emit) -> None:
    """Spawned workers prepare and store the files; this process reports, and works itself until they are up.

    "spawn": a fresh interpreter per worker that sets Django up itself and
    opens its own connection, never this process's; the parent's actual
    connection settings go along (in tests NAME is the test database).
    Starting a worker (interpreter, Django, jieba, the IDF and place tables)
    takes one to a few seconds; rather than wait, this process imports files
    itself until the first worker result arrives. Jobs are handed to the
    workers a few at a time (at most two per worker in flight) so that the
    rest stay available here meanwhile. A worker that dies (killed, out of
    memory) stops the import with a clear error instead of leaving it waiting
    for a result that will never come.
    """
    pending = collections.deque(jobs)
    running: set = set()
    # Helping writes on this process's connection: not inside a caller's transaction (workers write outside it).
    helping = not dry_run and not connection.in_atomic_block
    cache = OrganisationCache()
    init = (topics, os.environ.get("DJANGO_SETTINGS_MODULE", "archive.settings"), _worker_db_settings(), force, dry_run)
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=worker_init, initargs=init)
    try:
        with _helpers_alive():
            while pending or running:
                while pending and len(running) < 2 * workers:
                    running.add(pool.submit(worker_store, pending.popleft()))
                done, _ = futures.wait(running, timeout=0 if helping else None, return_when=futures.FIRST_COMPLETED)
                if not done:
                    if pending:  # the workers are still starting: import the next waiting file here
                        path, limit = pending.popleft()
                        prepared = prepare_file(path, topics=topics, max_bytes=limit)
                        emit(store_safely(prepared, force=force, dry_run=dry_run, cache=cache))
                    else:
                        helping = False
                    continue
                helping = False  # a worker is up: from now on the workers do all the work
                for future in done:
                    running.discard(future)
                    emit(future.result())
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _worker_db_settings() -> dict:
    """The parent's live connection settings, for workers to connect to the very same database."""
    return {key: value for key, value in connection.settings_dict.items() if key != "TEST"} | {
        "TEST": dict(connection.settings_dict.get("TEST") or {})
    }


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


# Errors after which the same file's transaction may simply be run again (concurrent writers).
TRANSIENT_ERRORS = (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure)
RETRIES = 3


def _failed(prepared: PreparedFile, exc: Exception) -> StoreResult:
    """One clear line for a file that could not be stored."""
    detail = (str(exc).strip().splitlines() or [exc.__class__.__name__])[0]
    prefix = "数据库错误" if isinstance(exc, DatabaseError) else "导入出错"
    return StoreResult(prepared.source_name, Outcome.FAILED, message=f"{prefix}：{detail}")
