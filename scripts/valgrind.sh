#!/usr/bin/env bash
# Runs the libmsgr tests (CTest label "client": real msgrd, real sockets)
# under valgrind's memcheck and fails on any memory error or leak of the
# library. msgrd itself runs outside valgrind (it has the sanitizer build).
#   scripts/valgrind.sh [BUILD_DIR]   (default build; built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
if [ ! -x "$dir/tests/client_test_api_map" ]; then
  scripts/build.sh -DMSGR_TESTS=ON >/dev/null
fi
rm -f "$dir"/Testing/Temporary/MemoryChecker.*.log
command -v valgrind >/dev/null || { echo "valgrind: not installed (scripts/install-deps.sh)" >&2; exit 2; }
# Definite and indirect leaks count; "still reachable" blocks belong to
# libcurl's and OpenSSL's process-wide state, freed at exit on purpose.
ctest --test-dir "$dir" -L client --output-on-failure -j"$(nproc)" \
  --overwrite MemoryCheckCommand="$(command -v valgrind)" \
  --overwrite MemoryCheckCommandOptions="--error-exitcode=97 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --track-fds=no --num-callers=30" \
  -T memcheck
# ctest -T memcheck reports defects without failing; read its log.
log=$(ls -t "$dir"/Testing/Temporary/MemoryChecker.*.log 2>/dev/null | head -1 || true)
defects=0
for f in "$dir"/Testing/Temporary/MemoryChecker.*.log; do
  [ -e "$f" ] || continue
  if grep -qE "definitely lost: [1-9]|indirectly lost: [1-9]|Invalid (read|write|free)|uninitialised|Mismatched free" "$f"; then
    echo "== $f" >&2
    grep -E "definitely lost|indirectly lost|Invalid|uninitialised|Mismatched" "$f" | head -20 >&2
    defects=1
  fi
done
[ -n "$log" ] || { echo "valgrind: no memcheck logs" >&2; exit 1; }
exit $defects
