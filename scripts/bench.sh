#!/usr/bin/env bash
# Runs the benchmarks against a release build and reports their figures (never asserts).
#   scripts/bench.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-release}
[ -x "$build/bench/capture_latency" ] || { echo "build $build first"; exit 1; }

echo "== capture latency: a tone through a private PulseAudio daemon's null-sink monitor"
daemon=$(mktemp -d)
trap 'tests/support/pulse-daemon.sh stop "$daemon" >/dev/null || true; rm -rf "$daemon"' EXIT
PULSE_SERVER=$(tests/support/pulse-daemon.sh start "$daemon")
export PULSE_SERVER
sox -n -r 48000 -c 2 -b 16 "$daemon/tone.wav" synth 10 sine 440 vol 0.5
tests/support/pulse-daemon.sh play "$daemon" "$daemon/tone.wav" >/dev/null
"$build/bench/capture_latency" test.monitor 5
