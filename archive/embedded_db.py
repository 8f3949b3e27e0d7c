"""The embedded PostgreSQL a newcomer gets when ``DATABASE_URL`` is not set.

Why: the archive needs a real PostgreSQL (jieba tokens in a GIN-indexed
tsvector), but a newcomer should not have to install one. ``pgserver`` ships a
PostgreSQL 16 build inside a PyPI wheel; we keep its data folder inside the
project (``.pgdata/``, git-ignored) and leave the server running between
commands, so ``make run`` twice, or ``make test`` while ``make run`` serves, all
talk to the same server instead of fighting over the folder.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

# On servers without a login session, platformdirs (used by pgserver for its lock file) falls
# back to /tmp/runtime-UID and warns; the fallback is fine.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = Path(os.environ.get("ARCHIVE_PGDATA", BASE_DIR / ".pgdata"))
DATABASE_NAME = "archive"


def _server():
    # Imported lazily: with DATABASE_URL set, pgserver is never touched.
    import pgserver

    PGDATA.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process and is reused by the next one.
    return pgserver.get_server(PGDATA, cleanup_mode=None)


def ensure_running(database: str = DATABASE_NAME) -> dict:
    """Start the embedded server if needed, create ``database``, return Django settings for it."""
    import psycopg

    info = _server().get_postmaster_info()
    host = str(info.socket_dir)
    with psycopg.connect(dbname="postgres", user="postgres", host=host, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{database}"')
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": database,
        "USER": "postgres",
        "HOST": host,
        "PORT": "",
    }


def bin_path(tool: str) -> str:
    """Path of a client tool (pg_dump, pg_restore, psql) bundled with the embedded server."""
    import pgserver._commands as commands

    return str(Path(commands.POSTGRES_BIN_PATH) / tool)


def stop() -> bool:
    """Stop the embedded server if it runs; returns whether it was running."""
    pid_file = PGDATA / "postmaster.pid"
    if not pid_file.exists():
        return False
    import pgserver._commands as commands

    user = "pgserver" if os.geteuid() == 0 else None
    commands.pg_ctl(["-w", "stop", "-m", "fast"], pgdata=PGDATA, user=user)
    return True
