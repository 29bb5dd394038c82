# The targets Pelican users type (from pelican-quickstart), plus venv and test.
# Every target installs the pinned tools into .venv on first use.

PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PELICAN := $(BIN)/pelican
PELICANOPTS ?=

BASEDIR := $(CURDIR)
INPUTDIR := $(BASEDIR)/content
OUTPUTDIR ?= $(BASEDIR)/output
CONFFILE := $(BASEDIR)/pelicanconf.py
PUBLISHCONF := $(BASEDIR)/publishconf.py

HOST ?= 127.0.0.1
PORT ?= 8000
GITHUB_PAGES_BRANCH ?= gh-pages
GITHUB_REMOTE ?= origin
GITHUB_COMMIT_MESSAGE ?= Publish the site

STAMP := $(VENV)/.installed-from-requirements

.DEFAULT_GOAL := help

help:
	@echo 'make help        this list'
	@echo 'make devserver   build, serve on http://$(HOST):$(PORT) and rebuild on every save'
	@echo 'make test        run the whole test suite'
	@echo 'make html        build the development site into output/'
	@echo 'make serve       serve output/ without rebuilding'
	@echo 'make clean       delete output/ and the content cache'
	@echo 'make publish     check, then build the production site (needs SITEURL=https://...)'
	@echo 'make github      publish, then push output/ to the $(GITHUB_PAGES_BRANCH) branch'
	@echo 'make newpost TITLE="..."  create the next essay as a draft'
	@echo 'make check       validate the content without building'
	@echo 'make checklists  print every checklist of every essay, and each list left out, and why'
	@echo 'make venv        create .venv from requirements.txt (done by every target)'
	@echo 'make digest      email the new essays to subscribers (DIGESTOPTS="--dry-run" ...)'
	@echo 'make lint        ruff check and ruff format --check'
	@echo 'make subscriptions  run the sign-up/unsubscribe service on http://127.0.0.1:8001'

venv: $(STAMP)

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

html: venv
	$(PELICAN) $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) $(PELICANOPTS)

clean:
	rm -rf $(OUTPUTDIR) $(BASEDIR)/cache

# Tornado, as the devserver serves: many connections at once and the site's
# own 404 page (Pelican's -l server answers one connection at a time).
serve: venv
	$(BIN)/python -m authoring serve --output $(OUTPUTDIR) --host $(HOST) --port $(PORT)

devserver: venv
	$(BIN)/python -m authoring devserver --settings $(CONFFILE) --content $(INPUTDIR) --output $(OUTPUTDIR) --host $(HOST) --port $(PORT) -- $(PELICANOPTS)

# TITLE reaches the command through the environment (make exports command-line
# variables), so quotes and apostrophes in a title need no shell escaping.
newpost: venv
	$(BIN)/python -m authoring newpost --settings $(CONFFILE) --content $(INPUTDIR)

check: venv
	$(BIN)/python -m authoring check --settings $(CONFFILE) --content $(INPUTDIR)

checklists: venv
	$(BIN)/python -m authoring checklists --settings $(CONFFILE) --content $(INPUTDIR)

# The production site is built into a folder beside OUTPUTDIR and takes its
# place only once the whole build (and `make check` before it) succeeded: a
# failed publish leaves the last good site where it was, so a deploy command
# run after it (rsync --delete, say) never ships an empty or half-built folder.
PUBLISH_TARGET := $(patsubst %/,%,$(OUTPUTDIR))
PUBLISH_STAGING := $(PUBLISH_TARGET).publishing
PUBLISH_PREVIOUS := $(PUBLISH_TARGET).previous

publish: venv check
	rm -rf "$(PUBLISH_STAGING)"
	$(PELICAN) $(INPUTDIR) -o "$(PUBLISH_STAGING)" -s $(PUBLISHCONF) --fatal warnings $(PELICANOPTS) || { rm -rf "$(PUBLISH_STAGING)"; echo "make publish: the build failed; $(PUBLISH_TARGET) is unchanged" >&2; exit 1; }
	rm -rf "$(PUBLISH_PREVIOUS)"
	if [ -e "$(PUBLISH_TARGET)" ]; then mv "$(PUBLISH_TARGET)" "$(PUBLISH_PREVIOUS)"; fi
	mv "$(PUBLISH_STAGING)" "$(PUBLISH_TARGET)"
	rm -rf "$(PUBLISH_PREVIOUS)"

github: publish
	$(BIN)/ghp-import -n -m "$(GITHUB_COMMIT_MESSAGE)" -b $(GITHUB_PAGES_BRANCH) -r $(GITHUB_REMOTE) -p $(OUTPUTDIR)

test: venv
	$(BIN)/python -m pytest $(PYTESTOPTS)

# The subscribers' digest, from the feed of the last build (docs/digest.md, "Email digest").
digest: venv
	$(BIN)/python -m digest send $(DIGESTOPTS)

# The subscription service (docs/subscriptions.md, "Subscriptions"); needs $$DIGEST_SECRET.
SERVICE_HOST ?= 127.0.0.1
SERVICE_PORT ?= 8001
subscriptions: venv
	$(BIN)/python -m digest serve --host $(SERVICE_HOST) --port $(SERVICE_PORT) $(SERVICEOPTS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

.PHONY: help venv html clean serve devserver newpost check checklists publish github test lint digest subscriptions
