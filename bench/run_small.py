"""``make bench``: a small configuration of every benchmark, in its own database, in a few minutes.

    .venv/bin/python bench/run_small.py

Database ``archive_bench_small`` (``BENCH_SMALL_DATABASE_URL`` overrides): emptied and
refilled by the import bench, then searched, browsed and loaded. The small corpus
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
URL = os.environ.get("BENCH_SMALL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/archive_bench_small")


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
