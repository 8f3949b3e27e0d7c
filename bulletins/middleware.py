"""Request-wide rules: a clear 503 during a database outage, a read-only public site, a Chinese admin, headers."""

from __future__ import annotations

import contextlib
import json
import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections
from django.http import HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """Answer 503 while PostgreSQL is unreachable; recover on its own once it is back.

    Why a middleware: every page reads the database, so one place catches the
    outage for all of them. The broken connection is closed so that the next
    request opens a fresh one (no restart needed when the server returns).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError) as exc:
            return self._unavailable(request, exc)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)) or (
            isinstance(exception, DatabaseError) and _connection_is_broken()
        ):
            return self._unavailable(request, exception)
        return None

    def _unavailable(self, request, exc):
        logger.error("database unavailable: %s", exc)
        for conn in connections.all(initialized_only=True):
            with contextlib.suppress(Exception):
                conn.close()
        if request.path.startswith(_api_prefix()):
            body = '{"detail": "数据库暂时不可用，请稍后再试。"}'
            response = HttpResponse(body, status=503, content_type="application/json; charset=utf-8")
        else:
            response = HttpResponse(render_to_string("503.html", request=None), status=503)
        response["Retry-After"] = "30"
        return response


def _connection_is_broken() -> bool:
    return connection.connection is not None and connection.connection.closed


class ReadOnlyPublicSiteMiddleware:
    """Refuse every unsafe HTTP method outside the admin with 405.

    Why one middleware instead of a decorator per view: the public site (pages,
    feeds, exports, API) never writes, and a page added later must not become
    writable by forgetting a decorator. Only the admin accepts POST.
    """

    SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in self.SAFE_METHODS
            or request.path.startswith(_admin_prefix())
            or _is_language_switch(request)
        ):
            return self.get_response(request)
        allow = ", ".join(self.SAFE_METHODS)
        if request.path.startswith(_api_prefix()):
            response = HttpResponse(
                json.dumps({"detail": f"本站只读：不接受 {request.method[:10]} 请求。"}, ensure_ascii=False),
                status=405,
                content_type="application/json; charset=utf-8",
            )
        else:
            response = HttpResponseNotAllowed(self.SAFE_METHODS, "本站只读。".encode())
            response["Content-Type"] = "text/plain; charset=utf-8"
        response["Allow"] = allow
        return response


def _is_language_switch(request) -> bool:
    """The language switch's POST: it writes a cookie, never the archive."""
    from django.urls import reverse

    return request.method == "POST" and request.path == reverse("set_language")


def _admin_prefix() -> str:
    return reverse("admin:index")


def _api_prefix() -> str:
    return reverse("opendata:api-root")


class AdminInChineseMiddleware:
    """Speak Chinese in the admin whatever language the browser asks for.

    Why: the admin's own labels are Chinese, so Django's messages must be too;
    an English browser would otherwise get "Please correct the error below."
    beside Chinese field names. Placed after ``LocaleMiddleware``, which keeps
    negotiating the language of the public site.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(_admin_prefix()):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Send ``settings.PERMISSIONS_POLICY`` with every response: browser features the archive never uses are off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def client_ip(request) -> str | None:
    """The visitor's address for login lockouts (django-axes), trusting only our own proxies.

    With ``ARCHIVE_PROXY_COUNT`` = N > 0 the address is the N-th X-Forwarded-For
    entry from the right (each trusted proxy appends the address it saw); a
    visitor can prepend entries but not change those. Without proxies, or
    without the header, it is the connection's address.
    """
    count = settings.ARCHIVE_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count > 0 and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
