# make all: create .venv, install, build and verify every format for every source.  make test: run the tests.
# Outputs are rebuilt by the pipeline's own change detection (outputs/<id>/manifest.json),
# so a second `make all` with nothing changed rewrites nothing and prints only the count of checks
# (--strict: a check skipped for want of its tool fails).
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
.PHONY: all build schema verify validate check test test-fast lint golden fuzz bench clean renderers help check-a11y java harfbuzz liblouis poppler ffmpeg a11y-tools browser axe ace fonts

all: build

# The JSON Schema of the source format, for editors (see README), written with every build;
# rewritten only when it changed.
schema: $(STAMP)
	@$(PIPELINE) schema --output pipeline.schema.json

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dask]'
	mkdir -p $(VENV)/debian-louis && ln -sfn $(DEBIAN_LOUIS) $(VENV)/debian-louis/louis
	echo "$(abspath $(VENV))/debian-louis" > "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/debian-louis.pth"
	touch $@

# --verify: then check every output (EPUBCheck, Ace, axe-core, PDF/UA rules, PDF tags, audio chapters,
# content parity ...), print the failed checks and fail. EPUBCheck runs on Java (target java).
# A check runs again only when what it reads changed (outputs/<id>/verify.json records verdicts).
build: $(STAMP) java harfbuzz liblouis fonts a11y-tools schema
	@$(PIPELINE) build --quiet --verify --strict --out $(OUT) $(BUILD_FLAGS) $(SOURCES)

# The whole report of the built outputs: one line per check.
verify: $(STAMP) java a11y-tools
	$(PIPELINE) verify --strict $(OUT)

validate: $(STAMP)
	$(PIPELINE) validate $(SOURCES)

# Plain-language report (readability, long sentences, passive voice, jargon); see README.
check: $(STAMP)
	$(PIPELINE) check $(SOURCES)

renderers: $(STAMP)
	$(PIPELINE) renderers

test: $(STAMP) java harfbuzz liblouis fonts a11y-tools poppler ffmpeg lint
	PIPELINE_STRICT=1 $(BIN)/python -m pytest -q

# Everything that needs no Java, Chromium or speech synthesis, in under a minute.
test-fast: $(STAMP) harfbuzz liblouis fonts lint
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

# The tests read PDFs with a second engine beside PDFium: poppler's pdftotext and pdftoppm (Debian's poppler-utils).
poppler:
	@command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=600 --no-install-recommends poppler-utils; }

# The mastering tests measure the spoken edition as broadcasters do: ffmpeg's ebur128 (loudness,
# true peak), astats (RMS, peak) and silencedetect (lead-in and tail), and ffprobe (rate, bit rate).
ffmpeg:
	@command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=600 --no-install-recommends ffmpeg; }

# The braille edition translates with liblouis from Debian: liblouis-bin (the library, its tables,
# lou_translate) and python3-louis, a ctypes binding made for Debian's own Python. The venv sees
# that binding (and nothing else of Debian's site-packages) through a .pth file naming a folder
# that holds only a link to it, made with the venv above.
DEBIAN_LOUIS := /usr/lib/python3/dist-packages/louis
liblouis:
	@test -f $(DEBIAN_LOUIS)/__init__.py && command -v lou_translate >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=600 --no-install-recommends liblouis-bin python3-louis; }

# Noto Sans SC (Simplified Chinese, SIL OFL 1.1) is too large to keep in the repository: the pinned
# npm package goes under the git-ignored .tools/fonts/, where the PDF renderer looks for it; after
# this no build needs the network. The other script fonts are vendored in pipeline/assets/fonts/.
NOTO_SANS_SC_VERSION := 5.3.0
NOTO_SANS_SC := .tools/fonts/node_modules/@fontsource/noto-sans-sc/package.json

fonts:
	@grep -qs '"version": "$(NOTO_SANS_SC_VERSION)"' $(NOTO_SANS_SC) \
	  || { mkdir -p .tools/fonts && cd .tools/fonts && npm install --no-save --no-audit --no-fund --loglevel=error @fontsource/noto-sans-sc@$(NOTO_SANS_SC_VERSION); }

# EPUBCheck (`pipeline verify`, the tests) runs on Java: install a JRE when none is there.
java:
	@command -v java >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends default-jre-headless; }

# The accessibility checkers `pipeline verify` runs (so `make all`, through build --verify) and
# the tests: Ace by DAISY on the e-books (@daisy/ace-cli, npm) and axe-core on the web page
# (npm), both in Debian's Chromium (apt-get, as root), driven by Puppeteer (Ace) and Playwright
# (the Python package); neither downloads a browser of its own. npm packages are pinned and
# land under the git-ignored .tools/. Where one cannot be installed (no root, no registry) the
# make goes on with a warning, and the checks and tests that need it are skipped, saying why.
ACE_VERSION := 1.4.6
ACE := .tools/ace/node_modules/.bin/ace-cli
AXE_CORE_VERSION := 4.14.1
AXE_CORE := .tools/axe/node_modules/axe-core/axe.min.js
CHROMIUM := /usr/bin/chromium
export PUPPETEER_SKIP_DOWNLOAD := 1
export PUPPETEER_EXECUTABLE_PATH := $(CHROMIUM)

a11y-tools: browser axe ace

$(CHROMIUM):
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=600 --no-install-recommends chromium

browser:
	@test -x $(CHROMIUM) || $(MAKE) --no-print-directory $(CHROMIUM) \
	  || echo "warning: chromium could not be installed: Ace, axe-core and the browser tests will be skipped"

$(ACE):
	mkdir -p .tools/ace
	cd .tools/ace && npm install --no-save --no-audit --no-fund --loglevel=error @daisy/ace-cli@$(ACE_VERSION)

ace:
	@test -x $(ACE) && grep -q '"version": "$(ACE_VERSION)"' .tools/ace/node_modules/@daisy/ace-cli/package.json \
	  || $(MAKE) --no-print-directory -B $(ACE) \
	  || echo "warning: Ace could not be installed: the e-books' Ace check will be skipped"

axe:
	@test -f $(AXE_CORE) && grep -q '"version": "$(AXE_CORE_VERSION)"' .tools/axe/node_modules/axe-core/package.json \
	  || { mkdir -p .tools/axe && cd .tools/axe && npm install --no-save --no-audit --no-fund --loglevel=error axe-core@$(AXE_CORE_VERSION); } \
	  || echo "warning: axe-core could not be installed: the web page's axe check and tests will be skipped"

# Ace's own HTML reports of the e-books, in outputs/.ace/<id>/report.html (`pipeline verify`
# runs Ace too, and lists what it finds).
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
	rm -rf $(OUT)/*/ $(OUT)/.cache $(OUT)/index.html .pytest_cache .hypothesis bench/work
	find . -name __pycache__ -type d -prune -not -path './$(VENV)/*' -exec rm -rf {} +

help:
	@echo "make all | test | golden | fuzz | verify | bench | validate | check | check-a11y | renderers | clean | $(FORMATS)"
