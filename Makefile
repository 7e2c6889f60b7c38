# Two commands on a fresh Debian machine:
#   make demo   install everything, process sample_scans/, print where the reports are
#   make test   install everything, run the whole test suite
# Both are idempotent: what is already installed is not installed again.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= data/demo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages: OCR engine and languages (and its library's headers: tesserocr is built
# against the very Tesseract the command line runs, extractors/tess_api.py), PDF rendering,
# Pango for WeasyPrint's PDFs, Chromium for the review station's browser tests, PostgreSQL
# (the tests start a private server of their own), and the fonts the sample generator writes
# with (hand-lettering, typewriter, OCR-B for machine-readable zones).
APT_PACKAGES := tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng tesseract-ocr-osd \
	libtesseract-dev libleptonica-dev pkg-config g++ poppler-utils \
	libpango-1.0-0 libpangoft2-1.0-0 chromium postgresql \
	python3-venv fonts-dejavu-core fonts-liberation fonts-freefont-ttf fonts-ocr-b \
	fonts-comic-neue fonts-dkg-handwriting fonts-breip fonts-bwht fonts-femkeklaver \
	fonts-humor-sans fonts-dancingscript fonts-kristi

# tesserocr's wheels bundle a Tesseract of their own: build it against Debian's instead.
PIP_INSTALL := $(BIN)/pip install -q --no-binary tesserocr

export OMP_THREAD_LIMIT := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_HOME := $(CURDIR)/var/prefect

.PHONY: demo test bench system venv clean

demo: venv
	$(BIN)/intake batch sample_scans/packets --data $(DATA)
	@echo "Reports: $(CURDIR)/$(DATA)/reports/<packet>/report.html (and report.pdf)"
	@echo "Batch report: $$(ls -d $(CURDIR)/$(DATA)/batches/*/batch.html | tail -1)"

test: venv
	@mkdir -p var/prefect
	$(BIN)/python -m pytest -q

# The pipeline against plain Tesseract and OCRmyPDF on the same pages (README, Capacity).
bench: venv
	@dpkg -s ghostscript >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends ghostscript; }
	$(PIP_INSTALL) -e '.[dev,bench]'
	$(BIN)/intake bench sample_scans/packets --rounds 3 --json var/bench.json

system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BIN)/python: | system
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Re-installed when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) -e '.[dev]'
	touch $@

venv: system $(VENV)/.installed

clean:
	rm -rf $(VENV) var data/demo
