#!/usr/bin/env bash
# The rulebook (ConvoyCheck) is plain safe Swift: all pointer and system-call code sits in the
# scan engine (ConvoyScan) behind a safe API. This builds the rulebook target alone with Swift's
# strict memory safety checking, into a scratch path of its own (the flag is not in
# Package.swift), and fails if any [#StrictMemorySafety] warning names a file of Sources/ConvoyCheck.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
# The warnings come only with compiling: an up-to-date build says nothing, so the rulebook's own
# build products go first (its dependencies stay built).
# (Its build plan too, or the next build looks for the output file map just removed.)
rm -rf .build-safety/*/debug/ConvoyCheck.build .build-safety/*/debug/description.json
trap 'rm -f "$log"' EXIT
if ! swift build --target ConvoyCheck --scratch-path .build-safety -Xswiftc -strict-memory-safety >"$log" 2>&1; then
  cat "$log" >&2
  echo "check-memory-safety.sh: the strict build of ConvoyCheck failed" >&2
  exit 1
fi
unsafe=$(grep '\[#StrictMemorySafety\]' "$log" | grep 'Sources/ConvoyCheck/' | grep 'warning:' | sort -u || true)
if [ -n "$unsafe" ]; then
  echo "$unsafe" >&2
  echo "check-memory-safety.sh: $(echo "$unsafe" | wc -l) unsafe uses in Sources/ConvoyCheck (keep them in ConvoyScan, behind a safe API)" >&2
  exit 1
fi
echo "check-memory-safety.sh: Sources/ConvoyCheck has no unsafe use"
