# Dateline: `make run` serves the demo site; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# Both cores by default; `make test PYTEST_WORKERS=0` runs in one process.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup
# The engine-dependent tests again on PostgreSQL and Redis (what CI's second pass runs).
ENGINE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
ENGINE_REDIS_URL ?= redis://127.0.0.1:6379/0
# The W3C's Nu HTML checker for tests/e2e/test_html_validity.py (npm package; needs java).
VNU_VERSION ?= 26.9.27
VNU_JAR := .cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar

.PHONY: run test test-fast test-engines html-checker lint format messages bench clean

$(BIN)/dateline: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

run: $(BIN)/dateline
	$(BIN)/dateline setup --demo
	DATELINE_LOG_FORMAT=text $(BIN)/dateline serve --host $(HOST) --port $(PORT)

test: $(BIN)/dateline html-checker
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	DATELINE_DATA_DIR=$$(mktemp -d) $(BIN)/dateline manage makemigrations --check --dry-run
	$(PYTEST) $(PYTEST_ARGS)

# The inner loop: no browser and no live site of the tests' own.
test-fast: $(BIN)/dateline
	$(PYTEST) -m "not e2e and not live" $(PYTEST_ARGS)

test-engines: $(BIN)/dateline
	DATABASE_URL=$(ENGINE_DATABASE_URL) REDIS_URL=$(ENGINE_REDIS_URL) \
		$(PYTEST) -m engine $(PYTEST_ARGS)

html-checker: $(VNU_JAR)

# --ignore-scripts: the package's install script would download a Java runtime of its
# own; the checker runs on the machine's java (default-jre-headless on Debian).
$(VNU_JAR):
	npm install --prefix .cache/vnu --no-save --no-audit --no-fund --ignore-scripts vnu-jar@$(VNU_VERSION)
	@test -f $@ && touch $@

lint: $(BIN)/dateline
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(BIN)/dateline
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(BIN)/dateline
	cd src/dateline && ../../$(BIN)/dateline manage makemessages --all --no-obsolete --ignore "demo/*" --ignore "*/migrations/*"
	cd src/dateline && ../../$(BIN)/dateline manage compilemessages

bench: $(BIN)/dateline
	$(BIN)/python bench/run.py $(BENCH)

clean:
	rm -rf $(VENV) var build *.egg-info .cache
