# make all: create .venv, install, build and verify every format for every source.  make test: run the tests.
# Outputs are rebuilt by the pipeline's own change detection (outputs/<id>/manifest.json),
# so a second `make all` with nothing changed rewrites nothing and prints nothing.
# make bench: the benchmark (installs pandoc, espeak-ng and lame with apt-get: run it as root).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIPELINE := $(BIN)/pipeline
SOURCES ?= $(wildcard source/*.yaml)
OUT ?= outputs
BUILD_FLAGS ?=

.DEFAULT_GOAL := all
.PHONY: all build verify validate check test test-fast lint golden fuzz bench clean renderers help check-a11y java harfbuzz liblouis browser axe

all: build

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	mkdir -p $(VENV)/debian-louis && ln -sfn $(DEBIAN_LOUIS) $(VENV)/debian-louis/louis
	echo "$(abspath $(VENV))/debian-louis" > "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/debian-louis.pth"
	touch $@

# --verify: then check every output (EPUBCheck, Ace when installed, PDF tags, audio chapters,
# content parity ...), print the failed checks and fail. EPUBCheck runs on Java (target java).
# A check runs again only when what it reads changed (outputs/<id>/verify.json records verdicts).
build: $(STAMP) java harfbuzz liblouis
	@$(PIPELINE) build --quiet --verify --out $(OUT) $(BUILD_FLAGS) $(SOURCES)

# The whole report of the built outputs: one line per check.
verify: $(STAMP) java
	$(PIPELINE) verify $(OUT)

validate: $(STAMP)
	$(PIPELINE) validate $(SOURCES)

# Plain-language report (readability, long sentences, passive voice, jargon); see README.
check: $(STAMP)
	$(PIPELINE) check $(SOURCES)

renderers: $(STAMP)
	$(PIPELINE) renderers

test: $(STAMP) java harfbuzz liblouis browser axe lint
	$(BIN)/python -m pytest -q

# Everything that needs no Java, Chromium or speech synthesis, in under a minute.
test-fast: $(STAMP) harfbuzz liblouis lint
	$(BIN)/python -m pytest -q -m "not heavy"

# ruff (configured in pyproject.toml): lint and import order; CI runs it through `make test`.
lint: $(STAMP)
	$(BIN)/ruff check .

# Write the golden files (tests/golden/) anew after a change you meant; review the diff in git.
golden: $(STAMP) liblouis
	GOLDEN_UPDATE=1 $(BIN)/python -m pytest -q tests/test_golden.py tests/test_braille_golden.py

# WeasyPrint 70 subsets fonts with HarfBuzz-Subset and warns (so our PDF renderer fails) without
# it; Debian's libharfbuzz-subset0 is the one system library it needs beside Pango.
harfbuzz:
	@ldconfig -p | grep -q libharfbuzz-subset || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=600 --no-install-recommends libharfbuzz-subset0; }

# The braille edition translates with liblouis from Debian: liblouis-bin (the library, its tables,
# lou_translate) and python3-louis, a ctypes binding made for Debian's own Python. The venv sees
# that binding (and nothing else of Debian's site-packages) through a .pth file naming a folder
# that holds only a link to it, made with the venv above.
DEBIAN_LOUIS := /usr/lib/python3/dist-packages/louis
liblouis:
	@test -f $(DEBIAN_LOUIS)/__init__.py && command -v lou_translate >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=600 --no-install-recommends liblouis-bin python3-louis; }

# EPUBCheck (`pipeline verify`, the tests) runs on Java: install a JRE when none is there.
java:
	@command -v java >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends default-jre-headless; }

# Ace by DAISY, the EPUB accessibility checker (optional, outside `make test`): installs the
# Debian chromium (apt-get, as root) and @daisy/ace-cli (npm, under the git-ignored .tools/),
# builds the e-books and fails on any violation. Puppeteer is told to use the system Chromium
# and never to download a browser. Reports: outputs/.ace/<id>/report.html.
ACE_VERSION := 1.4.6
ACE := .tools/ace/node_modules/.bin/ace-cli
CHROMIUM := /usr/bin/chromium
export PUPPETEER_SKIP_DOWNLOAD := 1
export PUPPETEER_EXECUTABLE_PATH := $(CHROMIUM)

$(CHROMIUM):
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium

$(ACE):
	mkdir -p .tools/ace
	cd .tools/ace && npm install --no-save --no-audit --no-fund --loglevel=error @daisy/ace-cli@$(ACE_VERSION)

check-a11y: $(STAMP) $(CHROMIUM) $(ACE)
	$(PIPELINE) build --quiet --format epub $(SOURCES)
	@status=0; for source in $(SOURCES); do \
	  id=$$(basename $$source .yaml); \
	  $(ACE) --exiterror2 --force --outdir outputs/.ace/$$id outputs/$$id/$$id.epub \
	    && echo "ace: no violations in outputs/$$id/$$id.epub" \
	    || { status=1; echo "ace: violations in outputs/$$id/$$id.epub: see outputs/.ace/$$id/report.html"; }; \
	done; exit $$status

# The long fuzzing run: over 10,000 generated articles and broken documents (about 15 minutes
# on two cores); the count is printed at the end. `make test` runs a small, fixed sample.
fuzz: $(STAMP)
	FUZZ_PROFILE=fuzz $(BIN)/python -m pytest -q tests/test_fuzz.py

# The web edition's tests drive Debian's Chromium with Playwright (the Python package only: no
# browser download) and run axe-core (npm, under the git-ignored .tools/). Where either cannot
# be installed (no root, no registry) the make goes on and those tests are skipped, saying why.
AXE_CORE_VERSION := 4.14.1
AXE_CORE := .tools/axe/node_modules/axe-core/axe.min.js

browser:
	@test -x $(CHROMIUM) || $(MAKE) --no-print-directory $(CHROMIUM) \
	  || echo "warning: chromium could not be installed: the browser tests will be skipped"

axe:
	@test -f $(AXE_CORE) && grep -q '"version": "$(AXE_CORE_VERSION)"' .tools/axe/node_modules/axe-core/package.json \
	  || { mkdir -p .tools/axe && cd .tools/axe && npm install --no-save --no-audit --no-fund --loglevel=error axe-core@$(AXE_CORE_VERSION); } \
	  || echo "warning: axe-core could not be installed: the accessibility tests will be skipped"

# Not part of `make test`: it takes minutes and its figures mean something only on a quiet machine.
BENCH_TOOLS := pandoc espeak-ng lame
bench: $(STAMP)
	@missing=$$(for tool in $(BENCH_TOOLS); do command -v $$tool >/dev/null || echo $$tool; done); \
	if [ -n "$$missing" ]; then echo "installing" $$missing "with apt-get (needs root)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi
	$(BIN)/python bench/run.py $(BENCH_FLAGS)

# One target per renderer (make txt, make pdf, ...), read from the registry once installed,
# before that from this project's own entry points in pyproject.toml.
FORMATS := $(shell test -x $(PIPELINE) && $(PIPELINE) renderers --names || \
	$(PYTHON) -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["project"]["entry-points"]["pipeline.renderers"])')
.PHONY: $(FORMATS)
$(FORMATS): $(STAMP)
	@$(PIPELINE) build --quiet --out $(OUT) $(BUILD_FLAGS) --format $@ $(SOURCES)

clean:
	rm -rf $(OUT)/*/ $(OUT)/.cache .pytest_cache .hypothesis bench/work
	find . -name __pycache__ -type d -prune -not -path './$(VENV)/*' -exec rm -rf {} +

help:
	@echo "make all | test | golden | fuzz | verify | bench | validate | check | check-a11y | renderers | clean | $(FORMATS)"
