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
source bench/gunicorn_local.sh

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
