"""WSGI entry point (gunicorn archive.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
application = get_wsgi_application()

from bulletins.serving import prepare_process  # noqa: E402 - needs the settings and apps loaded above

prepare_process()
