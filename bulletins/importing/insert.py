"""The fast path: a new issue, its articles, brief items and link rows by ``COPY``.

Why not the ORM here: building model instances, four ``bulk_create`` calls
and their SQL cost more per file than PostgreSQL spends storing it, and a
bulk import is almost only new issues. Why ``COPY`` rather than one
``INSERT`` of data-modifying CTEs: a statement with a placeholder per value
(hundreds per file, each of a different count) was parsed and filled in by
the driver in Python for every file, a fifth of the writer's time; ``COPY``
sends the rows as they are, formatted in C, and PostgreSQL has no statement to
parse. The issue goes first, alone, and its ``RETURNING`` takes the ids its
articles and brief items will have from their sequences, so their link rows
can be sent at once by id (and the ``day`` trigger on articles and brief items
finds the issue's date). Columns and values come from :mod:`.rows`, shared
with the update path.
"""

from __future__ import annotations

import datetime
import functools

from django.db import connection

from .prepare import PreparedFile
from .rows import CHILDREN, ISSUE, LINKS, References, RowType, link_targets


@functools.cache
def _sequence(table: str) -> str:
    """The name of the sequence behind ``table``'s id, looked up once per process."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        return cursor.fetchone()[0]


def insert_issue(prepared: PreparedFile, refs: References, lookups: dict, now: datetime.datetime) -> int:
    """Insert a new issue and everything in it; returns the issue's id."""
    values = ISSUE.values(prepared, refs, now)
    names = list(values)
    children = [(children.rows, children.items(prepared), children.analysed(prepared)) for children in CHILDREN]
    taken = [
        f"(SELECT array_agg(nextval(%s)) FROM generate_series(1, {len(items)}))" if items else "NULL::bigint[]"
        for _, items, _ in children
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ISSUE.model._meta.db_table} ({', '.join(ISSUE.column(name) for name in names)})"
            f" VALUES ({', '.join(ISSUE.placeholder(name) for name in names)}) RETURNING id, {', '.join(taken)}",
            [*values.values(), *(_sequence(rows.model._meta.db_table) for rows, items, _ in children if items)],
        )
        issue_id, *ids = cursor.fetchone()
        ids = [sorted(taken_ids) if taken_ids else [] for taken_ids in ids]
        for (row_type, items, analysed), new_ids in zip(children, ids, strict=True):
            if items:
                _copy_children(cursor.cursor, row_type, issue_id, items, analysed, new_ids, lookups, now)
    return issue_id


def _copy_children(raw, row_type: RowType, issue_id: int, items, analysed, ids: list[int], lookups, now) -> None:
    """``COPY`` one issue's articles (or brief items) with the ids taken for them, then their link rows."""
    rows = [row_type.values(item, extra, now) for item, extra in zip(items, analysed, strict=True)]
    names = list(rows[0])
    model = row_type.model
    columns = ["id", row_type.column("issue"), *(row_type.column(name) for name in names)]
    with raw.copy(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy:
        copy.set_types(["bigint", "bigint", *(row_type.cast(name) for name in names)])
        for pk, row in zip(ids, rows, strict=True):
            copy.write_row([pk, issue_id, *row.values()])
    for link in LINKS:
        pairs = [
            (pk, target)
            for pk, extra in zip(ids, analysed, strict=True)
            for target in link_targets(link, extra, lookups[link.relation])
        ]
        if not pairs:
            continue
        m2m = model._meta.get_field(link.relation)
        sql = f"COPY {m2m.m2m_db_table()} ({m2m.m2m_column_name()}, {m2m.m2m_reverse_name()}) FROM STDIN"
        with raw.copy(sql) as copy:
            copy.set_types(["bigint", "bigint"])
            for pair in pairs:
                copy.write_row(pair)
