"""The embedded PostgreSQL a newcomer gets: it starts, is shared between processes, stops.

Why in separate processes: ``make run`` and ``make test`` are separate
processes that must find and reuse the same server instead of starting a
second one on the same data folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json
from archive import embedded_db
import psycopg
db = embedded_db.ensure_running("probe")
with psycopg.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"]) as conn:
    pid = conn.execute("select pg_postmaster_start_time()::text, split_part(version(), ' ', 2)").fetchone()
print(json.dumps({"started": pid[0], "version": pid[1], "host": db["HOST"]}))
"""


def run(code: str, pgdata: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "ARCHIVE_PGDATA": str(pgdata)}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=True
    )


@pytest.mark.slow
def test_embedded_server_starts_is_reused_and_stops(tmp_path_factory):
    pgdata = Path(tmp_path_factory.mktemp("pg")) / "data"
    try:
        first = json.loads(run(PROBE, pgdata).stdout)
        assert first["version"].startswith("16")
        second = json.loads(run(PROBE, pgdata).stdout)
        assert second["started"] == first["started"], "the second process must reuse the running server"
        stopped = run("from archive import embedded_db; print(embedded_db.stop())", pgdata).stdout.strip()
        assert stopped == "True"
        third = json.loads(run(PROBE, pgdata).stdout)
        assert third["started"] != first["started"], "after a stop, the next process starts it again"
    finally:
        run("from archive import embedded_db; embedded_db.stop()", pgdata)
