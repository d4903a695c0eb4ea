# Development: `make run` (set up, migrate, demo data, serve) and `make test` (set up, lint, every test).
# `make install` sets up .venv and, when npm is there, the test-only axe-core (package-lock.json)
# that the accessibility browser test injects; the server never needs Node.
# Production form (docs/operations.md; production mode, settings from the environment):
#   make migrate   apply database migrations (once per release, before starting the new version)
#   make serve     collectstatic, then gunicorn on $PORT (static files by whitenoise)
#   make worker    a Celery worker on $CELERY_BROKER_URL
#   make beat      the Celery scheduler (django-celery-beat, schedule kept in the database)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=
WORKER_ARGS ?=
BEAT_ARGS ?=

.PHONY: install run test lint format bench demo migrate serve worker beat

$(BIN)/.installed: requirements.lock pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

# axe-core for tests/browser/test_accessibility.py, pinned in package-lock.json (npm ci). Without
# npm that test skips, or fails under REQUIRE_BROWSER=1 (CI), like the other browser tests.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "make: npm not found, so no axe-core: the accessibility browser test will skip" >&2; fi

install: $(BIN)/.installed $(AXE)

# Development mode (MILEAGE_ENV=development): local keys made once under var/, no HTTPS
# redirect; DEBUG stays off unless you also set DEBUG=1.
DEV := MILEAGE_ENV=development

demo: $(BIN)/.installed
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py demo_data

run: demo
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

migrate: $(BIN)/.installed
	$(BIN)/python manage.py migrate --noinput

serve: $(BIN)/.installed
	$(BIN)/python manage.py collectstatic --noinput -v 0
	PORT=$(PORT) $(BIN)/gunicorn mileage.site.wsgi:application -c python:mileage.site.gunicorn

worker: $(BIN)/.installed
	@test -n "$$CELERY_BROKER_URL" || { echo "make worker: set CELERY_BROKER_URL (redis://... or amqp://...)" >&2; exit 2; }
	$(BIN)/celery -A mileage.site worker -l info $(WORKER_ARGS)

beat: $(BIN)/.installed
	@test -n "$$CELERY_BROKER_URL" || { echo "make beat: set CELERY_BROKER_URL (redis://... or amqp://...)" >&2; exit 2; }
	$(BIN)/celery -A mileage.site beat -l info -S django_celery_beat.schedulers:DatabaseScheduler $(BEAT_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(DEV) $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(DEV) $(BIN)/python -m benchmarks.rules
