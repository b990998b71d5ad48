#!/usr/bin/env bash
# The test command (README.md; CI runs it through .ci/run): installs what the tests need, then
# runs every test — the Swift tests, then the real clients that read convoy's exports.
#   Debian packages: PROJ and SQLite to build; GeographicLib's tools as the independent geodesic
#   reference; GDAL (ogrinfo), Chromium and Leaflet for the export and page checks; iso-codes, the
#   ISO 3166-1 list the countries layer is checked against; git for the pre-commit hook test; Python for the
#   client tests, whose packages (pytest, geojson, movingpandas) go into .venv-clients.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-packages.sh libproj-dev libsqlite3-dev pkg-config tzdata geographiclib-tools \
  gdal-bin chromium libjs-leaflet python3 python3-venv iso-codes git
swift build --build-tests
swift test --skip-build
if [ ! -x .venv-clients/bin/python ]; then python3 -m venv .venv-clients; fi
.venv-clients/bin/pip install --quiet --disable-pip-version-check -r Tests/clients/requirements.txt
CONVOY_BIN="$PWD/.build/debug/convoy" .venv-clients/bin/python -m pytest -q -p no:cacheprovider Tests/clients
# The fuzzers, 15 s each from their seeds (scripts/fuzz.sh; run them for hours as README.md says).
# A harness build without the fuzzer's counters or AddressSanitizer fails the run.
scripts/fuzz.sh 15
