# Mission Safety — everything a developer or operator runs.
#   make demo   install, prepare the embedded SQLite database with demo data, serve
#   make test   run the whole test suite (SQLite; set DATABASE_URL for PostgreSQL)
#   make fuzz   schema fuzzing of the API (schemathesis, bounded)
#   make bench  benchmark at scale 0.1 on SQLite and PostgreSQL (BENCH_ARGS="--scale 1")
#   make replica  two servers on a PostgreSQL primary with a streaming replica (CI)
UV := $(shell sh scripts/ensure-uv.sh)
PORT ?= 8000
# Test processes for "make test" (pytest-xdist): one per core; WORKERS=0 runs in one.
WORKERS ?= auto
APPS := core organisations deployments risks occurrences feedback lessons evaluations audit reports field

.PHONY: demo test install lint typecheck format messages bench worker browser fuzz field replica

install:
	$(UV) sync --frozen

demo: install
	$(UV) run missionsafety demo --port $(PORT)

test: install
	$(UV) run pytest -n $(WORKERS) $(PYTEST_ARGS)

# lint-imports checks the walls between the apps (contracts in pyproject.toml,
# explained in docs/architecture.md).
lint: install
	$(UV) run ruff format --check src tests benchmarks conftest.py
	$(UV) run ruff check src tests benchmarks conftest.py
	$(UV) run lint-imports

# mypy with django-stubs over src (kept out of "lint" so a type error in one app
# does not hide style problems; CI runs both).
typecheck: install
	$(UV) run mypy src

# Only the browser tests (Chromium at /usr/bin/chromium, driven by Playwright).
browser: install
	$(UV) run pytest -m browser $(PYTEST_ARGS)

format: install
	$(UV) run ruff format src tests benchmarks conftest.py
	$(UV) run ruff check --fix src tests benchmarks conftest.py

# Schemathesis against /api/v1/openapi.json as two roles, bounded (a few
# minutes); left out of "make test", run by CI as its own step.
fuzz: install
	$(UV) run pytest -m fuzz $(PYTEST_ARGS)

# Extract and compile translations, one catalogue per app that has a locale/ folder
# (Dutch; English is the source). Start an app's catalogue with mkdir locale.
messages: install
	@for app in $(APPS); do \
	  [ -d src/missionsafety/$$app/locale ] || continue; \
	  (cd src/missionsafety/$$app && ../../../.venv/bin/django-admin makemessages -l nl -l en --no-obsolete --no-location --settings=missionsafety.test_settings --pythonpath=../.. >/dev/null) || exit 1; \
	done
	@# The project package's own texts (navigation, commands), apps left out.
	cd src/missionsafety && ../../.venv/bin/django-admin makemessages -l nl -l en --no-obsolete --no-location $(foreach app,$(APPS),--ignore=$(app)) --ignore=perf --settings=missionsafety.test_settings --pythonpath=.. >/dev/null
	cd src/missionsafety && ../../.venv/bin/django-admin compilemessages --settings=missionsafety.test_settings --pythonpath=.. >/dev/null

# A field instance from a package made at home (see docs/field-instance.md):
#   make field PACKAGE=efp-r12.msf [FIELD_DIR=field-data PORT=8000]
FIELD_DIR ?= field-data
field: install
	@test -n "$(PACKAGE)" || (echo "usage: make field PACKAGE=FILE" && exit 1)
	MISSIONSAFETY_DATA_DIR=$(FIELD_DIR) $(UV) run missionsafety field init $(PACKAGE)
	MISSIONSAFETY_DATA_DIR=$(FIELD_DIR) $(UV) run missionsafety collectstatic --noinput -v0
	@# The task worker beside the server (who is told of a change), stopped with it.
	MISSIONSAFETY_DATA_DIR=$(FIELD_DIR) $(UV) run missionsafety worker --interval 5 & worker=$$!; \
	trap 'kill $$worker' EXIT INT TERM; \
	MISSIONSAFETY_DATA_DIR=$(FIELD_DIR) $(UV) run gunicorn missionsafety.wsgi --workers 2 --bind 127.0.0.1:$(PORT)

worker: install
	$(UV) run missionsafety worker

bench: install
	$(UV) run missionsafety bench $(BENCH_ARGS)

# Two application servers on a PostgreSQL primary with a streaming replica
# (started by the test on ports 55440-55449); a minute or two. CI runs it.
replica: install
	$(UV) run pytest -m replica $(PYTEST_ARGS)
