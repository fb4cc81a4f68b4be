# Capaciteitsmonitor huisartsenzorg — the two commands: `make up` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
VENV := .venv
SUPERSET_VENV := .venv-superset
LINT_DB := $(CURDIR)/.lint/build.duckdb

.PHONY: up test setup chromium lint pytest clean

## make up: install both environments, build everything, serve Superset and Dagster
up: setup
	$(VENV)/bin/capmon up

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
	CAPMON_BUILD_DB=$(LINT_DB) $(VENV)/bin/sqlfluff lint dbt_project/models dbt_project/tests

pytest: setup
	$(VENV)/bin/pytest

clean:
	rm -rf data/warehouse data/dagster_home data/superset .lint dbt_project/target
