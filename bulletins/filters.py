"""One FilterSet per list, shared by the HTML pages, the JSON API and the CSV exports.

Why here and not in the views: ``/articles/``, ``/api/articles/`` and
``/articles.csv`` must read the same query parameters the same way (and reject
the same bad ones with the same message), so the parameters are declared once.
Nothing in this module knows about HTML.

Query parameters: ``organisation`` (id), ``topic`` (slug), ``publication`` (id),
``publisher`` (id, issues), ``year`` (issues), ``section`` (articles),
``date_after`` / ``date_before`` (YYYY-MM-DD), ``q`` (full text: words,
``"phrases"``, ``-exclusions``), ``scope`` (where ``q`` looks: all, title,
byline, organisation) and ``sort`` (relevance, newest, oldest). ``page`` and
``page_size`` belong to pagination, not to the filters.

``facet_counts(filterset, name)`` answers "how many results would this option
give, with the other active filters kept": one grouped query per facet.
"""

from __future__ import annotations

from collections.abc import Callable

import django_filters
from django import forms
from django.db.models import Count, F, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from .caching import cached_aggregate
from .models import Article, BriefItem, Issue, Organisation, Publication, Topic
from .query_syntax import SCOPE_CHOICES, SORT_CHOICES, scope_for, sort_for
from .querysets import within
from .search import ranked

DATE_FORMAT = "%Y-%m-%d"
DATE_ERROR = _("日期无效：请按 YYYY-MM-DD 填写一个真实存在的日期，例如 2021-04-30。")
CHOICE_ERROR = _("没有这个选项：%(value)s。请从列表中选择。")


class QueryField(forms.CharField):
    """Free text as typed, minus what PostgreSQL cannot store (NUL bytes).

    Why not reject NUL bytes like a plain CharField does: a pasted query with
    a stray control character should still search, not fail.
    """

    max_query_length = 200

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\x00", "").strip()[: self.max_query_length]


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        kwargs.setdefault("error_messages", {"invalid": _("年份无效：请填写四位数字，例如 2021。")})
        super().__init__(**kwargs)


class YearFilter(django_filters.Filter):
    field_class = YearField


class QueryFilter(django_filters.CharFilter):
    field_class = QueryField


