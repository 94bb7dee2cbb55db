#!/usr/bin/env bash
# A private PulseAudio daemon for tests (docs/testing.md §5): its own runtime dir, a null
# sink "test" whose monitor "test.monitor" is the default source; stopped by pid. Used by
# the C++ integration tests (tests/support/pulse_daemon.cpp) and the Dictaphone's tests.
#
#   pulse-daemon.sh start DIR        starts it; prints the PULSE_SERVER value for clients
#   pulse-daemon.sh play DIR FILE    plays FILE into the null sink in the background; prints
#                                    the player's pid
#   pulse-daemon.sh stop DIR         stops it (and every player started by `play`)
set -euo pipefail

usage() { echo "usage: $0 start DIR | play DIR FILE | stop DIR" >&2; exit 2; }
[ $# -ge 2 ] || usage
command=$1
dir=$(realpath -m "$2")
export PULSE_RUNTIME_PATH="$dir/run" PULSE_STATE_PATH="$dir/state" XDG_CONFIG_HOME="$dir/config"
export PULSE_SERVER="unix:$dir/run/native"

case "$command" in
  start)
    mkdir -p "$dir"
    pulseaudio -n --daemonize=yes --exit-idle-time=-1 --disallow-exit=yes --system=false \
      --log-target=file:"$dir/pulse.log" \
      -L "module-null-sink sink_name=test rate=48000 channels=2" \
      -L module-native-protocol-unix >"$dir/start.log" 2>&1 || true
    for _ in $(seq 100); do
      if pactl info >/dev/null 2>&1; then
        echo "$PULSE_SERVER"
        exit 0
      fi
      sleep 0.02
    done
    echo "the PulseAudio daemon did not start:" >&2
    cat "$dir/start.log" "$dir/pulse.log" >&2 2>/dev/null || true
    exit 1
    ;;
  play)
    [ $# -eq 3 ] || usage
    # A small latency (docs/testing.md §5): an idle null sink renders in 2 s blocks otherwise.
    paplay --device=test --latency-msec=20 "$3" >/dev/null 2>&1 &
    echo $! | tee -a "$dir/players"
    ;;
  stop)
    if [ -f "$dir/players" ]; then
      while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$dir/players"
      rm -f "$dir/players"
    fi
    if [ -f "$dir/run/pid" ]; then kill -TERM "$(cat "$dir/run/pid")" 2>/dev/null || true; fi
    # Gone for its clients once it no longer answers (the process may linger ~2 s).
    for _ in $(seq 100); do
      pactl info >/dev/null 2>&1 || exit 0
      sleep 0.02
    done
    echo "the PulseAudio daemon in $dir still answers" >&2
    exit 1
    ;;
  *) usage ;;
esac
