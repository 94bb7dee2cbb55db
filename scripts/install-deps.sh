#!/usr/bin/env bash
# Installs every Debian package that building, running and testing mrec needs.
# This is the one place for the apt list; README.md and .ci/run call it.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config clang-format
  # libraries
  libopus-dev libogg-dev libspeexdsp-dev libpulse-dev
  # tests
  libgtest-dev libgmock-dev libwebm-dev libcpp-httplib-dev libsqlite3-dev nlohmann-json3-dev sqlite3 ffmpeg opus-tools mkvtoolnix sox
  pulseaudio pulseaudio-utils
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
