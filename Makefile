# The commands: `make run` serves the demo, `make test` runs the suite, `make check` its
# inner loop.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two installs, each marked by a stamp newer than pyproject.toml and constraints.txt once
# done: what serving needs (the package alone, for `make run`), and that plus the test
# tools (`.[test]`, for `make test` and `make check`). The second keeps its historical name.
RUN_STAMP := $(VENV)/.run-installed-stamp
STAMP := $(VENV)/.installed-stamp
# `make run PORT=5001`; the development server listens on this machine only.
PORT ?= 5000
HOST := 127.0.0.1
# The `forum` command ([project.scripts]): Flask's command line bound to the app.
FLASK := FORUM_ENV=development $(BIN)/forum
# Every install takes the versions pinned here (`make lock` writes it).
CONSTRAINTS := constraints.txt
# axe-core for the accessibility tests: see the $(AXE) target below.
AXE_VERSION := 4.14.1
AXE_INTEGRITY := sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==
AXE := tests/vendor/axe.min.js

# WeasyPrint (the guide's PDFs) loads Pango and HarfBuzz at run time: Debian's packages.
PDF_LIBRARIES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

.PHONY: run test check bench install install-run migrate seed clean translations update-translations screenshots \
	pdf-libraries lock

$(RUN_STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e .
	touch $(RUN_STAMP)

# Order-only on the run install: a later `make run` (which installs only `.`, never
# removing a test tool) does not make the test tools count as outdated; only a change
# to pyproject.toml or constraints.txt does. So run, test, run again installs each set once.
$(STAMP): pyproject.toml $(CONSTRAINTS) | $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[test]'
	touch $(STAMP)

# constraints.txt again, after a dependency is added to or changed in pyproject.toml (or
# to take newer releases): `.[test]` installed without constraints into a new virtualenv
# in a temporary folder, so nothing of .venv leaks in, then frozen (pip's cache makes a
# second run quick). Review the diff, run `make test`, commit both files together.
lock:
	set -eu; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install --quiet --upgrade pip; \
	"$$tmp/venv/bin/python" -m pip install --quiet -e '.[test]'; \
	{ echo "# Every package of the \`.[test]\` environment at the version the suite passes with."; \
	  echo "# Written by \`make lock\` (pip freeze of a new virtualenv); do not edit by hand."; \
	  "$$tmp/venv/bin/python" -m pip freeze --exclude-editable | grep -v '^#'; \
	} > $(CONSTRAINTS).tmp; \
	mv $(CONSTRAINTS).tmp $(CONSTRAINTS)

install: pdf-libraries $(STAMP)

# What `make run` installs: the package without the test tools.
install-run: pdf-libraries $(RUN_STAMP)

# Installed with apt-get when missing, as npm and wrk are below.
pdf-libraries:
	dpkg -s $(PDF_LIBRARIES) >/dev/null 2>&1 || (apt-get update && apt-get install -y $(PDF_LIBRARIES))

# The catalogues first: every `flask` command builds the app, which warns about a language
# whose catalogue is not compiled yet (forum/locales.py).
migrate: $(RUN_STAMP) translations
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo

# Installs only what serving needs: no test tools, no axe, Chromium or Redis.
run: pdf-libraries translations seed
	$(FLASK) run --host $(HOST) --port $(PORT)

# tests/programs.sh first makes the programs the tests drive present: Debian's Chromium,
# a Redis server on 127.0.0.1:6379 (installed when missing, Redis started for the run
# and stopped after), and nginx, PgBouncer and openssl for the cluster test, or stops at
# once naming what is missing and how to install it.
# The suite runs every layer (tests/unit, web, browser, load, cluster, packaging) on every
# core (pytest-xdist),
# each worker with its own database (tests/conftest.py). A worker that runs out of tests
# takes half of what another has left (worksteal): given whole files, the workers ended
# minutes apart. A worker that takes part of a file builds its module fixtures again.
# TEST_WORKERS=0 runs it in one process.
# tests/work_stealing.py keeps the few files whose module fixture starts servers or seeds
# the demo (the cluster, the wheel...) on one worker, so each is built once.
TEST_WORKERS ?= auto
TEST_DIST := --dist worksteal
# Python's bytecode is written, in __pycache__ folders the wheel and git leave out, even
# where the environment sets PYTHONDONTWRITEBYTECODE (this machine's does): without it
# every worker, and every server or command a test starts, compiled the forum again, and
# pytest rewrote every test module's asserts again, some 9 s of CPU for each worker's
# collection alone.
TEST_ENV := env -u PYTHONDONTWRITEBYTECODE
test: pdf-libraries $(STAMP) translations $(AXE)
	$(TEST_ENV) tests/programs.sh $(BIN)/python -m pytest -n $(TEST_WORKERS) $(TEST_DIST) $(PYTEST_ARGS)

# The inner loop: the linter, then the unit and web layers on SQLite, without the tests
# marked slow (those, the browser and the load layers run in `make test`).
check: pdf-libraries $(STAMP) translations
	$(BIN)/ruff check forum tests bench migrations
	$(BIN)/ruff format --check forum tests bench migrations
	$(TEST_ENV) -u FORUM_TEST_DATABASE_URL tests/programs.sh --no-browser $(BIN)/python -m pytest \
		-n $(TEST_WORKERS) $(TEST_DIST) -m "not slow" tests/unit tests/web $(PYTEST_ARGS)

# axe-core, the accessibility checker the browser tests inject into each page: a
# test-only file fetched from the npm registry, pinned by version and by the
# registry's integrity hash, never committed. A tarball that does not match fails.
$(AXE):
	command -v npm >/dev/null || (apt-get update && apt-get install -y npm)
	set -eu; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	(cd "$$tmp" && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null); \
	tarball="$$tmp/axe-core-$(AXE_VERSION).tgz"; \
	actual="sha512-$$(openssl dgst -sha512 -binary "$$tarball" | base64 -w0)"; \
	if [ "$$actual" != "$(AXE_INTEGRITY)" ]; then \
		echo "axe-core $(AXE_VERSION): integrity mismatch" >&2; \
		echo "  expected $(AXE_INTEGRITY)" >&2; echo "  got      $$actual" >&2; exit 1; \
	fi; \
	tar -xzf "$$tarball" -C "$$tmp" package/axe.min.js; \
	mkdir -p $(@D); cp "$$tmp/package/axe.min.js" $@.tmp; mv $@.tmp $@

# The README's screenshots: the accessibility test saves a PNG of every page it checks
# into build/screenshots (all of them, to look at), and the README's few are copied to
# docs/screenshots, so that folder holds only what the README shows.
README_SCREENSHOTS := question-en.png board-workspace-en.png dashboard-en.png review-en.png \
	home-it.png question-it-phone.png
screenshots: $(STAMP) translations $(AXE)
	rm -rf build/screenshots
	FORUM_SCREENSHOTS=build/screenshots tests/programs.sh $(BIN)/python -m pytest tests/browser/test_accessibility.py -q
	cp $(addprefix build/screenshots/,$(README_SCREENSHOTS)) docs/screenshots/

# Compiled catalogues (.mo) are built from the .po files, never committed; only a
# catalogue whose .po changed is compiled again.
PO_FILES := $(wildcard forum/translations/*/LC_MESSAGES/messages.po)
translations: $(PO_FILES:.po=.mo)

%.mo: %.po | $(RUN_STAMP)
	$(BIN)/pybabel compile -i $< -o $@

# After changing user-visible strings: extract them, merge them into each catalogue,
# then translate what is new (tests/web/test_i18n.py fails until then) and `make translations`.
update-translations: $(RUN_STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_pgettext:1c,2 -o forum/translations/messages.pot .
	$(BIN)/pybabel update --ignore-obsolete -i forum/translations/messages.pot -d forum/translations

# The benchmark (bench/run.py): SCALE=0.1 for a quick run; needs wrk (apt-get install wrk).
# BENCH_ARGS passes options on, e.g. BENCH_ARGS="--databases sqlite --rows uncached,mixed".
SCALE ?= 1.0
BENCH_ARGS ?=
bench: $(STAMP)
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	SCALE=$(SCALE) $(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache
