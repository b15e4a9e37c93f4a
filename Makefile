# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test lint-imports typecheck bench bench-quick bench-peers bench-relevance wheel bundle icons clean

install: $(STAMP)

# Re-install only when the package definition changes.
$(STAMP): pyproject.toml setup.py
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "migarchive needs Python >= 3.11 (found: $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

run: install
	$(BIN)/migarchive $(ARGS)

lint-imports: install
	$(BIN)/lint-imports --no-cache

# mypy keeps its cache in .mypy_cache: a second run checks only what changed (a few seconds cold).
typecheck: install
	$(BIN)/mypy

test: install lint-imports typecheck
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Timings are printed, never asserted: these machines are shared and noisy.
bench: install
	$(BIN)/python benchmarks/bench.py --documents 2000

bench-quick: install
	$(BIN)/python benchmarks/bench.py --documents 200

# The wheel users install (pip, pipx): dist/migarchive-VERSION-py3-none-any.whl, the archive inside.
wheel: install
	rm -rf build/lib dist/migarchive-*.whl
	$(BIN)/python -m pip wheel --quiet --disable-pip-version-check --no-deps --no-build-isolation -w dist .

# For users without Python: one self-contained folder, dist/migarchive/ (start dist/migarchive/migarchive),
# made by PyInstaller in a venv of its own where the wheel is installed, so it holds what the wheel does.
BUNDLE_ENV := build/bundle-env
bundle: wheel
	rm -rf $(BUNDLE_ENV) build/pyinstaller dist/migarchive
	$(PYTHON) -m venv $(BUNDLE_ENV)
	$(BUNDLE_ENV)/bin/python -m pip install --quiet --disable-pip-version-check dist/migarchive-*.whl 'pyinstaller>=6'
	$(BUNDLE_ENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/migarchive.spec
	@du -sh dist/migarchive

# Re-render the PNG icons after changing resources/icons/migarchive.svg.
icons: install
	$(BIN)/python packaging/render_icons.py

# Judged queries on benchmarks/relevance/: MRR, nDCG, passage hits per kind of query (issue #13).
bench-relevance: install
	$(BIN)/python benchmarks/relevance.py $(ARGS)

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
