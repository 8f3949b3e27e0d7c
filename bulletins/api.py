"""The read-only JSON API.

Why viewsets over the same FilterSets and querysets as the pages: a researcher
who narrows ``/articles/`` to an organisation, a topic and a month must get the
very same rows from ``/api/articles/`` and ``/articles.csv`` with the same
query string. Everything here is GET/HEAD/OPTIONS only; errors are JSON with a
message a person can act on.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from drf_spectacular.drainage import set_override
from drf_spectacular.types import OpenApiTypes
from rest_framework import exceptions, viewsets
from rest_framework.views import exception_handler as drf_exception_handler

from . import archive_counts, serializers
from .filters import ArticleFilter, BriefItemFilter, IssueFilter, OrganisationFilter, TopicFilter
from .models import Article, BriefItem, Issue, Organisation, Topic


def describe_errors(errors: dict, params) -> str:
    """One readable sentence per bad parameter, naming it and the value that was sent."""
    parts = []
    for field, messages in errors.items():
        text = " ".join(str(m) for m in (messages if isinstance(messages, list | tuple) else [messages]))
        if field == NON_FIELD_ERRORS:
            parts.append(text)
            continue
        value = params.get(field) if params is not None else None
        sent = f"（收到 “{value}”）" if value not in (None, "") else ""
        parts.append(f"参数 {field} 无效：{text}{sent}")
    return "；".join(parts)


def api_exception_handler(exc, context):
    """DRF's handler, with a message that says which parameter was wrong.

    Why: the default body for a bad filter is a bare field map; a consumer
    reading logs wants one sentence naming the parameter and the value sent
    (the field map stays under ``errors`` for programs).
    """
    request = context.get("request")
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        params = request.query_params if request is not None else None
        response.data = {"detail": describe_errors(response.data, params), "errors": response.data}
    return response


def _document_filter_types() -> None:
    """Tell the OpenAPI schema the types of filters that work through ``method=``.

    Why: drf-spectacular cannot see through a filter method, so it would call
    every id a string (and warn); the FilterSets themselves stay as they are.
    """
    types = {"organisation": OpenApiTypes.INT, "publisher": OpenApiTypes.INT, "publication": OpenApiTypes.INT}
    types |= {"topic": OpenApiTypes.STR, "year": OpenApiTypes.INT}
    for filterset in (ArticleFilter, BriefItemFilter, IssueFilter):
        for name, filter_field in filterset.base_filters.items():
            if name in types:
                set_override(filter_field, "field", types[name])


_document_filter_types()


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Public, anonymous, read-only: no sessions to check, nothing to write."""

    authentication_classes = ()
    detail_serializer_class = None

    def get_exception_handler(self):
        return api_exception_handler

    def get_object(self):
        """The object, or a 404 whose message names what was asked for."""
        try:
            found = super().get_object()
        except Http404:
            lookup = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
            raise exceptions.NotFound(f"没有找到{self.queryset.model._meta.verbose_name} “{lookup}”。") from None
        return self.with_counts([found])[0] if self.with_counts is not None else found

    # Sets the whole-archive counts on the objects shown (organisations, topics), from one cached entry.
    with_counts = None

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.with_counts is not None:
            page = self.with_counts(page)
        return page

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return self.serializer_class


class IssueViewSet(ReadOnlyViewSet):
    """Issues, newest first, filtered like ``/issues/``; one issue with its articles and brief items."""

    queryset = Issue.objects.select_related("publication", "publisher").with_item_counts().newest_first()
    serializer_class = serializers.IssueSerializer
    detail_serializer_class = serializers.IssueDetailSerializer
    filterset_class = IssueFilter

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action != "retrieve":
            qs = qs.without_text()  # the original text is only part of one issue's own record
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch("articles", Article.objects.order_by("position").prefetch_related("organisations", "topics")),
                Prefetch("briefs", BriefItem.objects.order_by("position").prefetch_related("organisations", "topics")),
            )
        return qs


class ArticleViewSet(ReadOnlyViewSet):
    """Articles filtered like ``/articles/``; the detail adds the body."""

    queryset = Article.objects.list_related().newest_first()
    serializer_class = serializers.ArticleSerializer
    detail_serializer_class = serializers.ArticleDetailSerializer
    filterset_class = ArticleFilter


class BriefItemViewSet(ReadOnlyViewSet):
    """Brief items (简讯) filtered like ``/briefs/``."""

    queryset = BriefItem.objects.list_related().newest_first()
    serializer_class = serializers.BriefItemSerializer
    filterset_class = BriefItemFilter


class OrganisationViewSet(ReadOnlyViewSet):
    """Organisations with how many issues, articles and brief items each has; their ids feed ``organisation=``."""

    queryset = Organisation.objects.select_related("parent").order_by("name", "pk")
    with_counts = staticmethod(archive_counts.with_organisation_counts)
    serializer_class = serializers.OrganisationSerializer
    filterset_class = OrganisationFilter


class TopicViewSet(ReadOnlyViewSet):
    """Topics with counts; their slugs feed ``topic=``."""

    queryset = Topic.objects.order_by("name", "pk")
    with_counts = staticmethod(archive_counts.with_topic_counts)
    serializer_class = serializers.TopicSerializer
    filterset_class = TopicFilter
    lookup_field = "slug"


def not_found(request, *args, **kwargs):
    """Any other path under /api/: a JSON 404, since an API client cannot read the HTML error page."""
    return JsonResponse(
        {"detail": f"没有这个接口：{request.path}。可用的接口见 /api/ 与 /api/schema/。"},
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )
