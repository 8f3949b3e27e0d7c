"""Every write to the archive goes through here.

Why: the importer, the admin and the tests must agree on the rules that keep
the archive trustworthy: one transaction per file, an editor's change always
wins over a re-import, and two imports at once never create the same issue
twice (a PostgreSQL advisory lock per issue key serialises them).
"""

from __future__ import annotations

import enum
import multiprocessing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from .analysis import OrgMention
from .models import Article, BriefItem, Issue, Organisation, Publication, Topic
from .pipeline import PreparedFile, file_digest, prepare_file, worker_init, worker_prepare
from .topics import load_starting_topics

# Fields an importer may set on each model; an editor's change to any of them is kept.
ISSUE_FIELDS = ("publication", "publisher", "number", "date", "title", "needs_review", "review_notes")
ARTICLE_FIELDS = ("section", "title", "subtitle", "byline", "region", "body", "captions", "date", "keywords")
BRIEF_FIELDS = ("date", "end_date", "text")
UNTRACKED_FIELDS = {"version", "edited_fields"}


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

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "outcome": str(self.outcome),
            "issue_id": self.issue_id,
            "title": self.title,
            "articles": self.articles,
            "briefs": self.briefs,
            "kept_editor_fields": self.kept,
            "message": self.message,
        }


def mark_edited(obj, fields) -> None:
    """Remember that an editor changed ``fields`` of ``obj`` (saved by the caller)."""
    new = [name for name in fields if name not in UNTRACKED_FIELDS and name not in obj.edited_fields]
    if new:
        obj.edited_fields = [*obj.edited_fields, *new]


def bump_issue_version(issue_id: int) -> None:
    """An edit to an article or brief item makes older forms of the same issue stale."""
    Issue.objects.filter(pk=issue_id).update(version=F("version") + 1)


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


def issue_exists(sha256: str) -> bool:
    return Issue.objects.filter(source_sha256=sha256).exists()


