# The two commands from a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test lint demo bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

lint: install
	$(BIN)/ruff check placelab tests bench
	$(BIN)/ruff format --check placelab tests bench
	$(BIN)/mypy placelab/core

test: install lint
	$(BIN)/pytest

demo: install
	$(BIN)/python -m placelab.core.demo examples
	$(BIN)/placelab analyze examples/people.csv examples/ties.csv --json demo-result.json --html demo-report.html
	@echo "The demo locality's report is in demo-report.html; its numbers are in demo-result.json."

bench: install
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
