"""Public pages: browse the archive by issue, organisation, topic and date, and search it.

Why function views with explicit context dicts: each page's inputs are visible
in one place. Every list reads its query parameters through the FilterSets in
``filters.py`` (shared with the JSON API and the CSV exports) and its rows
through the querysets, so a page costs the same few SQL queries whatever its
page size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import F, Value
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import charts
from .caching import cached_aggregate
from .filters import ArticleFilter, BriefItemFilter, IssueFilter, facet_counts, facet_names
from .models import Article, BriefItem, Issue, Organisation, Topic
from .querysets import RANK_CANDIDATES

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
DETAIL_LIST_SIZE = 10
MAX_OPTIONS = 100
# Pagination parameters: kept in links, never treated as filters.
PAGING = ("page", "page_size")


# --- shared helpers -----------------------------------------------------------------


def page_size(request) -> int:
    """``page_size`` from the query string, capped at 100; anything unusable means the default."""
    try:
        size = int(request.GET.get("page_size", DEFAULT_PAGE_SIZE))
    except (TypeError, ValueError):
        return DEFAULT_PAGE_SIZE
    return min(max(size, 1), MAX_PAGE_SIZE)


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


def _query(**params) -> QueryDict:
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
    kind: str  # "select", "date", "text" or "hidden"
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


# --- pages ---------------------------------------------------------------------------


def home(request):
    """What the archive holds, its latest issues, a month timeline and the topics."""
    months = cached_aggregate("home-months", lambda: (Article.objects.month_counts(), BriefItem.objects.month_counts()))
    context = {
        "counts": cached_aggregate(
            "home-counts",
            lambda: {
                "issues": Issue.objects.count(),
                "articles": Article.objects.count(),
                "briefs": BriefItem.objects.count(),
                "organisations": Organisation.objects.count(),
            },
        ),
        "latest_issues": Issue.objects.select_related("publication", "publisher")
        .without_text()
        .with_item_counts()
        .newest_first()[:6],
        "chart": charts.month_chart(*months),
        "topics": topics_with_counts(),
    }
    return render(request, "bulletins/home.html", context)


def issue_list(request):
    queryset = Issue.objects.select_related("publication", "publisher").without_text().with_item_counts().newest_first()
    context, status = filtered_list(request, IssueFilter, queryset)
    context["breadcrumbs"] = crumbs((_("期刊"), None))
    return render(request, "bulletins/issue_list.html", context, status=status)


def issue_detail(request, pk: int):
    """The issue as published: masthead, contents, articles in order, brief items, original text."""
    issue = get_object_or_404(Issue.objects.select_related("publication", "publisher"), pk=pk)
    previous, following = Issue.objects.neighbours(issue)
    context = {
        "issue": issue,
        "articles": issue.articles.prefetch_related("organisations", "topics").order_by("position"),
        "briefs": issue.briefs.prefetch_related("organisations", "topics").order_by("position"),
        "previous": previous,
        "next": following,
        "breadcrumbs": crumbs((_("期刊"), reverse("bulletins:issue_list")), (issue.title, None)),
    }
    return render(request, "bulletins/issue_detail.html", context)


def _dated_queryset(model):
    """Newest first by effective date; a text query re-orders by rank."""
    return model.objects.list_related().newest_first()


def _feed_url(filterset) -> str:
    """The feed that best matches the active filters: an organisation's, a topic's, else all issues."""
    data = filterset.form.cleaned_data if filterset.is_valid() else {}
    if data.get("organisation"):
        return reverse("opendata:feed_organisation", args=[data["organisation"].pk])
    if data.get("topic"):
        return reverse("opendata:feed_topic", args=[data["topic"].slug])
    return reverse("opendata:feed_issues")


def _dated_list(request, filter_class, model, *, template: str, title: str, csv_path: str):
    context, status = filtered_list(request, filter_class, _dated_queryset(model))
    context.update(
        {
            "title": title,
            "breadcrumbs": crumbs((title, None)),
            "csv_path": csv_path,
            "feed_url": _feed_url(context["filterset"]),
        }
    )
    return render(request, template, context, status=status)


def article_list(request):
    return _dated_list(
        request,
        ArticleFilter,
        Article,
        template="bulletins/article_list.html",
        title=_("文章"),
        csv_path="/articles.csv",
    )


def brief_list(request):
    return _dated_list(
        request,
        BriefItemFilter,
        BriefItem,
        template="bulletins/brief_list.html",
        title=_("简讯"),
        csv_path="/briefs.csv",
    )


def article_detail(request, pk: int):
    article = get_object_or_404(
        Article.objects.select_related("issue__publication", "issue__publisher").prefetch_related(
            "organisations", "topics"
        ),
        pk=pk,
    )
    context = {
        "article": article,
        "related": Article.objects.related_to(article),
        "breadcrumbs": crumbs(
            (_("期刊"), reverse("bulletins:issue_list")),
            (article.issue.title, article.issue.get_absolute_url()),
            (article.title, None),
        ),
    }
    return render(request, "bulletins/article_detail.html", context)


LEVEL_GROUPS = [
    (Organisation.Level.NATIONAL, gettext_lazy("全国")),
    (Organisation.Level.PROVINCE, gettext_lazy("省级")),
    (Organisation.Level.CITY, gettext_lazy("市级")),
    (Organisation.Level.COUNTY, gettext_lazy("县级")),
    (Organisation.Level.OTHER, gettext_lazy("其他")),
]


def organisation_list(request):
    """Every organisation, grouped by level, with how many issues, articles and brief items name it."""
    issue_counts, article_counts, brief_counts = cached_aggregate(
        "organisation-counts",
        lambda: [
            {pk: n for pk, _name, n in model.objects.organisation_counts()} for model in (Issue, Article, BriefItem)
        ],
    )
    groups = {level: [] for level, _label in LEVEL_GROUPS}
    for organisation in Organisation.objects.order_by("name"):
        organisation.issue_count = issue_counts.get(organisation.pk, 0)
        organisation.article_count = article_counts.get(organisation.pk, 0)
        organisation.brief_count = brief_counts.get(organisation.pk, 0)
        groups.get(organisation.level, groups[Organisation.Level.OTHER]).append(organisation)
    context = {
        "groups": [(label, groups[level]) for level, label in LEVEL_GROUPS if groups[level]],
        "breadcrumbs": crumbs((_("组织"), None)),
    }
    return render(request, "bulletins/organisation_list.html", context)


def _subject_context(request, *, articles, briefs, param: str, value) -> dict:
    """What an organisation page and a topic page share: latest items, totals, links to full lists, a chart."""
    query = _query(**{param: value})
    return {
        "articles": articles.list_related().newest_first()[:DETAIL_LIST_SIZE],
        "briefs": briefs.list_related().newest_first()[:DETAIL_LIST_SIZE],
        "article_total": articles.count(),
        "brief_total": briefs.count(),
        "filter_query": query,
        "chart": charts.month_chart(articles.month_counts(), briefs.month_counts(), query={param: value}),
    }


def organisation_detail(request, pk: int):
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), pk=pk)
    context = _subject_context(
        request,
        articles=Article.objects.for_organisation(organisation),
        briefs=BriefItem.objects.for_organisation(organisation),
        param="organisation",
        value=organisation.pk,
    )
    context.update(
        {
            "organisation": organisation,
            "issues": Issue.objects.for_organisation(organisation)
            .select_related("publication", "publisher")
            .without_text()
            .with_item_counts()
            .newest_first()[:DETAIL_LIST_SIZE],
            "feed_url": reverse("opendata:feed_organisation", args=[organisation.pk]),
            "breadcrumbs": crumbs((_("组织"), reverse("bulletins:organisation_list")), (organisation.name, None)),
        }
    )
    return render(request, "bulletins/organisation_detail.html", context)


def topics_with_counts() -> list[Topic]:
    """All topics with their article and brief counts: three queries, however many topics."""
    article_counts, brief_counts = cached_aggregate(
        "topic-counts",
        lambda: [{slug: n for slug, _name, n in model.objects.topic_counts()} for model in (Article, BriefItem)],
    )
    topics = list(Topic.objects.order_by("name"))
    for topic in topics:
        topic.article_count = article_counts.get(topic.slug, 0)
        topic.brief_count = brief_counts.get(topic.slug, 0)
    return topics


def topic_list(request):
    context = {"topics": topics_with_counts(), "breadcrumbs": crumbs((_("主题"), None))}
    return render(request, "bulletins/topic_list.html", context)


def topic_detail(request, slug: str):
    topic = get_object_or_404(Topic, slug=slug)
    context = _subject_context(
        request,
        articles=Article.objects.for_topic(topic),
        briefs=BriefItem.objects.for_topic(topic),
        param="topic",
        value=topic.slug,
    )
    context.update(
        {
            "topic": topic,
            "feed_url": reverse("opendata:feed_topic", args=[topic.slug]),
            "breadcrumbs": crumbs((_("主题"), reverse("bulletins:topic_list")), (topic.name, None)),
        }
    )
    return render(request, "bulletins/topic_detail.html", context)


# --- search ---------------------------------------------------------------------------


def _scored(queryset, kind: str):
    """(kind, id, score, day) rows of a filtered queryset, ready for a UNION across articles and briefs."""
    score = F("rank") if "rank" in queryset.query.annotations else Value(0.0)
    return (
        queryset.order_by()
        .annotate(kind=Value(kind), oid=F("pk"), score=score, when=F("day"))
        .values_list("kind", "oid", "score", "when")
    )


def _load_results(rows) -> list[dict]:
    """The page's (kind, id) rows as objects, two queries plus prefetches, in rank order."""
    ids = {"article": [], "brief": []}
    for kind, pk, _score, _when in rows:
        ids[kind].append(pk)
    loaded = {
        "article": Article.objects.list_related().in_bulk(ids["article"]),
        "brief": BriefItem.objects.list_related().in_bulk(ids["brief"]),
    }
    results = []
    for kind, pk, _score, _when in rows:
        obj = loaded[kind].get(pk)
        if obj is not None:
            text = obj.body or obj.subtitle or obj.title if kind == "article" else obj.text
            results.append({"kind": kind, "object": obj, "text": text})
    return results


