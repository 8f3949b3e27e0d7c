# Sourced by the load scripts: gunicorn with production settings on a free port of 127.0.0.1.
# Needs PY and WORKERS; sets PORT, GPID and LOG, and stops gunicorn (and cleans up) on exit.
# ACCESS_LOG=FILE: one line per request with its time in milliseconds, to find what the workers spend it on.
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
  --access-logfile "${ACCESS_LOG:-/dev/null}" --access-logformat '%(M)s ms %(s)s %(U)s?%(q)s' \
  --error-logfile "$LOG" &
GPID=$!
cleanup() { kill "$GPID" 2>/dev/null || true; wait "$GPID" 2>/dev/null || true; rm -rf "$STATIC" "$WRAP"; }
trap cleanup EXIT
for _ in $(seq 1 100); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/" && break
  sleep 0.2
done
