"""Project-level health: migrations, checks and settings that every deployment relies on."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

ROOT = Path(__file__).resolve().parent.parent


def test_system_checks_are_clean():
    out = io.StringIO()
    call_command("check", stdout=out)
    assert "no issues" in out.getvalue()


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_migrations_apply_from_zero_and_back():
    """A new database is built only from migrations; unapplying them must work too."""
    executor = MigrationExecutor(connection)
    executor.migrate([("bulletins", None)])
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert "bulletins_article" not in tables
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert {"bulletins_issue", "bulletins_article", "bulletins_briefitem", "bulletins_topic"} <= set(tables)


def production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="x" * 20 + "a-long-random-production-secret-value-0123456789",
        DJANGO_ALLOWED_HOSTS="archive.example.org",
    )
    env.update(extra)
    return env


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_settings_follow_the_environment(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE


@pytest.mark.django_db
def test_ensure_database_creates_a_missing_database(settings):
    """``make run`` with a DATABASE_URL naming a new database creates it before migrating."""
    import psycopg

    db = connection.settings_dict
    params = {k: v for k, v in {"host": db["HOST"], "port": db["PORT"], "user": db["USER"]}.items() if v}
    name = "archive_ensure_test"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    host = (db["HOST"] or "localhost").replace("/", "%2F")  # a socket folder (embedded server) or a host name
    env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{host}:{db['PORT'] or 5432}/{name}"}
    for _ in range(2):  # a second run finds it and does nothing
        result = subprocess.run(
            [sys.executable, "manage.py", "ensure_database"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        assert conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        conn.execute(f'DROP DATABASE "{name}"')
