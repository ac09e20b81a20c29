#!/usr/bin/env bash
# run-benchmarks.sh - the runs behind BENCHMARKS.md: creates the accounts
# offline, starts a fresh msgrd for each run, runs every scenario
# REPEAT times and appends each JSON line to $OUT/results.jsonl (the
# human tables go to $OUT/log.txt). Every run is bounded by --timeout.
#
#   bench/run-benchmarks.sh BUILD_DIR [OUT_DIR]
#
# Environment (defaults in brackets): REPEAT [3], USERS [19000] (idle),
# CONTACTS [10], STORM_USERS [10000], PAIRS [50], SLOW_USERS [100],
# ONLY (space-separated scenario names to run; default all), SB_RATES
# (fixed rates, messages/s, for the latency runs; default none).
set -euo pipefail

BUILD=${1:?usage: run-benchmarks.sh BUILD_DIR [OUT_DIR]}
OUT=${2:-/tmp/msgr-bench-results}
MSGRD=$BUILD/src/server/msgrd
BENCH=$BUILD/bench/msgr-bench
REPEAT=${REPEAT:-3}
USERS=${USERS:-19000}
CONTACTS=${CONTACTS:-10}
STORM_USERS=${STORM_USERS:-10000}
PAIRS=${PAIRS:-50}
SLOW_USERS=${SLOW_USERS:-100}
ONLY=${ONLY:-"login login-default idle storm switchboard churn"}
FAST=(--argon2-ops 1 --argon2-mem-kib 8)
DATA=$OUT/data
mkdir -p "$OUT"

wants() { [[ " $ONLY " == *" $1 "* ]]; }

# Accounts: USERS fast-hashed "bench" accounts in a ring of CONTACTS, and
# SLOW_USERS "slow" accounts hashed with msgrd's default argon2id.
make_accounts() {
  [ -e "$DATA/msgrd.sqlite3" ] && return 0
  "$BENCH" accounts "$USERS" "$CONTACTS" | "$MSGRD" user import --data-dir "$DATA" "${FAST[@]}"
  "$BENCH" accounts "$SLOW_USERS" 0 --prefix slow | "$MSGRD" user import --data-dir "$DATA"
}

# Starts msgrd (CPU list $1, "" = any) and sets NS, LOGIN, PID.
start_msgrd() {
  local cpus=$1; shift
  local pin=()
  [ -n "$cpus" ] && pin=(taskset -c "$cpus")
  rm -f "$OUT/msgrd.out"
  ( ulimit -n "$(ulimit -Hn)"; exec "${pin[@]}" "$MSGRD" serve --data-dir "$DATA" \
      --listen 127.0.0.1:0 --login-listen 127.0.0.1:0 --log-level warn --chg-limit 32 --sb-flood-limit 0 "$@" \
      > "$OUT/msgrd.out" 2>> "$OUT/msgrd.err" ) &
  PID=$!
  for _ in $(seq 100); do
    grep -q '^msgrd: ready' "$OUT/msgrd.out" 2>/dev/null && break
    sleep 0.1
  done
  NS=$(awk '/msnp listening/ {print $5}' "$OUT/msgrd.out")
  LOGIN=$(sed -n 's#^msgrd: login listening on https://##p' "$OUT/msgrd.out")
}

stop_msgrd() {
  kill -TERM "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
}

# bench CPU-LIST SCENARIO ARGS...: one bounded run, JSON appended.
bench() {
  local cpus=$1 sc=$2; shift 2
  local pin=()
  [ -n "$cpus" ] && pin=(taskset -c "$cpus")
  echo "+ msgr-bench $sc $*" >> "$OUT/log.txt"
  "${pin[@]}" "$BENCH" "$sc" --ns "$NS" --login "$LOGIN" --insecure --server-pid "$PID" \
      --sources 8 --timeout 150 "$@" | tee -a "$OUT/log.txt" | grep '^{' >> "$OUT/results.jsonl"
}

make_accounts

for i in $(seq "$REPEAT"); do
  if wants login; then
    start_msgrd "" "${FAST[@]}"
    bench "" login --users 2000 --concurrency 64 --label "fast-argon2 run $i"
    stop_msgrd
  fi
  if wants login-default; then
    start_msgrd ""
    bench "" login --users "$SLOW_USERS" --prefix slow --concurrency 16 --label "default-argon2 run $i"
    stop_msgrd
  fi
  if wants idle; then
    start_msgrd 0 "${FAST[@]}"
    bench 1 idle --users "$USERS" --contacts "$CONTACTS" --concurrency 256 --hold 3 --label "run $i"
    stop_msgrd
  fi
  if wants storm; then
    start_msgrd 0 "${FAST[@]}"
    bench 1 storm --users "$STORM_USERS" --contacts "$CONTACTS" --concurrency 256 --chg-limit 32 \
        --warmup 2 --duration 10 --label "max run $i"
    stop_msgrd
  fi
  if wants switchboard; then
    start_msgrd 0 "${FAST[@]}"
    bench 1 switchboard --pairs "$PAIRS" --window 32 --warmup 2 --duration 10 --label "max run $i"
    bench 1 switchboard --pairs "$PAIRS" --party 3 --window 32 --warmup 2 --duration 10 \
        --label "3-party max run $i"
    for rate in ${SB_RATES:-}; do
      bench 1 switchboard --pairs "$PAIRS" --rate "$rate" --window 1000 --warmup 2 \
          --duration 10 --label "rate $rate run $i"
    done
    stop_msgrd
  fi
  if wants churn; then
    start_msgrd 0 "${FAST[@]}"
    bench 1 churn --pairs 100 --churners 200 --first 1000 --rate 5000 --window 1000 \
        --warmup 2 --duration 10 --label "run $i"
    stop_msgrd
  fi
done
echo "results: $OUT/results.jsonl"
