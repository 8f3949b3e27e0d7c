"""Top-level routes: the public site, its open-data API, and the admin."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic.base import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    # Clients that ask for /favicon.ico without reading the page's <link rel="icon">.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("bulletins/favicon.ico"), permanent=True)),
    path("", include(("bulletins.opendata_urls", "opendata"))),
    path("", include("bulletins.urls")),
]

handler404 = "bulletins.views.page_not_found"
handler500 = "bulletins.views.server_error"
