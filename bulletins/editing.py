"""Editors' writes: remember what an editor changed, so that a re-import keeps it.

Why apart from the importer: the admin writes through here and the importer
only reads ``edited_fields``; neither needs the other's code.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, QuerySet

from .models import Issue

# Bookkeeping fields an editor's save touches without changing the content.
UNTRACKED_FIELDS = {"version", "edited_fields"}


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
