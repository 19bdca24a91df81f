#!/usr/bin/env bash
# Install the pinned environment into a virtual environment (what `make install` runs, and again
# when pyproject.toml or constraints.txt change): the project in editable mode with its test extra,
# every package at exactly the version constraints.txt pins (tests/test_environment.py checks the
# installed versions), with bytecode compiled at install time as pip does.
#
# With uv (a uv on PATH, else uv==UV_VERSION installed into the venv from PyPI) when it can be had;
# with pip otherwise, saying so in one line. Usage: scripts/install_env.sh [PYTHON [VENV]]
set -euo pipefail
cd "$(dirname "$0")/.."
python="${1:-python3}"
venv="${2:-.venv}"
uv_version="${UV_VERSION:-0.13.9}"
quiet=(--quiet --disable-pip-version-check)

# A venv without pip is made in a blink; pip is added only if it is needed (the fallback).
[ -x "$venv/bin/python" ] || "$python" -m venv --without-pip "$venv"
with_pip() {
  "$venv/bin/python" -m pip --version >/dev/null 2>&1 || "$venv/bin/python" -m ensurepip --default-pip >/dev/null
}

uv="$(command -v uv || true)"
if [ -z "$uv" ] && [ ! -x "$venv/bin/uv" ]; then
  # The pip beside the interpreter installs into the venv (pip >= 22.3); else the venv's own pip.
  "$python" -m pip --python "$venv/bin/python" install "${quiet[@]}" "uv==$uv_version" >/dev/null 2>&1 \
    || { with_pip && "$venv/bin/python" -m pip install "${quiet[@]}" "uv==$uv_version" >/dev/null 2>&1; } \
    || true
fi
[ -n "$uv" ] || { [ -x "$venv/bin/uv" ] && uv="$venv/bin/uv"; } || true

if [ -n "$uv" ]; then
  if "$uv" pip install --quiet --python "$venv/bin/python" --compile-bytecode \
       -c constraints.txt -e '.[test]'; then
    echo "pinned environment installed with $("$uv" --version)"
    exit 0
  fi
  echo "uv could not install the environment: installing with pip instead" >&2
else
  echo "uv not available (no uv on PATH, none from PyPI): installing with pip (slower)" >&2
fi
with_pip
"$venv/bin/python" -m pip install "${quiet[@]}" -c constraints.txt -e '.[test]'
