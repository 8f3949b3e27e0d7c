"""CSV exports of the filtered article and brief-item lists.

Why streamed: an export of the whole archive is hundreds of thousands of rows;
``StreamingHttpResponse`` over ``.iterator(chunk_size=...)`` sends them as they
are read, in constant memory, with the organisations and topics prefetched
chunk by chunk. Why a BOM: Excel only reads a CSV as UTF-8 (and so shows the
Chinese text) when the file starts with one.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe

from .api import describe_errors
from .filters import ArticleFilter, BriefItemFilter
from .models import Article, BriefItem

BOM = "\ufeff"
CHUNK_SIZE = 2000
SEPARATOR = "; "


class Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def _names(items) -> str:
    return SEPARATOR.join(str(item) for item in items)


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _dates(item) -> list[str]:
    """The item's own date, its issue's date, and the one the filters use (the first, else the second).

    Why all three: a bare ``date`` that quietly fell back to the issue's date
    hid which rows carry an event date; the API has the same three values
    (``date``, ``issue.date``, ``effective_date``).
    """
    return [_iso(item.date), _iso(item.issue.date), _iso(item.effective_date)]


def article_row(article: Article, absolute: Callable[[str], str]) -> list:
    issue = article.issue
    return [
        article.pk,
        issue.pk,
        issue.title,
        issue.publication.name if issue.publication else "",
        *_dates(article),
        article.section,
        article.title,
        article.byline,
        _names(article.organisations.all()),
        _names(article.topics.all()),
        absolute(article.get_absolute_url()),
        article.body,
    ]


def brief_row(brief: BriefItem, absolute: Callable[[str], str]) -> list:
    issue = brief.issue
    return [
        brief.pk,
        issue.pk,
        issue.title,
        issue.publication.name if issue.publication else "",
        *_dates(brief),
        _iso(brief.end_date),
        _names(brief.organisations.all()),
        _names(brief.topics.all()),
        absolute(brief.get_absolute_url()),
        brief.text,
    ]


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


def export(request, filterset_class, queryset, header, make_row, filename):
    """Filter ``queryset`` exactly as the list page does and stream it, or answer 400 naming the bad parameter."""
    qs, error = filter_for_export(request, filterset_class, queryset)
    if error:
        return error
    absolute = request.build_absolute_uri
    rows = (make_row(obj, absolute) for obj in qs.iterator(chunk_size=CHUNK_SIZE))
    response = StreamingHttpResponse(stream_csv(header, rows), content_type="text/csv; charset=utf-8")
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
        article_row,
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
        brief_row,
        "briefs.csv",
    )
