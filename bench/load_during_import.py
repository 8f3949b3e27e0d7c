"""Bounded load test: gunicorn with production settings answers concurrent readers while an import runs.

Usage: .venv/bin/python bench/load_during_import.py [--requests 800] [--clients 8] [--time-limit 180]

What it does, all on 127.0.0.1 and in a database of its own (``<name>_loadtest``
on the embedded server, or on the ``DATABASE_URL`` server):

1. creates and migrates the database, imports ``seeds/``, runs collectstatic;
2. starts gunicorn (``DJANGO_DEBUG=false``, a secret key, the HTTPS switches on;
   the clients send ``X-Forwarded-Proto: https`` as nginx would) on a free port;
3. starts, at the same moment, ``import_bulletins`` over a folder of generated
   bulletins and a second process with ``--clients`` threads that send a fixed
   number of requests (pages, search, API, CSV, feed) round-robin;
4. prints the result and exits 1 if any request failed, the import failed, or
   the time limit was reached.

The figures are recorded in docs/OPERATIONS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import corpus

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


PATHS = [
    "/",
    "/issues/",
    "/issues/?year=2021",
    "/articles/",
    "/articles/?q=救护",
    "/briefs/",
    "/organisations/",
    "/topics/",
    "/search/?q=造血干细胞",
    "/search/?q=培训",
    "/api/issues/",
    "/api/articles/?q=红十字会",
    "/api/briefs/?date_after=2021-01-01",
    "/articles.csv?q=救护",
    "/feeds/issues/",
    "/static/bulletins/site.css",
]


# --- the database of the load test ---------------------------------------------------------------


def loadtest_database_url() -> str:
    """Create ``<name>_loadtest`` next to the configured database and return its URL."""
    import psycopg

    url = os.environ.get("DATABASE_URL")
    if url:
        import dj_database_url

        db = dj_database_url.parse(url)
        name = f"{db['NAME']}_loadtest"
        params = {
            "dbname": db["NAME"],
            "user": db["USER"] or None,
            "password": db["PASSWORD"] or None,
            "host": db["HOST"] or None,
            "port": db["PORT"] or None,
        }
        with psycopg.connect(**params, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    else:
        sys.path.insert(0, str(ROOT))
        from archive import embedded_db

        db = embedded_db.ensure_running("archive_loadtest")
        name = db["NAME"]
    auth = quote(db["USER"] or "", safe="") + (":" + quote(db["PASSWORD"], safe="") if db.get("PASSWORD") else "")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{quote(db['HOST'] or '', safe='')}{port}/{quote(name, safe='')}"


def production_env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="loadtest-" + "k" * 60,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode not in (0,):
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the clients (run as a second process: ``--clients-only``) ------------------------------


def run_clients(base: str, total: int, clients: int, time_limit: float) -> dict:
    lock = threading.Lock()
    issued = 0
    statuses: dict[str, int] = {}
    errors: list[str] = []
    latencies: list[float] = []
    deadline = time.monotonic() + time_limit

    def next_index() -> int | None:
        nonlocal issued
        with lock:
            if issued >= total or time.monotonic() > deadline:
                return None
            issued += 1
            return issued - 1

    def worker() -> None:
        while (index := next_index()) is not None:
            path = PATHS[index % len(PATHS)]
            request = urllib.request.Request(base + quote(path, safe="/?=&."), headers={"X-Forwarded-Proto": "https"})
            started = time.monotonic()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError as exc:
                status = 0
                with lock:
                    errors.append(f"{path}: {exc}")
            elapsed = time.monotonic() - started
            with lock:
                latencies.append(elapsed)
                statuses[str(status)] = statuses.get(str(status), 0) + 1
                if status != 200 and status != 0:
                    errors.append(f"{path}: HTTP {status}")

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.monotonic() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "planned": total,
        "clients": clients,
        "errors": len(errors),
        "first_errors": errors[:10],
        "statuses": statuses,
        "seconds": round(duration, 2),
        "requests_per_second": round(len(latencies) / duration, 1) if duration else 0,
        "latency_ms": {
            "p50": round(statistics.median(latencies) * 1000, 1) if latencies else None,
            "p95": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1) if latencies else None,
            "max": round(latencies[-1] * 1000, 1) if latencies else None,
        },
        "time_limit_reached": time.monotonic() > deadline,
    }


# --- the orchestration ---------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=800, help="total number of requests (default 800)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads (default 8)")
    parser.add_argument("--files", type=int, default=40, help="generated bulletins to import meanwhile (default 40)")
    parser.add_argument("--gunicorn-workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--time-limit", type=float, default=180, help="seconds before giving up (default 180)")
    parser.add_argument("--clients-only", metavar="BASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.clients_only:
        print(json.dumps(run_clients(args.clients_only, args.requests, args.clients, args.time_limit)))
        return 0

    database_url = loadtest_database_url()
    env = production_env(database_url)
    print(f"database: {database_url}", flush=True)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "import_bulletins", "seeds/", "--workers", "1", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")

    folder = Path(tempfile.mkdtemp(prefix="loadtest-import-"))
    first = int(time.time()) % 100_000 * 100  # issues not imported by an earlier run
    corpus.write_corpus(folder, args.files, start=first)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn_options = ["--workers", str(args.gunicorn_workers), "--threads", "2", "--timeout", "60"]
    server = subprocess.Popen(
        [PY, "-m", "gunicorn", "archive.wsgi", "--bind", f"127.0.0.1:{port}", *gunicorn_options],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(300):
            try:
                request = urllib.request.Request(base + "/api/", headers={"X-Forwarded-Proto": "https"})
                with urllib.request.urlopen(request, timeout=5):
                    break
            except OSError:
                if server.poll() is not None:
                    sys.exit("gunicorn did not start:\n" + server.stderr.read())
                time.sleep(0.1)
        started = time.monotonic()
        importer = subprocess.Popen(
            [PY, "manage.py", "import_bulletins", str(folder), "--workers", "1", "--json"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        import_done: dict[str, object] = {}

        def wait_import() -> None:
            import_done["out"], import_done["err"] = importer.communicate(timeout=args.time_limit + 60)
            import_done["seconds"] = time.monotonic() - started

        waiter = threading.Thread(target=wait_import)
        waiter.start()
        client_options = ["--requests", str(args.requests), "--clients", str(args.clients)]
        client_options += ["--time-limit", str(args.time_limit)]
        clients = subprocess.Popen(
            [PY, __file__, "--clients-only", base, *client_options],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        load_out, _ = clients.communicate(timeout=args.time_limit + 60)
        waiter.join()
        import_out, import_err = import_done["out"], import_done["err"]
        wall = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(folder, ignore_errors=True)

    load = json.loads(load_out)
    report = json.loads(import_out) if importer.returncode in (0, 1) and import_out.strip() else {}
    files = report.get("files", {})
    print(f"gunicorn: {args.gunicorn_workers} workers x 2 threads, production settings, 127.0.0.1:{port}")
    print(
        f"load:     {load['requests']}/{load['planned']} requests from {load['clients']} clients "
        f"in {load['seconds']} s ({load['requests_per_second']} req/s); statuses {load['statuses']}; "
        f"errors {load['errors']}"
    )
    print(
        f"latency:  p50 {load['latency_ms']['p50']} ms, p95 {load['latency_ms']['p95']} ms, "
        f"max {load['latency_ms']['max']} ms"
    )
    print(
        f"import:   exit {importer.returncode}; created {files.get('created')}, failed {files.get('failed')} "
        f"of {args.files} files, {report.get('articles')} articles, {report.get('briefs')} briefs "
        f"in {import_done['seconds']:.1f} s, while the clients ran (wall time of both {wall:.1f} s)"
    )
    for line in load["first_errors"]:
        print(f"  error: {line}")
    ok = load["errors"] == 0 and not load["time_limit_reached"] and load["requests"] == load["planned"]
    ok = ok and importer.returncode == 0 and files.get("created") == args.files
    if importer.returncode != 0:
        print(import_err[-2000:])
    print("result:   OK (0 errors)" if ok else "result:   FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
