# finnews-warehouse: `make run` builds the warehouse from seeds/, `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
INPUT ?=
WAREHOUSE ?=

# Offline-friendly defaults: no telemetry from Prefect, dbt or Great Expectations.
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export DBT_SEND_ANONYMOUS_USAGE_STATS ?= false
export GX_ANALYTICS_ENABLED ?= false

.PHONY: install run test lint format clean

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) -m flows.nightly $(if $(INPUT),--input-dir $(INPUT)) $(if $(WAREHOUSE),--warehouse-dir $(WAREHOUSE))

test: install
	$(PY) -m pytest

lint: install
	$(PY) -m ruff check src flows expectations tests
	$(PY) -m ruff format --check src flows expectations tests

format: install
	$(PY) -m ruff check --fix src flows expectations tests
	$(PY) -m ruff format src flows expectations tests

clean:
	rm -rf warehouse .pytest_cache .ruff_cache dbt_project/target dbt_project/logs
