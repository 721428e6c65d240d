# Liaison: `make run` (demo on SQLite) and `make test` (lint, types, tests).
SHELL := /bin/bash
# Django 6 needs Python 3.12 or later: take the first such interpreter, on PATH or
# installed by pyenv (whose shims answer only for the versions it has enabled).
PYTHON ?= $(shell for p in python3.12 $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3) \
	python3.13 $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3) python3.14 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
LIAISON := $(BIN)/liaison
PORT ?= 8000
# The demo runs on plain HTTP on this machine only, with its static files uncompressed
# (compressing the API docs' scripts takes minutes); production keeps both.
RUN_ENV := LIAISON_HTTPS=0 LIAISON_STATIC_COMPRESS=0
# Static files are collected again only when one of them (or the installed packages) changed.
DATA_DIR := $(or $(LIAISON_DATA_DIR),data)
STATIC_STAMP := $(DATA_DIR)/static/.collected
STATIC_SOURCES := $(shell find liaison -path '*/static/*' -type f 2>/dev/null)

.PHONY: run test lint typecheck pytest install install-dev messages catalogues demo clean bench bench-intake \
	bench-growth

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Liaison needs Python 3.12 or later (Django 6): none found on PATH." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed messages
install-dev: $(VENV)/.installed-dev messages

# French and English catalogues, compiled from the .po files kept in git (again only
# when a .po changed).
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard liaison/locale/*/LC_MESSAGES/django.po))
messages: $(CATALOGUES)
%.mo: %.po | $(VENV)/.installed
	@cd liaison && ../$(LIAISON) compilemessages --ignore "*/site-packages/*" -v0

# After adding or changing user-facing strings: refresh both catalogues, then translate
# the new French entries (tests/test_i18n.py fails on any left empty or fuzzy).
catalogues: $(VENV)/.installed
	cd liaison && ../$(LIAISON) makemessages -l fr -l en --no-location --no-obsolete \
		--ignore "*/tests/*" --ignore "*/migrations/*" --ignore "*/site-packages/*"

demo: install
	$(RUN_ENV) $(LIAISON) migrate --no-input -v1
	$(RUN_ENV) PORT=$(PORT) $(LIAISON) demo

$(STATIC_STAMP): $(STATIC_SOURCES) $(VENV)/.installed
	@echo "Collecting static files into $(DATA_DIR)/static/ (only when they changed)"
	$(RUN_ENV) $(LIAISON) collectstatic --no-input -v0
	@touch $@

# `liaison serve` is runserver saying "Liaison is ready on ..." once it accepts connections.
run: demo $(STATIC_STAMP)
	$(RUN_ENV) $(LIAISON) serve 127.0.0.1:$(PORT)

lint: install-dev
	$(BIN)/ruff check liaison tests
	$(BIN)/ruff format --check liaison tests

typecheck: install-dev
	$(BIN)/mypy liaison

pytest: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

# Latency of the main pages on synthetic data (bench/pages.py): SCALE=small|medium|large,
# on SQLite in data-bench/ or on DATABASE_URL.
SCALE ?= medium
bench: install bench-intake
	$(BIN)/python bench/pages.py --scale $(SCALE)

# The intake on the real annotated corpus (bench/data/intake_corpus): 5-fold
# cross-validation over all documents, then the fixed test split, each beside spaCy alone.
INTAKE_CORPUS := bench/data/intake_corpus
bench-intake: install
	$(LIAISON) intake eval $(INTAKE_CORPUS) --split all --folds 5
	$(LIAISON) intake eval $(INTAKE_CORPUS) --split all --folds 5 --spacy-alone
	$(LIAISON) intake eval $(INTAKE_CORPUS) --split test
	$(LIAISON) intake eval $(INTAKE_CORPUS) --split test --spacy-alone
# How each call's cost grows with the data (bench/growth.py): two synthetic worlds timed
# side by side, small -> medium on SQLite; GROWTH="--quick" for tiny -> small,
# GROWTH="--scales medium large --database-url postgres://..." for PostgreSQL.
GROWTH ?=
bench-growth: install
	$(BIN)/python bench/growth.py $(GROWTH)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
