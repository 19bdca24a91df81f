# The two commands a newcomer types: `make book` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := book

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NBVAL := --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-current-env

.PHONY: book notebooks html test bench sweep corpus install lock clean

## Create .venv if missing and install the pinned environment (again when the pins change): with
## uv (on PATH, else installed into .venv), pip when uv cannot be had; exactly constraints.txt's pins.
$(STAMP): pyproject.toml constraints.txt scripts/install_env.sh
	$(SHELL) scripts/install_env.sh $(PYTHON) $(VENV)
	@touch $(STAMP)

install: $(STAMP)

## Execute every notebook with papermill (notebooks/ -> book/notebooks/, results/).
notebooks: $(STAMP)
	$(BIN)/python -m helpers.build.pipeline

## Build the HTML book from the executed notebooks, warnings as errors; skipped when none of its
## inputs changed since the last build (the pipeline leaves unchanged notebooks untouched).
BOOK_INPUTS = $(wildcard book/*.md book/*.yml book/*.bib book/_static/* book/_ext/*.py \
                         book/notebooks/*.ipynb) results/ledger.csv results/effect_sizes.csv
BOOK_STAMP := book/_build/html/.built

$(BOOK_STAMP): $(BOOK_INPUTS) | $(STAMP)
	$(BIN)/jupyter-book build book --warningiserror --nitpick --keep-going --quiet
	@touch $@

html: $(BOOK_STAMP)
	@echo "The book is at $(CURDIR)/book/_build/html/index.html"

## Execute the notebooks, then build the book. With DATA=FOLDER: reanalyse that trial's data
## folder into build/trials/<folder name>/ (notebooks, results, HTML), touching nothing tracked.
ifdef DATA
book: $(STAMP)
	$(BIN)/python -m helpers.build.book --data-dir $(DATA)
else
book: notebooks
	@$(MAKE) --no-print-directory html
endif

## The layers contract (lint-imports, pyproject.toml's [tool.importlinter]), then unit tests,
## doctests, double-entry check, drift, book build, and nbval over the executed notebooks.
test: $(STAMP)
	$(BIN)/lint-imports && $(BIN)/python -m pytest -n auto --dist loadfile --doctest-modules src/helpers tests book/notebooks $(NBVAL)

## The correlation sweep alone, on a finer grid (params.yaml's sweep notebooks, every core).
sweep: $(STAMP)
	$(BIN)/python -m helpers.build.sweep --r 0 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9 --output-dir runs/sweep --results-dir runs/sweep

## Every trial of the corpus file (CORPUS, default data/corpus.txt) built and assessed by Snakemake
## (workflow/Snakefile) on every core: build/trials/<name>/, then build/corpus/ (summary.csv,
## inspect_sr.csv, index.html). Nothing changed: nothing runs. SNAKEFLAGS adds Snakemake options
## (e.g. SNAKEFLAGS="--profile profiles/slurm" on a cluster, or -n for a dry run).
CORPUS ?= data/corpus.txt
corpus: $(STAMP)
	$(BIN)/snakemake --snakefile workflow/Snakefile --cores all --config corpus=$(CORPUS) $(SNAKEFLAGS)
	@echo "The corpus is at $(CURDIR)/build/corpus/index.html"

## Benchmarks (speed targets are met here, never in a timed test).
bench: $(STAMP)
	$(BIN)/python benchmarks/consistency.py
	$(BIN)/python benchmarks/rank_sum.py
	$(BIN)/python benchmarks/build.py

## Re-resolve the whole environment from pyproject.toml's pins into constraints.txt.
lock:
	rm -rf build/lock-venv && $(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	{ echo "# Full resolved environment (pip freeze of a fresh install), used as pip constraints by make."; \
	  echo "# Regenerate with: make lock"; \
	  build/lock-venv/bin/python -m pip freeze --exclude-editable; } > constraints.txt
	rm -rf build/lock-venv

clean:
	rm -rf book/_build build runs
