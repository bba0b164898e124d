# The two commands of README.md: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The tests use the machine's PostgreSQL and Redis unless told otherwise.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/commissioners
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# The suite runs on as many workers as the machine has cores (pytest-xdist), each on its own test database.
PYTEST_WORKERS ?= auto

.PHONY: install run setup test lint check-deploy check-upgrade clean

install: $(STAMP)

# Chart.js and any other front-end library: exactly the versions of package-lock.json, from the npm registry.
$(STAMP): requirements.txt requirements-dev.txt package.json package-lock.json
	command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: set PYTHON=..."; exit 1; }
	command -v npm >/dev/null || { echo "npm not found: install Node.js and npm"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	npm ci --no-audit --no-fund
	touch $(STAMP)

# The demo's database and broker: the machine's PostgreSQL and Redis when they answer, else SQLite and
# files under var/ (bin/demo-env); DATABASE_URL and REDIS_URL set by the caller win.
DEMO_ENV = env $$(bin/demo-env)

setup: $(STAMP)
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo

## make run: install, migrate, load demo data, then web + worker + beat on http://127.0.0.1:8000/api/docs/
run: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(DEMO_ENV) $(BIN)/honcho start

## make test: the whole suite on a real PostgreSQL and Redis (started here if installed but down),
## and a streaming replica (bin/start-replica) for the replica tests where one can be started
test: $(STAMP)
	bin/ensure-services
	replica="$${TEST_DATABASE_REPLICA_URL:-$$(bin/start-replica || true)}"; \
	[ -n "$$replica" ] || echo "make test: no replica could be started: the replica tests will not run"; \
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DATABASE_REPLICA_URL="$$replica" \
	  $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

check-deploy: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))') \
	DJANGO_ALLOWED_HOSTS=commissioners.example.org \
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

## make check-upgrade: a database migrated and seeded by an earlier commit keeps every row at the head
check-upgrade: $(STAMP)
	bin/ensure-services
	TEST_REDIS_URL=$(TEST_REDIS_URL) bin/check-upgrade $(UPGRADE_FROM)

clean:
	rm -rf $(VENV) var staticfiles
