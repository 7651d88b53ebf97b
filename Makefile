# Neighbourhood Budgets: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Every process of `make run` knows the port, so links in emails and letters point at it.
export PORT
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo run-cluster lint format bench clean messages vendor serve

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo

# Migrate, load demo data and serve HTTP and WebSockets (ASGI, daphne) on PORT; cycles
# move to the phase their dates say once a minute (advance_phases), never on a page view;
# demo_voting casts a batch of demo ballots every 45 s so the demo's live results move.
run: install
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo
	trap 'kill 0' INT TERM EXIT; \
	DEBUG=$${DEBUG:-1} $(PY) manage.py advance_phases --every 60 >/dev/null & \
	DEBUG=$${DEBUG:-1} $(PY) manage.py demo_voting --every 45 >/dev/null & \
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest $(PYTEST_ARGS)

# ruff (style and errors), import-linter (the layers contract in pyproject.toml), djlint
# (templates) and stylelint (.stylelintrc.json: no colour outside the design tokens).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/djlint templates --lint
	test -x node_modules/.bin/stylelint || npm ci --no-audit --no-fund
	npx --no-install stylelint "civic/static/civic/*.css" "cms/static/cms/*.css"

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache

# The production shape in one command (deploy/serve.py), under supervisord: nginx on PORT
# routing plain HTTP to gunicorn (WSGI, psycopg pool), WebSockets to two uvicorn (ASGI)
# processes, static files from disk; a Celery worker with beat; each restarted if it
# dies. Needs DATABASE_URL, REDIS_URL, nginx and supervisor (Debian's packages).
serve: install
	@test -n "$$DATABASE_URL" -a -n "$$REDIS_URL" || (echo "make serve needs DATABASE_URL and REDIS_URL (PostgreSQL and Redis)"; exit 2)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) -m deploy.serve --port $(PORT)

# Two ASGI processes (ports 8001 and 8002) sharing PostgreSQL and Redis: a ballot cast
# through one updates live-results sockets on the other. Needs DATABASE_URL and REDIS_URL.
PORT_A ?= 8001
PORT_B ?= 8002
run-cluster: install
	@test -n "$$DATABASE_URL" -a -n "$$REDIS_URL" || (echo "run-cluster needs DATABASE_URL and REDIS_URL (PostgreSQL and Redis)"; exit 2)
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo
	DEBUG=$${DEBUG:-1} $(PY) manage.py collectstatic --noinput -v0
	trap 'kill 0' INT TERM EXIT; \
	DEBUG=$${DEBUG:-1} $(VENV)/bin/celery -A config worker --beat --concurrency 1 --loglevel WARNING & \
	DEBUG=$${DEBUG:-1} DB_POOL=1 DB_POOL_MAX=8 $(VENV)/bin/uvicorn config.asgi:application --host 127.0.0.1 --port $(PORT_A) & \
	DEBUG=$${DEBUG:-1} DB_POOL=1 DB_POOL_MAX=8 $(VENV)/bin/uvicorn config.asgi:application --host 127.0.0.1 --port $(PORT_B) & \
	wait

bench: install
	$(PY) bench/tally.py
	$(PY) bench/cast.py
	$(PY) bench/live.py
	$(PY) bench/api.py
	$(PY) bench/scale.py
	$(PY) bench/soak.py
	$(PY) bench/surge.py

# Refresh the catalogues after changing strings (needs GNU gettext): English is the source
# language (its catalogue stays empty unless wording is overridden); translate the new
# entries in locale/cy/LC_MESSAGES/*.po, then run this again to compile them.
MSG_IGNORE := --ignore=.venv --ignore=bench --ignore=tests --ignore=.cache --ignore=staticfiles --ignore=media
messages: install
	$(PY) manage.py makemessages -l en -l cy $(MSG_IGNORE) --no-obsolete
	$(PY) manage.py makemessages -d djangojs -l en -l cy $(MSG_IGNORE) --no-obsolete
	$(PY) manage.py compilemessages -l en -l cy --ignore=.venv

# Refresh the front-end libraries served as static files (Leaflet) from the npm registry
# at the versions package-lock.json pins; the copies in civic/static/vendor/ are committed.
vendor:
	npm ci --no-audit --no-fund
	rm -rf civic/static/vendor/leaflet && mkdir -p civic/static/vendor/leaflet/images
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/LICENSE civic/static/vendor/leaflet/
	cp node_modules/leaflet/dist/images/*.png civic/static/vendor/leaflet/images/
