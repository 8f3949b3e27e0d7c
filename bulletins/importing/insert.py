"""The fast path: a new issue, its articles, brief items and link rows in two statements.

Why not the ORM here: building model instances, four ``bulk_create`` calls
and their SQL cost more per file than PostgreSQL spends storing it, and a
bulk import is almost only new issues. The issue goes first, alone, so that
the rows inserted next see it (the ``day`` trigger on articles and brief
items reads the issue's date); the children and all four link tables then go
in one statement of data-modifying CTEs, the link rows joined to the new ids
by position. Columns and values come from :mod:`.rows`, shared with the
update path.
"""

from __future__ import annotations

import datetime

from django.db import connection

from .prepare import PreparedFile
from .rows import CHILDREN, ISSUE, LINKS, References, RowType, link_targets


def _values_sql(row_type: RowType, names: list[str], count: int) -> str:
    row = "(" + ", ".join(row_type.placeholder(name) for name in names) + ")"
    return ", ".join([row] * count)


def insert_issue(prepared: PreparedFile, refs: References, lookups: dict, now: datetime.datetime) -> int:
    """Insert a new issue and everything in it; returns the issue's id."""
    values = ISSUE.values(prepared, refs, now)
    names = list(values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ISSUE.model._meta.db_table} ({', '.join(ISSUE.column(name) for name in names)})"
            f" VALUES {_values_sql(ISSUE, names, 1)} RETURNING id",
            list(values.values()),
        )
        issue_id = cursor.fetchone()[0]
        sql, params = _children_sql(issue_id, prepared, lookups, now)
        if sql:
            cursor.execute(sql, params)
    return issue_id


def _children_sql(issue_id: int, prepared: PreparedFile, lookups: dict, now) -> tuple[str, list]:
    """One statement inserting a new issue's articles, brief items and link rows (``""`` if none)."""
    ctes: list[str] = []
    params: list = []
    for alias, children in zip("ab", CHILDREN, strict=True):
        row_type, items, analysed = children.rows, children.items(prepared), children.analysed(prepared)
        if not items:
            continue
        rows = [row_type.values(item, extra, now) for item, extra in zip(items, analysed, strict=True)]
        names = list(rows[0])
        params.append(issue_id)
        for row in rows:
            params += row.values()
        model = row_type.model
        ctes.append(
            f"{alias} AS (INSERT INTO {model._meta.db_table} ({row_type.column('issue')},"
            f" {', '.join(row_type.column(name) for name in names)})"
            f" SELECT %s::bigint, v.* FROM (VALUES {_values_sql(row_type, names, len(rows))}) AS v"
            " RETURNING id, position)"
        )
        for suffix, link in zip("ot", LINKS, strict=True):
            pairs = [
                (row["position"], target)
                for row, extra in zip(rows, analysed, strict=True)
                for target in link_targets(link, extra, lookups[link.relation])
            ]
            if not pairs:
                continue
            m2m = model._meta.get_field(link.relation)
            ctes.append(
                f"{alias}{suffix} AS (INSERT INTO {m2m.m2m_db_table()} ({m2m.m2m_column_name()}, "
                f"{m2m.m2m_reverse_name()}) SELECT {alias}.id, l.target FROM {alias} JOIN (VALUES "
                f"{', '.join(['(%s::integer, %s::bigint)'] * len(pairs))}) AS l(position, target)"
                f" ON l.position = {alias}.position)"
            )
            params += [value for pair in pairs for value in pair]
    if not ctes:
        return "", []
    return "WITH " + ", ".join(ctes) + " SELECT 1", params
