# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: run test check-course bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]' --config-settings editable_mode=compat
	touch $(STAMP)

run: $(STAMP)  ## serve the app on SQLite with the shipped course
	$(BIN)/lms run

test: $(STAMP)  ## the whole test suite, browser tests included
	$(BIN)/python -m pytest -q

check-course: $(STAMP)
	$(BIN)/lms check-course course

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) instance .pytest_cache
