#!/usr/bin/env bash
# The main job on the bundled data: installs the system libraries when missing, builds convoy and
# answers "where was the convoy on 3 September 2017?" from the bundled reports, replays the IS
# convoy, and writes GeoJSON, GPX and a map page to out/. With arguments, runs `convoy ARGS…`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-packages.sh libproj-dev libsqlite3-dev pkg-config tzdata
swift build --product convoy --quiet >&2
convoy=".build/debug/convoy"
if [ $# -gt 0 ]; then exec "$convoy" "$@"; fi
mkdir -p out
set -x
"$convoy" where --at 2017-09-03T12:00Z
"$convoy" replay --convoy is-qalamoun-2017
"$convoy" export -o out/convoy.geojson
"$convoy" export -o out/convoy.gpx
"$convoy" view -o out/convoy.html
"$convoy" distance Qara "Abu Kamal"
