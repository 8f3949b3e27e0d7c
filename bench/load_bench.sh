#!/usr/bin/env bash
# Load test: gunicorn with production settings on 127.0.0.1 (a free port), a bounded load from a
# second process (bench/load_client.py: a fixed number of requests per page AND a time limit),
# requests/s and p95 for the home page, a filtered list and a search; 0 errors expected.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/archive_bench_200k bench/load_bench.sh [REQUESTS] [CONCURRENCY] [TIME_LIMIT]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
REQUESTS=${1:-200}
CONCURRENCY=${2:-4}
TIME_LIMIT=${3:-60}
WORKERS=${GUNICORN_WORKERS:-$(( $(nproc) * 2 + 1 ))}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/archive_bench}
export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}
export DJANGO_SECURE_SSL_REDIRECT=false
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
STATIC=$(mktemp -d)
PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
LOG=$(mktemp)

# collectstatic into a temporary STATIC_ROOT (the manifest storage needs it when DEBUG is off).
$PY - <<PYEOF
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
from django.conf import settings
django.setup()
settings.STATIC_ROOT = "$STATIC"
from django.core.management import call_command
call_command("collectstatic", interactive=False, verbosity=0)
PYEOF

# gunicorn reads STATIC_ROOT from settings; point it at the temporary folder with a tiny wrapper module.
WRAP=$(mktemp -d)
cat > "$WRAP/bench_settings.py" <<PYEOF
from archive.settings import *  # noqa: F401,F403
STATIC_ROOT = "$STATIC"
PYEOF
export PYTHONPATH="$WRAP:$PWD"
export DJANGO_SETTINGS_MODULE=bench_settings

.venv/bin/gunicorn archive.wsgi:application --bind 127.0.0.1:$PORT --workers "$WORKERS" --timeout 60 \
  --access-logfile /dev/null --error-logfile "$LOG" &
GPID=$!
cleanup() { kill "$GPID" 2>/dev/null || true; wait "$GPID" 2>/dev/null || true; rm -rf "$STATIC" "$WRAP"; }
trap cleanup EXIT
for _ in $(seq 1 100); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/" && break
  sleep 0.2
done

# A filtered list: the busiest city organisation, first-aid topic, the last year of dates.
FILTER=$($PY - <<'PYEOF'
import os, django
django.setup()
from urllib.parse import urlencode
from django.db.models import Count
from bulletins.models import Issue, Organisation
org = Organisation.objects.filter(name__endswith="市红十字会").annotate(n=Count("articles")).order_by("-n").first()
last = Issue.objects.filter(date__isnull=False).order_by("-date").values_list("date", flat=True).first()
print(urlencode({"organisation": org.pk, "topic": "first-aid-training",
                 "date_after": last.replace(year=last.year - 1).isoformat(), "date_before": last.isoformat()}))
PYEOF
)
echo "gunicorn: $WORKERS workers on 127.0.0.1:$PORT, production settings (DEBUG off), database $DATABASE_URL"
echo "load: $REQUESTS requests per page, $CONCURRENCY concurrent, at most ${TIME_LIMIT}s per page"
set +e
$PY bench/load_client.py --base "http://127.0.0.1:$PORT" --requests "$REQUESTS" --concurrency "$CONCURRENCY" \
  --time-limit "$TIME_LIMIT" ${LOAD_JSON:+--json "$LOAD_JSON"} \
  "/" "/articles/?$FILTER" "/search/?q=%E9%80%A0%E8%A1%80%E5%B9%B2%E7%BB%86%E8%83%9E+%E6%8D%90%E7%8C%AE"
STATUS=$?
set -e
if [ -s "$LOG" ] && grep -q "Traceback\|ERROR" "$LOG"; then echo "gunicorn errors:"; grep -m5 "Traceback\|ERROR" "$LOG"; fi
rm -f "$LOG"
exit $STATUS
