# Ventanilla: `make run` starts the demo on SQLite; `make test` runs the whole suite.
# DATABASE_URL=postgres://... make test runs the same suite on PostgreSQL.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export VENTANILLA_LOCAL ?= true

.PHONY: run test install install-test migrate demo lint format messages vendor bench-search bench-households clean

$(VENV)/.runtime: pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e .
	@touch $@

$(VENV)/.test: $(VENV)/.runtime
	@$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $@

install: $(VENV)/.runtime
install-test: $(VENV)/.test

migrate: install
	@$(PY) manage.py migrate --no-input -v 0

# The background worker (index recomputation, scores after an assessment) runs for the life
# of the dev server and is stopped with it (Ctrl+C, or the server exiting).
run: migrate
	@$(PY) manage.py seed_demo --if-empty
	@$(PY) manage.py demo_users
	@$(PY) manage.py db_worker --no-reload --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=$${DEBUG:-true} $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install-test
	@$(PY) -m pytest $(PYTEST_ARGS)

lint: install-test
	@$(PY) -m ruff check .
	@$(PY) -m ruff format --check .

format: install-test
	@$(PY) -m ruff format .
	@$(PY) -m ruff check --fix .

# Needs GNU gettext (apt-get install gettext); the compiled .mo files are committed.
messages: install-test
	@$(PY) manage.py makemessages -l es -l en -l pt_BR --no-obsolete --ignore='.venv/*' --ignore='frontend/*' --ignore='bench/*' --ignore='tools/*'
	@$(PY) manage.py compilemessages --ignore='.venv/*'

# Refresh the vendored front-end assets from npm (package.json pins the versions).
vendor:
	@cd frontend && npm ci --no-audit --no-fund
	@cp frontend/node_modules/bootstrap/dist/css/bootstrap.min.css* ventanilla/static/vendor/bootstrap/
	@cp frontend/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js* ventanilla/static/vendor/bootstrap/
	@cp frontend/node_modules/htmx.org/dist/htmx.min.js ventanilla/static/vendor/htmx/
	@# Chart.js 4.6.1 (MIT) for the figures dashboard: the UMD bundle, checked against npm's integrity.
	@cd frontend && npm pack --silent --pack-destination node_modules chart.js@4.6.1 >/dev/null
	@test "$$(openssl dgst -sha512 -binary frontend/node_modules/chart.js-4.6.1.tgz | base64 -w0)" = "hJyniucsFmq//EvXYvJ6c6mahPoI3kaxdjVH8awTaJ/fDNWeSqqqArixMJWkWNN6fcYvPU3HneSANFNYtRi61g=="
	@mkdir -p ventanilla/static/vendor/chart
	@tar -xzf frontend/node_modules/chart.js-4.6.1.tgz -C ventanilla/static/vendor/chart --strip-components=2 package/dist/chart.umd.min.js
	@tar -xzf frontend/node_modules/chart.js-4.6.1.tgz -O package/LICENSE.md > ventanilla/static/vendor/chart/LICENSE.md

bench-search: install-test
	@$(PY) bench/search.py $(BENCH_ARGS)

bench-households: install-test
	@$(PY) bench/households_api.py $(BENCH_ARGS)

# Labor vulnerability index: scores 1M synthetic people (no database), 5 repeats.
.PHONY: bench-ivl
bench-ivl: install
	@$(PY) bench/ivl.py $(BENCH_ARGS)

# Work lists and figures: loads 2M visits, 150k cases, 500k referrals once, then measures.
.PHONY: bench-center
bench-center: install-test
	@$(PY) bench/center.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
