# Karvan — the two commands are `make run` and `make test`; everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FLASK := $(VENV)/bin/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: icu-deps run test lint test-solver install install-dev system-deps bench-deps translations translations-update db demo worker bench bench-web bench-quick clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed: requirements.txt $(VENV)/bin/activate | icu-deps
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PIP) install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Debian packages: ICU's headers and pkg-config to build PyICU (search folding and collation),
## chromium for Playwright, Persian-capable fonts and pdftotext for PDF tests. Installed only when
## missing, so a prepared machine skips apt. `install` needs the first two, so it depends on icu-deps.
icu-deps:
	@if ! pkg-config --exists icu-i18n 2>/dev/null; then \
	  echo "Installing Debian packages: libicu-dev pkg-config"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libicu-dev pkg-config; \
	fi

system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	[ -d /usr/share/fonts/truetype/noto ] || missing="$$missing fonts-noto-core"; \
	[ -d /usr/share/fonts/truetype/farsiweb ] || missing="$$missing fonts-farsiweb"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

## Debian's wrk, the load generator of `bench/web_bench.py --load`; only the benchmarks need it.
bench-deps:
	@if ! command -v wrk >/dev/null 2>&1; then \
	  echo "Installing Debian packages: wrk"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
	fi

translations: $(VENV)/.installed
	@for dir in planner/translations/*/; do \
	  if ls $$dir*/LC_MESSAGES/messages.po >/dev/null 2>&1; then $(VENV)/bin/pybabel -q compile -d $$dir || exit 1; fi; \
	done

## Re-extract one catalogue's messages and merge them into its fa, ru and en files:
##   make translations-update DOMAIN=core   (then translate the new empty entries)
DOMAIN ?= core
translations-update: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F planner/translations/$(DOMAIN)/babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 --ignore-dirs=".* .venv" \
	  -o planner/translations/$(DOMAIN)/messages.pot --no-location --sort-output --omit-header .
	@for lang in fa ru en; do \
	  if [ -f planner/translations/$(DOMAIN)/$$lang/LC_MESSAGES/messages.po ]; then \
	    $(VENV)/bin/pybabel update -i planner/translations/$(DOMAIN)/messages.pot -d planner/translations/$(DOMAIN) -l $$lang --no-fuzzy-matching --ignore-obsolete; \
	  else \
	    $(VENV)/bin/pybabel init -i planner/translations/$(DOMAIN)/messages.pot -d planner/translations/$(DOMAIN) -l $$lang; \
	  fi; \
	done

db: $(VENV)/.installed translations
	mkdir -p instance
	$(FLASK) db upgrade

demo: db
	$(FLASK) seed-demo

run: demo
	$(FLASK) run --host $(HOST) --port $(PORT)

worker: $(VENV)/.installed
	$(FLASK) worker

## ruff (pyflakes, pycodestyle, import order) and import-linter's architecture contracts (.importlinter).
lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	PYTHONPATH=. $(VENV)/bin/lint-imports

test: lint system-deps translations
	$(PY) -m pytest -q

bench: $(VENV)/.installed-dev bench-web
	$(PY) bench/solver_bench.py
	$(PY) bench/matching_bench.py
	$(PY) bench/scheduling_bench.py

## Pages at 250 and 1,000 firms (databases kept in instance/web-bench: the first run builds them
## for minutes, later runs reuse them), then req/s under wrk against hello-world on gunicorn.
bench-web: $(VENV)/.installed-dev translations bench-deps
	$(PY) bench/web_bench.py --firms 250,1000 --load --data instance/web-bench

test-solver: $(VENV)/.installed-dev
	$(PY) -m pytest -q tests/solver

bench-quick: $(VENV)/.installed-dev
	$(PY) bench/solver_bench.py --sizes S,M --time-limit 10

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
