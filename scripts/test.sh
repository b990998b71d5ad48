#!/usr/bin/env bash
# The test command (README.md; CI runs it through .ci/run): installs what the tests need, then
# runs every test — the Swift tests, then the real clients that read convoy's exports.
#   Debian packages: PROJ and SQLite to build; GeographicLib's tools as the independent geodesic
#   reference; GDAL (ogrinfo), Chromium and Leaflet for the export and page checks; iso-codes, the
#   ISO 3166-1 list the countries layer is checked against; git for the pre-commit hook test; Python for the
#   client tests, whose packages (pytest, geojson, movingpandas) go into .venv-clients.
set -euo pipefail
cd "$(dirname "$0")/.."
# Each step's wall time goes to stderr, so a slow CI run says where the time went.
step_start=$SECONDS
step() { echo "test.sh: $1 took $((SECONDS - step_start)) s" >&2; step_start=$SECONDS; }
scripts/system-packages.sh libproj-dev libsqlite3-dev pkg-config tzdata geographiclib-tools \
  gdal-bin chromium libjs-leaflet python3 python3-venv iso-codes git
step "system packages"
swift build --build-tests
step "swift build --build-tests"
swift test --skip-build
step "swift test"
scripts/check-memory-safety.sh
step "rulebook memory safety (strict build of ConvoyCheck)"
if [ ! -x .venv-clients/bin/python ]; then python3 -m venv .venv-clients; fi
.venv-clients/bin/pip install --quiet --disable-pip-version-check -r Tests/clients/requirements.txt
step "client packages"
CONVOY_BIN="$PWD/.build/debug/convoy" .venv-clients/bin/python -m pytest -q -p no:cacheprovider --durations=8 Tests/clients
step "client tests"
# The fuzzers, 15 s each from their seeds, two at a time (scripts/fuzz.sh; run them for hours as
# README.md says). A harness build without the fuzzer's counters or AddressSanitizer fails the run.
FUZZ_PARALLEL=2 scripts/fuzz.sh 15
step "fuzzing"
