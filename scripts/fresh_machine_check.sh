#!/usr/bin/env bash
# Fresh-machine check: clone this repository (its committed HEAD) into a temporary folder, then
# run the README's two commands there (make book creates a new .venv and installs into it) and
# print their times, and the time of a no-op make book.
#   --worktree    lay this folder's uncommitted changes (and new files) on the clone
#   --cold-cache  install with empty uv and pip caches, as on a new machine
set -euo pipefail
worktree=0 cold=0
for arg in "$@"; do
  case "$arg" in
    --worktree) worktree=1 ;;
    --cold-cache) cold=1 ;;
    *) echo "usage: $0 [--worktree] [--cold-cache]" >&2; exit 2 ;;
  esac
done
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
if ((cold)); then export UV_CACHE_DIR="$work/uv-cache" PIP_CACHE_DIR="$work/pip-cache"; fi
git clone -q "$repo" "$work/main"
if ((worktree)); then
  git -C "$repo" diff HEAD --binary | git -C "$work/main" apply --allow-empty
  git -C "$repo" ls-files --others --exclude-standard -z | (cd "$repo" && xargs -0 -r cp --parents -t "$work/main")
fi
if [ -d "$repo/../shared" ]; then cp -r "$repo/../shared" "$work/shared"; fi
cd "$work/main"
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
start=$(now)
make install
install=$(since "$start")
make book
book=$(since "$start")
start=$(now)
make book >/dev/null
noop=$(since "$start")
start=$(now)
make test
tests=$(since "$start")
echo "fresh machine ($work/main): make book ${book} s (new venv, install ${install} s, notebooks, book);" \
     "no-op make book ${noop} s; make test ${tests} s"
