"""Citable references for the archive's objects: the bridge from models to ``citations.Reference``.

Why separate from ``citations.py``: that module knows formats and no Django;
this one knows which model field feeds which part of a citation.
"""

from __future__ import annotations

from collections.abc import Callable

from .citations import Reference, brief_title
from .models import Article, BriefItem, Issue

KINDS = {"article": Article, "brief": BriefItem, "issue": Issue}


def _issue_fields(issue: Issue) -> dict:
    publisher = issue.publisher or (issue.publication.publisher if issue.publication else None)
    return {
        "organisation": publisher.name if publisher else "",
        "publication": issue.publication.name if issue.publication else "",
        "date": issue.date,
        "number": issue.number,
    }


def kind_of(obj) -> str:
    return next(kind for kind, model in KINDS.items() if isinstance(obj, model))


def reference(obj: Article | BriefItem | Issue, absolute: Callable[[str], str]) -> Reference:
    """The reference for an article, a brief item or an issue; ``absolute`` turns a path into a full URL."""
    kind = kind_of(obj)
    issue = obj if kind == "issue" else obj.issue
    fields = _issue_fields(issue)
    if kind == "article":
        title, byline = obj.title, obj.byline
    elif kind == "brief":
        title, byline = brief_title(obj.text), ""
    else:
        title, byline = obj.title, ""
    return Reference(key=f"{kind}-{obj.pk}", title=title, url=absolute(obj.get_absolute_url()), byline=byline, **fields)


def related_for_citation(queryset):
    """The joins a citation reads (issue, publication, publisher), so a list costs no query per row."""
    if queryset.model is Issue:
        return queryset.select_related("publication__publisher", "publisher")
    return queryset.select_related("issue__publication__publisher", "issue__publisher")
