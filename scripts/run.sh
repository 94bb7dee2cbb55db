#!/usr/bin/env bash
# The README's "run" command. Until the Dictaphone exists (issue 5) it installs what is
# missing, builds, and records five seconds of a 440 Hz tone to tone.ogg, one Blob a second.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-release -j "$(nproc)" --target record_tone
build-release/examples/record_tone tone.ogg 5
echo "wrote tone.ogg"
