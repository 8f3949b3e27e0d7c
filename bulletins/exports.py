"""CSV exports of the filtered article and brief-item lists.

Why streamed: an export of the whole archive is hundreds of thousands of rows;
``StreamingHttpResponse`` over ``.iterator(chunk_size=...)`` sends them as they
are read, in constant memory, with the organisations and topics prefetched
chunk by chunk. Why a BOM: Excel only reads a CSV as UTF-8 (and so shows the
Chinese text) when the file starts with one.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.http import HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe

from .api import describe_errors
from .filters import ArticleFilter, BriefItemFilter
from .links import detail_url
from .models import Article, BriefItem

BOM = "\ufeff"
CHUNK_SIZE = 2000
SEPARATOR = "; "


class Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def _iso(value) -> str:
    return value.isoformat() if value else ""


def names_of(model, relation: str) -> ArraySubquery:
    """The names of an item's organisations (or topics), in name order, as one array column of its row."""
    field = model._meta.get_field(relation)
    target = field.m2m_reverse_field_name()
    links = field.remote_field.through.objects.filter(**{field.m2m_field_name(): OuterRef("pk")})
    return ArraySubquery(links.order_by(f"{target}__name").values(f"{target}__name"))


# What one row reads: plain values, its issue's and publication's by join, the names of its organisations and
# topics by subquery. Why not model instances: at a million articles an export of a topic's year is ten
# thousand rows, and building an article, its issue and publication and two prefetched lists for each took
# most of the five seconds such an export took.
COMMON_VALUES = ("pk", "issue_id", "issue__title", "issue__publication__name", "date", "issue__date")


def _dates(date, issue_date) -> list[str]:
    """The item's own date, its issue's date, and the one the filters use (the first, else the second).

    Why all three: a bare ``date`` that quietly fell back to the issue's date
    hid which rows carry an event date; the API has the same three values
    (``date``, ``issue.date``, ``effective_date``).
    """
    return [_iso(date), _iso(issue_date), _iso(date or issue_date)]


def article_rows(qs, origin: str) -> Iterator[list]:
    values = (*COMMON_VALUES, "section", "title", "byline", "org_names", "topic_names", "body")
    for pk, issue_id, issue, publication, date, issue_date, section, title, byline, orgs, topics, body in _read(
        qs, values
    ):
        url = origin + detail_url("bulletins:article_detail", pk)  # as get_absolute_url
        yield [
            *(pk, issue_id, issue, publication or "", *_dates(date, issue_date), section, title, byline),
            *(SEPARATOR.join(orgs), SEPARATOR.join(topics), url, body),
        ]


def brief_rows(qs, origin: str) -> Iterator[list]:
    values = (*COMMON_VALUES, "position", "end_date", "org_names", "topic_names", "text")
    rows = _read(qs, values)
    for pk, issue_id, issue, publication, date, issue_date, position, end_date, orgs, topics, text in rows:
        url = f"{origin}{detail_url('bulletins:issue_detail', issue_id)}#brief-{position}"  # as get_absolute_url
        yield [
            *(pk, issue_id, issue, publication or "", *_dates(date, issue_date), _iso(end_date)),
            *(SEPARATOR.join(orgs), SEPARATOR.join(topics), url, text),
        ]


def _read(qs, values: tuple[str, ...]) -> Iterator[tuple]:
    model = qs.model
    rows = (
        qs.prefetch_related(None)
        .annotate(org_names=names_of(model, "organisations"), topic_names=names_of(model, "topics"))
        .values_list(*values)
    )
    return rows.iterator(chunk_size=CHUNK_SIZE)


DATE_COLUMNS = ["date", "issue_date", "effective_date"]
ARTICLE_COLUMNS = [
    "id",
    "issue_id",
    "issue",
    "publication",
    *DATE_COLUMNS,
    "section",
    "title",
    "byline",
    "organisations",
    "topics",
    "url",
    "body",
]
BRIEF_COLUMNS = [
    "id",
    "issue_id",
    "issue",
    "publication",
    *DATE_COLUMNS,
    "end_date",
    "organisations",
    "topics",
    "url",
    "text",
]


def stream_csv(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """The BOM, the header, then one encoded line per row as the rows arrive."""
    writer = csv.writer(Echo())
    yield BOM + writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def filter_for_export(request, filterset_class, queryset):
    """``(rows, None)`` filtered exactly as the list page does, or ``(None, a 400 naming the bad parameter)``."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        message = describe_errors(filterset.errors, request.GET)
        return None, HttpResponse(message + "\n", status=400, content_type="text/plain; charset=utf-8")
    return filterset.qs, None


def export(request, filterset_class, queryset, header, make_rows, filename):
    """Filter ``queryset`` exactly as the list page does and stream it, or answer 400 naming the bad parameter."""
    qs, error = filter_for_export(request, filterset_class, queryset)
    if error:
        return error
    origin = request.build_absolute_uri("/").removesuffix("/")
    response = StreamingHttpResponse(stream_csv(header, make_rows(qs, origin)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def articles_csv(request):
    """``/articles.csv``: the rows of ``/articles/`` for the same query string, with their bodies."""
    return export(
        request,
        ArticleFilter,
        Article.objects.list_related().newest_first(),
        ARTICLE_COLUMNS,
        article_rows,
        "articles.csv",
    )


@require_safe
def briefs_csv(request):
    """``/briefs.csv``: the rows of ``/briefs/`` for the same query string."""
    return export(
        request,
        BriefItemFilter,
        BriefItem.objects.list_related().newest_first(),
        BRIEF_COLUMNS,
        brief_rows,
        "briefs.csv",
    )
