"""Public pages: browse the archive by issue, organisation, topic and date, and search it.

Why function views with explicit context dicts: each page's inputs are visible
in one place. Every list reads its query parameters through the FilterSets in
``filters.py`` (shared with the JSON API and the CSV exports) and shows them
through ``listing.py``; its rows come from the querysets, and a search's from
``search.py``, so a page costs the same few SQL queries whatever its page size.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import archive_counts, charts
from . import search as searching
from .caching import cached_aggregate, cached_fragment
from .filters import ArticleFilter, BriefItemFilter, IssueFilter, facet_counts, queryset_without
from .listing import (
    PAGING,
    active_filters,
    crumbs,
    filter_controls,
    filtered_list,
    form_errors,
    page_size,
    paginate,
    query_dict,
)
from .models import Article, BriefItem, Issue, Organisation, Topic
from .query_syntax import scope_for, sort_for

DETAIL_LIST_SIZE = 10


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
        "chart_html": charts.rendered_month_chart("home", *months),
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
        "pages": issue.pages.order_by("number"),
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


def _dated_list(request, filter_class, model, *, template: str, rows: str, title: str, csv_name: str):
    """A list of articles or brief items; its rows are rendered once per archive state, language and URL.

    Why the rows apart: reading twenty items with their issues, organisations
    and topics and rendering them is most of a list page's time (40-50 ms for a
    list filtered by organisation, topic and year at a million articles), and
    they change only with the archive, like the counts beside them.
    """
    context, status = filtered_list(request, filter_class, _dated_queryset(model))
    rows_context = {"page_obj": context["page_obj"], "errors": context["errors"]}
    if status == 200:
        params = (request.path, sorted(request.GET.lists()))
        context["rows_html"] = cached_fragment(rows, lambda: rows_context, params=params)
    else:
        context["rows_html"] = render_to_string(rows, rows_context)
    context.update(
        {
            "title": title,
            "breadcrumbs": crumbs((title, None)),
            "csv_path": reverse(csv_name),
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
        rows="bulletins/_article_rows.html",
        title=_("文章"),
        csv_name="opendata:articles_csv",
    )


def brief_list(request):
    return _dated_list(
        request,
        BriefItemFilter,
        BriefItem,
        template="bulletins/brief_list.html",
        rows="bulletins/_brief_rows.html",
        title=_("简讯"),
        csv_name="opendata:briefs_csv",
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
        "printed_pages": article.issue.pages.filter(number__in=article.pages).order_by("number"),
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

    def groups() -> dict:
        by_level = {level: [] for level, _label in LEVEL_GROUPS}
        for organisation in archive_counts.with_organisation_counts(Organisation.objects.order_by("name")):
            by_level.get(organisation.level, by_level[Organisation.Level.OTHER]).append(organisation)
        return {
            "groups": [(label, by_level[level]) for level, label in LEVEL_GROUPS if by_level[level]],
            "article_list_url": reverse("bulletins:article_list"),
            "brief_list_url": reverse("bulletins:brief_list"),
        }

    # A thousand organisations make a thousand table rows: rendered once per archive state and language.
    html = cached_fragment("bulletins/_organisation_groups.html", groups)
    context = {"groups_html": html, "breadcrumbs": crumbs((_("组织"), None))}
    return render(request, "bulletins/organisation_list.html", context)


def _subject_context(request, *, articles, briefs, param: str, value) -> dict:
    """What an organisation page and a topic page share: latest items, totals, links to full lists, a chart.

    The latest items with their organisations and topics are most of such a
    page's time: rendered once per archive state and language.
    """
    query = query_dict(**{param: value})
    if param == "topic":
        article_total, brief_total, article_months, brief_months = archive_counts.topic_counts_of(value)
    else:
        article_total, brief_total, article_months, brief_months = archive_counts.organisation_counts_of(
            value, articles, briefs
        )
    shared = {"article_total": article_total, "brief_total": brief_total, "filter_query": query}

    def items() -> dict:
        return {
            **shared,
            "articles": articles.list_related().newest_first()[:DETAIL_LIST_SIZE],
            "briefs": briefs.list_related().newest_first()[:DETAIL_LIST_SIZE],
            "chart_html": charts.rendered_month_chart(param, article_months, brief_months, query={param: value}),
        }

    params = (param, value, article_total, brief_total)  # totals served from an earlier state must match
    return {**shared, "items_html": cached_fragment("includes/subject_items.html", items, params=params)}


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
    return archive_counts.with_topic_counts(Topic.objects.order_by("name"))


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
    data = articles.form.cleaned_data if valid else {}
    q = data.get("q", "")
    page_obj, facets, parsed, capped, matched, matched_exact = None, {}, None, False, 0, True
    if valid and q:
        parsed = searching.parse_query(q)
        scope, sort = scope_for(data.get("scope")), sort_for(data.get("sort"))
        with_briefs = not data.get("section")  # brief items have no section
        ranked, facets = searching.search_page(
            articles.qs,
            briefs.qs if with_briefs else None,
            params=sorted(kv for kv in request.GET.lists() if kv[0] not in PAGING),
            facets=lambda: _merged_facets([articles, briefs], SEARCH_FACETS),
            sort=sort,
        )
        # The same cache entries the ranking just filled: how many items matched in all, not only those ranked.
        kinds = [articles, briefs] if with_briefs else [articles]
        found = [searching.candidates(queryset_without(fs, "q"), q, scope, sort) for fs in kinds]
        matched = sum(f.total for f in found)
        matched_exact = all(f.total_is_exact for f in found)
        page_obj = paginate(request, ranked, count=len(ranked))
        page_obj.object_list = searching.load_results(page_obj.object_list)
        capped = matched > page_obj.paginator.count
    controls = [c for c in filter_controls(articles, facets) if c.name != "section" or c.value]
    context = {
        "q": q,
        "terms": parsed,
        "page_obj": page_obj,
        "controls": [c for c in controls if c.name != "q"],
        "active_filters": [f for f in active_filters(articles) if f.name not in ("q", "scope", "sort")],
        "errors": form_errors(articles) or form_errors(briefs),
        "page_size": page_size(request),
        "search_hidden": [("q", q)],
        "capped": capped,
        "matched": matched,
        "matched_exact": matched_exact,
        "rank_candidates": searching.RANK_CANDIDATES,
        "reset_query": query_dict(q=q) if q else None,
        "breadcrumbs": crumbs((_("搜索"), None)),
    }
    return render(request, "bulletins/search.html", context, status=200 if valid else 400)


# --- errors -----------------------------------------------------------------------------


def page_not_found(request, exception=None):
    return render(request, "404.html", {"breadcrumbs": crumbs((_("页面不存在"), None))}, status=404)


def server_error(request):
    return render(request, "500.html", {}, status=500)
