"""Top-level routes: the public site, its open-data API, and the admin."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include(("bulletins.opendata_urls", "opendata"))),
    path("", include("bulletins.urls")),
]

handler404 = "bulletins.views.page_not_found"
handler500 = "bulletins.views.server_error"
