# Two commands: `make serve` and `make test`. Both install from the committed lock first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install serve test lint format lock schema clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

serve: install
	$(BIN)/pressroom migrate
	$(BIN)/pressroom seed-demo --if-empty
	$(BIN)/pressroom serve

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

# ruff, and the import contracts of pyproject.toml (the layering: api -> schema -> publishing).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-resolve the lock after changing dependencies in pyproject.toml.
lock: install
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes --quiet -o requirements.lock

schema: install
	$(BIN)/pressroom export-schema

clean:
	rm -rf $(VENV) pressroom.db pressroom.db-wal pressroom.db-shm pressroom-media
