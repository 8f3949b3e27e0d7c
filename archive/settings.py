"""Settings for the bulletin archive, all from the environment.

Why one module: development and production differ only in environment
variables (``DATABASE_URL``, ``DJANGO_SECRET_KEY``, ``DJANGO_DEBUG``,
``DJANGO_ALLOWED_HOSTS`` and the ``DJANGO_SECURE_*`` switches), so there is a
single place to read and no settings drift between machines.
"""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
# The development default is a fixed, public key; production (DEBUG off) refuses to start without its own.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY 未设置：关闭 DJANGO_DEBUG（生产环境）时必须设置长的随机密钥。")
    SECRET_KEY = "django-insecure-dev-only-key-set-DJANGO_SECRET_KEY-in-production"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "simple_history",
    "axes",
    "drf_spectacular_sidecar",
    "bulletins",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "bulletins.middleware.PermissionsPolicyMiddleware",
    "bulletins.middleware.DatabaseUnavailableMiddleware",
    "bulletins.middleware.ReadOnlyPublicSiteMiddleware",
    "bulletins.caching.ArchiveStampMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "bulletins.middleware.AdminInChineseMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Makes the signed-in editor the author of every version an admin request writes.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    from archive import embedded_db

    DATABASES = {"default": {**embedded_db.ensure_running(), "CONN_MAX_AGE": 60}}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})
# A connection that cannot be made within a few seconds is reported as an outage (503), not a hang.
DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
# Parallel workers only for queries that are really big (whole-archive counts), not for a page's 10-30 ms
# queries: starting two workers cost the ranked search query more (about 8 ms) than it saved. No JIT:
# compiling a whole-archive count took 40-50 ms, more than the compiled code saved on it.
DATABASES["default"]["OPTIONS"].setdefault("options", "-c parallel_setup_cost=10000 -c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out user or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Imported originals (PDF, DOCX, HTML) and their page images: a folder under the project by default; any
# Django storage backend (django-storages' S3Storage for an S3-compatible service, …) with
# ARCHIVE_STORAGE_BACKEND and its options as JSON in ARCHIVE_STORAGE_OPTIONS (docs/OPERATIONS.md).
MEDIA_ROOT = Path(os.environ.get("ARCHIVE_ORIGINALS_ROOT", BASE_DIR / "originals"))
MEDIA_URL = "/originals/"  # never served as such: the archive's own views serve originals and page images
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("ARCHIVE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": json.loads(os.environ.get("ARCHIVE_STORAGE_OPTIONS") or "{}"),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security: safe by default when DEBUG is off, each switch overridable for odd deployments.
# Behind nginx (or another proxy that sets X-Forwarded-Proto); switch off when clients reach gunicorn directly.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", True) else None
)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Rows per page of every list (HTML pages, JSON API) unless ``page_size`` asks otherwise, and the most it may ask.
ARCHIVE_PAGE_SIZE = 20
ARCHIVE_MAX_PAGE_SIZE = 100
# Every page, public and admin, may load only what this site serves: no inline script or style, no
# other origin, no framing, no plugin. Chromium reports any breach in the console (tests/test_csp_browser.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
    }
}
# Powerful browser features the archive never uses are switched off for every page.
PERMISSIONS_POLICY = os.environ.get(
    "ARCHIVE_PERMISSIONS_POLICY",
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), browsing-topics=()",
)

# The admin door (django-axes): after AXES_FAILURE_LIMIT failed logins for one user name, or from one
# address, further attempts are refused, even with the right password, until AXES_COOLOFF_TIME has passed
# since the last failure. Each failure and lockout is logged as a warning (logger "axes") and kept in the admin's
# "访问尝试" list; `manage.py axes_reset` lifts all lockouts at once.
AXES_FAILURE_LIMIT = int(os.environ.get("ARCHIVE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("ARCHIVE_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# Behind nginx every request comes from the proxy's address; ARCHIVE_PROXY_COUNT=1 takes the client's
# address from the last X-Forwarded-For entry, the one nginx itself appended.
ARCHIVE_PROXY_COUNT = int(os.environ.get("ARCHIVE_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "bulletins.middleware.client_ip"

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "bulletins.pagination.ArchivePagination",
    "PAGE_SIZE": ARCHIVE_PAGE_SIZE,
    "DEFAULT_SCHEMA_CLASS": "bulletins.api_schema.ArchiveAutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "简报档案 API",
    "DESCRIPTION": "只读的简报、文章、简讯、组织与主题数据。",
    "VERSION": "1.0.0",
    # The schema describes the data endpoints; the schema's own URL is linked from the API root.
    "SERVE_INCLUDE_SCHEMA": False,
    # The interactive description is served from this site (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Whole-archive counts are cached per archive state (bulletins/caching.py) in a cache that every
# gunicorn worker and every app server shares, so one computation serves them all:
# - default: Django's database cache, a table in the archive's own PostgreSQL (created by
#   `manage.py createcachetable`, which `make migrate` runs): nothing else to run;
# - REDIS_URL=redis://host:6379/0: Redis through django-redis;
# - DJANGO_CACHE_BACKEND (+ DJANGO_CACHE_LOCATION): any Django cache backend, e.g. the per-process
#   django.core.cache.backends.locmem.LocMemCache.
CACHE_TABLE = "archive_cache"
if os.environ.get("DJANGO_CACHE_BACKEND"):
    CACHES = {
        "default": {
            "BACKEND": os.environ["DJANGO_CACHE_BACKEND"],
            "LOCATION": os.environ.get("DJANGO_CACHE_LOCATION", "archive"),
        }
    }
elif os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            # A cache that is down must not take the site down: the counts are computed instead.
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            # Entries of older archive states are purged by the writer (bulletins/warmup.py); the
            # limit only bounds a cache nobody purges (its culling is not least-recently-used).
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }

# Importer limits.
IMPORT_MAX_BYTES = int(os.environ.get("ARCHIVE_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
# An original (PDF, DOCX, HTML) over this many pages, or taking longer than this many seconds to read
# (and again to render its pages), is refused with a message; the batch goes on.
IMPORT_MAX_PAGES = int(os.environ.get("ARCHIVE_IMPORT_MAX_PAGES", "200"))
IMPORT_TIME_LIMIT = float(os.environ.get("ARCHIVE_IMPORT_TIME_LIMIT", "60"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
