# Two commands are the whole set-up on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHAINLP_OFFLINE := 1
export PYTHAINLP_READ_ONLY := 1

.PHONY: run test install catalogs lint typecheck pytest bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

# The bot reads the .po catalogs themselves (bot/i18n.py, through the bot/locales link): nothing to compile.
# This only checks that each one compiles and says how much of it is translated.
catalogs: install
	for po in locales/*/LC_MESSAGES/messages.po; do $(BIN)/pybabel compile --statistics -i $$po -o /dev/null || exit 1; done

run: catalogs
	COOPBOT_SANDBOX=1 $(BIN)/coopbot db upgrade
	COOPBOT_SANDBOX=1 $(BIN)/coopbot seed --demo
	COOPBOT_SANDBOX=1 PUBLIC_BASE_URL=http://$(HOST):$(PORT) $(BIN)/coopbot serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

pytest: catalogs
	$(BIN)/pytest

test: lint typecheck pytest

bench: catalogs
	$(BIN)/python bench/nlu.py
	$(BIN)/python bench/alerts.py
	$(BIN)/python bench/webhook.py
	$(BIN)/python bench/cli.py

extract: install
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output -o locales/messages.pot .
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
