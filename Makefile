# Two entry points for a fresh machine: `make run` (install, ingest, start the chat UI) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
HOST   ?= 127.0.0.1
PORT   ?= 7860
CHROMIUM ?= /usr/bin/chromium

.PHONY: install run chat test gate browser eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# torch first, pinned: the CPU build of 2.13.0 is what this machine's pip serves; any other pulls CUDA.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/assistant ingest
	$(BIN)/assistant ui --host $(HOST) --port $(PORT)

chat: install
	$(BIN)/assistant ingest
	$(BIN)/assistant chat

# Debian's chromium drives the UI's browser test; Playwright's own browser download cannot work here.
browser:
	@test -x $(CHROMIUM) || { command -v apt-get >/dev/null && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ; } || \
	  echo "warning: could not install chromium; the browser test will be skipped" >&2

# The whole suite, the eval gate included (tests/test_eval_gate.py: the article's eval set and the suite's dev part).
test: install browser
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -q

gate: install
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -q tests/test_eval_gate.py

eval: install
	$(BIN)/assistant eval

bench: install
	$(BIN)/assistant bench

clean:
	rm -rf $(VENV) .assistant
