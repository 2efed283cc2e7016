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
	$(BIN)/python -m placelab.core.toolkit.demo_answers examples
	$(BIN)/placelab analyze examples/people.csv examples/ties.csv --json demo-result.json --html demo-report.html
	$(BIN)/placelab diagnose examples/answers.csv --people examples/people.csv --ties examples/ties.csv --json demo-diagnosis.json
	@echo "The demo locality's report is in demo-report.html; its numbers are in demo-result.json; the diagnosis is in demo-diagnosis.json."

bench: install
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
