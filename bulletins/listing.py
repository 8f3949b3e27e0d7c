"""What every list page shares: paging, the filter form's controls, active filters, breadcrumbs.

Why apart from the views: the article, brief item and issue lists and the
search page all read their parameters through a FilterSet and show them the
same way; the pages in ``views.py`` then only say what they list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import django_filters
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from .caching import cached_aggregate
from .filters import facet_counts, facet_names

MAX_OPTIONS = 100
# Pagination parameters: kept in links, never treated as filters.
PAGING = ("page", "page_size")


def page_size(request) -> int:
    """``page_size`` from the query string, capped like the API's; anything unusable means the default."""
    default = settings.ARCHIVE_PAGE_SIZE
    try:
        size = int(request.GET.get("page_size", default))
    except (TypeError, ValueError):
        return default
    return min(max(size, 1), settings.ARCHIVE_MAX_PAGE_SIZE)


class CountedPaginator(Paginator):
    """A paginator told its count when the caller already knows it (saves a COUNT over a huge list)."""

    def __init__(self, *args, count: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # pre-fill Paginator.count (a cached_property)


def paginate(request, queryset, *, count: int | None = None) -> Page:
    """The requested page; a page number past the end gives the last page, garbage the first."""
    return CountedPaginator(queryset, page_size(request), count=count).get_page(request.GET.get("page"))


def without(params: QueryDict, *names: str) -> QueryDict:
    """A copy of ``params`` minus ``names`` and the page number (a new filter starts at page 1)."""
    copy = params.copy()
    for name in (*names, "page"):
        copy.pop(name, None)
    return copy


def query_dict(**params) -> QueryDict:
    query = QueryDict(mutable=True)
    query.update(params)
    return query


def crumbs(*pairs) -> list[tuple[str, str | None]]:
    """Breadcrumbs from the home page: [(label, url)], the last one (the current page) without a link."""
    return [(_("首页"), reverse("bulletins:home")), *pairs]


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Control:
    """One field of the filter form, ready to render (no decisions left for the template)."""

    name: str
    label: str
    kind: str  # "select" (a facet, with counts), "choice" (a fixed list: scope, sort), "date", "text" or "hidden"
    value: str
    errors: list[str]
    options: list[Option] = field(default_factory=list)


@dataclass
class ActiveFilter:
    name: str
    label: str
    value: str
    drop: QueryDict  # the query string with this filter removed


def _options(rows, current: str) -> list[Option]:
    """The facet's options, most results first, at most MAX_OPTIONS (the chosen one always included).

    Why a cap: at archive scale there are thousands of organisations; a select
    that long helps nobody and costs a page render. The organisation pages list
    them all.
    """
    options = [
        Option(str(value), label, count, str(value) == current)
        for index, (value, label, count) in enumerate(rows)
        if index < MAX_OPTIONS or str(value) == current
    ]
    if current and not any(option.selected for option in options):
        # The active choice gives nothing with the other filters: still show it as chosen.
        options.insert(0, Option(current, current, 0, True))
    return options


def _display(filterset, name: str, raw: str) -> str:
    value = filterset.form.cleaned_data.get(name) if filterset.form.is_valid() else None
    return str(value) if value not in (None, "") else raw


def filter_controls(filterset, facets: dict[str, list[tuple]]) -> list[Control]:
    """The filter form's fields: a select with counts per facet, date inputs, the text query."""
    data = filterset.data
    controls = []
    for name, flt in filterset.filters.items():
        current = data.get(name, "") or ""
        errors = [str(e) for e in filterset.form.errors.get(name, [])]
        if name in facets:
            controls.append(Control(name, str(flt.label), "select", current, errors, _options(facets[name], current)))
        elif name.startswith("date_"):
            controls.append(Control(name, str(flt.label), "date", current, errors))
        elif name == "q":
            controls.append(Control(name, str(flt.label), "text", current, errors))
        elif isinstance(flt, django_filters.ChoiceFilter) and "choices" in flt.extra:
            choices = [(str(value), str(label)) for value, label in flt.extra["choices"]]
            chosen = current if current in dict(choices) else choices[0][0]
            options = [Option(value, label, 0, value == chosen) for value, label in choices]
            controls.append(Control(name, str(flt.label), "choice", current, errors, options))
        elif current:
            controls.append(Control(name, str(flt.label), "hidden", current, errors))
    return controls


def active_filters(filterset) -> list[ActiveFilter]:
    """Each filter the visitor set, with a query string that drops it (for chips and empty states)."""
    found = []
    for name, flt in filterset.filters.items():
        raw = filterset.data.get(name, "")
        if raw:
            found.append(
                ActiveFilter(name, str(flt.label), _display(filterset, name, raw), without(filterset.data, name))
            )
    return found


def form_errors(filterset) -> list[str]:
    """Every message the filter form raised, each naming its field."""
    messages = []
    for name, errors in filterset.form.errors.items():
        label = filterset.filters[name].label if name in filterset.filters else ""
        messages.extend(f"{label}：{error}" if label else str(error) for error in errors)
    return messages


def filtered_list(request, filter_class, queryset, *, facets: bool = True) -> tuple[dict, int]:
    """Filter, facet and paginate one list; returns the shared context and the HTTP status.

    Why shared: articles, brief items and issues all behave alike: invalid
    parameters give a 400 page that names them (never a 500), valid ones
    narrow the list, and each select shows what picking an option would yield.
    """
    filterset = filter_class(request.GET, queryset=queryset)
    valid = filterset.is_valid()
    counts, total = {}, None
    if valid:
        # A list's count and facets can read a large part of the archive; they depend only on
        # the filters, so they are computed once per archive state and filter combination.
        params = (filter_class.__name__, sorted(kv for kv in request.GET.lists() if kv[0] not in PAGING))
        total, counts = cached_aggregate(
            "list-summary",
            lambda: (
                filterset.qs.count(),
                {name: facet_counts(filterset, name) for name in facet_names(filterset)} if facets else {},
            ),
            params=(*params, facets),
        )
    page_obj = paginate(request, filterset.qs if valid else queryset.none(), count=total)
    context = {
        "filterset": filterset,
        "controls": filter_controls(filterset, counts),
        "active_filters": active_filters(filterset),
        "errors": form_errors(filterset),
        "page_obj": page_obj,
        "page_size": page_size(request),
    }
    return context, 200 if valid else 400
