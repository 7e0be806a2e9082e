# Two entry points for a fresh machine (see README):
#   make run   - set up and run the simulator on embedded defaults (SQLite, scripted voice, offline scorer)
#   make test  - set up (incl. Debian chromium + PostgreSQL) and run the whole test suite
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup setup-dev system-deps run test test-fast lint bench train-scorer container-check clean vendor

$(VENV)/.runtime: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e .
	touch $@

$(VENV)/.dev: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	touch $(VENV)/.runtime $@

setup: $(VENV)/.runtime

setup-dev: $(VENV)/.dev

system-deps:
	bash .ci/system-deps

run: setup
	$(VENV)/bin/sim serve --host $(HOST) --port $(PORT) --seed-demo

test: setup-dev system-deps
	bash .ci/test

test-fast: setup-dev
	$(VENV)/bin/pytest -q -m "not e2e and not postgres"

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

bench: setup-dev
	$(PY) -m bench.run_all

# Rebuilds scoring/model/ from the labelled data (PyTorch CPU in its own venv; ~1 hour on 2 cores)
TRAIN_VENV ?= .venv-train
$(TRAIN_VENV)/.train: pyproject.toml
	$(PYTHON) -m venv $(TRAIN_VENV)
	$(TRAIN_VENV)/bin/pip install -q --upgrade pip
	$(TRAIN_VENV)/bin/pip install -q -e '.[dev,train]'
	touch $@

train-scorer: $(TRAIN_VENV)/.train
	$(TRAIN_VENV)/bin/python -m scoring.training.build

# Builds the Dockerfile and checks the image (needs root and docker or podman; see docs/DEPLOY.md)
container-check:
	.ci/container-check

clean:
	rm -rf $(VENV) $(TRAIN_VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts

# Re-fetches the persona studio's vendored editor (CodeMirror 6) and YAML library from npm at
# the versions pinned in frontend/vendor/fetch.sh (the result is committed; needs node + npm)
vendor:
	bash frontend/vendor/fetch.sh
