# The two commands: `make run` serves the demo, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
FLASK := FORUM_ENV=development $(BIN)/flask --app forum

.PHONY: run test bench install migrate seed clean translations update-translations

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo

run: seed translations
	$(FLASK) run --host 127.0.0.1 --port 5000

test: $(STAMP) translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Compiled catalogues (.mo) are built from the .po files, never committed; only a
# catalogue whose .po changed is compiled again.
PO_FILES := $(wildcard forum/translations/*/LC_MESSAGES/messages.po)
translations: $(PO_FILES:.po=.mo)

%.mo: %.po | $(STAMP)
	$(BIN)/pybabel compile -i $< -o $@

# After changing user-visible strings: extract them, merge them into each catalogue,
# then translate what is new (tests/test_i18n.py fails until then) and `make translations`.
update-translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_pgettext:1c,2 -o forum/translations/messages.pot .
	$(BIN)/pybabel update --ignore-obsolete -i forum/translations/messages.pot -d forum/translations

# The benchmark (bench/run.py): SCALE=0.1 for a quick run; needs wrk (apt-get install wrk).
SCALE ?= 1.0
bench: $(STAMP)
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	SCALE=$(SCALE) $(BIN)/python -m bench

clean:
	rm -rf $(VENV) instance .pytest_cache
