#!/usr/bin/env bash
# Load test with locust (bench/locustfile.py), headless, against gunicorn with production settings and
# 4 workers on 127.0.0.1 only, bounded in users and time, while an import of new issues runs.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/archive_bench_1m bench/load_locust.sh USERS SECONDS IMPORT_DIR
#
# IMPORT_DIR: bulletins not yet in the archive, e.g. `manage.py make_corpus --issues 200 --start 100000 --out DIR`.
# Prints locust's table (p50/p95/p99 per request kind, requests/s, failures), the import's report, and
# exits 1 on any failed request or a failed import. Per-kind figures also go to bench/out/locust_*.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
USERS=${1:?users}
SECONDS_LIMIT=${2:?seconds}
IMPORT_DIR=${3:?folder of bulletins to import meanwhile}
[ "$USERS" -le 200 ] || { echo "at most 200 users on a loopback test" >&2; exit 2; }
[ "$SECONDS_LIMIT" -le 1800 ] || { echo "at most 1800 s" >&2; exit 2; }
WORKERS=${GUNICORN_WORKERS:-4}
source bench/gunicorn_local.sh
mkdir -p bench/out

echo "gunicorn: $WORKERS workers on 127.0.0.1:$PORT, production settings, database $DATABASE_URL"
echo "locust: $USERS users for ${SECONDS_LIMIT}s; import meanwhile: $IMPORT_DIR"
IMPORT_LOG=$(mktemp)
# The importer runs with the web servers' settings minus the temporary static folder.
( START=$SECONDS; DJANGO_SETTINGS_MODULE=archive.settings $PY manage.py import_bulletins "$IMPORT_DIR" \
    --workers 1 -v1 >"$IMPORT_LOG" 2>&1; RC=$?; echo "exit $RC after $((SECONDS - START)) s" >>"$IMPORT_LOG"; exit $RC ) &
IPID=$!
set +e
.venv/bin/locust -f bench/locustfile.py --headless --host "http://127.0.0.1:$PORT" \
  --users "$USERS" --spawn-rate "$USERS" --run-time "${SECONDS_LIMIT}s" --stop-timeout 10 \
  --csv bench/out/locust --only-summary --exit-code-on-error 1 2>&1 | grep -v "^\[.*INFO/locust.runners: \(Ramping\|All users\|Spawning\)"
LOCUST=${PIPESTATUS[0]}
wait "$IPID"; IMPORT=$?
set -e
echo "import: $(tail -2 "$IMPORT_LOG" | tr '\n' ' ')"
rm -f "$IMPORT_LOG"
if [ -s "$LOG" ] && grep -q "Traceback\|ERROR" "$LOG"; then echo "gunicorn errors:"; grep -m5 "Traceback\|ERROR" "$LOG"; fi
rm -f "$LOG"
[ "$LOCUST" -eq 0 ] && [ "$IMPORT" -eq 0 ]
