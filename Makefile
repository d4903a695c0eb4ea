# Development: `make run` (set up, migrate, demo data, serve) and `make test` (set up, lint, every test).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install run test lint format bench demo

$(BIN)/.installed: requirements.lock pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

install: $(BIN)/.installed

# Development mode (MILEAGE_ENV=development): local keys made once under var/, no HTTPS
# redirect; DEBUG stays off unless you also set DEBUG=1.
DEV := MILEAGE_ENV=development

demo: install
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py demo_data

run: demo
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

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
