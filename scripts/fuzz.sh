#!/usr/bin/env bash
# Builds every libFuzzer target (clang, ASan+UBSan) and runs each for a
# bounded time against its seed corpus. Fails on any crash or leak.
#   scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
dir=${FUZZ_BUILD_DIR:-build-fuzz}
cmake -S . -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
      -DMSGR_FUZZ=ON -DMSGR_TESTS=OFF -DMSGR_WERROR=ON >/dev/null
cmake --build "$dir" -j"$(nproc)"
status=0
for bin in "$dir"/fuzz/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin"); name=${name#fuzz_}
  seeds="fuzz/corpus/$name"
  work=$(mktemp -d)
  # Findings land in the work dir; the seed corpus in the repository is
  # read-only input (new coverage is kept in the work dir, not committed).
  if ! "$bin" -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$work/" -print_final_stats=1 "$work" "$seeds" >"$work/log" 2>&1; then
    echo "fuzz $name: FAILED"; tail -n 40 "$work/log"; status=1
  else
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | grep -o '[0-9]*$' || echo '?')
    echo "fuzz $name: ok, $execs executions in ${secs}s"
  fi
  rm -rf "$work"
done
exit $status
