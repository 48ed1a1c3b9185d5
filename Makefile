# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
INSTALL = $(BIN)/pip install --quiet --config-settings editable_mode=compat

.PHONY: run test check-course bench bench-exports bench-import clean translations compile-translations

$(BIN)/pip:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.run: pyproject.toml | $(BIN)/pip
	$(INSTALL) -e .
	$(BIN)/pybabel compile -d lms/translations
	touch $@

$(VENV)/.test: pyproject.toml tests/node_modules/.installed | $(BIN)/pip
	$(INSTALL) -e '.[test]'
	$(BIN)/pybabel compile -d lms/translations
	touch $@ $(VENV)/.run

tests/node_modules/.installed: tests/package.json tests/package-lock.json  ## scorm-again, the SCORM runtime the browser tests use
	cd tests && npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: $(VENV)/.run  ## serve the app on SQLite with the shipped course
	$(BIN)/lms run

test: $(VENV)/.test  ## lint, type checks, then the whole test suite (browser, PDF, PostgreSQL and LRS tests included)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

check-course: $(VENV)/.run
	$(BIN)/lms check-course course

bench: $(VENV)/.test  ## page weight and throughput
	$(BIN)/python benchmarks/run.py

bench-exports: $(VENV)/.test  ## peak memory of exports, small cohort against large
	$(BIN)/python benchmarks/exports.py

bench-import: $(VENV)/.test  ## importing 1,000 people: wall time, and how long other requests wait meanwhile
	$(BIN)/python benchmarks/import.py

LANGS = bn hi km fil
translations: $(VENV)/.run  ## extract interface strings, update every catalog, compile
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ --no-location --sort-output --no-wrap --project tsp-lms -o lms/translations/messages.pot .
	for l in $(LANGS); do test -f lms/translations/$$l/LC_MESSAGES/messages.po || $(BIN)/pybabel init -l $$l -i lms/translations/messages.pot -d lms/translations; done
	$(BIN)/pybabel update --no-wrap --ignore-obsolete -i lms/translations/messages.pot -d lms/translations
	$(BIN)/pybabel compile --statistics -d lms/translations

compile-translations: $(VENV)/.run
	$(BIN)/pybabel compile -d lms/translations

clean:
	rm -rf $(VENV) instance .pytest_cache
