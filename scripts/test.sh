#!/usr/bin/env bash
# The test command (README.md; CI runs it through .ci/run): installs what the tests need, then
# runs every test. System packages: PROJ and SQLite to build, GeographicLib's tools as the
# independent geodesic reference.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-packages.sh libproj-dev libsqlite3-dev pkg-config geographiclib-tools
swift build --build-tests
swift test --skip-build
