#!/usr/bin/env bash
# Fresh-machine check: clone this repository into a temporary folder, then run the README's two
# commands there (make book creates a new .venv and installs into it) and print their times.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
git clone -q "$repo" "$work/main"
if [ -d "$repo/../shared" ]; then cp -r "$repo/../shared" "$work/shared"; fi
cd "$work/main"
start=$(date +%s)
make book
book=$(( $(date +%s) - start ))
start=$(date +%s)
make test
tests=$(( $(date +%s) - start ))
echo "fresh machine ($work/main): make book ${book} s (new venv, install, notebooks, book); make test ${tests} s"