def _advisory_lock(*keys: str) -> None:
    """Take a transaction-level advisory lock per key, in order, in one round trip."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join("pg_advisory_xact_lock(hashtextextended(%s, 0))" for _ in keys), list(keys)
        )


def _issue_key(prepared: PreparedFile) -> str:
    parsed = prepared.issue
    if parsed.publication and parsed.number:
        return f"issue:{parsed.publication}#{parsed.number}"
    return f"source:{prepared.source_name}"


def _find_existing(prepared: PreparedFile) -> Issue | None:
    parsed = prepared.issue
    qs = Issue.objects.select_for_update()
    if parsed.publication and parsed.number:
        found = qs.filter(publication__name=parsed.publication, number=parsed.number).first()
        if found:
            return found
    return qs.filter(source_name=prepared.source_name, number__isnull=True).first() if not parsed.number else None


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
        found = self._publications.get(name)
        if found is None:
            found, _ = Publication.objects.get_or_create(name=name, defaults={"publisher": publisher})
            self._publications[name] = found
        return found

    def resolve(self, mentions: list[OrgMention]) -> dict[str, Organisation]:
        wanted = {m.name: m for m in mentions}
        for parent in {m.parent for m in mentions if m.parent}:
            wanted.setdefault(parent, OrgMention(name=parent, kind="redcross", level="other", region=""))
        missing = [name for name in wanted if name not in self._by_name]
        if missing:
            for org in Organisation.objects.filter(name__in=missing):
                self._by_name[org.name] = org
            new = [
                Organisation(name=m.name, kind=m.kind, level=m.level, region=m.region)
                for name, m in wanted.items()
                if name not in self._by_name
            ]
            if new:
                Organisation.objects.bulk_create(new, ignore_conflicts=True)
                for org in Organisation.objects.filter(name__in=[o.name for o in new]):
                    self._by_name[org.name] = org
                self._link_parents([m for m in wanted.values() if m.parent])
        return {name: self._by_name[name] for name in wanted}

    def _link_parents(self, mentions: list[OrgMention]) -> None:
        for mention in mentions:
            org, parent = self._by_name.get(mention.name), self._by_name.get(mention.parent)
            if org and parent and org.parent_id is None and org.pk != parent.pk:
                Organisation.objects.filter(pk=org.pk, parent__isnull=True).update(parent=parent)
                org.parent_id = parent.pk


def store_prepared(
    prepared: PreparedFile, *, force: bool = False, cache: OrganisationCache | None = None
) -> StoreResult:
    """Write one prepared file in one transaction; an exception leaves nothing behind."""
    if prepared.error or prepared.issue is None:
        return StoreResult(prepared.source_name, Outcome.FAILED, message=prepared.error or "无法解析")
    cache = cache or OrganisationCache()
    with transaction.atomic():
        _advisory_lock(f"sha:{prepared.sha256}", _issue_key(prepared))
        same = Issue.objects.filter(source_sha256=prepared.sha256).first()
        if same and not force:
            return StoreResult(prepared.source_name, Outcome.UNCHANGED, issue_id=same.pk, title=same.title)
        existing = same or _find_existing(prepared)
        if existing:
            existing = Issue.objects.select_for_update().get(pk=existing.pk)
        return _write_issue(prepared, existing, cache)


def _write_issue(prepared: PreparedFile, existing: Issue | None, cache: OrganisationCache) -> StoreResult:
    parsed = prepared.issue
    mentions = [m for analysed in [*prepared.articles, *prepared.briefs] for m in analysed.organisations]
    if prepared.publisher:
        mentions.append(prepared.publisher)
    orgs = cache.resolve(mentions)
    publisher = orgs.get(prepared.publisher.name) if prepared.publisher else None
    publication = None
    if parsed.publication:
        publication = cache.publication(parsed.publication, publisher)
    values = {
        "publication": publication,
        "publisher": publisher,
        "number": parsed.number,
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
    return {"position": brief.position, "date": brief.date, "end_date": brief.end_date, "text": brief.text}


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
    """
    existing = {} if new else {obj.position: obj for obj in model.objects.filter(issue=issue)}
    kept: list[str] = []
    to_create, to_update, links = [], [], []
    update_fields = [*(ARTICLE_FIELDS if model is Article else BRIEF_FIELDS), "segmented_text"]
    for values, extra in zip(rows, analysed, strict=True):
        values = {**values, "segmented_text": extra.segmented}
        if model is Article:
            values["keywords"] = extra.keywords
        obj = existing.pop(values["position"], None)
        if obj is None:
            obj = model(issue=issue, **values)
            to_create.append(obj)
        else:
            kept += _apply(obj, values, label)
            to_update.append(obj)
        links.append((obj, extra))
    stale = [obj.pk for obj in existing.values() if not obj.edited_fields]
    kept += [f"{label}{obj.position}" for obj in existing.values() if obj.edited_fields]
    if stale:
        model.objects.filter(pk__in=stale).delete()
    model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, update_fields)
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
    """Import files: unchanged ones are skipped by hash, the rest parsed in ``workers`` processes.

    Each file is stored in its own transaction as soon as it is ready, so a
    failure (bad input, a lost connection) costs that file only and the batch
    goes on. Returns one result per path, in completion order.
    """
    max_bytes = max_bytes or settings.IMPORT_MAX_BYTES
    results: list[StoreResult] = []

    def emit(result: StoreResult) -> None:
        results.append(result)
        if on_result:
            on_result(result)

    todo = []
    known = set()
    if not force:
        digests = {}
        for path in paths:
            try:
                if path.stat().st_size <= max_bytes:
                    digests[path] = file_digest(path.read_bytes())
            except OSError:
                pass
        known = set(Issue.objects.filter(source_sha256__in=digests.values()).values_list("source_sha256", flat=True))
        for path in paths:
            if digests.get(path) in known:
                issue = Issue.objects.filter(source_sha256=digests[path]).only("pk", "title").first()
                emit(StoreResult(path.name, Outcome.UNCHANGED, issue_id=issue.pk, title=issue.title))
            else:
                todo.append(path)
    else:
        todo = list(paths)

    topics = topic_taxonomy()
    cache = OrganisationCache()
    jobs = [(str(path), max_bytes) for path in todo]
    if workers > 1 and len(jobs) > 1:
        # "spawn": workers import only the Django-free pipeline, never this process's DB connection.
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(min(workers, len(jobs)), initializer=worker_init, initargs=(topics,)) as pool:
            prepared_iter = pool.imap_unordered(worker_prepare, jobs, chunksize=1)
            for prepared in prepared_iter:
                emit(_store_safely(prepared, force=force, dry_run=dry_run, cache=cache))
    else:
        for path, limit in jobs:
            prepared = prepare_file(path, topics=topics, max_bytes=limit)
            emit(_store_safely(prepared, force=force, dry_run=dry_run, cache=cache))
    return results


def _store_safely(prepared: PreparedFile, *, force: bool, dry_run: bool, cache: OrganisationCache) -> StoreResult:
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
        )
    try:
        return store_prepared(prepared, force=force, cache=cache)
    except Exception as exc:
        cache.clear()
        close_old_connections()
        detail = (str(exc).strip().splitlines() or [exc.__class__.__name__])[0]
        prefix = "数据库错误" if isinstance(exc, DatabaseError) else "导入出错"
        return StoreResult(prepared.source_name, Outcome.FAILED, message=f"{prefix}：{detail}")
