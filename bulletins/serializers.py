"""JSON shapes of the open-data API.

Why explicit field lists: the API shows what the pages show and nothing more.
Import internals (segmented text, search vectors, source hashes, the list of
edited fields, row versions, review notes) stay out, and a new model field
does not leak into the API until someone lists it here on purpose.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Article, BriefItem, Issue, Organisation, Publication, Topic

NS = "opendata"


@extend_schema_field(OpenApiTypes.URI)
class HtmlUrlField(serializers.ReadOnlyField):
    """The object's page on the site, absolute, so a consumer can link a human to it."""

    def __init__(self, **kwargs):
        kwargs["source"] = "get_absolute_url"
        super().__init__(**kwargs)

    def to_representation(self, value):
        request = self.context.get("request")
        return request.build_absolute_uri(value) if request else value


class OrganisationRefSerializer(serializers.ModelSerializer):
    """An organisation as it appears inside an article, brief item or issue."""

    url = serializers.HyperlinkedIdentityField(view_name=f"{NS}:organisation-detail")
    html_url = HtmlUrlField()

    class Meta:
        model = Organisation
        fields = ["id", "name", "url", "html_url"]


class TopicRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name=f"{NS}:topic-detail", lookup_field="slug")
    html_url = HtmlUrlField()

    class Meta:
        model = Topic
        fields = ["slug", "name", "url", "html_url"]


class PublicationSerializer(serializers.ModelSerializer):
    """A publication has no page of its own; its id is what the ``publication`` filter takes."""

    class Meta:
        model = Publication
        fields = ["id", "name"]


class IssueRefSerializer(serializers.ModelSerializer):
    """The issue an article or brief item belongs to, enough to cite it."""

    url = serializers.HyperlinkedIdentityField(view_name=f"{NS}:issue-detail")
    html_url = HtmlUrlField()

    class Meta:
        model = Issue
        fields = ["id", "title", "number", "date", "url", "html_url"]


class OrganisationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name=f"{NS}:organisation-detail")
    html_url = HtmlUrlField()
    parent = OrganisationRefSerializer(read_only=True, allow_null=True)
    issue_count = serializers.IntegerField(read_only=True)
    article_count = serializers.IntegerField(read_only=True)
    brief_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "url",
            "html_url",
            "name",
            "kind",
            "level",
            "region",
            "parent",
            "aliases",
            "issue_count",
            "article_count",
            "brief_count",
        ]


class TopicSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name=f"{NS}:topic-detail", lookup_field="slug")
    html_url = HtmlUrlField()
    article_count = serializers.IntegerField(read_only=True)
    brief_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Topic
        fields = ["slug", "url", "html_url", "name", "description", "article_count", "brief_count"]


class _DatedTextSerializer(serializers.ModelSerializer):
    """Fields shared by articles and brief items: where they appeared, when, who and what they are about."""

    html_url = HtmlUrlField()
    issue = IssueRefSerializer(read_only=True)
    publication = PublicationSerializer(source="issue.publication", read_only=True, allow_null=True)
    effective_date = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="The event date, else the issue's date: the date the date filters use (null when neither is known).",
    )
    organisations = OrganisationRefSerializer(many=True, read_only=True)
    topics = TopicRefSerializer(many=True, read_only=True)


class ArticleSerializer(_DatedTextSerializer):
    """An article in a list: everything but its body, which the detail carries."""

    url = serializers.HyperlinkedIdentityField(view_name=f"{NS}:article-detail")

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "html_url",
            "issue",
            "publication",
            "position",
            "section",
            "title",
            "subtitle",
            "byline",
            "region",
            "date",
            "effective_date",
            "organisations",
            "topics",
            "keywords",
        ]


class ArticleDetailSerializer(ArticleSerializer):
    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body", "captions", "pages"]


class BriefItemSerializer(_DatedTextSerializer):
    url = serializers.HyperlinkedIdentityField(view_name=f"{NS}:briefitem-detail")

    class Meta:
        model = BriefItem
        fields = [
            "id",
            "url",
            "html_url",
            "issue",
            "publication",
            "position",
            "date",
            "end_date",
            "effective_date",
            "text",
            "organisations",
            "topics",
        ]


class IssueSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name=f"{NS}:issue-detail")
    html_url = HtmlUrlField()
    publication = PublicationSerializer(read_only=True, allow_null=True)
    publisher = OrganisationRefSerializer(read_only=True, allow_null=True)
    article_count = serializers.IntegerField(read_only=True)
    brief_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Issue
        fields = [
            "id",
            "url",
            "html_url",
            "title",
            "publication",
            "publisher",
            "number",
            "date",
            "article_count",
            "brief_count",
        ]


class IssueArticleSerializer(ArticleDetailSerializer):
    """An article inside its issue: the issue itself is the enclosing object, so it is not repeated."""

    class Meta(ArticleDetailSerializer.Meta):
        fields = [f for f in ArticleDetailSerializer.Meta.fields if f not in {"issue", "publication", "effective_date"}]


class IssueBriefSerializer(BriefItemSerializer):
    class Meta(BriefItemSerializer.Meta):
        fields = [f for f in BriefItemSerializer.Meta.fields if f not in {"issue", "publication", "effective_date"}]


class IssueDetailSerializer(IssueSerializer):
    """One issue as published: its articles in order, its brief items, and the original text the page shows."""

    articles = IssueArticleSerializer(many=True, read_only=True)
    briefs = IssueBriefSerializer(many=True, read_only=True)
    original_text = serializers.CharField(source="raw_text", read_only=True)
    original_url = serializers.SerializerMethodField()
    iiif_manifest = serializers.SerializerMethodField()

    class Meta(IssueSerializer.Meta):
        fields = [*IssueSerializer.Meta.fields, "articles", "briefs", "original_text", "original_url", "iiif_manifest"]

    def _absolute(self, issue: Issue, name: str) -> str | None:
        """The archive's own URL for the issue's original or its IIIF manifest; None for a text import."""
        if not issue.original:
            return None
        url = reverse(name, args=[issue.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    @extend_schema_field(OpenApiTypes.URI)
    def get_original_url(self, issue: Issue) -> str | None:
        return self._absolute(issue, "bulletins:original_download")

    @extend_schema_field(OpenApiTypes.URI)
    def get_iiif_manifest(self, issue: Issue) -> str | None:
        return self._absolute(issue, "bulletins:iiif_manifest")
