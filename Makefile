# jixiao — every target does its own set-up on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Debian packages: CJK fonts + HarfBuzz subsetting (PDF), poppler (pdftotext; pdftoppm rasterises
# scans), LibreOffice (an independent PDF producer in the tests), chromium (browser tests), nginx
# (the tested front server example, deploy/nginx.conf), libgl1 (OpenCV of the OCR engine).
# PostgreSQL: .ci/postgres.
DEBS   := fonts-noto-cjk libharfbuzz-subset0 poppler-utils libreoffice-calc-nogui libreoffice-writer-nogui chromium nginx libgl1
# The web system: host and port of `make run`; PostgreSQL for `make test-postgres`.
HOST   ?= 127.0.0.1
PORT   ?= 8000
PG_URL ?= postgres://jixiao:jixiao@127.0.0.1:5432/jixiao

.PHONY: run worker test test-postgres lint format bench setup debs clean

run: setup
	$(BIN)/jixiao web --host $(HOST) --port $(PORT)

# A task worker alone (batch exports and imports), e.g. on another machine with the same
# DATABASE_URL (PostgreSQL) and file storage; `make run` already starts one.
worker: setup
	$(BIN)/jixiao worker

test: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest

# The web tests (Django, and the browser tests) once more on PostgreSQL (.ci/postgres sets it up).
test-postgres: setup
	DATABASE_URL=$(PG_URL) $(BIN)/pytest tests/web

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

bench: setup
	$(BIN)/python benchmarks/run.py

setup: debs $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

debs:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "安装系统软件包:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "缺少系统软件包:$$missing — 请以 root 运行: apt-get install$$missing" >&2; exit 1; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .ruff_cache .mypy_cache .hypothesis
