#!/usr/bin/env bash
# Does all set-up on a fresh machine, builds everything, and runs the main
# job: msgrd on localhost with its embedded SQLite store in ./msgrd-data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
if [ -x build/src/server/msgrd ]; then
  exec build/src/server/msgrd serve --data-dir "${MSGRD_DATA_DIR:-msgrd-data}" "$@"
fi
echo "run.sh: built everything (msgrd is not part of this build yet)"
