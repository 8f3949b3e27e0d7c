"""Public pages. The paths are a contract: feeds, exports and the API link to them."""

from django.urls import path

from . import about_views, calendar_views, original_views, views

app_name = "bulletins"

urlpatterns = [
    path("", views.home, name="home"),
    path("issues/", views.issue_list, name="issue_list"),
    path("issues/<int:pk>/", views.issue_detail, name="issue_detail"),
    path("issues/<int:pk>/original/", original_views.original_download, name="original_download"),
    path("issues/<int:pk>/pages/<int:number>/", original_views.page_detail, name="page_detail"),
    path(
        "issues/<int:pk>/pages/<int:number>/<str:size>/",
        original_views.page_image,
        name="page_image",
    ),
    path("issues/<int:pk>/iiif/manifest.json", original_views.iiif_manifest, name="iiif_manifest"),
    path("articles/", views.article_list, name="article_list"),
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
    path("briefs/", views.brief_list, name="brief_list"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("search/", views.search, name="search"),
    path("calendar/", calendar_views.calendar, name="calendar"),
    path("calendar/<int:year>/<int:month>/", calendar_views.calendar_month, name="calendar_month"),
    path("about/", about_views.about, name="about"),
]
