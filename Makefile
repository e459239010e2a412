# The README's commands. Each target creates .venv and installs what it needs first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP_FLAGS ?= --quiet --disable-pip-version-check
BUILD_FLAGS ?=
SERVE_FLAGS ?=

.PHONY: site test lint format check serve clean screenshots editor-screenshots a11y-report bench lock mutate

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# In CI (CI=true: GitHub Actions, .ci/run) every dependency comes from requirements/*.txt, each file
# checked against its hash, and the project itself is installed without resolving anything; `pip check`
# then proves the locked versions meet pyproject.toml. Elsewhere pyproject.toml's ranges are resolved.
LOCKED ?= $(filter true,$(CI))
ifneq ($(LOCKED),)
$(VENV)/.installed: $(BIN)/python pyproject.toml requirements/site.txt
	$(BIN)/python -m pip install $(PIP_FLAGS) --require-hashes -r requirements/site.txt
	$(BIN)/python -m pip install $(PIP_FLAGS) --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements/test.txt
	$(BIN)/python -m pip install $(PIP_FLAGS) --require-hashes -r requirements/test.txt
	$(BIN)/python -m pip check
	touch $@
else
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install $(PIP_FLAGS) -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install $(PIP_FLAGS) -e '.[test]'
	touch $@
endif

# Rewrites requirements/*.txt from pyproject.toml with the workflows' Python (docs/hosting.md).
# Keeps every pin that still fits; LOCK_FLAGS=--upgrade moves all to the newest allowed,
# LOCK_FLAGS="--upgrade-package jinja2" one package.
LOCK_PYTHON ?= python3.12
LOCK_VENV ?= .venv-lock
LOCK_FLAGS ?=
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes \
	--all-build-deps --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_FLAGS)

lock:
	$(LOCK_PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install $(PIP_FLAGS) 'pip-tools>=7.5,<8'
	$(PIP_COMPILE) --output-file requirements/site.txt pyproject.toml
	$(PIP_COMPILE) --extra test --constraint requirements/site.txt --output-file requirements/test.txt pyproject.toml

# The build checks the content first and writes nothing when it has errors: each problem is printed once.
site: $(VENV)/.installed
	$(BIN)/catalog build --output site $(BUILD_FLAGS)
	@echo "サイトを生成しました: $(CURDIR)/site/index.html"

check: $(VENV)/.installed
	$(BIN)/catalog check

serve: $(VENV)/.installed
	$(BIN)/catalog serve $(SERVE_FLAGS)

test: lint
	$(BIN)/python -m pytest

# Formatting, lint rules and strict types (pyproject.toml's [tool.ruff] and [tool.mypy]): nothing
# may be found. `make format` rewrites the tree in the house format.
lint: $(VENV)/.installed-test
	$(BIN)/ruff format --check --quiet .
	$(BIN)/ruff check --quiet .
	$(BIN)/mypy

format: $(VENV)/.installed-test
	$(BIN)/ruff format --quiet .
	$(BIN)/ruff check --quiet --fix .

screenshots: $(VENV)/.installed-test
	$(BIN)/python tests/screenshots.py screenshots

# The editor's screenshots in docs/editing.md (docs/screenshots/editor-*.png); needs npm once (tests/decap_bundle.py).
editor-screenshots: $(VENV)/.installed-test
	$(BIN)/python tests/editor_screenshots.py

a11y-report: $(VENV)/.installed-test
	$(BIN)/python tests/a11y_report.py

# Mutation testing (docs/testing.md): mutmut mutates the modules listed in pyproject.toml's
# [tool.mutmut] and runs, for each mutant, the fast tests that reach it. About an hour on two
# cores: not part of `make test`. It runs at the lowest priority so the machine stays usable;
# MUTATE_JOBS sets how many mutants run at once. The score, module by module, comes last.
MUTATE_JOBS ?= 2
mutate: $(VENV)/.installed-test
	rm -rf mutants
	nice -n 19 $(BIN)/mutmut run --max-children $(MUTATE_JOBS)
	$(BIN)/python tests/mutation_score.py

bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks run --entries 1000 10000 --runs 3 --json benchmarks/results/results.json

clean:
	rm -rf site .catalog-cache .pytest_cache mutants
