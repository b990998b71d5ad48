#!/usr/bin/env bash
# Fuzzes convoy's parsers of untrusted input with libFuzzer (README.md, "Tests"; Fuzz/FINDINGS.md):
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET…]   build, then run each target (default: all, 30 s)
#   scripts/fuzz.sh --findings [TARGET…]              replay the recorded findings (Fuzz/findings/):
#                                                      which still crash?
#   scripts/fuzz.sh --cache-seeds                     rewrite the cache target's seeds (after a
#                                                      change of the index's archive format)
#
# Targets: log-csv log-jsonl gazetteer geonames check cache (harnesses in Fuzz/Sources/fuzz-TARGET).
# The harnesses are built in release mode with the fuzzer and AddressSanitizer (Swift's own checks —
# bounds, overflow, exclusivity — trap as usual), in Fuzz/.build apart from the main package. Each
# target starts from its committed seeds (Fuzz/corpus/TARGET, never written) and keeps what it
# learns in .build-fuzz/corpus/TARGET, so later runs go on from there; a crash, a hang (over 20 s)
# or a sanitizer report is saved as .build-fuzz/artifacts/TARGET/crash-… and fails the run (exit 1).
# FUZZ_JOBS=N runs N processes per target (libFuzzer -fork); FUZZ_PARALLEL=N runs N targets at once;
# FUZZ_FLAGS adds libFuzzer flags.
# A build whose convoy modules lack the fuzzer's counters or AddressSanitizer's checks is refused
# (exit 1) before it runs: it would fuzz blind, or miss memory errors, and still "pass".
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ALL=(log-csv log-jsonl gazetteer geonames check cache)
BIN=Fuzz/.build/release
WORK=.build-fuzz

build() {
  local start=$SECONDS
  # SwiftPM turns `--sanitize=fuzzer --sanitize=address` into two `-sanitize=` options in no fixed
  # order, and the Swift 6.3 driver passes only the last one to the frontend (see
  # `swiftc -sanitize=fuzzer -sanitize=address -c x.swift -###`): each module then comes out either
  # without coverage counters (blind) or without AddressSanitizer. The combined option, added
  # after SwiftPM's, is always the last and keeps both. SwiftPM's own options stay: they make it
  # link the fuzzer's runtime and entry point.
  swift build --package-path Fuzz -c release --sanitize=fuzzer --sanitize=address \
    -Xswiftc -sanitize=fuzzer,address 2>&1 | grep -v "asan_extra_spill_area" | tail -3
  echo "fuzz: built the harnesses in $((SECONDS - start)) s"
  instrumented
}

# Refuses harnesses whose convoy code lacks either instrumentation. A module's object files are
# read, not the linked binary: the harness's own file is always instrumented, so a binary-wide
# count would hide an uninstrumented library. (`grep -c` reads all its input: `grep -q` would stop
# early, and pipefail would then count the writer's SIGPIPE as "not found".)
instrumented() {
  local module objects missing=0
  for module in ConvoyRoute ConvoyCheck ConvoyScan ConvoyGazetteer; do
    objects=$(find "$BIN/$module.build" -name '*.o' 2>/dev/null | head -50)
    if [ -z "$objects" ]; then
      echo "fuzz: no object files for $module in $BIN" >&2; missing=1; continue
    fi
    # shellcheck disable=SC2086
    if ! nm -u $objects 2>/dev/null | grep -c '__asan_report_' >/dev/null; then
      echo "fuzz: $module was built without AddressSanitizer" >&2; missing=1
    fi
    # shellcheck disable=SC2086
    if ! objdump -h $objects 2>/dev/null | grep -c '__sancov' >/dev/null; then
      echo "fuzz: $module was built without the fuzzer's coverage counters" >&2; missing=1
    fi
  done
  if [ "$missing" = 1 ]; then
    echo "fuzz: refusing to run uninstrumented harnesses (rm -rf Fuzz/.build and run again)" >&2
    exit 1
  fi
}

# How many coverage counters libFuzzer found in a run, from its own log line
#   INFO: Loaded 1 modules   (123456 inline 8-bit counters): 123456 [0x…, 0x…)
# (0 when the line is missing). Read from libFuzzer rather than from the binary's sections: the
# section name differs between builds and linkers, and only libFuzzer knows what it will steer by.
counters() {
  sed -n 's/^INFO: Loaded [0-9]* modules* *(\([0-9]*\) inline 8-bit counters).*/\1/p' "$1" | awk '{n += $1} END {print n + 0}'
}
# Fewer counters than this means some convoy code was built without them and libFuzzer fuzzes
# partly blind: a second check, at run time, after `instrumented`. A good build loads about
# 242,000 (2026-12-02).
MIN_COUNTERS=${FUZZ_MIN_COUNTERS:-100000}

# libFuzzer's limits per target: the longest input tried (the cache target's seeds are whole files).
max_len() {
  case "$1" in
    cache) echo 1600000 ;;
    gazetteer) echo 32768 ;;
    *) echo 16384 ;;
  esac
}

# A dictionary of the input's words, where there is one (Fuzz/dictionaries/).
dictionary() {
  case "$1" in
    log-csv|log-jsonl) echo "-dict=Fuzz/dictionaries/log.dict" ;;
    check) echo "-dict=Fuzz/dictionaries/check.dict" ;;
  esac
}

