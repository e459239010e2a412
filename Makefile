# The README's commands. Each target creates .venv and installs what it needs first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP_FLAGS ?= --quiet --disable-pip-version-check
BUILD_FLAGS ?=
SERVE_FLAGS ?=

.PHONY: site test check serve clean screenshots a11y-report bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install $(PIP_FLAGS) -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install $(PIP_FLAGS) -e '.[test]'
	touch $@

# The build checks the content first and writes nothing when it has errors: each problem is printed once.
site: $(VENV)/.installed
	$(BIN)/catalog build --output site $(BUILD_FLAGS)
	@echo "サイトを生成しました: $(CURDIR)/site/index.html"

check: $(VENV)/.installed
	$(BIN)/catalog check

serve: $(VENV)/.installed
	$(BIN)/catalog serve $(SERVE_FLAGS)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

screenshots: $(VENV)/.installed-test
	$(BIN)/python tests/screenshots.py screenshots

a11y-report: $(VENV)/.installed-test
	$(BIN)/python tests/a11y_report.py

bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks run --entries 1000 10000 --runs 3 --json benchmarks/results/results.json

clean:
	rm -rf site .catalog-cache .pytest_cache
