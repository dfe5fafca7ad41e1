# Cryptex Desktop: `make run` starts the app on its demo exchange, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint sandbox clean system-deps package linux-download install-desktop icons \
  screenshots catalogues

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Cryptex Desktop needs Python 3.11 or newer."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

# Qt's window system plugin needs a few system libraries: install the missing ones on Debian.
system-deps: $(STAMP)
	@missing="$$($(BIN)/python -m cryptex_desktop.ui.display_check --missing-packages)"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing system libraries Qt needs: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Qt needs these system packages: $$missing"; \
	    echo "Install them with: sudo apt-get install $$missing"; exit 1; \
	  fi; \
	fi

run: $(STAMP) system-deps
	$(BIN)/cryptex-desktop

sandbox: $(STAMP)
	$(BIN)/cryptex-sandbox serve --port 8765 --data-dir .sandbox-data

# The suite sets up Qt (headless, scale 1, light Fusion), English and its markers itself
# (tests/conftest.py): nothing needs exporting. `pytest -m "not slow"` is the quick loop.
# One worker per core (at most 4): each has its own Qt, sandbox and temporary folders.
PYTEST_WORKERS ?= -n auto --maxprocesses=4
test: $(STAMP)
	$(BIN)/python -m pytest -q $(PYTEST_WORKERS)
	@if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then \
	  PYTHON=$(BIN)/python bash tests/trust/run_secret_service_test.sh; \
	else echo "Skipped the Secret Service test: install dbus and gnome-keyring to run it."; fi

# Style first (ruff), then types (mypy, over the whole package: see [tool.mypy]).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks

# Every screen and Settings, light and dark, small and large, in each language, into
# build/screenshots/: look at them.
SCREENSHOT_LANGUAGES = en ru zh_CN
screenshots: $(STAMP)
	for language in $(SCREENSHOT_LANGUAGES); do \
	  QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.tools.screenshots build/screenshots \
	    --language $$language || exit 1; \
	done

# The translations: the code's marked strings into cryptex.pot and each language's .po (merged,
# keeping what is translated), then every .po compiled into the .mo the app loads.
catalogues: $(STAMP)
	$(BIN)/python -m cryptex_desktop.catalogues extract
	$(BIN)/python -m cryptex_desktop.catalogues compile

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis .mypy_cache

# -- the double-click app (packaging/) -----------------------------------------------------------
ICON_DIR := build/icons
ICON_SIZES := 16 24 32 48 64 128 256 512
PACKAGE_STAMP := $(VENV)/.package-installed
# Where install-desktop puts the app, its menu entry and its icons (the XDG places).
DATA_HOME ?= $(or $(XDG_DATA_HOME),$(HOME)/.local/share)
APP_HOME ?= $(HOME)/.local/opt/cryptex-desktop

$(PACKAGE_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[package]'
	@touch $(PACKAGE_STAMP)

# Two builds of one commit are byte-identical (packaging/compare_builds.py checks it). Python's
# string hashes are fixed: they order the modules PyInstaller writes into base_library.zip
# and the one-file executable. What takes a date takes the last commit's, not the clock's
# (1980 outside a git checkout): the tarball's times, and any a build tool writes.
package linux-download: export SOURCE_DATE_EPOCH = \
  $(shell git log -1 --format=%ct 2>/dev/null || echo 315532800)
package: export PYTHONHASHSEED = 0

# dist/cryptex-desktop/ (one folder) and dist/cryptex-desktop-onefile (one file): no Python needed.
package: $(PACKAGE_STAMP) system-deps
	@command -v objdump >/dev/null || \
	  { echo "PyInstaller needs binutils: sudo apt-get install binutils"; exit 1; }
	$(BIN)/python packaging/make_icons.py $(ICON_DIR) >/dev/null
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
	  packaging/cryptex-desktop.spec
	@echo "Built dist/cryptex-desktop/cryptex-desktop and dist/cryptex-desktop-onefile" \
	  "(commit time $$SOURCE_DATE_EPOCH)."

# The Linux download as the package workflow packs it: names sorted, times, owners and the
# group's and others' permissions fixed, no time in the gzip header, so one build, one tarball.
LINUX_DOWNLOAD ?= dist/cryptex-desktop-linux-$(shell uname -m).tar.gz
linux-download:
	@test -x dist/cryptex-desktop/cryptex-desktop -a -x dist/cryptex-desktop-onefile \
	  || $(MAKE) package
	tar --sort=name --mtime="@$$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
	  --mode=go=u-w --format=gnu -C dist -cf - cryptex-desktop cryptex-desktop-onefile \
	  | gzip -n > "$(LINUX_DOWNLOAD)"
	@echo "Packed $(LINUX_DOWNLOAD)."

# The PNG sizes kept in resources/icons/, drawn again from resources/cryptex-desktop.svg.
icons: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python packaging/make_icons.py $(ICON_DIR) >/dev/null
	mkdir -p resources/icons
	cp $(ICON_DIR)/cryptex-desktop-*x*.png resources/icons/

# The one-folder app in ~/.local/opt, with a menu entry and icons where Linux desktops look.
install-desktop:
	@test -x dist/cryptex-desktop/cryptex-desktop -a -f $(ICON_DIR)/cryptex-desktop-512x512.png \
	  || $(MAKE) package
	rm -rf "$(APP_HOME)"
	mkdir -p "$(dir $(APP_HOME))"
	cp -a dist/cryptex-desktop "$(APP_HOME)"
	for size in $(ICON_SIZES); do \
	  install -D -m 644 resources/icons/cryptex-desktop-$${size}x$${size}.png \
	    "$(DATA_HOME)/icons/hicolor/$${size}x$${size}/apps/cryptex-desktop.png"; \
	done
	install -D -m 644 resources/cryptex-desktop.svg \
	  "$(DATA_HOME)/icons/hicolor/scalable/apps/cryptex-desktop.svg"
	sed -e 's|^Exec=.*|Exec="$(APP_HOME)/cryptex-desktop"|' \
	  -e 's|^TryExec=.*|TryExec=$(APP_HOME)/cryptex-desktop|' \
	  resources/cryptex-desktop.desktop > build/cryptex-desktop.desktop
	install -D -m 644 build/cryptex-desktop.desktop \
	  "$(DATA_HOME)/applications/cryptex-desktop.desktop"
	@echo "Cryptex Desktop is in your applications menu, under Office."
