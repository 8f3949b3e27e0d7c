"""Top-level routes: the public site, its open-data API, and the admin."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.generic.base import RedirectView
from django.views.i18n import set_language

urlpatterns = [
    path("admin/", admin.site.urls),
    # Clients that ask for /favicon.ico without reading the page's <link rel="icon">.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("bulletins/favicon.ico"), permanent=True)),
    # The language switch: its only effect is the visitor's language cookie, so it takes no CSRF token and
    # the public pages need not set a CSRF cookie just to carry the switch.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include(("bulletins.opendata_urls", "opendata"))),
    path("", include("bulletins.urls")),
]

handler404 = "bulletins.views.page_not_found"
handler500 = "bulletins.views.server_error"
