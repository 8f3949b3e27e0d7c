"""Shared fixtures: a real PostgreSQL test database holding the five imported seeds.

Why import in a fixture instead of building rows by hand: the pages, the API and
the search are only worth testing on what the importer really produces.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ARTIFACTS = ROOT / "test-artifacts"


def seed_path(prefix: str) -> Path:
    """The seed file whose name starts with ``prefix`` (e.g. "000")."""
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def import_seeds() -> None:
    from bulletins.importing import store
    from bulletins.models import Issue

    store.ensure_topics()
    if not Issue.objects.exists():
        call_command("import_bulletins", str(SEEDS), workers=1, verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Import the seeds once per test session into the test database.

    At the end, sessions that tests left open (live-server threads, killed
    subprocesses whose backends linger) are ended, so the test database can be dropped.
    """
    with django_db_blocker.unblock():
        import_seeds()
    yield
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(scope="session", autouse=True)
def originals_storage(tmp_path_factory):
    """Originals and page images a test imports go to a temporary folder, never the project's ``originals/``.

    Import worker processes receive the same setting from their parent (``importing.run``).
    """
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("originals"))):
        yield


@pytest.fixture
def seeded(db):
    """The five seeds, re-imported if a transactional test flushed them away."""
    import_seeds()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Close connections after each request in tests, so live-server threads leave none open at teardown."""
    from django.conf import settings

    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


@pytest.fixture(autouse=True)
def no_aggregate_cache(settings):
    """Tests change the archive freely within a transaction: every count is computed afresh.

    The cache itself is tested on its own in tests/test_caching.py.
    """
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def pytest_configure(config):
    """The English interface needs its compiled catalogue; a fresh clone run straight with pytest gets it here."""
    from archive.translations import compile_all

    compile_all()
