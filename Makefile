# Cheepao: two commands on a fresh machine.
#   make demo   synthetic survey of Ubon Ratchathani (34) for 2567 and 2568, computed,
#               printed, loaded into the target registry with one demo account per role,
#               and served at http://127.0.0.1:8000 with DEBUG off (scripts/demo-serve)
#   make test   ruff, the import contracts, every test on SQLite, the database tests again
#               on PostgreSQL
# Also: make bench (national-scale benchmark, see docs/benchmarks.md), make bench-registry, make clean-demo (forget var/survey and var/runs, so the next demo recomputes them),
#       make makemessages / make messages (Thai translations).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
CHEEPAO := $(BIN)/cheepao
MANAGE := DEBUG=1 $(BIN)/python manage.py

DEMO_PROVINCE := 34
DEMO_YEARS := 2567 2568
SURVEY := var/survey
RUNS := var/runs
LAST_YEAR := $(lastword $(DEMO_YEARS))

empty :=
space := $(empty) $(empty)
comma := ,

# The project-wide catalogue (base page, dashboards) plus one per platform app, kept beside
# the app's code and templates so each app's strings are translated in one place.
LOCALE_APPS := accounts households verification newhouseholds imports audit jobs opendata evaluation reports maps snapshots
PO := $(wildcard cheepao/locale/*/LC_MESSAGES/django.po cheepao/*/locale/*/LC_MESSAGES/django.po)
MO := $(PO:.po=.mo)

.PHONY: install test demo bench bench-registry messages makemessages clean-demo
.DELETE_ON_ERROR:

install: $(INSTALLED)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

# Catalogues are compiled from the .po files; the .mo files are committed too, so a bare
# `manage.py runserver` shows Thai, and rebuilt here when a .po is newer.
messages: $(MO)

%.mo: %.po
	msgfmt --check -o $@ $<

# Refresh the .po files after changing translatable strings (then translate, then `make messages`).
makemessages: install
	cd cheepao && DEBUG=1 ../$(BIN)/python ../manage.py makemessages -l th --no-location \
	  --no-obsolete -i "tests/*" -i "engine/*" -i "synth/*" -i "cli/*" \
	  $(foreach a,$(LOCALE_APPS),-i "$(a)/*")
	for a in $(LOCALE_APPS); do (cd cheepao/$$a && DEBUG=1 ../../$(BIN)/python ../../manage.py \
	  makemessages -l th --no-location --no-obsolete -i "tests/*") || exit 1; done

test: install
	PYTHON=$(PYTHON) scripts/system-deps
	$(MAKE) --no-print-directory messages
	scripts/test

$(SURVEY)/.generated: | $(INSTALLED)
	$(CHEEPAO) generate --province $(DEMO_PROVINCE) --scale demo \
	  --years $(subst $(space),$(comma),$(DEMO_YEARS)) --out $(SURVEY)
	touch $@

$(RUNS)/%/manifest.json: $(SURVEY)/.generated
	$(CHEEPAO) compute --input $(SURVEY)/$* --out $(RUNS)/$*

demo: install messages $(foreach y,$(DEMO_YEARS),$(RUNS)/$(y)/manifest.json)
	$(CHEEPAO) register --run $(RUNS)/$(LAST_YEAR) --level district
	$(CHEEPAO) mpi --run $(RUNS)/$(LAST_YEAR)
	$(MANAGE) migrate --no-input
	$(MANAGE) load_geography
	$(MANAGE) load_registry --run $(RUNS)/$(LAST_YEAR) --new-version
	$(MANAGE) set_deadlines --demo
	$(MANAGE) demo_accounts --province $(DEMO_PROVINCE)
	$(MANAGE) demo_mentoring --province $(DEMO_PROVINCE)
	$(MANAGE) demo_folders --province $(DEMO_PROVINCE)
	$(MANAGE) demo_plans --province $(DEMO_PROVINCE)
	$(MANAGE) demo_logbook --province $(DEMO_PROVINCE)
	$(MANAGE) demo_routing --province $(DEMO_PROVINCE)
	$(MANAGE) demo_escalation --province $(DEMO_PROVINCE)
	$(MANAGE) demo_helpstats --province $(DEMO_PROVINCE)
	$(MANAGE) demo_evaluation --province $(DEMO_PROVINCE)
	$(MANAGE) demo_snapshots --province $(DEMO_PROVINCE)
	@echo "Cheepao: open http://127.0.0.1:8000 (Ctrl-C to stop); sign in at http://127.0.0.1:8000/accounts/sign-in/"
	PYTHON=$(BIN)/python scripts/demo-serve 127.0.0.1:8000

# National-scale benchmark (issue 3): generate, compute, one-province recompute, CSV ingest,
# pandas reference vs engine. Needs ~60 GB free in var/bench; results in bench/results/ and
# docs/benchmarks.md.
bench: install
	$(BIN)/python bench/run.py

# Registry at national scale (issue 4): load the national target list into a throwaway
# PostgreSQL, then p50/p95 of the village register and household folder under 20 users.
# Needs the national run that `make bench` leaves in var/bench/runs/national.
bench-registry: install
	PATH=$(CURDIR)/$(BIN):$$PATH scripts/with-postgres $(BIN)/python bench/registry_pages.py --also-no-think

clean-demo:
	rm -rf $(SURVEY) $(RUNS)

