# Broadsheet's one task runner. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
EDGE_PORT ?= 8080
export DJANGO_SETTINGS_MODULE ?= broadsheet.settings.dev
# The public origin every absolute URL is built from (docs/configuration.md):
# the address `make run` serves and prints, unless set.
export SITE_URL ?= http://$(HOST):$(PORT)

# Under CI the PostgreSQL and Redis runs are required; locally they run when asked:
#   make test TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test
ifeq ($(CI),true)
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_REDIS_URL    ?= redis://127.0.0.1:6379/15
endif

.PHONY: help venv run dev test lint format check-migrations test-sqlite test-postgres bench bench-realtime bench-fanout bench-mail bench-editions bench-edge bench-drills bench-plans bench-soak messages clean edge

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.lock
	touch $@

venv: $(VENV)/.installed ## Create the virtual environment from the lock file

var:
	mkdir -p var

# Under `make run` every e-mail the site sends (confirmations, digests, breaking
# news) is written to var/mail/ as a file a person can open, unless set.
run: export EMAIL_BACKEND ?= django.core.mail.backends.filebased.EmailBackend
run: export EMAIL_FILE_PATH ?= $(CURDIR)/var/mail
run: venv var ## Migrate, load the demo newsroom and serve the site on $(SITE_URL)
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --noinput -v0
	@$(PY) manage.py demo_logins --url $(SITE_URL)
	DJANGO_DEBUG=$${DJANGO_DEBUG:-0} HOST=$(HOST) PORT=$(PORT) bin/serve

# Issue 14: the reference edge. Varnish (deploy/varnish/default.vcl) on
# $(EDGE_PORT) in front of what `make run` serves on $(PORT); absolute URLs
# name the edge. Needs Debian's varnish and varnish-modules.
edge: venv var ## Serve the site behind Varnish on $(EDGE_PORT) (default 8080), as `make run` does
	HOST=$(HOST) PORT=$(PORT) EDGE_PORT=$(EDGE_PORT) bin/edge

dev: venv var ## Django's autoreloading development server with DEBUG on
	$(PY) manage.py migrate --noinput -v0
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

lint: venv ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-migrations: venv var
	DJANGO_SETTINGS_MODULE=broadsheet.settings.test $(PY) manage.py makemigrations --check --dry-run

messages: venv ## Refresh and compile the UI message catalogues
	cd broadsheet && ../$(PY) ../manage.py makemessages -l en -l ru -l es -l ar --ignore='static/*' && ../$(PY) ../manage.py compilemessages

test-sqlite: venv
	DJANGO_SETTINGS_MODULE=broadsheet.settings.test $(BIN)/pytest -n 2 --dist loadgroup -m "not postgres and not redis"

test-postgres: venv
	@if [ -n "$(TEST_POSTGRES_URL)" ]; then \
	  echo "== PostgreSQL and Redis run"; \
	  DATABASE_URL=$(TEST_POSTGRES_URL) REDIS_URL=$(TEST_REDIS_URL) \
	  DJANGO_SETTINGS_MODULE=broadsheet.settings.test $(BIN)/pytest -n 2 -m "not browser and not sqlite"; \
	else echo "== PostgreSQL run skipped (set TEST_POSTGRES_URL, or CI=true)"; fi

test: lint check-migrations test-sqlite test-postgres ## Lint, check migrations, run the suite (and on PostgreSQL under CI)

bench: venv var ## Load-test the running site and write docs/benchmarks.md
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/pip install --disable-pip-version-check -q $$(grep '^websockets' bench/requirements.txt)
	$(PY) bench/run.py

# Issue 11's fan-out: N subscribers of one live story on bin/serve, against a
# bare `websockets` broadcast server (bench/fanout.py). websockets comes from
# bench/requirements.txt into the venv, not into requirements.lock.
bench-fanout: venv var ## Measure live-story fan-out to 1k/5k/10k subscribers (docs/benchmarks.md)
	$(BIN)/pip install --disable-pip-version-check -q $$(grep '^websockets' bench/requirements.txt)
	$(PY) bench/run.py --only fanout

# Issue 11's channel-layer candidates, measured only: bench/requirements.txt
# installs them into the venv, not into requirements.lock. Needs Redis and
# PostgreSQL on loopback (docs/benchmarks.md, "Realtime transport candidates").
bench-realtime: venv var ## Measure cross-process fan-out of the realtime transport candidates
	$(BIN)/pip install --disable-pip-version-check -q -r bench/requirements.txt
	$(PY) bench/realtime_layers.py

# Issue 14: database + media in one archive with a manifest (docs/deploy.md,
# "Backup and restore"). BACKUP_DIR defaults to var/backups/.
.PHONY: backup restore
backup: venv var ## Back up the database and all media to var/backups/ (BACKUP_DIR=...)
	$(PY) manage.py backup $(if $(BACKUP_DIR),--output $(BACKUP_DIR))

restore: venv ## Restore database and media from ARCHIVE=var/backups/broadsheet-....tar.gz
	@test -n "$(ARCHIVE)" || (echo "usage: make restore ARCHIVE=path/to/broadsheet-....tar.gz" && exit 2)
	$(PY) manage.py restore $(ARCHIVE)

clean: ## Remove the environment and local data
	rm -rf $(VENV) var

# Issue 12's newsletter sending: a digest to 10,000 subscribers through a
# local SMTP server with 1 and 2 worker processes, and a SIGKILL mid-send.
bench-mail: venv var ## Measure newsletter sending (msg/s, CPU per message, kill and resume)
	$(PY) bench/mail.py

bench-editions: venv var ## Query counts and server time per edition, 4 vs 12 editions (bench/NOTES.md)
	$(PY) bench/editions.py

# Issue 14's edge: Varnish and the embedded response cache against nginx
# serving the same bytes and the site's floor, and publish -> fresh through
# Varnish (bench/edge.py, docs/benchmarks.md "Edge (issue 14)"). Needs
# Debian's varnish and varnish-modules; wrk and nginx are installed if missing.
bench-edge: venv var ## Edge throughput (Varnish, embedded cache, nginx) and publish -> fresh
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	command -v nginx >/dev/null || test -x /usr/sbin/nginx || (apt-get update -qq && apt-get install -y -qq nginx-light)
	$(PY) bench/edge.py

bench-plans: venv var ## Query plans of every listing with its memo empty (DATABASE_URL: the archive to explain)
	$(PY) bench/plans.py --report

bench-soak: venv var ## Ten minutes at 80 % of capacity: errors and server memory at start and end
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) bench/soak.py

bench-drills: venv var ## Fault drills at full count: a publish SIGKILLed 50 times (SQLite, PostgreSQL)
	$(PY) bench/drills.py
