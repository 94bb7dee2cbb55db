#!/usr/bin/env bash
# Installs every Debian package that building, running and testing mrec needs.
# This is the one place for the apt list; README.md and .ci/run call it.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config clang-format
  # libraries (the Dictaphone's too)
  libopus-dev libogg-dev libspeexdsp-dev libpulse-dev
  libcpp-httplib-dev libsqlite3-dev nlohmann-json3-dev sqlite3 libssl-dev
  # video: VP8/VP9 (libvpx), AV1 (libaom), H.264 (OpenH264), pixel conversion (libyuv), X11
  # screen capture (XCB SHM)
  libvpx-dev libaom-dev libopenh264-dev libyuv-dev libxcb1-dev libxcb-shm0-dev
  # AAC, for builds with -DMREC_WITH_AAC=ON (the test command builds one): libavcodec
  libavcodec-dev libavutil-dev
  # tests
  libgtest-dev libgmock-dev libwebm-dev ffmpeg opus-tools mkvtoolnix sox time curl openssl
  # GStreamer reads what mrec writes too (qtdemux, matroskademux; gst-discoverer-1.0)
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-base-apps
  # GStreamer decodes AAC through gst-libav (avdec_aac): the AAC MP4 tests read it back
  gstreamer1.0-libav
  # and AV1 through gst-plugins-bad's aom plugin (av1dec): the interoperability matrix
  gstreamer1.0-plugins-bad
  pulseaudio pulseaudio-utils
  # screen capture tests: a virtual X server and xsetroot to paint it
  xvfb x11-xserver-utils
  # benchmarks: Google Benchmark, espeak-ng for the speech-like input, valgrind to count
  # instructions where CPU time is too noisy
  libbenchmark-dev espeak-ng valgrind
  # fuzzing: clang with libFuzzer's runtime
  clang libclang-rt-14-dev
  # browser tests: Debian's Chromium and Firefox ESR (never downloaded ones), an emoji font
  chromium firefox-esr fonts-noto-color-emoji
)
root=$(cd "$(dirname "$0")/.." && pwd)

# The browser tests' npm packages (playwright-core, puppeteer-core, mp4box), pinned by
# package-lock.json.
install_npm_packages() {
  if [ ! -d "$root/tests/browser/node_modules/playwright-core" ] ||
     [ ! -d "$root/tests/browser/node_modules/puppeteer-core" ] ||
     [ ! -d "$root/tests/browser/node_modules/mp4box" ]; then
    npm ci --prefix "$root/tests/browser" --no-audit --no-fund
  fi
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js: Debian's nodejs and npm, unless a Node.js with npm is already there.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -eq 0 ]; then
  install_npm_packages
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
install_npm_packages
