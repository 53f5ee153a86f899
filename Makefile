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

.PHONY: install run test lint format clean serve query query-lake lake-nights docs browser bench bench-extract eval explain batches release discard status republish rebuild prune companies

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	# Prefect's database, created and migrated once here, not on a newcomer's first run.
	$(PY) -m finnews.prefect_home
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) -m flows.nightly $(if $(INPUT),--input-dir $(INPUT)) $(if $(WAREHOUSE),--warehouse-dir $(WAREHOUSE))

# Nightly deployment (cron 02:00 Europe/Berlin unless CRON/TZ say otherwise) with a local
# Prefect server on 127.0.0.1:4200; Ctrl-C stops both.
CRON ?= 0 2 * * *
TZ_NAME ?= Europe/Berlin
serve: install
	$(PY) -m flows.deploy --with-server --cron "$(CRON)" --timezone "$(TZ_NAME)" \
		$(if $(INPUT),--input-dir $(INPUT)) $(if $(WAREHOUSE),--warehouse-dir $(WAREHOUSE))

# The analysts' way in: the DuckDB CLI, read-only, on the published file.
query: install
	$(VENV)/bin/duckdb -readonly $(or $(WAREHOUSE),warehouse)/published.duckdb

# The same on the DuckLake publish target (FINNEWS_LAKE_CATALOG), read-only; VERSION=n
# attaches the lake as of that night (`make lake-nights` lists them).
query-lake: install
	$(VENV)/bin/duckdb -cmd "$$($(PY) -m finnews.lake attach-sql $(if $(WAREHOUSE),--warehouse-dir $(WAREHOUSE)) $(if $(VERSION),--version $(VERSION)))"

lake-nights: install
	$(PY) -m finnews.lake nights $(if $(WAREHOUSE),--warehouse-dir $(WAREHOUSE))

# dbt docs + Great Expectations data docs + the latest run report, in build/docs/.
docs: install
	$(PY) -m finnews.docs $(if $(WAREHOUSE),--warehouse-dir $(WAREHOUSE))

# Debian packages the tests use (needs root): headless Chromium for the docs/report
# rendering tests, faketime for the run with its clock set back, PostgreSQL for the DuckLake
# with a PostgreSQL catalog (a throw-away loopback server, src/finnews/pg_local.py).
browser:
	@command -v chromium >/dev/null 2>&1 && command -v faketime >/dev/null 2>&1 \
		&& { command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium faketime postgresql; }

# Benchmarks on synthetic corpora in /tmp/finnews-bench (BENCH_ARGS=--full adds 1M articles).
BENCH_ARGS ?=
bench: install
	FINNEWS_MEMORY_LIMIT=$${FINNEWS_MEMORY_LIMIT:-6GB} timeout 7200 $(PY) -m bench.run $(BENCH_ARGS)

# The vectorized extraction against the reference rule engine, one sitting, both cores:
# synthetic articles and ../shared/corpus/ repeated to 50 MB (docs/benchmarks.md).
bench-extract: install
	timeout 3600 $(PY) -m bench.extract $(BENCH_ARGS)

# The company universe (docs/companies.md): rebuild dbt_project/seeds/companies.csv from the
# pytickersymbols index constituents, the curated list and the alias rules in src/finnews/data/.
companies: install
	$(PY) -m finnews.universe

# Precision / recall / F1 of the extraction on the labelled sets in evaluation/.
# BY_RULE=1 (or EVAL_ARGS=--by-rule): also the precision of each metric, event and entity rule.
BY_RULE ?=
eval: install
	$(PY) -m finnews.evaluate $(if $(BY_RULE),--by-rule) $(EVAL_ARGS)

# One article as a static HTML page, every extracted span highlighted (build/explain/):
# FILE=path/to/article.txt, or ARTICLE=<article_id> from the warehouse (WAREHOUSE= to change).
explain: install
	@test -n "$(FILE)$(ARTICLE)" || { echo "usage: make explain FILE=path/to/article.txt (or ARTICLE=<article_id> [WAREHOUSE=dir])"; exit 2; }
	$(PY) -m finnews.explain $(if $(FILE),$(FILE),--article-id $(ARTICLE) $(if $(WAREHOUSE),--warehouse-dir $(WAREHOUSE)))

# Both cores: two workers, each taking whole test files (module fixtures stay on one worker).
test: install
	$(PY) -m pytest -n 2 --dist loadfile

lint: install
	$(PY) -m ruff check src flows expectations tests scripts bench
	$(PY) -m ruff format --check src flows expectations tests scripts bench

format: install
	$(PY) -m ruff check --fix src flows expectations tests scripts bench
	$(PY) -m ruff format src flows expectations tests scripts bench

clean:
	rm -rf warehouse .pytest_cache .ruff_cache dbt_project/target dbt_project/logs

# Operator commands (docs/operations.md): what holds the warehouse and how the last runs went;
# republish a corrupt or missing published.duckdb from work.duckdb; rebuild a damaged
# work.duckdb from the input folder; prune old run folders ([retention] keep_runs).
status: install
	$(PY) -m finnews.ops status $(if $(WAREHOUSE),--warehouse-dir $(WAREHOUSE))

republish: install
	$(PY) -m finnews.ops republish $(if $(WAREHOUSE),--warehouse-dir $(WAREHOUSE))

rebuild: install
	$(PY) -m finnews.ops rebuild $(if $(INPUT),--input-dir $(INPUT)) $(if $(WAREHOUSE),--warehouse-dir $(WAREHOUSE))

prune: install
	$(PY) -m finnews.ops prune $(if $(WAREHOUSE),--warehouse-dir $(WAREHOUSE))

# Held batches (docs/operations.md): list them, publish one, or drop one for good.
batches: install
	$(PY) -m finnews.ops batches $(if $(WAREHOUSE),--warehouse-dir $(WAREHOUSE))

release: install
	@test -n "$(BATCH)" || { echo "usage: make release BATCH=<batch id from make batches>"; exit 2; }
	$(PY) -m finnews.ops release --batch $(BATCH) $(if $(WAREHOUSE),--warehouse-dir $(WAREHOUSE))

discard: install
	@test -n "$(BATCH)" || { echo "usage: make discard BATCH=<batch id from make batches>"; exit 2; }
	$(PY) -m finnews.ops discard --batch $(BATCH) $(if $(WAREHOUSE),--warehouse-dir $(WAREHOUSE))
