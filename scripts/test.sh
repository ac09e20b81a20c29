#!/usr/bin/env bash
# Does all set-up on a fresh machine and runs every test: installs the
# Debian packages, builds with warnings as errors, runs CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
BUILD_DIR=${BUILD_DIR:-build} scripts/build.sh -DMSGR_WERROR=ON -DMSGR_TESTS=ON
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"$(nproc)" "$@"
