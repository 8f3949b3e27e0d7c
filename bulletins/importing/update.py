"""The update path: a re-import onto an existing issue, through the ORM, keeping every editor's change.

Why the ORM here: this path is rare (a corrected file, ``--force``) and it
must compare each value with the row's ``edited_fields``; the fast insert
(:mod:`.insert`) is for new issues only. Columns and values come from
:mod:`.rows`, shared with that path.
"""

from __future__ import annotations

import datetime

from .. import history
from ..editing import STRUCTURE_KEPT, rows_by_file_position
from ..models import Issue
from .prepare import PreparedFile
from .rows import CHILDREN, ISSUE, LINKS, Children, References, RowType, link_targets


def update_issue(
    prepared: PreparedFile, issue: Issue, refs: References, lookups: dict, now: datetime.datetime
) -> list[str]:
    """Update ``issue`` and its rows from the file; returns the editor's changes kept, for the report."""
    kept = [STRUCTURE_KEPT] if issue.structure_edited else []
    kept += _apply(issue, ISSUE, ISSUE.kept(prepared, refs))
    _set(issue, ISSUE, ISSUE.always(prepared, refs))
    issue.version += 1
    issue.save()
    for children in CHILDREN:
        kept += _update_children(issue, children, prepared, lookups, now)
    return kept


def _set(obj, row_type: RowType, values: dict) -> None:
    for name, value in values.items():
        setattr(obj, row_type.attname(name), value)


def _apply(obj, row_type: RowType, values: dict) -> list[str]:
    """Set every value the editor has not changed; return the kept ones for the report."""
    kept = []
    for name, value in values.items():
        if name in obj.edited_fields:
            kept.append(f"{row_type.label}{getattr(obj, 'position', '')}.{name}")
            continue
        setattr(obj, row_type.attname(name), value)
    return kept


def _update_children(issue: Issue, children: Children, prepared: PreparedFile, lookups: dict, now) -> list[str]:
    """Create or update articles/brief items by position, keeping editors' changes.

    Rows are matched by position so that an article keeps its id (and its
    permalink) across re-imports. A row an editor touched is never deleted.
    Once an editor changed the issue's structure (``frozen``), rows are matched
    by their position in the file and nothing is added, removed or moved.
    """
    row_type = children.rows
    model = row_type.model
    frozen = issue.structure_edited
    existing = rows_by_file_position(model, issue)
    kept: list[str] = []
    to_create, to_update, links = [], [], []
    update_fields: list[str] = []
    for item, extra in zip(children.items(prepared), children.analysed(prepared), strict=True):
        values, always = row_type.kept(item, extra), row_type.always(item, extra)
        update_fields = [row_type.attname(name) for name in [*values, *always] if name != "position"]
        obj = existing.pop(values.pop("position") if frozen else values["position"], None)
        if obj is None:
            if frozen:
                continue
            obj = model(issue=issue)
            _set(obj, row_type, row_type.values(item, extra, now))
            to_create.append(obj)
        else:
            kept += _apply(obj, row_type, values)
            _set(obj, row_type, always)
            to_update.append(obj)
        links.append((obj, extra))
    leftover = [] if frozen else list(existing.values())
    stale = [obj.pk for obj in leftover if not obj.edited_fields]
    kept += [f"{row_type.label}{obj.position}" for obj in leftover if obj.edited_fields]
    if stale:
        model.objects.filter(pk__in=stale).delete()
    model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, update_fields)
    history.record_bulk(model, to_create, created=True)
    history.record_bulk(model, to_update)
    _update_links(model, links, lookups)
    return kept


def _update_links(model, links: list, lookups: dict) -> None:
    """Replace organisation and topic links in bulk, except where an editor set them."""
    for link in LINKS:
        m2m = model._meta.get_field(link.relation)
        through, owner, target = m2m.remote_field.through, m2m.m2m_column_name(), m2m.m2m_reverse_name()
        free = [(obj, extra) for obj, extra in links if link.relation not in obj.edited_fields]
        through.objects.filter(**{f"{owner}__in": [obj.pk for obj, _ in free]}).delete()
        rows = [
            through(**{owner: obj.pk, target: pk})
            for obj, extra in free
            for pk in link_targets(link, extra, lookups[link.relation])
        ]
        through.objects.bulk_create(rows, ignore_conflicts=True)
