#!/usr/bin/env bash
# A recording with no timeslice keeps its whole file undelivered until stop. Its peak RSS
# must not grow with its length: 1 hour of offline Opus must stay within a few MiB of
# 1 minute, because undelivered media past a few MiB spills to a temporary file. Also checks
# the hour is all there. Prints the figures it measured.
#
#   bounded_rss.sh path/to/mrec
set -euo pipefail
mrec=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
limit_kib=$((8 * 1024))  # "a few MiB"; the spill threshold itself is 4 MiB

peak_kib() {  # seconds -> peak RSS in KiB of one recording of that length
  /usr/bin/time -f '%M' -o "$dir/rss" "$mrec" record -q --tone 440 --offline --duration "$1" \
    --timeslice none -o "$dir/$1.ogg"
  cat "$dir/rss"
}

minute=$(peak_kib 60)
hour=$(peak_kib 3600)
size=$(stat -c %s "$dir/3600.ogg")
seconds=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$dir/3600.ogg")
echo "peak RSS: 1 minute ${minute} KiB, 1 hour ${hour} KiB (a ${size}-byte file of ${seconds} s)"
awk -v s="$seconds" 'BEGIN { exit !(s > 3599.98 && s < 3600.02) }' ||
  { echo "the hour-long file is not an hour long"; exit 1; }
[ $((hour - minute)) -le $limit_kib ] ||
  { echo "peak RSS grew by $((hour - minute)) KiB with the recording's length"; exit 1; }
