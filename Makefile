# One-command set-up on a fresh Debian machine: `make run` and `make test` create .venv,
# install what is missing (system libraries with apt-get when root) and then do their job.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SCENARIO ?= scenarios/rare-earth-shock-2025.yaml

# Qt needs these even offscreen; Xvfb and xcb ones for a real window; fonts so glyphs render;
# Pango (and HarfBuzz's subsetter) for WeasyPrint, which lays out the report's PDF.
SYSTEM_LIBS := libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 \
	fonts-dejavu-core xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
	libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 libxcb-randr0 libxcb-render-util0 \
	libxcb-image0 libxcb-xinerama0 \
	libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

.PHONY: run test bench bundle system-libs venv clean screenshots

run: venv
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ] && [ -z "$$QT_QPA_PLATFORM" ]; then \
		echo "No display found: starting the app under xvfb-run (set DISPLAY to use your screen)."; \
		xvfb-run -a $(VENV)/bin/wargame app $(SCENARIO); \
	else $(VENV)/bin/wargame app $(SCENARIO); fi

test: venv
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q
	$(VENV)/bin/lint-imports pyproject.toml

bench: venv
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.run

bundle:
	packaging/build.sh

screenshots: venv
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/wargame --screenshot assets/screenshots

venv: $(STAMP)

$(STAMP): pyproject.toml | system-libs
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

system-libs:
	@missing=""; for p in $(SYSTEM_LIBS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	$(PYTHON) -c "import venv, ensurepip" 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing system libraries:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "Missing system libraries. Run:"; \
			echo "  sudo apt-get install -y$$missing"; exit 1; \
		fi; \
	fi

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
