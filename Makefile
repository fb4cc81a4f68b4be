# Capaciteitsmonitor huisartsenzorg — the two commands: `make up` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
VENV := .venv
SUPERSET_VENV := .venv-superset
LINT_DB := $(CURDIR)/.lint/build.duckdb

.PHONY: up sources test setup chromium lint pytest clean

## make up: install both environments, build everything, serve Superset and Dagster
# Superset's environment is first needed when Superset is provisioned, after the pipeline:
# it installs while the sample sources are written (-j2), about 25 s of a first `make up`.
up:
	@$(MAKE) --no-print-directory -j2 $(SUPERSET_VENV)/.installed sources
	$(VENV)/bin/capmon up

sources: $(VENV)/.installed
	$(VENV)/bin/capmon generate --if-empty

## make test: lint (ruff, sqlfluff) and the whole pytest suite
test: setup chromium lint pytest

setup: $(VENV)/.installed $(SUPERSET_VENV)/.installed

# The browser tests drive Debian's Chromium (/usr/bin/chromium) through Playwright; Playwright's
# own browser downloads are not used. Installed only when missing (sudo when not root).
chromium:
	@dpkg -s chromium chromium-driver >/dev/null 2>&1 || { \
		sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo"; \
		echo "Chromium installeren (apt-get) ..."; \
		log=$$($$sudo apt-get update -qq 2>&1 && $$sudo env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq chromium chromium-driver 2>&1) || { echo "$$log" >&2; exit 1; }; }

.uv-installed:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	@touch $@

# --compile-bytecode: where PYTHONDONTWRITEBYTECODE is set (as on our CI machines) Python
# never caches what it compiles, and every run, dbt call and Superset worker would compile
# its imports again: seconds each (docs/operations.md, "Where a run's time goes").
$(VENV)/.installed: .uv-installed pyproject.toml uv.lock
	$(UV) sync --frozen --quiet --compile-bytecode
	@touch $@

$(SUPERSET_VENV)/.installed: .uv-installed superset/requirements.txt
	$(UV) venv --quiet --allow-existing --python 3.11 $(SUPERSET_VENV)
	$(UV) pip install --quiet --compile-bytecode --python $(SUPERSET_VENV)/bin/python -r superset/requirements.txt
	@touch $@

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check orchestration expectations tests bench superset
	$(VENV)/bin/ruff format --check orchestration expectations tests bench superset
	@mkdir -p .lint
	@# A target of its own: the templater's parse (another profile) must not replace the
	@# project's, which every data folder's first run starts from (orchestration/bin/dbt).
	CAPMON_BUILD_DB=$(LINT_DB) DBT_TARGET_PATH=$(CURDIR)/.lint/target \
		$(VENV)/bin/sqlfluff lint dbt_project/models dbt_project/tests

pytest: setup
	$(VENV)/bin/pytest

clean:
	rm -rf data/warehouse data/dagster_home data/superset .lint dbt_project/target
