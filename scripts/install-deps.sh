#!/usr/bin/env bash
# Installs every build and test dependency of msgr from Debian packages.
# Idempotent: packages already present are skipped by apt-get. Run as root
# (or with sudo available) on Debian 12.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git ca-certificates
  clang llvm libclang-rt-14-dev
  libevent-dev libssl-dev libsodium-dev libsqlite3-dev sqlite3
  libcurl4-openssl-dev libncurses-dev libcmocka-dev
  openssl tmux procps python3 valgrind
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
