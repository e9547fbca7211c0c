# Two commands for a fresh machine: `make run` serves the demo blog, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export FLASK_APP := app

.PHONY: run test test-sqlite test-postgres lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres,redis]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	QUIRE_DEV_IDP=1 $(BIN)/flask run --host 127.0.0.1 --port 5000

test: test-sqlite test-postgres

test-sqlite: $(STAMP)
	$(BIN)/python -m pytest

# The same suite (browser tests aside) on PostgreSQL; skipped with a message when the server
# is not reachable, unless QUIRE_REQUIRE_POSTGRES=1 (CI) makes that a failure.
test-postgres: $(STAMP)
	TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest -m "not e2e" -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
