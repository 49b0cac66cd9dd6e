# Two commands on a fresh machine:  make demo  (service with demo data)  and  make test.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8000
TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: demo serve test test-sqlite test-postgres postgres-up browser-deps lint bench vocabulary clean

CORE   := $(VENV)/.installed-core

$(CORE): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $(CORE)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $(CORE)

demo: $(CORE)
	$(VENV)/bin/ipsmatch serve --demo --port $(PORT)

serve: $(CORE)
	$(VENV)/bin/ipsmatch serve --port $(PORT)

browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) >/dev/null; }

test-sqlite: $(STAMP)
	$(VENV)/bin/pytest -q

postgres-up:
	@pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null || { \
	  echo "starting PostgreSQL"; \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
	  for i in $$(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done; }
	@psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='test'" | grep -q 1 \
	  || createdb -h 127.0.0.1 -U postgres test

test-postgres: $(STAMP) postgres-up
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(VENV)/bin/pytest -q

test: $(STAMP) browser-deps lint test-sqlite test-postgres

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: $(STAMP)
	@for b in bench/*.py; do case $$b in */__init__.py|*/common.py) continue;; esac; \
	  echo "== $$b"; $(PY) -m bench.$$(basename $$b .py) || exit 1; done

# Rebuild the compact data files shipped in matching/data from ../shared/data.
vocabulary: $(STAMP)
	$(PY) scripts/build_occupation_vocabulary.py
	$(PY) scripts/build_places.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache ipsmatch.db
