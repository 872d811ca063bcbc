# Dateline: `make run` serves the demo site; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format messages bench clean

$(BIN)/dateline: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

run: $(BIN)/dateline
	$(BIN)/dateline setup --demo
	DATELINE_LOG_FORMAT=text $(BIN)/dateline serve --host $(HOST) --port $(PORT)

test: $(BIN)/dateline
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DATELINE_DATA_DIR=$$(mktemp -d) $(BIN)/dateline manage makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(BIN)/dateline
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/dateline
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(BIN)/dateline
	cd src/dateline && ../../$(BIN)/dateline manage makemessages --all --no-obsolete --ignore "demo/*" --ignore "*/migrations/*"
	cd src/dateline && ../../$(BIN)/dateline manage compilemessages

bench: $(BIN)/dateline
	$(BIN)/python bench/run.py $(BENCH)

clean:
	rm -rf $(VENV) var build *.egg-info
