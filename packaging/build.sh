#!/usr/bin/env bash
# Build the wargame desktop bundle with PyInstaller (one folder): packaging/build.sh
#
# Everything it writes goes under $WARGAME_BUILD_DIR (default /tmp/packaging), never into
# the repository:
#   $WARGAME_BUILD_DIR/venv           build venv: PyInstaller + the project's dependencies
#   $WARGAME_BUILD_DIR/build          PyInstaller's work files
#   $WARGAME_BUILD_DIR/dist/wargame/  the bundle: run dist/wargame/wargame
# Environment: PYTHON (interpreter for the venv, default python3, must be >= 3.11),
# WARGAME_BUILD_VENV (use this venv instead), PYINSTALLER_SPEC (default pyinstaller>=6.3,<7).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$HERE")"
OUT="${WARGAME_BUILD_DIR:-/tmp/packaging}"
VENV="${WARGAME_BUILD_VENV:-$OUT/venv}"
PYTHON="${PYTHON:-python3}"
PYINSTALLER_SPEC="${PYINSTALLER_SPEC:-pyinstaller>=6.3,<7}"

mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
        echo "build.sh: $PYTHON is older than Python 3.11 (set PYTHON=python3.11)" >&2; exit 2; }
    echo "==> creating build venv $VENV"
    "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"

# The project's runtime dependencies, read from pyproject.toml (markers included). The
# package itself is not installed: the spec takes wargame/ from the working tree, which also
# avoids an in-tree setuptools build leaving build/ in the repository.
mapfile -t DEPS < <("$PY" - "$REPO/pyproject.toml" <<'EOF'
import sys, tomllib
with open(sys.argv[1], "rb") as fh:
    print("\n".join(tomllib.load(fh)["project"]["dependencies"]))
EOF
)
echo "==> installing PyInstaller and ${#DEPS[@]} dependencies into $VENV"
"$PY" -m pip install --quiet --disable-pip-version-check "$PYINSTALLER_SPEC" "${DEPS[@]}"

echo "==> running PyInstaller ($("$PY" -m PyInstaller --version))"
cd "$REPO"
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$OUT/dist" --workpath "$OUT/build" "$HERE/wargame.spec"

BUNDLE="$OUT/dist/wargame"
# The menu entry and icon travel with the bundle (see packaging/README.md to install them).
mkdir -p "$BUNDLE/share"
cp "$HERE/wargame.desktop" "$HERE/wargame.svg" "$BUNDLE/share/"

echo "==> smoke test: the bundled scenario validates"
QT_QPA_PLATFORM=offscreen "$BUNDLE/wargame" validate "$BUNDLE/_internal/scenarios/"*.yaml

echo
echo "Bundle: $BUNDLE ($(du -sh "$BUNDLE" | cut -f1))"
echo "Run:    $BUNDLE/wargame            (opens the app; any wargame sub-command works too)"
