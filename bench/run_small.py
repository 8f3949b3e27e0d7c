"""``make bench``: a small configuration of every benchmark, in its own database, in a few minutes.

    .venv/bin/python bench/run_small.py

Database ``archive_bench_small`` on the same server as the archive (``DATABASE_URL``, else
the embedded PostgreSQL; ``BENCH_SMALL_DATABASE_URL`` overrides): emptied and refilled by
the import bench, then searched, browsed and loaded. The small corpus
(300 issues, about 3,000 articles) shows the shape of every figure; the archive-scale
figures (200,000 articles) come from the commands in docs/BENCHMARKS.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE = "archive_bench_small"


def bench_database_url() -> str:
    """The small benchmark's own database, beside the archive's (never the archive's own)."""
    if os.environ.get("BENCH_SMALL_DATABASE_URL"):
        return os.environ["BENCH_SMALL_DATABASE_URL"]
    if os.environ.get("DATABASE_URL"):
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(os.environ["DATABASE_URL"])
        return urlunsplit(parts._replace(path="/" + BENCH_DATABASE))
    sys.path.insert(0, str(ROOT))
    from urllib.parse import quote

    from archive import embedded_db

    db = embedded_db.ensure_running(BENCH_DATABASE)
    return f"postgres://{db['USER']}@{quote(db['HOST'], safe='')}/{BENCH_DATABASE}"


URL = bench_database_url()


def step(title: str, cmd: list[str]) -> int:
    print(f"\n=== {title}: {' '.join(cmd)}", flush=True)
    started = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, env={**os.environ, "DATABASE_URL": URL})
    print(f"=== {title}: {time.perf_counter() - started:.0f} s, exit {result.returncode}", flush=True)
    return result.returncode


def main() -> int:
    py = sys.executable
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    failures = 0
    failures += (
        step("import", [py, "bench/import_bench.py", "--issues", "300", "--json", str(out / "small-import.json")]) != 0
    )
    failures += (
        step("search", [py, "bench/search_bench.py", "--repeat", "2", "--json", str(out / "small-search.json")]) != 0
    )
    failures += (
        step("pages", [py, "bench/pages_bench.py", "--repeat", "5", "--json", str(out / "small-pages.json")]) != 0
    )
    failures += step("load", ["bash", "bench/load_bench.sh", "60", "4", "30"]) != 0
    print(
        f"\nmake bench: {time.perf_counter() - started:.0f} s in all, {failures} step(s) failed; "
        "figures in bench/out/small-*.json"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
