"""Routes of the open-data layer: the JSON API, the CSV exports and the Atom feeds.

Included at the site root under the ``opendata`` namespace, before the pages,
so ``/api/...``, ``/articles.csv`` and ``/feeds/...`` are answered here.
"""

from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import api, exports, feeds, reading_views


class ArchiveRouter(DefaultRouter):
    """The default router, whose root also links to the schema and its interactive description.

    Why: the root is where a newcomer to the API lands; from there the
    contract (``/api/schema/``) and a browsable description should be one click away.
    """

    def get_api_root_view(self, api_urls=None):
        view = super().get_api_root_view(api_urls)
        view.initkwargs["api_root_dict"] |= {"schema": "schema", "docs": "api-docs"}
        return view


router = ArchiveRouter()
router.register("issues", api.IssueViewSet, basename="issue")
router.register("articles", api.ArticleViewSet, basename="article")
router.register("briefs", api.BriefItemViewSet, basename="briefitem")
router.register("organisations", api.OrganisationViewSet, basename="organisation")
router.register("topics", api.TopicViewSet, basename="topic")

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from drf-spectacular-sidecar's local copy; the split view serves its script as a file (no inline JS).
    # Its stylesheet draws icons from data: URIs, allowed for images on this page only.
    path(
        "api/docs/",
        csp_update({"img-src": ["'self'", "data:"]})(SpectacularSwaggerSplitView.as_view(url_name="opendata:schema")),
        name="api-docs",
    ),
    path("api/", include(router.urls)),
    # Anything else under /api/ (paths ending in "/"; APPEND_SLASH brings the rest here) is a JSON 404.
    re_path(r"^api/(?:.*/)?$", api.not_found, name="api-not-found"),
    path("articles.csv", exports.articles_csv, name="articles_csv"),
    path("briefs.csv", exports.briefs_csv, name="briefs_csv"),
    re_path(r"^articles\.(?P<fmt>ris|bib)$", reading_views.articles_citations, name="articles_citations"),
    re_path(r"^briefs\.(?P<fmt>ris|bib)$", reading_views.briefs_citations, name="briefs_citations"),
    re_path(r"^cite/(?P<kind>article|brief|issue)/(?P<pk>[0-9]+)\.(?P<fmt>ris|bib)$", reading_views.cite, name="cite"),
    path("feeds/issues/", feeds.IssuesFeed(), name="feed_issues"),
    path("feeds/organisations/<int:pk>/", feeds.OrganisationArticlesFeed(), name="feed_organisation"),
    path("feeds/topics/<slug:slug>/", feeds.TopicArticlesFeed(), name="feed_topic"),
]
