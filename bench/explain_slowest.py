"""The slowest SQL queries of the benchmarked pages, with ``EXPLAIN (ANALYZE, BUFFERS)``.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/archive_bench_1m .venv/bin/python bench/explain_slowest.py

Every page of ``bench/pages_bench.py`` and a few searches are requested once with
the cache switched off, so every whole-archive count is computed as on the first
visit after a change; each SQL query is timed as Django runs it. The ``--top``
slowest distinct queries are then explained with their real parameters. The
plans say where the time of a cold page goes, which warm figures cannot.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, setup_django

SEARCHES = ["红十字会", "应急救护 培训", '"无偿献血" -志愿者', "紅十字會"]


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--top", type=int, default=3, help="how many of the slowest queries to explain")
    args = parser.parse_args(argv)

    os.environ["DJANGO_CACHE_BACKEND"] = "django.core.cache.backends.dummy.DummyCache"
    url = setup_django(migrate=False)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.pages_bench import pages, pick_filters
    from bulletins.serving import prepare_process

    settings.DEBUG = False
    prepare_process()  # as a server worker does before its first request
    print(f"machine: {machine()}")
    print(f"database: {url}")
    client = Client()
    paths = [(name, path) for name, path, _ in pages(*pick_filters())]
    paths += [(f"search {q}", "/search/?" + urlencode({"q": q})) for q in SEARCHES]
    timed: dict[str, tuple[float, str]] = {}
    for name, path in paths:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        for query in captured.captured_queries:
            seconds = float(query["time"])
            if seconds > timed.get(query["sql"], (0.0, ""))[0]:
                timed[query["sql"]] = (seconds, name)
    slowest = sorted(timed.items(), key=lambda item: item[1][0], reverse=True)[: args.top]
    results = []
    for rank, (sql, (seconds, name)) in enumerate(slowest, 1):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"\n### {rank}. {seconds * 1000:.1f} ms on the page '{name}'\n")
        print("```sql\n" + sql + "\n```\n")
        print("```\n" + plan + "\n```")
        results.append({"page": name, "ms": round(seconds * 1000, 1), "sql": sql, "plan": plan})
    return results


if __name__ == "__main__":
    main()
