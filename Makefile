# make all: create .venv, install, build every format for every source.  make test: run the tests.
# Outputs are rebuilt by the pipeline's own change detection (outputs/<id>/manifest.json),
# so a second `make all` with nothing changed rewrites nothing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIPELINE := $(BIN)/pipeline
SOURCES := $(wildcard source/*.yaml)

.DEFAULT_GOAL := all
.PHONY: all build validate test fuzz clean renderers help

all: build

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

build: $(STAMP)
	$(PIPELINE) build --quiet $(SOURCES)

validate: $(STAMP)
	$(PIPELINE) validate $(SOURCES)

renderers: $(STAMP)
	$(PIPELINE) renderers

test: $(STAMP)
	$(BIN)/python -m pytest -q

# The long fuzzing run: over 10,000 generated articles and broken documents (about 15 minutes
# on two cores); the count is printed at the end. `make test` runs a small, fixed sample.
fuzz: $(STAMP)
	FUZZ_PROFILE=fuzz $(BIN)/python -m pytest -q tests/test_fuzz.py

# One target per installed renderer (make txt, make pdf, ...), read from the registry.
FORMATS := $(shell test -x $(PIPELINE) && $(PIPELINE) renderers --names)
.PHONY: $(FORMATS)
$(FORMATS): $(STAMP)
	$(PIPELINE) build --quiet --format $@ $(SOURCES)

clean:
	rm -rf outputs/*/ outputs/.cache .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -not -path './$(VENV)/*' -exec rm -rf {} +

help:
	@echo "make all | test | fuzz | validate | renderers | clean | $(FORMATS)"
