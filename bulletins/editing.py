"""What an editor changes by hand: marks that a re-import respects, restores, and article boundaries.

Why one module: every change an editor makes must be remembered the same way
(the field joins ``edited_fields`` so the importer keeps it, the issue's
version goes up so older forms are refused, a version is recorded with the
editor as author). Structural corrections (split, merge, convert, reorder)
also freeze the issue's structure: from then on a re-import of its file only
updates the fields of rows that still correspond to the file, matched by the
position they had in the file (``import_position``), and adds, removes or
moves nothing.

Pure ORM writes; the admin views in ``bulletins.admin_structure`` and
``bulletins.admin_history`` only call these functions.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from . import history
from .analysis.segmentation import get_segmenter
from .chinese_script import search_form
from .models import Article, BriefItem, Issue, Organisation, Topic

UNTRACKED_FIELDS = {"version", "edited_fields"}
# What the review action writes besides the bookkeeping.
REVIEW_UPDATE = ("needs_review", "reviewed_by", "reviewed_at")

# What the import report says for an issue whose structure an editor changed.
STRUCTURE_KEPT = "结构已由编辑修改，保留"

# The fields a restore brings back: what editors and the importer write, never provenance or place.
RESTORABLE = {
    Issue: ("title", "publication", "publisher", "number", "total_number", "date", "needs_review", "review_notes"),
    Article: ("section", "title", "subtitle", "byline", "region", "body", "captions", "date"),
    BriefItem: ("date", "end_date", "text", "source"),
    Organisation: ("name", "kind", "level", "region", "province", "parent", "aliases"),
    Topic: ("name", "slug", "description", "keywords"),
}

# Far above any real position: rows are moved out of the way before they are renumbered,
# because (issue, position) is unique and PostgreSQL checks it row by row.
_PARKING = 1_000_000


class EditError(ValueError):
    """An operation the editor asked for that cannot be done; the message is shown as is."""


def mark_edited(obj, fields) -> None:
    """Remember that an editor changed ``fields`` of ``obj`` (saved by the caller)."""
    new = [name for name in fields if name not in UNTRACKED_FIELDS and name not in obj.edited_fields]
    if new:
        obj.edited_fields = [*obj.edited_fields, *new]


def mark_reviewed(queryset: QuerySet[Issue], user=None) -> int:
    """The admin action: the editor (``user``) vouches for these issues, and the row says who and when."""
    count = 0
    with transaction.atomic():
        # The admin's queryset carries annotations (counts) that FOR UPDATE refuses; lock by id.
        ids = list(queryset.values_list("pk", flat=True))
        for issue in Issue.objects.filter(pk__in=ids).select_for_update():
            issue.needs_review = False
            issue.reviewed_by, issue.reviewed_at = user, timezone.now()
            mark_edited(issue, ["needs_review"])
            issue.version = F("version") + 1
            issue.save(update_fields=[*REVIEW_UPDATE, "edited_fields", "version", "updated_at"])
            count += 1
    return count


def bump_issue_version(issue_id: int) -> None:
    """An edit to an article or brief item makes older forms of the same issue stale."""
    Issue.objects.filter(pk=issue_id).update(version=F("version") + 1)


# --- restore -------------------------------------------------------------------------------


def restore_version(obj, record, *, user=None) -> list[str]:
    """Bring ``obj``'s fields back to the values of ``record`` (one of its versions).

    A restore is an editor's change like any other: the restored fields join
    ``edited_fields`` (so the next import keeps them), the issue's version
    goes up, and the restore is itself a version. Returns the fields that changed.
    """
    model = type(obj)
    with transaction.atomic():
        obj = model.objects.select_for_update().get(pk=obj.pk)
        changed = []
        for name in RESTORABLE[model]:
            attname = model._meta.get_field(name).attname
            value = getattr(record, attname)
            if getattr(obj, attname) != value:
                setattr(obj, attname, value)
                changed.append(name)
        if not changed:
            return []
        if hasattr(obj, "edited_fields"):
            mark_edited(obj, changed)
        if isinstance(obj, (Article, BriefItem)):
            if {"title", "subtitle", "body", "text"} & set(changed):
                analyse(obj)
            bump_issue_version(obj.issue_id)
        if isinstance(obj, Issue):
            obj.version += 1
        when = timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M:%S")
        with history.recording(f"恢复到 {when} 的版本", user):
            obj.save()
    return changed


# --- structure -------------------------------------------------------------------------------


def analyse(obj) -> None:
    """Recompute the search text (and an article's keywords) after its text changed.

    Organisations and topics stay as they are: the editor sees and corrects them.
    Segmentation and keywords read the normal form, as at import.
    """
    segmenter = get_segmenter()
    parts = [obj.title, obj.subtitle, obj.body] if isinstance(obj, Article) else [obj.text]
    obj.search_text = search_form(*parts)
    segmented = segmenter.segmented(obj.search_text or " ".join(parts))
    if isinstance(obj, Article):
        obj.keywords = segmenter.keywords(segmented)
    obj.segmented_text = " ".join(segmented.tokens)


# A row whose text a structural edit rewrote: a re-import must not put the file's text back.
_REWRITTEN = ("body", "captions", "keywords", "segmented_text", "search_text")


def _begin(issue_id: int, version: int | None) -> Issue:
    """Lock the issue, refuse a page older than it, and note the file positions on first change."""
    issue = Issue.objects.select_for_update().filter(pk=issue_id).first()
    if issue is None:
        raise EditError("这期简报已不存在。")
    if version is not None and version != issue.version:
        raise EditError("这期简报在你编辑期间已被更新（例如重新导入）。请重新打开本页，核对后再操作。")
    if not issue.structure_edited:
        for model in (Article, BriefItem):
            model.objects.filter(issue=issue).update(import_position=F("position"))
    return issue


def _finish(issue: Issue) -> None:
    """Mark the structure as the editor's and make older forms of the issue stale."""
    issue.structure_edited = True
    issue.version += 1
    issue.save(update_fields=["structure_edited", "version", "updated_at"])


def _arrange(model, ordered: list) -> None:
    """Give ``ordered`` (one issue's rows of ``model``) positions 1..n; unsaved rows are inserted in place."""
    moved = [obj for index, obj in enumerate(ordered, 1) if obj.pk is not None and obj.position != index]
    if moved:
        model.objects.filter(pk__in=[obj.pk for obj in moved]).update(position=F("position") + _PARKING)
    for index, obj in enumerate(ordered, 1):
        obj.position = index
    if moved:
        model.objects.bulk_update(moved, ["position"])
        history.record_bulk(model, moved)
    for obj in ordered:
        if obj.pk is None:
            obj.save()


def _structural(reason: str):
    """Run an operation in one transaction, its versions authored by the editor with ``reason``."""

    def decorate(operation):
        def run(issue_id: int, *args, user=None, version: int | None = None, **kwargs):
            with transaction.atomic(), history.recording(reason, user):
                issue = _begin(issue_id, version)
                result = operation(issue, *args, **kwargs)
                _finish(issue)
                return result

        run.__name__, run.__doc__ = operation.__name__, operation.__doc__
        return run

    return decorate


def _article(issue: Issue, article_id: int) -> Article:
    found = issue.articles.filter(pk=article_id).first()
    if found is None:
        raise EditError("这篇文章不在本期中。")
    return found


def _replace(old, new, siblings) -> None:
    """Store ``new`` after the last of ``siblings``, give it ``old``'s links, delete ``old`` and close the gap."""
    new.position = (siblings.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    analyse(new)
    new.save()
    _copy_links(old, new)
    old.delete()
    _arrange(type(old), list(type(old).objects.filter(issue_id=old.issue_id).order_by("position")))


def _copy_links(source, target) -> None:
    target.organisations.add(*source.organisations.all())
    target.topics.add(*source.topics.all())


@_structural("拆分文章")
def split_article(issue: Issue, article_id: int, at: int, title: str) -> Article:
    """Split an article before its paragraph ``at`` (1-based); the second part becomes a new article.

    Why the new part copies section, region, date and links: the importer ran
    two articles together, so they came from the same place in the bulletin;
    the byline and captions stay with the first part, where they were printed.
    """
    article = _article(issue, article_id)
    title = title.strip()
    if not title:
        raise EditError("请填写拆出文章的标题。")
    paragraphs = article.paragraphs
    if not 2 <= at <= len(paragraphs):
        raise EditError(f"只能从第 2 至第 {len(paragraphs)} 段拆分。")
    article.body = "\n\n".join(paragraphs[: at - 1])
    analyse(article)
    mark_edited(article, _REWRITTEN)
    article.save()
    second = Article(
        issue=issue,
        section=article.section,
        region=article.region,
        date=article.date,
        title=title[:500],
        body="\n\n".join(paragraphs[at - 1 :]),
    )
    analyse(second)
    rows = list(issue.articles.order_by("position"))
    rows.insert(rows.index(article) + 1, second)
    _arrange(Article, rows)
    _copy_links(article, second)
    return second


@_structural("合并文章")
def merge_into_previous(issue: Issue, article_id: int) -> Article:
    """Append an article to the one before it and delete it.

    Its title (and subtitle) become paragraphs of the merged body: the
    importer took a line of running text for a heading, and nothing printed
    may be lost; the editor removes what is not wanted.
    """
    article = _article(issue, article_id)
    previous = issue.articles.filter(position__lt=article.position).order_by("-position").first()
    if previous is None:
        raise EditError("第一篇文章前面没有文章，不能合并。")
    previous.body = "\n\n".join(filter(None, [previous.body, article.title, article.subtitle, article.body]))
    previous.captions = [*previous.captions, *article.captions]
    analyse(previous)
    mark_edited(previous, _REWRITTEN)
    previous.save()
    _copy_links(article, previous)
    article.delete()
    _arrange(Article, list(issue.articles.order_by("position")))
    return previous


@_structural("文章改为简讯")
def article_to_brief(issue: Issue, article_id: int) -> BriefItem:
    """Turn an article into a brief item at the end of the issue's brief items."""
    article = _article(issue, article_id)
    brief = BriefItem(
        issue=issue,
        date=article.date,
        text="\n\n".join(filter(None, [article.title, article.subtitle, article.body])),
    )
    _replace(article, brief, issue.briefs)
    return brief


@_structural("简讯改为文章")
def brief_to_article(issue: Issue, brief_id: int, title: str = "") -> Article:
    """Turn a brief item into an article at the end of the issue's articles.

    Without a title from the editor, a short first paragraph (as an article
    turned into a brief item has) is the title, else the first sentence.
    """
    brief = issue.briefs.filter(pk=brief_id).first()
    if brief is None:
        raise EditError("这条简讯不在本期中。")
    body = brief.text
    title = title.strip()
    if not title:
        head, _, rest = body.partition("\n\n")
        if rest.strip() and len(head.strip()) <= 60:
            title, body = head.strip(), rest.strip()
        else:
            title = body.split("。")[0].strip()[:60] or "（无标题）"
    article = Article(issue=issue, title=title[:500], body=body, date=brief.date)
    _replace(brief, article, issue.articles)
    return article


@_structural("调整文章顺序")
def move_article(issue: Issue, article_id: int, position: int) -> Article:
    """Put an article at ``position`` (1-based) among the issue's articles."""
    article = _article(issue, article_id)
    rows = [row for row in issue.articles.order_by("position") if row.pk != article.pk]
    if not 1 <= position <= len(rows) + 1:
        raise EditError(f"位置须在 1 至 {len(rows) + 1} 之间。")
    rows.insert(position - 1, article)
    _arrange(Article, rows)
    return article


def rows_by_file_position(model, issue: Issue) -> dict[int, object]:
    """The issue's rows of ``model`` keyed by their position in the file, for a re-import to match.

    Before any structural edit the stored position is the file's; after one,
    rows the editor created (split, convert) have no file position and are
    left out, so the importer never writes them.
    """
    rows = model.objects.filter(issue=issue)
    if not issue.structure_edited:
        return {obj.position: obj for obj in rows}
    return {obj.import_position: obj for obj in rows if obj.import_position is not None}
