# The two commands from a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python -m placelab.web.manage
# Debian's chromium prints the report's PDF and drives the browser tests; Playwright never
# downloads a browser of its own.
CHROMIUM := /usr/bin/chromium
# The PostgreSQL the machines run (trust auth); the web tests run on it too when it answers.
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
DEMO_ENV := PLACELAB_DEBUG=1

# The browser map's bundle: npm installs the locked packages, esbuild bundles our ES modules.
MAP_BUNDLE := placelab/web/static/placelab/build/map.js
MAP_SOURCES := $(wildcard placelab/web/frontend/map/*.js)

.PHONY: install system-libs test lint demo demo-data bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(CHROMIUM):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
	npm ci --no-audit --no-fund

$(MAP_BUNDLE): node_modules/.package-lock.json $(MAP_SOURCES)
	npm run --silent build

# The system libraries and tools, from Debian when one is missing: cairo for the static maps'
# PNG (CairoSVG), DejaVu fonts for the maps and the PDF, and poppler-utils (pdftotext, pdfinfo,
# pdftoppm) for the PDF's tests.
SYSTEM_LIBS := libcairo.so.2
SYSTEM_PACKAGES := libcairo2 fonts-dejavu-core poppler-utils
system-libs:
	@missing=; for lib in $(SYSTEM_LIBS); do ldconfig -p | grep -q "$$lib " || missing=1; done; \
	fc-list 2>/dev/null | grep -qi dejavu || missing=1; \
	command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null || missing=1; \
	if [ -n "$$missing" ]; then apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES); fi

install: system-libs $(CHROMIUM) $(STAMP) $(MAP_BUNDLE)

lint: install
	$(BIN)/ruff check placelab tests bench
	$(BIN)/ruff format --check placelab tests bench
	$(BIN)/mypy placelab/core

test: install lint
	$(BIN)/pytest
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(POSTGRES_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "Database tests again, on PostgreSQL ($(POSTGRES_URL))"; \
		DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest tests/web; \
	else \
		echo "PostgreSQL is not reachable at $(POSTGRES_URL): the database tests ran on SQLite only"; \
	fi

demo-data: install
	$(BIN)/python -m placelab.core.demo examples
	$(BIN)/python -m placelab.core.toolkit.demo_answers examples
	$(BIN)/placelab analyze examples/people.csv examples/ties.csv --json demo-result.json --html demo-report.html
	$(BIN)/placelab diagnose examples/answers.csv --people examples/people.csv --ties examples/ties.csv --json demo-diagnosis.json

demo: demo-data
	$(DEMO_ENV) $(MANAGE) migrate --no-input
	$(DEMO_ENV) $(MANAGE) load_demo examples
	@echo "Serving on http://127.0.0.1:8000 with a worker for analyses and emails (Ctrl-C stops both)."
	$(DEMO_ENV) $(MANAGE) worker & worker=$$!; \
		trap "kill $$worker" EXIT INT TERM; \
		$(DEMO_ENV) PLACELAB_BIND=127.0.0.1:8000 $(BIN)/gunicorn -c placelab/web/gunicorn_conf.py placelab.web.wsgi

bench: install
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache var node_modules placelab/web/static/placelab/build
