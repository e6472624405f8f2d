# Everyday targets. `make run` and `make test` work on a fresh machine with Python ≥ 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE := portal.settings

.PHONY: run test lint format check messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# Development server with the demo territory (DEBUG on, SQLite unless DATABASE_URL says otherwise).
run: $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py createcachetable
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv -v 0 2>/dev/null || true
	DEBUG=1 $(BIN)/python manage.py load_demo
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

# The whole suite, browser tests included (they skip outside CI when Chromium is absent).
test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -q -m "not browser"
	@# Browser tests run in their own processes: Playwright keeps an event loop running, and
	@# the pathways' module brings its own browser session.
	@if [ "$$SKIP_BROWSER" = 1 ]; then echo "Browser tests skipped (SKIP_BROWSER=1)"; else \
	$(BIN)/python -m pytest -q -m browser --ignore=tests/pathways/test_browser.py && \
	$(BIN)/python -m pytest -q -m browser tests/pathways/test_browser.py; fi

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: $(VENV)/.installed-dev
	SECRET_KEY=check-only $(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/search.py
	$(BIN)/python bench/counter_search.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/refresh_hours.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