targets() { if [ $# -eq 0 ]; then echo "${ALL[@]}"; else echo "$@"; fi; }

# The Swift runtime keeps caches for the whole process, which LeakSanitizer would report as leaks.
export ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1:handle_abort=1"
export CONVOY_ROOT="$ROOT"
# A Swift trap is reported by libFuzzer ("deadly signal") with its stack; the runtime's own
# backtracer would read memory that AddressSanitizer then reports instead.
export SWIFT_BACKTRACE=enable=no

if [ "${1:-}" = "--cache-seeds" ]; then
  build
  rm -rf Fuzz/corpus/cache
  tmp=$(mktemp -d)
  TMPDIR=$tmp CONVOY_FUZZ_CACHE_SEEDS="$ROOT/Fuzz/corpus/cache" "$BIN/fuzz-cache" || true
  rm -rf "$tmp"
  ls -l Fuzz/corpus/cache
  exit 0
fi

if [ "${1:-}" = "--findings" ]; then
  shift
  build
  still=0
  for target in $(targets "$@"); do
    for input in Fuzz/findings/"$target"/*; do
      [ -f "$input" ] || continue
      tmp=$(mktemp -d)
      # 60 s: the first input of a process builds the gazetteer store (8 s idle, 20 s on a busy machine).
      if TMPDIR=$tmp "$BIN/fuzz-$target" -timeout=60 "$input" >"$tmp/log" 2>&1; then
        echo "fixed:    $input"
      else
        echo "crashes:  $input — $(grep -m1 -E 'Fatal error|ERROR: AddressSanitizer|ERROR: libFuzzer|SUMMARY' "$tmp/log" | cut -c1-160)"
        still=$((still + 1))
      fi
      rm -rf "$tmp"
    done
  done
  echo "fuzz: $still recorded findings still crash"
  exit 0
fi

seconds=30
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then seconds=$1; shift; fi
for target in $(targets "$@"); do
  [ -d "Fuzz/Sources/fuzz-$target" ] || { echo "fuzz: no target '$target' (targets: ${ALL[*]})" >&2; exit 2; }
done
build

# One target's run: its verdict goes to $WORK/TARGET.verdict ("ok" or "failed"), its report to stdout.
fuzz_target() {
  local target=$1
  rm -rf "$WORK/artifacts/$target"
  mkdir -p "$WORK/corpus/$target" "$WORK/artifacts/$target"
  local tmp
  tmp=$(mktemp -d)
  local jobs=()
  if [ "${FUZZ_JOBS:-1}" -gt 1 ]; then jobs=(-fork="$FUZZ_JOBS" -ignore_crashes=1); fi
  local log="$WORK/$target.log"
  echo "fuzz: $target for $seconds s"
  local seeds="Fuzz/corpus/$target"
  if [ ! -d "$seeds" ]; then
    # The cache target's seeds are whole index files of the current format, too large to commit
    # (they are git-ignored): made afresh for this run, as --cache-seeds makes them.
    seeds="$WORK/seeds/$target"
    rm -rf "$seeds"
    if [ "$target" = cache ]; then
      TMPDIR=$tmp CONVOY_FUZZ_CACHE_SEEDS="$ROOT/$seeds" "$BIN/fuzz-cache" >/dev/null 2>&1 || true
    fi
    mkdir -p "$seeds"
  fi
  local verdict=failed
  # shellcheck disable=SC2086
  if TMPDIR=$tmp "$BIN/fuzz-$target" "$WORK/corpus/$target" "$seeds" \
      -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len="$(max_len "$target")" \
      -print_final_stats=1 -artifact_prefix="$WORK/artifacts/$target/" $(dictionary "$target") "${jobs[@]}" ${FUZZ_FLAGS:-} >"$log" 2>&1 \
      && ! ls "$WORK/artifacts/$target"/crash-* "$WORK/artifacts/$target"/timeout-* >/dev/null 2>&1; then
    local found
    found=$(counters "$log")
    if [ "$found" -lt "$MIN_COUNTERS" ]; then
      echo "fuzz: $target FAILED — fuzzed blind: libFuzzer loaded $found coverage counters (at least" \
        "$MIN_COUNTERS expected; rm -rf Fuzz/.build and run again) — see $log" >&2
      grep -m1 -E '^INFO: Loaded|no interesting inputs' "$log" >&2 || true
    else
      echo "fuzz: $target: $(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}') inputs, no crash," \
        "$found coverage counters ($(find "$WORK/corpus/$target" -type f | wc -l) in its corpus)"
      verdict=ok
    fi
  else
    echo "fuzz: $target FAILED — see $log and $WORK/artifacts/$target/" >&2
    grep -m3 -E 'Fatal error|ERROR: AddressSanitizer|ERROR: libFuzzer|SUMMARY|Test unit written' "$log" >&2 || true
  fi
  echo "$verdict" >"$WORK/$target.verdict"
  rm -rf "$tmp"
}

# FUZZ_PARALLEL=N runs N targets at once (each a single process unless FUZZ_JOBS says more).
mkdir -p "$WORK"
running=0
for target in $(targets "$@"); do
  rm -f "$WORK/$target.verdict"
  fuzz_target "$target" &
  running=$((running + 1))
  if [ "$running" -ge "${FUZZ_PARALLEL:-1}" ]; then wait -n || true; running=$((running - 1)); fi
done
wait
failed=()
for target in $(targets "$@"); do
  [ "$(cat "$WORK/$target.verdict" 2>/dev/null)" = ok ] || failed+=("$target")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed (a crash, or fuzzed blind): ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: every target ran $seconds s without a crash"
