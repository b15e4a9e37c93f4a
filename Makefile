# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test lint-imports bench bench-quick bench-peers clean

install: $(STAMP)

# Re-install only when the package definition changes.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "migarchive needs Python >= 3.11 (found: $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

run: install
	$(BIN)/migarchive $(ARGS)

lint-imports: install
	$(BIN)/lint-imports --no-cache

test: install lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Timings are printed, never asserted: these machines are shared and noisy.
bench: install
	$(BIN)/python benchmarks/bench.py --documents 2000

bench-quick: install
	$(BIN)/python benchmarks/bench.py --documents 200

# Peers that are Python packages live in a venv of their own, never among migarchive's dependencies;
# bench.py runs them there in a subprocess when it exists.
PEERS := benchmarks/.venv-peers
bench-peers: $(PEERS)/.installed

$(PEERS)/.installed:
	$(PYTHON) -m venv $(PEERS)
	$(PEERS)/bin/python -m pip install --quiet --disable-pip-version-check tantivy
	@touch $@

clean:
	rm -rf $(VENV) $(PEERS) build dist src/*.egg-info .pytest_cache .hypothesis
