#!/usr/bin/env bash
# The main job on the bundled data: installs the system libraries when missing, builds convoy and
# runs it. With arguments, runs `convoy ARGS…` instead of the default tour.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-packages.sh libproj-dev libsqlite3-dev pkg-config
swift build --product convoy --quiet >&2
convoy=".build/debug/convoy"
if [ $# -gt 0 ]; then exec "$convoy" "$@"; fi
set -x
"$convoy" places show "Abul Kamal"
"$convoy" distance Qara "Abu Kamal"
"$convoy" places near 34.755 39.256 --radius 80
