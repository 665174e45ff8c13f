# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app ecotool
# `make run PORT=8000` when 5000 is taken (macOS gives it to AirPlay).
PORT ?= 5000
# The suite runs on every core (each worker has its own SQLite files and PostgreSQL database);
# `make test PYTEST_ARGS=tests/decisions` runs one area in a single process.
PYTEST_ARGS ?= -n auto

.PHONY: run test bench install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'

DEMO_TWO_FACTOR ?=

run: install
	$(FLASK) init
	$(FLASK) demo load
	@echo "Serving ecotool on http://127.0.0.1:$(PORT) (Ctrl+C to stop)"
	@echo "Two-factor sign-in is not required in the demo; make run DEMO_TWO_FACTOR=admin,supervisor,commissioner requires it as a real deployment does."
	ECOTOOL_TWO_FACTOR_ROLES="$(DEMO_TWO_FACTOR)" $(FLASK) run --host 127.0.0.1 --port $(PORT)

test: install-dev
	$(BIN)/bandit -q -r ecotool -ll
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install-dev
	$(BIN)/python bench/caseload.py
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/privacy.py
	$(BIN)/python bench/brief.py

clean:
	rm -rf $(VENV) instance .pytest_cache
