"""日历: the archive's issues by year and month, for one publication or all, and the issues of one month.

Why a calendar beside the issue list: a researcher following a bulletin asks
"what came out in spring 2021, and what is missing?"; a grid of months with
counts, and the gaps in the issue numbers, answer that at a glance.
"""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .caching import cached_aggregate, cached_fragment
from .calendar_data import number_gaps, with_gaps, year_rows
from .charts import merge_counts
from .models import Article, BriefItem, Issue, Publication


def _publication(request) -> Publication | None:
    """The ``publication`` parameter as a publication, None when absent; a 404 naming it when unknown."""
    raw = request.GET.get("publication", "")
    if not raw:
        return None
    publication = Publication.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if publication is None:
        raise Http404(_("没有这个刊物：%(value)s") % {"value": raw})
    return publication


def _issues(publication):
    issues = Issue.objects.all()
    return issues.filter(publication=publication) if publication else issues


def _month_counts(publication) -> tuple[dict, dict]:
    """Issues per month and articles plus brief items per month (by the issue's date)."""

    def compute():
        months = TruncMonth("date")
        issues = dict(
            _issues(publication)
            .filter(date__isnull=False)
            .annotate(m=months)
            .values("m")
            .annotate(n=Count("pk"))
            .values_list("m", "n")
        )
        items = []
        for model in (Article, BriefItem):
            qs = model.objects.filter(issue__date__isnull=False)
            if publication:
                qs = qs.filter(issue__publication=publication)
            items.append(
                dict(qs.annotate(m=TruncMonth("issue__date")).values("m").annotate(n=Count("pk")).values_list("m", "n"))
            )
        return issues, merge_counts(*items)

    return cached_aggregate("calendar-months", compute, params=publication.pk if publication else None)


def _gaps(publication) -> list[tuple[dict, list]]:
    """Each publication (or the one chosen), by name, with the issue numbers missing from its run.

    The runs read every issue's number: remembered per archive state with the
    publications' names, so the page asks nothing more whether there are gaps or not.
    """

    def compute() -> list[tuple[dict, list]]:
        numbers: dict[tuple[int, str], list[int]] = {}
        rows = _issues(publication).filter(publication__isnull=False, number__isnull=False)
        for pub_id, name, number in rows.values_list("publication_id", "publication__name", "number"):
            numbers.setdefault((pub_id, name), []).append(number)
        found = [({"name": name}, gaps) for (_pk, name), ns in numbers.items() if (gaps := number_gaps(ns))]
        return sorted(found, key=lambda pair: pair[0]["name"])

    return cached_aggregate("calendar-gaps-named", compute, params=publication.pk if publication else None)


def _years_html(publication, issue_counts: dict, item_counts: dict) -> SafeString:
    """The grid of years and months, rendered once per archive state, publication and language.

    Why: an archive of decades has hundreds of month cells, each a link and three
    translated labels; building them cost more than everything else on the page.
    """

    return cached_fragment(
        "bulletins/_calendar_years.html",
        lambda: {"years": year_rows(issue_counts, item_counts), "query": _query(publication)},
        params=publication.pk if publication else None,
    )


def _query(publication) -> str:
    return f"?publication={publication.pk}" if publication else ""


def _crumbs(*tail):
    return [
        (_("首页"), reverse("bulletins:home")),
        (_("期刊"), reverse("bulletins:issue_list")),
        *tail,
    ]


def calendar(request):
    """``/calendar/`` (optionally ``?publication=ID``): years of month cells with issue and item counts."""
    publication = _publication(request)
    issue_counts, item_counts = _month_counts(publication)
    title = _("%(name)s 日历") % {"name": publication.name} if publication else _("日历")
    context = {
        "publication": publication,
        "publications": cached_aggregate(
            "calendar-publications",
            lambda: list(Publication.objects.annotate(n=Count("issues")).filter(n__gt=0).order_by("name")),
        ),
        "years_html": _years_html(publication, issue_counts, item_counts),
        "gaps": _gaps(publication),
        "undated": cached_aggregate(
            "calendar-undated",
            lambda: _issues(publication).filter(date__isnull=True).count(),
            params=publication.pk if publication else None,
        ),
        "query": _query(publication),
        "title": title,
        "breadcrumbs": _crumbs((title, None)),
    }
    return render(request, "bulletins/calendar.html", context)


def _neighbour_month(year: int, month: int, step: int) -> datetime.date:
    index = year * 12 + (month - 1) + step
    return datetime.date(index // 12, index % 12 + 1, 1)


def calendar_month(request, year: int, month: int):
    """``/calendar/2021/4/``: the issues of one month, each publication's run with its gaps shown."""
    if not (1 <= month <= 12 and datetime.MINYEAR < year < datetime.MAXYEAR):
        raise Http404(_("没有这个月份：%(year)s年%(month)s月") % {"year": year, "month": month})
    publication = _publication(request)
    issues = list(
        _issues(publication)
        .filter(date__year=year, date__month=month)
        .select_related("publication", "publisher")
        .without_text()
        .with_item_counts()
        .order_by("publication__name", "number", "date", "pk")
    )
    title = _("%(year)d年%(month)d月") % {"year": year, "month": month}
    calendar_url = reverse("bulletins:calendar") + _query(publication)
    params = QueryDict(mutable=True)
    params.update({"date_after": f"{year:04d}-{month:02d}-01"})
    params["date_before"] = (_neighbour_month(year, month, 1) - datetime.timedelta(days=1)).isoformat()
    if publication:
        params["publication"] = str(publication.pk)
    context = {
        "publication": publication,
        "entries": with_gaps(issues),
        "title": title,
        "previous": _neighbour_month(year, month, -1),
        "next": _neighbour_month(year, month, 1),
        "query": _query(publication),
        "list_query": params.urlencode(),
        "breadcrumbs": _crumbs((publication.name if publication else _("日历"), calendar_url), (title, None)),
    }
    return render(request, "bulletins/calendar_month.html", context)
