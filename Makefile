# Two commands: `make serve` and `make test`. Both install from the committed lock first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install serve test lint format lock schema graphiql clean

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

# GraphiQL's browser files, served by the API itself (api/graphiql): installed from the pinned
# lock in a scratch folder, copied into the committed assets with a SHA256SUMS manifest that a
# test checks (the assets are built, never edited by hand).
GRAPHIQL := api/graphiql
GRAPHIQL_FILES := graphiql/graphiql.min.js graphiql/graphiql.min.css \
	react/umd/react.production.min.js react-dom/umd/react-dom.production.min.js
graphiql:
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	cp $(GRAPHIQL)/package.json $(GRAPHIQL)/package-lock.json "$$tmp" && \
	(cd "$$tmp" && npm ci --ignore-scripts --no-audit --no-fund --silent) && \
	rm -rf $(GRAPHIQL)/assets && mkdir $(GRAPHIQL)/assets && \
	for f in $(GRAPHIQL_FILES); do cp "$$tmp/node_modules/$$f" $(GRAPHIQL)/assets/; done && \
	for p in graphiql react react-dom; do cp "$$tmp/node_modules/$$p/LICENSE" $(GRAPHIQL)/assets/LICENSE.$$p; done && \
	(cd $(GRAPHIQL)/assets && sha256sum $$(ls | grep -v '^SHA256SUMS$$') > SHA256SUMS)

clean:
	rm -rf $(VENV) pressroom.db pressroom.db-wal pressroom.db-shm pressroom-media
