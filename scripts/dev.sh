#!/usr/bin/env bash
# One entry point for a fresh machine: installs what the project needs, then serves or tests.
#   bash scripts/dev.sh serve   set up, build the site and serve it on http://127.0.0.1:8000
#   bash scripts/dev.sh test    set up (incl. Debian Chromium), lint, and run the whole test suite
#   bash scripts/dev.sh lint    only lint (ruff check + ruff format --check)
#   bash scripts/dev.sh setup   only set up
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
VENV=.venv
STAMP=$VENV/.deps-stamp

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root for: $*" >&2; return 1; fi
}

apt_install() {  # apt_install PACKAGE... (only what is missing)
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "apt-get install ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}

setup_python() {
  if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "Python 3.11+ is required (found $("$PY" --version 2>&1))" >&2; exit 1
  fi
  [ -x "$VENV/bin/python" ] || { say "creating $VENV"; "$PY" -m venv "$VENV"; }
  local want
  want=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
    say "installing the project and its dependencies (pyproject.toml: runtime + test extra)"
    # Editable: triage/ and sitebuild/ are imported from this checkout, so edits need no reinstall.
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e '.[test]'
    echo "$want" > "$STAMP"
  fi
}

setup_node() {  # Pyodide (self-hosted runtime), axe-core (tests), ESLint and TypeScript (lint), pinned in package-lock.json
  command -v npm >/dev/null || apt_install nodejs npm
  local want
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ ! -d node_modules/pyodide ] || [ "$(cat node_modules/.deps-stamp 2>/dev/null)" != "$want" ]; then
    say "installing npm packages (package-lock.json)"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$want" > node_modules/.deps-stamp
  fi
}

lint_js() {  # ESLint and the wizard's type check (JSDoc types, tsc --checkJs), pinned in package-lock.json
  say "linting JavaScript (npm run lint: eslint, tsc)"
  npm run --silent lint
}

setup_browser() {  # Debian's Chromium for Playwright, nginx for the hosting-config test
  apt_install chromium nginx libnginx-mod-http-brotli-static
}

lint() {
  say "linting (ruff check, ruff format --check)"
  "$VENV/bin/ruff" check .
  "$VENV/bin/ruff" format --check .
}

cmd=${1:-}
case "$cmd" in
  setup)
    setup_python; setup_node; setup_browser ;;
  serve)
    setup_python; setup_node
    say "building and serving on http://127.0.0.1:8000"
    exec "$VENV/bin/python" build.py serve --addr "${ADDR:-127.0.0.1:8000}" ;;
  test)
    setup_python; setup_node; setup_browser
    lint
    lint_js
    say "checking policies"
    "$VENV/bin/python" build.py check
    say "running tests"
    exec "$VENV/bin/python" -m pytest "${@:2}" ;;
  lint)
    setup_python; lint ;;
  *)
    echo "usage: bash scripts/dev.sh serve|test|lint|setup" >&2; exit 2 ;;
esac