def _merged_facets(filtersets, names) -> dict[str, list[tuple]]:
    """Facet counts over articles and briefs together: the counts of the combined result."""
    merged = {}
    for name in names:
        totals: dict = {}
        labels: dict = {}
        for filterset in filtersets:
            for value, label, count in facet_counts(filterset, name):
                totals[value] = totals.get(value, 0) + count
                labels[value] = label
        merged[name] = sorted(((v, labels[v], n) for v, n in totals.items()), key=lambda row: (-row[2], row[1]))
    return merged


SEARCH_FACETS = ("organisation", "topic", "publication")


def search(request):
    """One ranked search over articles and brief items, with snippets and the list filters on top."""
    articles = ArticleFilter(request.GET, queryset=Article.objects.all())
    briefs = BriefItemFilter(request.GET, queryset=BriefItem.objects.all())
    valid = articles.is_valid() and briefs.is_valid()
    q = articles.form.cleaned_data.get("q", "") if valid else ""
    page_obj, facets, terms, capped = None, {}, [], False
    if valid and q:
        from .analysis import get_segmenter

        terms = [*get_segmenter().query_terms(q), q]
        rows = _scored(articles.qs, "article")
        if not articles.form.cleaned_data.get("section"):  # brief items have no section
            rows = rows.union(_scored(briefs.qs, "brief"), all=True)
        # The whole ranked list (at most RANK_CANDIDATES per kind, a few kilobytes) is remembered per archive
        # state, query and filters: every further page of the same search, and the same search asked again,
        # then costs no ranking at all. Its length is the result count.
        searched_params = sorted(kv for kv in request.GET.lists() if kv[0] not in PAGING)
        ranked = cached_aggregate(
            "search-ranked",
            lambda: list(rows.order_by("-score", F("when").desc(nulls_last=True), "kind", "-oid")),
            params=searched_params,
        )
        page_obj = paginate(request, ranked, count=len(ranked))
        page_obj.object_list = _load_results(page_obj.object_list)
        capped = page_obj.paginator.count >= RANK_CANDIDATES
        # Facets of a search depend only on the query and filters: remembered per archive state.
        facets = cached_aggregate(
            "search-facets",
            lambda: _merged_facets([articles, briefs], SEARCH_FACETS),
            params=searched_params,
        )
    controls = [c for c in filter_controls(articles, facets) if c.name != "section" or c.value]
    context = {
        "q": q,
        "terms": terms,
        "page_obj": page_obj,
        "controls": [c for c in controls if c.name != "q"],
        "active_filters": [f for f in active_filters(articles) if f.name != "q"],
        "errors": form_errors(articles) or form_errors(briefs),
        "page_size": page_size(request),
        "search_hidden": [("q", q)],
        "capped": capped,
        "rank_candidates": RANK_CANDIDATES,
        "reset_query": _query(q=q) if q else None,
        "breadcrumbs": crumbs((_("搜索"), None)),
    }
    return render(request, "bulletins/search.html", context, status=200 if valid else 400)


# --- errors -----------------------------------------------------------------------------


def page_not_found(request, exception=None):
    return render(request, "404.html", {"breadcrumbs": crumbs((_("页面不存在"), None))}, status=404)


def server_error(request):
    return render(request, "500.html", {}, status=500)
