#!/usr/bin/env bash
# The README's "run" command: installs what is missing, builds, and starts the Web
# dictaphone at http://127.0.0.1:8080/ with its defaults (clips in
# $XDG_DATA_HOME/mrec/dictaphone or ~/.local/share/mrec/dictaphone). Extra arguments go to
# `mrec dictaphone` (e.g. --listen 127.0.0.1:9000 --data DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-release -j "$(nproc)" --target mrec_cli
exec build-release/apps/mrec/mrec dictaphone "$@"