def _date_filter(label, method):
    return django_filters.DateFilter(
        label=label,
        method=method,
        input_formats=[DATE_FORMAT],
        error_messages={"invalid": DATE_ERROR},
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def _choice_filter(label, queryset, method, **kwargs):
    return django_filters.ModelChoiceFilter(
        label=label,
        queryset=queryset,
        method=method,
        error_messages={"invalid_choice": CHOICE_ERROR, "invalid_pk_value": CHOICE_ERROR},
        **kwargs,
    )


class DateRangeForm(forms.Form):
    """Rejects a range whose start is after its end, naming both fields."""

    def clean(self):
        cleaned = super().clean()
        after, before = cleaned.get("date_after"), cleaned.get("date_before")
        if after and before and after > before:
            raise forms.ValidationError(
                _("起始日期 %(after)s 晚于结束日期 %(before)s。"), params={"after": after, "before": before}
            )
        return cleaned


class DatedTextFilter(django_filters.FilterSet):
    """The filters articles and brief items share; each goes through a queryset method."""

    q = QueryFilter(label=_("检索词"), method="filter_q")
    scope = django_filters.ChoiceFilter(
        label=_("检索范围"),
        choices=[(name, _(label)) for name, label in SCOPE_CHOICES],
        method="filter_scope",
        empty_label=None,
        error_messages={"invalid_choice": CHOICE_ERROR},
    )
    sort = django_filters.ChoiceFilter(
        label=_("排序"),
        choices=[(name, _(label)) for name, label in SORT_CHOICES],
        method="filter_sort",
        empty_label=None,
        error_messages={"invalid_choice": CHOICE_ERROR},
    )
    organisation = _choice_filter(_("组织"), Organisation.objects.all(), "filter_organisation")
    topic = _choice_filter(_("主题"), Topic.objects.all(), "filter_topic", to_field_name="slug")
    publication = _choice_filter(_("刊物"), Publication.objects.all(), "filter_publication")
    date_after = _date_filter(_("起始日期"), "filter_date_after")
    date_before = _date_filter(_("结束日期"), "filter_date_before")

    facets: dict[str, Callable[[QuerySet], list[tuple]]] = {}

    class Meta:
        fields: list[str] = []
        form = DateRangeForm

    def filter_queryset(self, queryset):
        return apply_filters(self, queryset)

    def filter_q(self, queryset, name, value):
        if not value:
            return queryset
        data = self.form.cleaned_data
        return ranked(queryset, value, scope_for(data.get("scope")), sort_for(data.get("sort")))

    def filter_scope(self, queryset, name, value):
        return queryset  # read by filter_q: a scope without a query narrows nothing

    def filter_sort(self, queryset, name, value):
        """Without a query, a date sort orders the list (else newest first); ``filter_q`` sorts a search."""
        if self.form.cleaned_data.get("q") or not sort_for(value).order_by:
            return queryset
        if sort_for(value).name == "oldest":
            return queryset.order_by(F("day").asc(nulls_last=True), "issue_id", "position")
        return queryset.newest_first()

    def filter_organisation(self, queryset, name, value):
        return queryset.for_organisation(value)

    def filter_topic(self, queryset, name, value):
        return queryset.for_topic(value)

    def filter_publication(self, queryset, name, value):
        return queryset.for_publication(value)

    def filter_date_after(self, queryset, name, value):
        return queryset.between(after=value)

    def filter_date_before(self, queryset, name, value):
        return queryset.between(before=value)


# Facets: each takes the queryset filtered by every other active filter and returns
# [(value, label, count)], most results first, in one grouped query.


def _organisation_facet(queryset):
    return queryset.organisation_counts()


def _topic_facet(queryset):
    return queryset.topic_counts()


def _publication_facet(queryset):
    rows = (
        queryset.model.objects.filter(within(queryset), issue__publication__isnull=False)
        .values_list("issue__publication_id", "issue__publication__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "issue__publication__name")
    )
    return [(pk, name, n) for pk, name, n in rows]


def _section_facet(queryset):
    rows = (
        Article.objects.filter(within(queryset))
        .exclude(section="")
        .values_list("section")
        .annotate(n=Count("pk"))
        .order_by("-n", "section")
    )
    return [(section, section, n) for section, n in rows]


def _issue_field_facet(field: str, label_field: str):
    def facet(queryset):
        rows = (
            Issue.objects.filter(within(queryset), **{f"{field}__isnull": False})
            .values_list(field, label_field)
            .annotate(n=Count("pk"))
            .order_by("-n", label_field)
        )
        return [(pk, label, n) for pk, label, n in rows]

    return facet


def _year_facet(queryset):
    rows = (
        Issue.objects.filter(within(queryset), date__isnull=False)
        .annotate(y=ExtractYear("date"))
        .values_list("y")
        .annotate(n=Count("pk"))
        .order_by("-y")
    )
    return [(year, str(year), n) for year, n in rows]


class ArticleFilter(DatedTextFilter):
    section = django_filters.CharFilter(label=_("栏目"), method="filter_section")

    facets = {
        "organisation": _organisation_facet,
        "topic": _topic_facet,
        "publication": _publication_facet,
        "section": _section_facet,
    }

    class Meta(DatedTextFilter.Meta):
        model = Article

    def filter_section(self, queryset, name, value):
        return queryset.for_section(value) if value else queryset


class BriefItemFilter(DatedTextFilter):
    facets = {
        "organisation": _organisation_facet,
        "topic": _topic_facet,
        "publication": _publication_facet,
    }

    class Meta(DatedTextFilter.Meta):
        model = BriefItem


class IssueFilter(django_filters.FilterSet):
    """Issues by publication, publisher (or any organisation that published them), year and date."""

    publication = _choice_filter(_("刊物"), Publication.objects.all(), "filter_publication")
    publisher = _choice_filter(_("发布单位"), Organisation.objects.all(), "filter_publisher")
    organisation = _choice_filter(_("组织"), Organisation.objects.all(), "filter_organisation")
    year = YearFilter(label=_("年份"), method="filter_year")
    date_after = _date_filter(_("起始日期"), "filter_date_after")
    date_before = _date_filter(_("结束日期"), "filter_date_before")

    facets = {
        "publication": _issue_field_facet("publication_id", "publication__name"),
        "publisher": _issue_field_facet("publisher_id", "publisher__name"),
        "year": _year_facet,
    }

    class Meta:
        model = Issue
        fields: list[str] = []
        form = DateRangeForm

    def filter_publication(self, queryset, name, value):
        return queryset.filter(publication=value)

    def filter_publisher(self, queryset, name, value):
        return queryset.filter(publisher=value)

    def filter_organisation(self, queryset, name, value):
        return queryset.for_organisation(value)

    def filter_year(self, queryset, name, value):
        return queryset.filter(date__year=value)

    def filter_date_after(self, queryset, name, value):
        return queryset.filter(date__gte=value)

    def filter_date_before(self, queryset, name, value):
        return queryset.filter(date__lte=value)


class OrganisationFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label=_("级别"), choices=Organisation.Level.choices)
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=Organisation.Kind.choices)
    name = django_filters.CharFilter(label=_("名称"), lookup_expr="contains")

    class Meta:
        model = Organisation
        fields: list[str] = []


class TopicFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("名称"), lookup_expr="contains")

    class Meta:
        model = Topic
        fields: list[str] = []


def apply_filters(filterset: django_filters.FilterSet, queryset: QuerySet, *, skip: str = "") -> QuerySet:
    """Apply every valid active filter but ``skip``, the text query ``q`` last.

    Why ``q`` last: a search keeps only its best-ranked matches, so it must
    rank within the other filters (an organisation, a date range), not before
    them.
    """
    items = sorted(filterset.form.cleaned_data.items(), key=lambda item: item[0] == "q")
    for field, value in items:
        if field != skip:
            queryset = filterset.filters[field].filter(queryset, value)
    return queryset


def queryset_without(filterset: django_filters.FilterSet, name: str) -> QuerySet:
    """The filterset's queryset with every valid active filter applied except ``name``.

    Reuses the already-cleaned form data, so no filter value is validated (or
    looked up in the database) twice.
    """
    filterset.is_valid()
    return apply_filters(filterset, filterset.queryset.all(), skip=name)


def facet_counts(filterset: django_filters.FilterSet, name: str) -> list[tuple]:
    """[(value, label, count)] for facet ``name``: the result count each option would give.

    The counts keep every other active filter, so picking an option yields
    exactly the count shown beside it.
    """
    facet = type(filterset).facets[name]
    if filterset.is_valid() and not _narrowed_except(filterset, name):
        # With no other filter the counts are the whole archive's, the same for every request that sets only
        # this one (a list of one organisation's articles shows every organisation's count): computed once per
        # archive state, and by the writer when it warms the unfiltered lists.
        return cached_aggregate(
            "facet", lambda: facet(queryset_without(filterset, name)), params=(type(filterset).__name__, name)
        )
    return facet(queryset_without(filterset, name))


# Parameters that order or scope a list without narrowing it.
NOT_NARROWING = frozenset({"scope", "sort"})


def _narrowed_except(filterset: django_filters.FilterSet, name: str) -> bool:
    """Whether a filter other than ``name`` narrows the list."""
    return any(
        value not in (None, "", [], ())
        for field, value in filterset.form.cleaned_data.items()
        if field != name and field not in NOT_NARROWING
    )


def facet_names(filterset: django_filters.FilterSet) -> list[str]:
    return list(type(filterset).facets)
