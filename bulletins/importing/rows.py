"""What the importer writes for each row type, described once for both write paths.

Why one description: a new issue is written with hand-built SQL
(:mod:`.insert`) and an existing one through the ORM (:mod:`.update`), which
keeps editors' changes. Both read their columns and values from here, so a
field the importer starts to fill cannot reach one path and miss the other;
``tests/test_import_paths.py`` writes the same file both ways and compares
every column.

A :class:`RowType` gives, for one parsed item and its analysis:

- ``kept``: the values an editor may change (a re-import keeps the editor's);
- ``always``: the values that follow the file on every import (provenance,
  search text);
- ``start``: what a new row starts with on top of those (bookkeeping).

Columns the database fills itself (``DATABASE_FILLED``) are in none of them.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Model

from ..models import Article, BriefItem, Issue
from .prepare import AnalysedText, PreparedFile

# Identity, the generated search vector and the trigger-maintained effective day.
DATABASE_FILLED = frozenset({"id", "search_vector", "day"})
# The issue's stored original and its kind: written by :mod:`.keep` once the file is in the storage, and
# left alone by a plain-text import (which keeps no original).
KEPT_APART = frozenset({"original", "original_kind"})


@dataclass(frozen=True)
class RowType:
    model: type[Model]
    label: str  # how the import report names a row of this type ("文章3.title")
    kept: Callable[[Any, Any], dict]
    always: Callable[[Any, Any], dict]
    start: Callable[[datetime.datetime], dict]

    def values(self, item, extra, now: datetime.datetime) -> dict:
        """Every value a new row gets, by field name."""
        return {**self.kept(item, extra), **self.always(item, extra), **self.start(now)}

    def column(self, name: str) -> str:
        return self.model._meta.get_field(name).column

    def attname(self, name: str) -> str:
        return self.model._meta.get_field(name).attname

    def placeholder(self, name: str) -> str:
        """``%s`` cast to the column's type (see :meth:`cast`)."""
        return f"%s::{self.cast(name)}"

    @functools.cache  # noqa: B019 - the row types are module constants, kept for the process's life anyway
    def cast(self, name: str) -> str:
        """The column's type without a length (values are cut to size in ``kept``).

        Remembered per column: the importer asks for each column of each file.
        """
        return re.sub(r"\(\d+\)", "", self.model._meta.get_field(name).cast_db_type(connection))


@dataclass(frozen=True)
class References:
    """The issue's rows it points to, resolved before it is written."""

    publication_id: int | None
    publisher_id: int | None
    imported_at: datetime.datetime


def issue_title(prepared: PreparedFile) -> str:
    return prepared.issue.title[:300] or prepared.source_name


ISSUE = RowType(
    model=Issue,
    label="期刊",
    kept=lambda prepared, refs: {
        "publication": refs.publication_id,
        "publisher": refs.publisher_id,
        "number": prepared.issue.number,
        "total_number": prepared.issue.total_number,
        "date": prepared.issue.date,
        "title": issue_title(prepared),
        "needs_review": bool(prepared.issue.review_reasons),
        "review_notes": "；".join(prepared.issue.review_reasons),
    },
    always=lambda prepared, refs: {
        "source_name": prepared.source_name,
        "source_sha256": prepared.sha256,
        "raw_text": prepared.raw_text,
        "imported_at": refs.imported_at,
    },
    start=lambda now: {
        "updated_at": now,
        "edited_fields": [],
        "version": 1,
        "structure_edited": False,
        "reviewed_by": None,
        "reviewed_at": None,
    },
)

ARTICLE = RowType(
    model=Article,
    label="文章",
    kept=lambda article, extra: {
        "position": article.position,
        "section": article.section[:100],
        "title": (article.title or "（无标题）")[:500],
        "subtitle": article.subtitle[:500],
        "byline": article.byline[:200],
        "region": article.region[:100],
        "body": article.body,
        "captions": list(article.captions),
        "date": article.date,
        "keywords": extra.keywords,
    },
    always=lambda article, extra: {
        "segmented_text": extra.segmented,
        "search_text": extra.search_text,
        "pages": extra.pages,
    },
    start=lambda now: {"edited_fields": [], "import_position": None},
)

BRIEF = RowType(
    model=BriefItem,
    label="简讯",
    kept=lambda brief, extra: {
        "position": brief.position,
        "date": brief.date,
        "end_date": brief.end_date,
        "text": brief.text,
        "source": brief.source[:100],
    },
    always=lambda brief, extra: {"segmented_text": extra.segmented, "search_text": extra.search_text},
    start=lambda now: {"edited_fields": [], "import_position": None},
)


@dataclass(frozen=True)
class Children:
    """An issue's articles or brief items: their row type and where a prepared file holds them."""

    rows: RowType
    items: Callable[[PreparedFile], list]
    analysed: Callable[[PreparedFile], list[AnalysedText]]


CHILDREN = (
    Children(ARTICLE, lambda prepared: prepared.issue.articles, lambda prepared: prepared.articles),
    Children(BRIEF, lambda prepared: prepared.issue.briefs, lambda prepared: prepared.briefs),
)


@dataclass(frozen=True)
class LinkType:
    """Links from an article or brief item to organisations or topics, by the names the analysis found."""

    relation: str  # the many-to-many field on Article and BriefItem
    names: Callable[[AnalysedText], list[str]]


LINKS = (
    LinkType("organisations", lambda extra: [mention.name for mention in extra.organisations]),
    LinkType("topics", lambda extra: extra.topics),
)


def link_targets(link: LinkType, extra: AnalysedText, lookup: dict) -> list[int]:
    """The ids ``extra`` links to through ``link``, each once, in the order found."""
    seen: dict[int, None] = {}
    for name in link.names(extra):
        target = lookup.get(name)
        if target is not None:
            seen.setdefault(target.pk, None)
    return list(seen)
