# Cryptex Desktop: `make run` starts the app on its demo exchange, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint sandbox clean system-deps

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Cryptex Desktop needs Python 3.11 or newer."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

# Qt's xcb platform needs a few system libraries; on Debian install them if they are missing.
system-deps:
	@$(PYTHON) packaging/check_qt_libs.py || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      $$($(PYTHON) packaging/check_qt_libs.py --missing-packages) >/dev/null; \
	  else \
	    echo "Install them with: sudo apt-get install $$($(PYTHON) packaging/check_qt_libs.py --missing-packages)"; \
	  fi; }

run: $(STAMP) system-deps
	$(BIN)/cryptex-desktop

sandbox: $(STAMP)
	$(BIN)/cryptex-sandbox serve --port 8765 --data-dir .sandbox-data

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis
