# Two commands for a newcomer: `make run` and `make test`. Everything else is optional.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup setup-dev browser-deps migrate import serve lint format bench backup restore db-stop clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

## The English interface: locale/*.po compiled to .mo in pure Python (polib), no GNU gettext needed.
setup: $(VENV)/.runtime
	$(PY) -m archive.translations
setup-dev: $(VENV)/.dev

## Debian's Chromium and CJK fonts for the browser tests (installed once, as root or with sudo).
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

migrate: setup
	$(PY) manage.py ensure_database
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

import: migrate
	$(PY) manage.py import_bulletins seeds/

run: import
	$(PY) manage.py ensure_admin
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "简报档案: http://$(HOST):$(PORT)/  (后台: http://$(HOST):$(PORT)/admin/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup setup-dev browser-deps
	$(VENV)/bin/pytest

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: migrate
	$(PY) bench/run_small.py

backup: setup
	$(PY) manage.py backup_archive $(if $(FILE),--output $(FILE),)

restore: setup
	@test -n "$(FILE)" || (echo "用法: make restore FILE=backups/archive-....dump" && exit 2)
	$(PY) manage.py restore_archive $(FILE)

db-stop: setup
	$(PY) -c "from archive import embedded_db; print('已停止' if embedded_db.stop() else '未在运行')"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
