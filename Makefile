# Every target sets up what it needs: a fresh machine needs only python3 (3.11+)
# and make. See README.md for what each command is for.
SHELL  := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
A      ?= ch01_neuron
# OpenMP threads (torch's) sleep when they wait instead of spinning: on a
# busy machine (the test suite's two workers beside a book build) spinning
# threads steal the cores the work needs. Same numbers, measured: a 2-thread
# torch loop beside other jobs took 39-102 s spinning, 1.7-7.4 s passive.
export OMP_WAIT_POLICY ?= PASSIVE
SUBMISSIONS ?= autograder/submitted

.PHONY: help setup book book-clean test lab check release grade export feedback bench clean

help:
	@grep -E '^## ' Makefile | sed 's/^## //'

$(STAMP): requirements.txt constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements.txt -c constraints.txt 2>&1 | { grep -v "is ignored: it is neither" || true; }
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	touch $@

## make setup            create/refresh .venv, system packages, offline data
setup: $(STAMP)
	@bash scripts/setup-system.sh
	@$(BIN)/python -m nncourse.setup_assets

## make book             build the whole book (executes every notebook) -> _build/html/index.html
book: setup
	$(BIN)/jupyter-book build . --warningiserror --keep-going
	@echo "Book built: $(CURDIR)/_build/html/index.html"

## make test             run the whole test suite
test: setup
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q --durations=15

## make lab              (students) JupyterLab with the nbgrader extension
lab: setup
	$(BIN)/jupyter lab exercises/

## make check NB=...     (students) self-check one exercise notebook; exit 0 = all visible checks pass
check: setup
	$(BIN)/nncourse check $(NB)

## make release          (instructors) regenerate exercises/ from solutions/
release: setup
	$(BIN)/nncourse release --all

## make grade A=... SUBMISSIONS=dir   (instructors) grade dir/<student>/<A>/<A>.ipynb
##                    [CLUSTER=tls://host:port]  on a Dask cluster (book/instructors.md)
grade: setup
	$(BIN)/nncourse grade $(A) --submissions $(SUBMISSIONS)$(if $(CLUSTER), --cluster $(CLUSTER))

## make export           (instructors) grades of every assignment -> autograder/grades.csv
export: setup
	$(BIN)/nncourse export --to autograder/grades.csv

## make feedback A=...   (instructors) HTML feedback -> autograder/feedback/
feedback: setup
	$(BIN)/nncourse feedback $(A)

## make bench            (maintainers) grading benchmark
bench: setup
	$(BIN)/python benchmarks/grade_class.py

clean:
	rm -rf _build
