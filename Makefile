# Everyday targets. `make run` and `make test` work on a fresh machine with Python ≥ 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE := portal.settings

# The lock files pin every package, tools included, with their hashes, for every platform
# and every Python from 3.11 on. `make lock` keeps the pinned versions and adds what
# pyproject.toml asks for; `make lock UPGRADE=1` moves everything to the newest allowed.
LOCK := $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock" --group build $(if $(UPGRADE),--upgrade)
# The interface's catalogues (locale/<lang>/LC_MESSAGES/django.po) are compiled here, never
# committed as .mo: loudly, since a broken translation must stop the start, not vanish. It
# needs GNU gettext's msgfmt (Debian: apt-get install gettext; .ci/run installs it).
COMPILEMESSAGES := if find . -path ./$(VENV) -prune -o -name '*.po' -print | grep -q .; \
	then $(BIN)/python manage.py compilemessages --ignore=$(VENV) -v 0; fi

.PHONY: run test lint format check messages bench deploy lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Exactly the locked versions, checked against their hashes, then the project itself
# (which brings nothing more). The stamp files keep a second run from reinstalling.
$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	touch $@

# Development server with the demo territory (DEBUG on, SQLite unless DATABASE_URL says otherwise).
run: $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	@$(COMPILEMESSAGES)
	DEBUG=1 $(BIN)/python manage.py load_demo
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

# The whole suite, browser tests included (they skip outside CI when Chromium is absent).
test: $(VENV)/.installed-dev
	@$(COMPILEMESSAGES)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	@# Two processes (CI's two cores), each with its own test database: half the time.
	$(BIN)/python -m pytest -q -m "not browser" -n $${TEST_WORKERS:-2}
	@# Browser tests run in their own process: Playwright keeps an event loop running.
	@if [ "$$SKIP_BROWSER" = 1 ]; then echo "Browser tests skipped (SKIP_BROWSER=1)"; else \
	$(BIN)/python -m pytest -q -m browser -n $${TEST_WORKERS:-2}; fi

# Install or upgrade a production server, safe to repeat (docs/deployment.md). Needs the
# production environment: `set -a; . /etc/passerelles.env; set +a; make deploy`.
# The configuration is checked first, so a bad one stops before the database is touched.
deploy: $(VENV)/.installed
	$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/python manage.py migrate --noinput
	@# Derived search data follows the code that folds text: rebuilt at each deploy (seconds
	@# for a territory's few hundred services).
	$(BIN)/python manage.py rebuild_search
	$(BIN)/python manage.py collectstatic --noinput -v 0
	@$(COMPILEMESSAGES)
	@echo "Deployed. Now: systemctl reload passerelles-web (the first time: systemctl enable --now passerelles.target)"

# Regenerates requirements.lock and requirements-dev.lock from pyproject.toml.
lock: $(VENV)/.installed-dev
	$(LOCK) pyproject.toml -o requirements.lock
	$(LOCK) --extra dev -c requirements.lock pyproject.toml -o requirements-dev.lock

# Compiles the interface's catalogues (after copying or editing a django.po).
messages: $(VENV)/.installed
	@$(COMPILEMESSAGES)

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
