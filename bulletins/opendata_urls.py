"""Routes of the open-data layer: the JSON API, the CSV exports and the Atom feeds.

Included at the site root under the ``opendata`` namespace, before the pages,
so ``/api/...``, ``/articles.csv`` and ``/feeds/...`` are answered here.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import api, exports, feeds

router = DefaultRouter()
router.register("issues", api.IssueViewSet, basename="issue")
router.register("articles", api.ArticleViewSet, basename="article")
router.register("briefs", api.BriefItemViewSet, basename="briefitem")
router.register("organisations", api.OrganisationViewSet, basename="organisation")
router.register("topics", api.TopicViewSet, basename="topic")

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/", include(router.urls)),
    # Anything else under /api/ (paths ending in "/"; APPEND_SLASH brings the rest here) is a JSON 404.
    re_path(r"^api/(?:.*/)?$", api.not_found, name="api-not-found"),
    path("articles.csv", exports.articles_csv, name="articles_csv"),
    path("briefs.csv", exports.briefs_csv, name="briefs_csv"),
    path("feeds/issues/", feeds.IssuesFeed(), name="feed_issues"),
    path("feeds/organisations/<int:pk>/", feeds.OrganisationArticlesFeed(), name="feed_organisation"),
    path("feeds/topics/<slug:slug>/", feeds.TopicArticlesFeed(), name="feed_topic"),
]
