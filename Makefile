# ShopAssist — `make run` serves the demo, `make test` runs lint and every test.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEBUG ?= 0
PYTEST_WORKERS ?= auto
# axe-core for the browser tests (tests/browser/axe.py), from npm at the version pinned in
# tests/browser/package-lock.json; node_modules is not committed.
BROWSER_ASSETS := tests/browser/node_modules/.package-lock.json
# Login as Customer's distribution, and the django-oscar shop that installs its wheel.
PACKAGE := packages/django-login-as-customer
PACKAGE_SRC := $(PACKAGE)/src
OSCAR_VENV ?= var/oscar-venv
OSCAR_PORT ?= 8001
WHEEL_DIR := var/dist

.PHONY: run test test-oscar oscar-run oscar-wheel catalogues browser-assets screenshots i18n-check test-faults test-minimal lint install messages migrate demo serve bench bench-http bench-lac bench-audit bench-dashboard bench-peer bench-peer-instructions clean

$(VENV)/.installed: pyproject.toml packages/django-login-as-customer/pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e packages/django-login-as-customer
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

messages: install
	$(PY) manage.py compilemessages --ignore '.venv' --ignore var -v0

migrate: install
	$(PY) manage.py migrate --no-input -v0

demo: migrate
	$(PY) manage.py load_demo

# The demo as a shop shows it: DEBUG off, so a missing or failing page is the storefront's own
# 404/500 page, not Django's debug page (DEBUG=1 make run for those).
run: messages demo
	DEBUG=$(DEBUG) $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# The i18n gate (tests/i18n): regenerating the catalogues changes nothing, every msgid is
# translated (none fuzzy) in fr, ko and zh_Hant, and the storefront and Login as Customer pages
# rendered in those languages show no English outside names and product data. Run before the
# suite, which then leaves tests/i18n out.
i18n-check: messages
	$(VENV)/bin/pytest -p no:xdist -q tests/i18n

test: lint messages browser-assets i18n-check
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --ignore=tests/i18n $(PYTEST_ARGS)
	$(VENV)/bin/pytest -p no:xdist -q --ds=tests_minimal.settings tests_minimal
	$(MAKE) test-oscar

# Regenerate the translation catalogues: ShopAssist's (shopassist/locale) and Login as
# Customer's own, shipped in its wheel (run in the package, with the minimal project's settings).
catalogues: install
	$(PY) manage.py makemessages -l fr -l ko -l zh_Hant --no-obsolete --no-location \
		--ignore .venv --ignore tests --ignore benchmarks --ignore var --ignore packages \
		--ignore examples
	cd $(PACKAGE_SRC)/login_as_customer && PYTHONPATH=$(CURDIR) $(CURDIR)/$(VENV)/bin/django-admin \
		makemessages --settings=tests_minimal.settings -l fr -l ko -l zh_Hant --no-obsolete \
		--no-location

# Login as Customer on a minimal Django project with neither ShopAssist nor Oscar (its default
# host: Django's users, sites, its own journal), on SQLite in memory whatever DATABASE_URL says.
test-minimal: install messages
	$(VENV)/bin/pytest -p no:xdist -q --ds=tests_minimal.settings tests_minimal

# The stock django-oscar shop (examples/oscar_shop) in a virtualenv of its own with django-oscar
# from PyPI and Login as Customer from its wheel: `python -m build` makes the wheel (with the
# compiled catalogues), installed, not editable, so the tests see exactly what PyPI would ship.
$(OSCAR_VENV)/.installed: examples/oscar_shop/requirements.txt
	test -x $(OSCAR_VENV)/bin/python || python3 -m venv $(OSCAR_VENV)
	$(OSCAR_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(OSCAR_VENV)/bin/python -m pip install --quiet -r examples/oscar_shop/requirements.txt
	touch $@

oscar-wheel: messages $(OSCAR_VENV)/.installed
	rm -rf $(WHEEL_DIR) $(PACKAGE)/build
	$(PY) -m build --wheel --outdir $(WHEEL_DIR) $(PACKAGE) >/dev/null
	rm -rf $(PACKAGE)/build
	$(OSCAR_VENV)/bin/python -m pip install --quiet --force-reinstall --no-deps $(WHEEL_DIR)/*.whl

# The Oscar host's tests (test client and Chromium), on SQLite, or on DATABASE_URL's server in a
# database of its own (oscar_shop).
test-oscar: oscar-wheel
	cd examples/oscar_shop && ../../$(OSCAR_VENV)/bin/pytest -q $(OSCAR_PYTEST_ARGS)

# The Oscar shop with its demo data on SQLite: support / demo-support, customers / demo-customer.
oscar-run: oscar-wheel
	cd examples/oscar_shop && ../../$(OSCAR_VENV)/bin/python manage.py migrate --no-input -v0 \
		&& ../../$(OSCAR_VENV)/bin/python manage.py load_oscar_demo --domain 127.0.0.1:$(OSCAR_PORT) \
		&& ../../$(OSCAR_VENV)/bin/python manage.py runserver --insecure 127.0.0.1:$(OSCAR_PORT)

$(BROWSER_ASSETS): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	touch $@

browser-assets: $(BROWSER_ASSETS)

# The README's screenshots of the guide's steps (docs/images/lac-*.png, English), saved by the
# browser test that walks them (tests/browser/test_accessibility.py) when SCREENSHOTS_DIR is set.
screenshots: messages browser-assets
	SCREENSHOTS_DIR=docs/images $(VENV)/bin/pytest -p no:xdist -q \
		tests/browser/test_accessibility.py::test_the_guide_pages_have_no_serious_axe_violations \
		tests/browser/test_notice.py tests/browser/test_view_only.py \
		tests/browser/test_assistance_code.py tests/browser/test_dashboard.py

# Faults on servers of its own (tests/faults, about 3 minutes): a PostgreSQL cluster (initdb of
# /usr/lib/postgresql/15/bin in a temporary directory), redis-server and gunicorn (production
# settings) on free loopback ports, stopped, restarted and killed; never the shared 5432/6379.
# At most 15 minutes: on SIGTERM the run stops its servers and removes its directory.
test-faults: messages
	env -u DATABASE_URL -u REDIS_URL -u PAGE_CACHE_REDIS_URL SHOPASSIST_FAULT_TESTS=1 \
		timeout 900 $(VENV)/bin/pytest -p no:xdist -v --timeout=600 tests/faults $(PYTEST_ARGS)

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

# Customers › Login as Customer › Dashboard on bench-audit's database (filled once if needed):
# p50/p95 against the Log's first page in the same run; target p95 <= 200 ms over 30 days.
bench-dashboard: install
	$(PY) benchmarks/bench_dashboard.py

# django-hijack, the peer, in a throw-away virtualenv (var/bench/peer-venv) from PyPI, measured
# with the same method and page weight as our assisted request, in the same run.
bench-peer: install
	$(PY) benchmarks/bench_peer.py

# The same two workers under valgrind's callgrind: instructions per request instead of time
# (about eight minutes; printed only, not part of make bench).
bench-peer-instructions: install
	$(PY) benchmarks/bench_peer_instructions.py

# Every benchmark, then one PASS/FAIL table of all their targets (benchmarks/targets.py; exits 1
# when a target failed or a benchmark recorded nothing).
bench: install
	$(PY) benchmarks/targets.py --clear
	-$(MAKE) bench-http
	-$(MAKE) bench-lac
	-$(MAKE) bench-audit
	-$(MAKE) bench-dashboard
	-$(MAKE) bench-peer
	$(PY) benchmarks/targets.py

clean:
	rm -rf var staticfiles
