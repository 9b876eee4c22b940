# ShopAssist — `make run` serves the demo, `make test` runs lint and every test.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_WORKERS ?= auto

.PHONY: run test lint install messages migrate demo serve bench bench-http bench-lac bench-audit clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

messages: install
	$(PY) manage.py compilemessages --ignore '.venv' -v0

migrate: install
	$(PY) manage.py migrate --no-input -v0

demo: migrate
	$(PY) manage.py load_demo

run: messages demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: lint messages
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# gunicorn on this machine: two workers with REDIS_URL; one without it, because local memory
# (configuration and page cache versions) is per process (docs/deploy.md).
serve: messages migrate
	$(PY) manage.py collectstatic --no-input -v0
	$(VENV)/bin/gunicorn shopassist.wsgi -b 127.0.0.1:$(PORT) -w $(if $(REDIS_URL),2,1)

# gunicorn (production settings) driven by wrk (apt-get install wrk) on loopback, on PostgreSQL +
# Redis (database "shopassist_httpbench", Redis DB 3, key prefix "httpbench") and on SQLite +
# local memory; one table. Options: BENCH_HTTP_ARGS="--config sqlite --duration 20 ...".
bench-http: messages
	$(PY) benchmarks/bench_http.py $(BENCH_HTTP_ARGS)

bench-lac: install
	$(PY) benchmarks/bench_login_as_customer.py

# Needs PostgreSQL (BENCH_DATABASE_URL, default a database "shopassist_bench" on 127.0.0.1):
# fills it once with 1,000,000 sessions and 10,000,000 action log entries.
bench-audit: install
	$(PY) benchmarks/bench_audit.py

bench: bench-http bench-lac bench-audit

clean:
	rm -rf var staticfiles
