# Helder's everyday commands. `make run` works on a fresh clone with python3,
# make and access to the package index: it builds .venv, migrates and seeds an SQLite database, and serves
# on http://127.0.0.1:8000/ without PostgreSQL or Redis.
#
# Recipes read the environment: `make test` honours DATABASE_URL, REDIS_URL
# and CI when they are set (CI sets them to PostgreSQL and Redis; see .ci/run).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Set only for commands that load config.settings outside the test suite:
# with DEBUG off the settings refuse to start without a SECRET_KEY.
DEV := DEBUG=true

# Directories that hold no project strings (or other projects' strings).
I18N_IGNORE := --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=bench --ignore=tests
# Any existing catalogue, top-level or inside an app, for the Babel fallback.
FIND_PO := find . \( -path ./.venv -o -path ./node_modules -o -path ./staticfiles \) -prune \
	-o -path '*/LC_MESSAGES/*.po' -type f -print

# The demo logins that seed_demo creates (organisations "demo" and "tweede").
DEMO_LOGINS := hr@example.com manager@example.com employee@example.com consultant@example.com

.PHONY: venv run test lint messages compile-messages check-translations bench clean

venv: $(VENV)/.installed

# Re-install only when pyproject.toml changed since the last install.
$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
		echo "Could not create $(VENV). On Debian or Ubuntu: apt-get install python3-venv"; \
		rm -rf $(VENV); exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

# Compiled catalogues (.mo) are not in git. GNU gettext's msgfmt is the normal
# compiler; without it (a laptop with only python3) Babel, a dependency,
# writes the same .mo files, leaving out fuzzy and untranslated messages as
# msgfmt does.
define BABEL_COMPILE
import sys
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

for po in sys.argv[1:]:
    with open(po, "rb") as source:
        catalog = read_po(source)
    with open(po[:-3] + ".mo", "wb") as target:
        write_mo(target, catalog)
    print("compiled", po)
endef
export BABEL_COMPILE

compile-messages: venv
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(DEV) $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --ignore=staticfiles; \
	else \
		echo "msgfmt (GNU gettext) not found: compiling the catalogues with Babel"; \
		$(PY) -c "$$BABEL_COMPILE" $$($(FIND_PO)); \
	fi

run: venv compile-messages
	$(DEV) $(PY) manage.py migrate
	$(DEV) $(PY) manage.py seed_demo
	@echo
	@echo "Helder runs at http://127.0.0.1:8000/"
	@echo "Demo logins (password: demo):"
	@for login in $(DEMO_LOGINS); do echo "  $$login"; done
	@echo "Reminders are sent to this console every minute (manage.py send_due_reminders --loop 60)."
	@echo
	@trap 'kill $$reminders 2>/dev/null' EXIT INT TERM; \
	$(DEV) $(PY) manage.py send_due_reminders --loop 60 & reminders=$$!; \
	$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

# pytest uses config.test_settings (pyproject.toml). DATABASE_URL, REDIS_URL
# and CI pass through from the environment untouched. When PYTEST_STATUS_FILE
# is set, pytest's own exit code is written there, because make reports every
# failure as 2 and .ci/run wants to exit with pytest's code (5: no tests).
test: venv compile-messages
	@status=0; $(VENV)/bin/pytest $(PYTEST_ARGS) || status=$$?; \
	$(if $(PYTEST_STATUS_FILE),echo $$status > '$(PYTEST_STATUS_FILE)';) \
	exit $$status

lint: venv
	$(VENV)/bin/ruff check .

# Extract strings into locale/{nl,en}; the English catalogue is then filled
# with msgstr == msgid. English translations that already exist are kept
# (kept.po: the header and every translated, non-fuzzy entry), but a fuzzy
# English entry, makemessages' guess after a msgid changed, is emptied and
# refilled from its msgid, since msgids are the English text. Needs GNU gettext.
messages: venv
	$(DEV) $(PY) manage.py makemessages -l nl -l en --no-location --no-obsolete $(I18N_IGNORE)
	$(DEV) $(PY) manage.py makemessages -d djangojs -l nl -l en --no-location --no-obsolete $(I18N_IGNORE)
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	for po in locale/en/LC_MESSAGES/*.po; do \
		[ -e "$$po" ] || continue; \
		msgattrib --force-po --translated --no-fuzzy -o "$$tmp/kept.po" "$$po"; \
		msgattrib --force-po --clear-fuzzy --empty --clear-previous --ignore-file="$$tmp/kept.po" \
			-o "$$tmp/reset.po" "$$po"; \
		msgen --force-po -o "$$po" "$$tmp/reset.po"; \
		echo "filled $$po"; \
	done
	$(DEV) $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --ignore=staticfiles

# Fails when a string is missing from the catalogues, or untranslated or
# fuzzy in Dutch or English. Leaves the catalogues byte-for-byte unchanged.
check-translations: venv
	$(DEV) $(PY) bin/check_translations.py

# Every bench/*.py in turn, from the project root; the first failure stops.
bench: venv compile-messages
	@set -e; found=0; for script in bench/*.py; do \
		[ -e "$$script" ] || continue; found=1; \
		echo "== $$script"; \
		DEBUG=$${DEBUG:-true} PYTHONPATH=$(CURDIR) $(PY) "$$script"; \
	done; \
	[ $$found = 1 ] || echo "No benchmarks in bench/."

# Build output only: .venv and db.sqlite3 stay (remove them by hand).
clean:
	rm -rf staticfiles .pytest_cache test-results .ruff_cache build dist *.egg-info
	find . -path ./.venv -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
	find . -path ./.venv -prune -o -path '*/LC_MESSAGES/*.mo' -type f -exec rm -f {} +
