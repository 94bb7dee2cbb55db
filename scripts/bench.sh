#!/usr/bin/env bash
# The benchmark command: measures mrec against its peers side by side in one run and prints
# one markdown table of ratios; without --quick it also writes bench/RESULTS.md. Figures are
# reported, never asserted.
#
#   scripts/bench.sh [--quick] [--only PATTERN] [BUILD_DIR]   (BUILD_DIR: build-release,
#                                                             built if missing)
#
# Whole processes run alternately (mrec, ffmpeg, opusenc, libopus alone, mrec, ...), CPU time
# (user + system) from /usr/bin/time, medians of 5 rounds and ratios taken pair by pair
# within each round, on inputs this script makes: 10 minutes of 48 kHz speech-like audio
# from espeak-ng, stereo and mono. --quick: 1 minute, 1 round, short live runs (CI uses it
# to keep the script working).
#
# --only PATTERN: only the rows whose key matches PATTERN (an extended regular expression,
# case-insensitive, e.g. mp4, 'h264|rss', '^opus-ogg-stereo$'), and only the runs those rows
# need. The keys are the first column of the table's rows at the end of this script:
#   opus-ogg-{stereo,mono}[-ffmpeg|-opusenc|-instructions], opus-webm-stereo,
#   opus-webm-{stereo,mono}-ffmpeg, opus-mp4-{stereo,mono}, opus-mp4-stereo-{ogg,instructions},
#   aac-mp4-stereo, vp8-webm[-wall|-ffmpeg], h264-mp4[-x264], live-{tones,cloned,own},
#   live-cloned-jitter,
#   live-tones-{cpu-50,cpu-100,jitter},
#   start-loss, timing-{start,stop,media,jitter}, rss-{ogg,mp4,fix},
#   fix-webm-hour[-mkvmerge|-wall|-wall-mkvmerge|-rss|-rss-mkvmerge], capture, micro.
# A filtered run prints its table; a full-size one (no --quick) also writes it into
# bench/RESULTS.md as a dated section of its own, with its command, replacing the section of
# an earlier run with the same PATTERN (or added at the end): the full table above is left as
# the last full run wrote it. A full run rewrites the whole file, sections included.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
quick=false
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=true; shift ;;
    --only) only=${2:?--only wants a pattern}; shift 2 ;;
    --only=*) only=${1#--only=}; shift ;;
    *) break ;;
  esac
done
build=${1:-build-release}
# selected KEY: the row KEY is wanted. wanted KEY...: any of them is.
selected() { [ -z "$only" ] || grep -qEi -- "$only" <<<"$1"; }
wanted() {
  local key
  for key in "$@"; do selected "$key" && return 0; done
  return 1
}
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
if $quick; then seconds=60 rounds=1 live_seconds=3 timing_rounds=5 timing_seconds=5 long=600
  start_rounds=3
else seconds=600 rounds=5 live_seconds=60 timing_rounds=20 timing_seconds=30 long=3600
  start_rounds=9; fi

need=(apps/mrec/mrec bench/libopus_alone bench/concurrent_recorders bench/event_timing
      bench/micro_benchmarks bench/capture_latency bench/video_encode bench/start_alignment)
for binary in "${need[@]}"; do
  if [ ! -x "$build/$binary" ]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$build" -j "$(nproc)" --target mrec_cli libopus_alone concurrent_recorders \
      event_timing micro_benchmarks capture_latency video_encode start_alignment
    break
  fi
done
mrec="$root/$build/apps/mrec/mrec"
bench="$root/$build/bench"

# In memory where there is a tmpfs: a disk-backed page cache may be reclaimed between runs
# (this VM runs DAMON reclaim), and re-reading the inputs from disk only adds noise.
work=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)
daemon="$work/pulse"
cleanup() {
  tests/support/pulse-daemon.sh stop "$daemon" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
log() { echo "$*" >&2; }

# ---- inputs: speech from espeak-ng, resampled to 48 kHz; the right channel a delayed,
# pitch-shifted copy so that stereo is not two equal channels.
cpu_keys=()  # the rows of whole audio processes; the instruction counts use the same inputs
for layout in stereo mono; do
  cpu_keys+=(opus-ogg-$layout opus-ogg-$layout-ffmpeg opus-ogg-$layout-opusenc
    opus-webm-$layout opus-webm-$layout-ffmpeg opus-mp4-$layout opus-mp4-$layout-ogg
    aac-mp4-$layout)
done
instruction_keys=(opus-ogg-stereo-instructions opus-ogg-mono-instructions
  opus-mp4-stereo-instructions)
if wanted "${cpu_keys[@]}" "${instruction_keys[@]}"; then
log "making ${seconds} s of speech-like input"
text="The quick brown fox jumps over the lazy dog while the recorder keeps every word. \
Media recording in native programs should be as fast as the codec allows, no slower."
espeak-ng -s 165 -w "$work/speech.wav" "$text $text $text"
sox "$work/speech.wav" -r 48000 -b 16 "$work/left.wav"
sox "$work/left.wav" "$work/right.wav" delay 0.007 pitch 40
sox -M "$work/left.wav" "$work/right.wav" "$work/pair.wav"
repeats=$(( seconds / 10 + 1 ))
sox "$work/pair.wav" -b 16 "$work/stereo.wav" repeat "$repeats" trim 0 "$seconds"
sox "$work/left.wav" -b 16 "$work/mono.wav" repeat "$repeats" trim 0 "$seconds"
fi

# ---- whole processes, side by side
cpu_of() {  # label command... : appends "label cpu" to $work/cpu.txt
  local label=$1
  shift
  /usr/bin/time -f "%U %S" -o "$work/time.txt" "$@" >"$work/out.txt" 2>"$work/err.txt" ||
    { cat "$work/err.txt" >&2; echo "$label failed" >&2; exit 1; }
  awk -v l="$label" '{ printf "%s %.3f\n", l, $1 + $2 }' "$work/time.txt" >>"$work/cpu.txt"
}
: >"$work/cpu.txt"
audio_rounds=$rounds
wanted "${cpu_keys[@]}" || audio_rounds=0
for round in $(seq "$audio_rounds"); do
  log "round $round of $rounds"
  for layout in stereo mono; do
    in="$work/$layout.wav"
    wanted opus-ogg-$layout opus-webm-$layout opus-mp4-$layout &&
      cpu_of "libopus-$layout-$round" "$bench/libopus_alone" "$in" 128000
    wanted opus-ogg-$layout opus-ogg-$layout-ffmpeg opus-ogg-$layout-opusenc \
      opus-mp4-$layout-ogg &&
      cpu_of "mrec-ogg-$layout-$round" "$mrec" record -q --file "$in" -o "$work/m.ogg"
    wanted opus-ogg-$layout-ffmpeg &&
      cpu_of "ffmpeg-ogg-$layout-$round" ffmpeg -nostdin -v error -y -i "$in" -c:a libopus \
        -b:a 128k -compression_level 10 "$work/f.ogg"
    wanted opus-ogg-$layout-opusenc &&
      cpu_of "opusenc-$layout-$round" opusenc --quiet --bitrate 128 "$in" "$work/o.opus"
    wanted opus-webm-$layout opus-webm-$layout-ffmpeg &&
      cpu_of "mrec-webm-$layout-$round" "$mrec" record -q --file "$in" -o "$work/m.webm"
    wanted opus-mp4-$layout opus-mp4-$layout-ogg &&
      cpu_of "mrec-mp4-$layout-$round" "$mrec" record -q --file "$in" \
        --type "audio/mp4;codecs=opus" -o "$work/m.m4a"
    # AAC where this build records it: against libavcodec's encoder driven by ffmpeg (the WAV
    # read and the encoder, no container: -f null), at the same bitrate.
    if wanted aac-mp4-$layout && "$mrec" types "audio/mp4;codecs=mp4a.40.2" | grep -q '^yes'; then
      cpu_of "mrec-aac-$layout-$round" "$mrec" record -q --file "$in" \
        --type "audio/mp4;codecs=mp4a.40.2" -o "$work/a.m4a"
      cpu_of "avcodec-aac-$layout-$round" ffmpeg -nostdin -v error -y -i "$in" -c:a aac \
        -b:a 128k -f null -
    fi
    wanted opus-webm-$layout-ffmpeg &&
      cpu_of "ffmpeg-webm-$layout-$round" ffmpeg -nostdin -v error -y -i "$in" -c:a libopus \
        -b:a 128k -compression_level 10 -f webm "$work/f.webm"
  done
done

# ---- user-space instructions (valgrind's callgrind), mrec against libopus alone on the first
# minute: a count that a shared machine's noise does not move, unlike CPU time; kernel time
# and cache misses are not in it. Full runs only (each run takes ~50x its CPU time).
instructions() {  # command...: prints the instructions it executed
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    awk '/Collected :/ { print $NF }'
}
: >"$work/instructions.txt"
if ! $quick; then
  for layout in stereo mono; do
    wanted opus-ogg-$layout-instructions opus-mp4-$layout-instructions || continue
    log "instruction counts, $layout"
    sox "$work/$layout.wav" "$work/$layout-minute.wav" trim 0 60
    echo "libopus-$layout $(instructions "$bench/libopus_alone" "$work/$layout-minute.wav" 128000)" \
      >>"$work/instructions.txt"
    if wanted opus-ogg-$layout-instructions; then
      echo "mrec-$layout $(instructions "$mrec" record -q --file "$work/$layout-minute.wav" \
        -o "$work/i.ogg")" >>"$work/instructions.txt"
    fi
    if wanted opus-mp4-$layout-instructions; then
      echo "mrec-mp4-$layout $(instructions "$mrec" record -q --file "$work/$layout-minute.wav" \
        --type "audio/mp4;codecs=opus" -o "$work/i.m4a")" >>"$work/instructions.txt"
    fi
  done
fi
count() { awk -v l="$1" '$1 == l { print $2 }' "$work/instructions.txt"; }
count_ratio() {
  awk -v a="$(count "$1")" -v b="$(count "$2")" 'BEGIN { if (b > 0) printf "%.4f", a / b; else print "-" }'
}
millions() { awk -v a="$(count "$1")" 'BEGIN { if (a > 0) printf "%.0f M", a / 1e6; else print "-" }'; }

# ---- video: VP8 640x480 at 2.5 Mbit/s on ffmpeg's moving testsrc2 picture, the same raw
# frames for mrec (generator -> recorder -> WebM Blobs), libvpx alone and ffmpeg's libvpx.
if $quick; then video_seconds=5; else video_seconds=30; fi
video_rounds=$rounds
wanted vp8-webm vp8-webm-wall vp8-webm-ffmpeg h264-mp4 h264-mp4-x264 || video_rounds=0
[ "$video_rounds" = 0 ] || ffmpeg -nostdin -v error -f lavfi -i "testsrc2=size=640x480:rate=30" -t "$video_seconds" \
  -pix_fmt yuv420p -f rawvideo "$work/frames.yuv"
: >"$work/fps.txt"
for round in $(seq "$video_rounds"); do
  wanted vp8-webm vp8-webm-wall vp8-webm-ffmpeg && for who in libvpx mrec; do
    cpu_of "vp8-$who-$round" "$bench/video_encode" "$who" "$work/frames.yuv" 640 480 30 \
      2500000 "$work/v.$who"
    awk -v l="vp8-$who-$round" '{ print l, $6 }' "$work/out.txt" >>"$work/fps.txt"
  done
  wanted vp8-webm-ffmpeg && cpu_of "vp8-ffmpeg-$round" ffmpeg -nostdin -v error -y -f rawvideo -pix_fmt yuv420p \
    -s 640x480 -r 30 -i "$work/frames.yuv" -c:v libvpx -deadline realtime -cpu-used -6 \
    -threads 1 -b:v 2500k -lag-in-frames 0 -f webm "$work/v.ffmpeg.webm"
  # H.264: mrec (generator -> recorder -> MP4 Blobs) against OpenH264 alone with the same
  # settings, and ffmpeg's libx264 at a realtime preset (no B-frames, one thread, the same
  # bitrate) as the field's usual software encoder.
  wanted h264-mp4 h264-mp4-x264 && for who in openh264 mrec-h264; do
    cpu_of "h264-$who-$round" "$bench/video_encode" "$who" "$work/frames.yuv" 640 480 30 \
      2500000 "$work/h.$who"
  done
  wanted h264-mp4-x264 && cpu_of "h264-x264-$round" ffmpeg -nostdin -v error -y -f rawvideo -pix_fmt yuv420p \
    -s 640x480 -r 30 -i "$work/frames.yuv" -c:v libx264 -preset veryfast -tune zerolatency \
    -bf 0 -threads 1 -b:v 2500k -f mp4 "$work/h.x264.mp4"
done
video_frames=$(( video_seconds * 30 ))
fps_of() { awk -v f="$video_frames" -v c="$(cpu "$1")" 'BEGIN { if (c > 0) printf "%.0f", f / c; else print "-" }'; }
wall_fps() { awk -v p="^$1-[0-9]+\$" '$1 ~ p { print $2 }' "$work/fps.txt" | median; }

# median of the values of labels matching a pattern; ratio: median over rounds of a/b.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
cpu() { awk -v p="^$1-[0-9]+\$" '$1 ~ p { print $2 }' "$work/cpu.txt" | median; }
ratio() {
  for round in $(seq "$rounds"); do
    awk -v a="$1-$round" -v b="$2-$round" '$1 == a { x = $2 } $1 == b { y = $2 }
      END { if (y > 0) printf "%.4f\n", x / y }' "$work/cpu.txt"
  done | median
}
realtime() { awk -v s="$seconds" -v c="$1" 'BEGIN { if (c > 0) printf "%.0f", s / c; else print "-" }'; }

# ---- live: concurrent realtime stereo recorders, on synthetic tones and on a capture device
# (the PulseAudio null sink's monitor, fed by a player for the whole run)
# ---- start loss: what of the input `mrec record --device` misses at its start beyond what
# parec misses, both from the start of their process. Pink noise plays into the null sink;
# parec records its monitor, and mrec is started a known time later; where mrec's file
# starts within parec's recording (found by correlation, bench/start_alignment), less that
# time, is what mrec lost more. The first round warms the monitor up and is left out.
# (Within the library nothing delivered after start() is lost: CaptureStart.* tests it.)
start_loss="" startup_mrec="" startup_parec=""
measure_start_loss() {
  local noise="$work/noise.wav" player round t_parec t_mrec parec_pid offset correlation
  sox -n -r 48000 -c 2 -b 16 "$noise" synth 60 pinknoise vol 0.5
  player=$(tests/support/pulse-daemon.sh play "$daemon" "$noise")
  sleep 1
  for round in $(seq 0 "$start_rounds"); do
    t_parec=$(date +%s%N)
    parec --device=test.monitor --format=float32le --rate=48000 --channels=1 \
      --latency-msec=10 --raw >"$work/parec.f32" &
    parec_pid=$!
    sleep 0.5
    t_mrec=$(date +%s%N)
    "$mrec" record -q --device test.monitor --duration 1 --audio-bitrate 320000 \
      -o "$work/start.ogg"
    sleep 0.2
    kill "$parec_pid"
    wait "$parec_pid" 2>/dev/null || true
    ffmpeg -nostdin -v error -y -i "$work/start.ogg" -f f32le -ac 1 -ar 48000 "$work/start.f32"
    read -r offset correlation < <("$bench/start_alignment" "$work/parec.f32" "$work/start.f32")
    [ "$round" = 0 ] && continue
    # A round whose file is not found in parec's recording (no match) counts for nothing.
    awk -v o="${offset:-0}" -v c="${correlation:-0}" -v p="$t_parec" -v m="$t_mrec" \
      'BEGIN { if (c >= 0.5) printf "%.1f\n", o / 48 - (m - p) / 1e6 }'
  done >"$work/start-loss.txt"
  kill "$player" 2>/dev/null || true
  start_loss=$(median <"$work/start-loss.txt")
  # How much of that is starting the process: each program asked only for its help.
  startup() { for _ in 1 2 3 4 5 6 7; do
      local t0; t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true
      echo $((($(date +%s%N) - t0) / 1000)); done | median | awk '{ printf "%.1f", $1 / 1000 }'; }
  startup_mrec=$(startup "$mrec" record --help)
  startup_parec=$(startup parec --help)
}
if wanted live-tones live-cloned live-cloned-jitter live-own capture start-loss; then
  PULSE_SERVER=$(tests/support/pulse-daemon.sh start "$daemon")
  export PULSE_SERVER
  if wanted start-loss; then
    log "start loss against parec"
    measure_start_loss
  fi
  # Long enough for every run below: an idle null sink delivers in 2 s blocks
  # (docs/testing.md §5).
  if $quick; then played=120; else played=600; fi
  sox -n -r 48000 -c 2 -b 16 "$work/tone.wav" synth "$played" sine 440 vol 0.5
  tests/support/pulse-daemon.sh play "$daemon" "$work/tone.wav" >/dev/null
fi
live_rows="" live_tone="" live_shared="" live_own=""
declare -A frame_us_at=()  # "NAME-LEVEL": µs of CPU per 20 ms frame at that many recorders
declare -A jitter_at=()    # "NAME-LEVEL": dataavailable jitter there, "P99 ms (MAX ms)"
# A level holds when, for live_seconds (a minute in a full run), no capture queue overflowed,
# every one-second Blob came (the media kept up with the clock) and came on time (none more
# than 100 ms off its second: a machine past its limit keeps up for a while by falling
# behind), and stop() found no backlog (drained within 100 ms).
ladder() {  # name levels... -- recorder arguments; sets held: the largest level that held
  local name=$1 n line overflows frame_us drain kept_up blobs jitter_max
  shift
  held=0
  local levels=()
  while [ "$1" != "--" ]; do levels+=("$1"); shift; done
  shift
  for n in "${levels[@]}"; do
    if ! line=$("$bench/concurrent_recorders" "$n" "$live_seconds" "$@" 2>"$work/live.err"); then
      live_rows+="$name, $n recorders: failed ($(head -c 200 "$work/live.err" | tr '\n' ' ')); "
      break
    fi
    overflows=$(awk '{ print $4 }' <<<"$line")
    frame_us=$(awk '{ print $6 }' <<<"$line")
    frame_us_at["$name-$n"]=$frame_us
    jitter_at["$name-$n"]=$(awk '{ print $18 " ms (" $20 " ms)" }' <<<"$line")
    jitter_max=$(awk '{ print $20 }' <<<"$line")
    drain=$(awk '{ print $8 }' <<<"$line")
    kept_up=$(awk '{ print $10 }' <<<"$line")
    blobs=$(awk '{ print $12 " of " $14 }' <<<"$line")
    live_rows+="$name, $n recorders: overflows $overflows, one-second Blobs $blobs, ${frame_us} µs CPU per 20 ms frame, drained in ${drain} ms, dataavailable jitter p99 (max) ${jitter_at["$name-$n"]}; "
    if [ "$overflows" = 0 ] && [ "$kept_up" = 1 ] && [ "${drain%.*}" -lt 100 ] &&
      [ "${jitter_max%.*}" -lt 100 ]; then
      held=$n
    else
      break
    fi
    if $quick && [ "$n" -ge "${levels[1]}" ]; then break; fi
  done
}
wanted live-tones live-tones-cpu-50 live-tones-cpu-100 live-tones-jitter live-cloned live-cloned-jitter live-own &&
  log "concurrent realtime recorders"
if wanted live-tones live-tones-cpu-50 live-tones-cpu-100 live-tones-jitter; then
  ladder tones 50 100 150 170 190 200 210 220 240 260 280 300 --
  live_tone=$held
fi
# The codec alone on the same signal at mrec's default 128 kbit/s: the tones of the first 100
# recorders (stereo, 200 Hz + 10 Hz a recorder, amplitude 0.5), 0.6 s of each. Its CPU per
# 20 ms frame, and the number of live recorders that leaves room for on this machine's cores.
tone_us="" codec_limit=""
if wanted live-tones live-tones-cpu-50 live-tones-cpu-100 live-cloned; then
  pieces=()
  for i in $(seq 0 99); do
    pieces+=("$work/live-tone-$i.wav")
    sox -n -r 48000 -c 2 -b 16 "${pieces[-1]}" synth 0.6 sine $((200 + 10 * i)) vol 0.5
  done
  sox "${pieces[@]}" "$work/live-tone.wav"
  rm -f "${pieces[@]}"
  for round in $(seq "$rounds"); do
    cpu_of "libopus-tone-$round" "$bench/libopus_alone" "$work/live-tone.wav" 128000
  done
  tone_us=$(awk -v c="$(cpu libopus-tone)" 'BEGIN { printf "%.1f", c / (60 * 50) * 1e6 }')
  codec_limit=$(awk -v u="$tone_us" -v n="$(nproc)" 'BEGIN { if (u > 0) printf "%d", n * 20000 / u }')
fi
live_ratio() {  # level: mrec's CPU per frame at that many tone recorders over the codec's
  awk -v a="${frame_us_at[tones-$1]-}" -v b="$tone_us" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b }'
}
if wanted live-cloned live-cloned-jitter; then
  ladder "one capture, cloned" 50 100 150 170 190 200 210 220 240 260 280 300 -- --device test.monitor --shared
  live_shared=$held
fi
if wanted live-own; then
  ladder "a capture each" 10 20 40 60 -- --device test.monitor
  live_own=$held
fi

timing=""
if wanted timing-start timing-stop timing-media timing-jitter; then
  log "event timing"
  timing=$("$bench/event_timing" "$timing_rounds" "$timing_seconds")
fi
field() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' <<<"$timing"; }

wanted rss-ogg rss-mp4 && log "peak RSS without a timeslice"
rss() {  # seconds [type]: an MP4 includes makeSeekable's index of every sample
  /usr/bin/time -f "%M" -o "$work/rss.txt" "$mrec" record -q --tone 440 --offline \
    --duration "$1" --timeslice none --type "${2:-audio/ogg}" -o "$work/rss.out"
  cat "$work/rss.txt"
}
rss_short="" rss_long="" rss_mp4_short="" rss_mp4_long="" fix_rss_short="" fix_rss_long=""
if wanted rss-ogg; then
  rss_short=$(rss 60)
  rss_long=$(rss "$long")
fi
if wanted rss-mp4; then
  # Opus whether or not the build has AAC, so that every build measures the same thing
  rss_mp4_short=$(rss 60 "audio/mp4;codecs=opus")
  rss_mp4_long=$(rss "$long" "audio/mp4;codecs=opus")
fi
# mrec fix of a WebM cut every 20 ms (--timeslice 0: a cluster per Opus packet), missing its
# last byte so that it is rewritten: memory must not grow with the number of clusters.
fix_rss() {  # seconds
  "$mrec" record -q --tone 440 --offline --duration "$1" --timeslice 0 --type audio/webm \
    -o - >"$work/fix.webm"
  truncate -s -1 "$work/fix.webm"
  /usr/bin/time -f "%M" -o "$work/rss.txt" "$mrec" fix "$work/fix.webm"
  cat "$work/rss.txt"
}
if wanted rss-fix; then
  fix_rss_short=$(fix_rss 60)
  fix_rss_long=$(fix_rss "$long")
fi
# mrec fix of another writer's live WebM against the tools one would use instead: ffmpeg
# -c copy (which writes Cues and a Duration) and mkvmerge. The input is made as a live
# stream is: ffmpeg's WebM muxer with -live 1 writing to a pipe (no Duration, no Cues, a
# Segment of unknown size, a cluster every ~0.5 s), Opus 128 kbit/s CBR stereo, ${long} s.
# Each tool runs on the same input alternately, mrec on a fresh copy (it fixes in place),
# the others to a new file; CPU (user + system), wall and peak RSS from /usr/bin/time.
fix_keys=(fix-webm-hour fix-webm-hour-mkvmerge fix-webm-hour-wall fix-webm-hour-wall-mkvmerge
  fix-webm-hour-rss fix-webm-hour-rss-mkvmerge)
: >"$work/fix.txt"
if wanted "${fix_keys[@]}"; then
  log "mrec fix of a ${long} s live WebM, against ffmpeg -c copy and mkvmerge"
  sox -n -r 48000 -c 2 -b 16 "$work/noise.wav" synth 60 pinknoise vol 0.3
  ffmpeg -nostdin -v error -stream_loop $(( long / 60 - 1 )) -i "$work/noise.wav" -c:a libopus \
    -b:a 128k -vbr off -f webm -live 1 pipe:1 >"$work/live.webm"
  fix_time() {  # label command...: appends "label cpu wall rss" to $work/fix.txt
    local label=$1
    shift
    /usr/bin/time -f "%U %S %e %M" -o "$work/time.txt" "$@" >"$work/out.txt" 2>"$work/err.txt" ||
      { cat "$work/err.txt" >&2; echo "$label failed" >&2; exit 1; }
    awk -v l="$label" '{ printf "%s %.3f %.3f %d\n", l, $1 + $2, $3, $4 }' "$work/time.txt" \
      >>"$work/fix.txt"
  }
  for round in $(seq "$rounds"); do
    cp "$work/live.webm" "$work/fixed.webm"
    fix_time "fix-mrec-$round" "$mrec" fix "$work/fixed.webm"
    rm -f "$work/ffmpeg.webm"
    fix_time "fix-ffmpeg-$round" ffmpeg -nostdin -v error -i "$work/live.webm" -c copy \
      "$work/ffmpeg.webm"
    rm -f "$work/mkvmerge.webm"
    fix_time "fix-mkvmerge-$round" mkvmerge -q --webm -o "$work/mkvmerge.webm" "$work/live.webm"
  done
  fix_size=$(awk '{ printf "%.1f MB", $1 / 1e6 }' <<<"$(stat -c %s "$work/live.webm")")
  fix_duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$work/fixed.webm")
  rm -f "$work/live.webm" "$work/fixed.webm" "$work/ffmpeg.webm" "$work/mkvmerge.webm"
fi
# fix_field FIELD LABEL: the median over rounds (FIELD 2 CPU s, 3 wall s, 4 peak RSS KiB);
# fix_ratio FIELD A B: the median over rounds of A's over B's in the same round.
fix_field() { awk -v p="^fix-$2-[0-9]+\$" -v f="$1" '$1 ~ p { print $f }' "$work/fix.txt" | median; }
fix_ratio() {
  for round in $(seq "$rounds"); do
    awk -v a="fix-$2-$round" -v b="fix-$3-$round" -v f="$1" '$1 == a { x = $f } $1 == b { y = $f }
      END { if (y > 0) printf "%.4f\n", x / y }' "$work/fix.txt"
  done | median
}
# long over short, or "-" where a figure is missing
over() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "-" }'; }

capture=""
if wanted capture; then
  log "capture latency"
  capture=$("$bench/capture_latency" test.monitor 5 | tr '\n' ' ')
fi

# ---- the table: one row per key, kept where the key is selected
s_lib=$(cpu libopus-stereo) m_lib=$(cpu libopus-mono)
rows=$(cat <<TABLE
opus-ogg-stereo | Ogg Opus stereo, CPU s for ${seconds} s | $(cpu mrec-ogg-stereo) | libopus alone $s_lib ($(realtime "$s_lib")× realtime) | $(ratio mrec-ogg-stereo libopus-stereo) | ≤ 1.03 |
opus-ogg-stereo-ffmpeg | Ogg Opus stereo vs ffmpeg | $(cpu mrec-ogg-stereo) | ffmpeg $(cpu ffmpeg-ogg-stereo) | $(ratio mrec-ogg-stereo ffmpeg-ogg-stereo) | ≤ 0.95 |
opus-ogg-stereo-opusenc | Ogg Opus stereo vs opusenc | $(cpu mrec-ogg-stereo) | opusenc $(cpu opusenc-stereo) | $(ratio mrec-ogg-stereo opusenc-stereo) | |
opus-ogg-mono | Ogg Opus mono, CPU s for ${seconds} s | $(cpu mrec-ogg-mono) | libopus alone $m_lib ($(realtime "$m_lib")× realtime) | $(ratio mrec-ogg-mono libopus-mono) | ≤ 1.03 |
opus-ogg-mono-ffmpeg | Ogg Opus mono vs ffmpeg | $(cpu mrec-ogg-mono) | ffmpeg $(cpu ffmpeg-ogg-mono) | $(ratio mrec-ogg-mono ffmpeg-ogg-mono) | ≤ 0.95 |
opus-ogg-mono-opusenc | Ogg Opus mono vs opusenc | $(cpu mrec-ogg-mono) | opusenc $(cpu opusenc-mono) | $(ratio mrec-ogg-mono opusenc-mono) | |
opus-ogg-stereo-instructions | Ogg Opus stereo, user-space instructions for 60 s (callgrind) | $(millions mrec-stereo) | libopus alone $(millions libopus-stereo) | $(count_ratio mrec-stereo libopus-stereo) | |
opus-ogg-mono-instructions | Ogg Opus mono, user-space instructions for 60 s (callgrind) | $(millions mrec-mono) | libopus alone $(millions libopus-mono) | $(count_ratio mrec-mono libopus-mono) | |
opus-webm-stereo | WebM Opus stereo vs libopus alone | $(cpu mrec-webm-stereo) | $s_lib | $(ratio mrec-webm-stereo libopus-stereo) | |
opus-webm-stereo-ffmpeg | WebM Opus stereo vs ffmpeg | $(cpu mrec-webm-stereo) | ffmpeg $(cpu ffmpeg-webm-stereo) | $(ratio mrec-webm-stereo ffmpeg-webm-stereo) | |
opus-webm-mono-ffmpeg | WebM Opus mono vs ffmpeg | $(cpu mrec-webm-mono) | ffmpeg $(cpu ffmpeg-webm-mono) | $(ratio mrec-webm-mono ffmpeg-webm-mono) | |
opus-mp4-stereo | MP4 Opus stereo vs libopus alone (finished by makeSeekable) | $(cpu mrec-mp4-stereo) | $s_lib | $(ratio mrec-mp4-stereo libopus-stereo) | ≤ 1.03 |
opus-mp4-mono | MP4 Opus mono vs libopus alone (finished by makeSeekable) | $(cpu mrec-mp4-mono) | $m_lib | $(ratio mrec-mp4-mono libopus-mono) | ≤ 1.03 |
opus-mp4-stereo-instructions | MP4 Opus stereo, user-space instructions for 60 s (callgrind) | $(millions mrec-mp4-stereo) | libopus alone $(millions libopus-stereo) | $(count_ratio mrec-mp4-stereo libopus-stereo) | |
opus-mp4-stereo-ogg | MP4 Opus stereo vs mrec's Ogg Opus (the container's share) | $(cpu mrec-mp4-stereo) | Ogg $(cpu mrec-ogg-stereo) | $(ratio mrec-mp4-stereo mrec-ogg-stereo) | |
aac-mp4-stereo | MP4 AAC-LC stereo vs libavcodec's encoder via ffmpeg -f null (builds with AAC) | $(cpu mrec-aac-stereo) | ffmpeg $(cpu avcodec-aac-stereo) | $(ratio mrec-aac-stereo avcodec-aac-stereo) | ≤ 1.05 |
vp8-webm | VP8 640x480 encode+mux, frames per CPU second ($video_frames frames) | $(fps_of vp8-mrec) | libvpx alone $(fps_of vp8-libvpx) | $(ratio vp8-mrec vp8-libvpx) (CPU) | ≤ 1.05 × libvpx |
vp8-webm-wall | VP8 640x480 encode+mux, frames per wall-clock second (1 thread) | $(wall_fps vp8-mrec) | libvpx alone $(wall_fps vp8-libvpx) | | |
vp8-webm-ffmpeg | VP8 640x480 encode+mux vs ffmpeg (libvpx, same settings) | $(cpu vp8-mrec) s | ffmpeg $(cpu vp8-ffmpeg) s | $(ratio vp8-mrec vp8-ffmpeg) | |
h264-mp4 | H.264 640x480 encode+mux in MP4, CPU s ($video_frames frames) | $(cpu h264-mrec-h264) | OpenH264 alone $(cpu h264-openh264) | $(ratio h264-mrec-h264 h264-openh264) | ≤ 1.05 × OpenH264 |
h264-mp4-x264 | H.264 640x480 encode+mux vs ffmpeg's libx264 (veryfast, zerolatency, 1 thread) | $(cpu h264-mrec-h264) s | ffmpeg $(cpu h264-x264) s | $(ratio h264-mrec-h264 h264-x264) | |
live-tones | concurrent realtime 48 kHz stereo recorders, held a minute (no overflow, every one-second Blob on time, no backlog) | $live_tone (the largest of 50, 100, 150, 170, 190, 200, 210, 220, … 300 that held) | the codec's limit $codec_limit ($(nproc) cores × 20 ms / libopus alone's CPU per frame) | $(awk -v a="$live_tone" -v b="$codec_limit" 'BEGIN { if (b > 0) printf "%.2f", a / b }') | ≥ 0.90 |
live-tones-jitter | dataavailable jitter p99 (max) of the one-second Blobs, at the most tone recorders that held ($live_tone) | ${jitter_at[tones-$live_tone]-} | | | ≤ 5 ms |
live-tones-cpu-50 | CPU per 20 ms stereo frame, 50 live tone recorders | ${frame_us_at[tones-50]-} µs | libopus alone on a tone $tone_us µs | $(live_ratio 50) | ≤ 1.10 |
live-tones-cpu-100 | the same, 100 live tone recorders | ${frame_us_at[tones-100]-} µs | libopus alone on a tone $tone_us µs | $(live_ratio 100) | ≤ 1.10 |
live-cloned | the same, recording clones of one PulseAudio capture | $live_shared (of 50, 100, 150, 170, 190, 200, 210, 220, … 300) | the codec's limit $codec_limit | $(awk -v a="$live_shared" -v b="$codec_limit" 'BEGIN { if (b > 0) printf "%.2f", a / b }') | ≥ 0.90 |
live-cloned-jitter | dataavailable jitter p99 (max), at the most clones that held ($live_shared) | ${jitter_at[one capture, cloned-$live_shared]-} | | | ≤ 5 ms |
live-own | the same, each recorder its own PulseAudio capture | $live_own (of 10, 20, 40, 60) | | | |
start-loss | media lost at the start of \`mrec record --device\` beyond parec's on the same monitor, from process start (median of $start_rounds) | ${start_loss} ms more | parec; starting the process alone: mrec ${startup_mrec} ms, parec ${startup_parec} ms | | ≤ 10 ms |
timing-start | start() → start event, median | $(field start_ms_median) ms | | | ≤ 5 ms |
timing-stop | stop() → stop event, median | $(field stop_ms_median) ms | | | ≤ 30 ms |
timing-media | start(100): media per Blob, worst error | $(field media_error_ms_max) ms over $(field blobs) Blobs | | | ≤ one 20 ms frame |
timing-jitter | start(100): dataavailable jitter p99 (max) | $(field jitter_ms_p99) ms ($(field jitter_ms_max) ms) | | | ≤ 5 ms |
rss-ogg | peak RSS, no timeslice: ${long} s vs 60 s | ${rss_long} KiB | ${rss_short} KiB | $(over "$rss_long" "$rss_short") | within a few MiB |
rss-mp4 | the same in MP4 (audio/mp4;codecs=opus, finished by makeSeekable) | ${rss_mp4_long} KiB | ${rss_mp4_short} KiB | $(over "$rss_mp4_long" "$rss_mp4_short") | within a few MiB |
rss-fix | peak RSS of mrec fix rewriting a WebM of 50 clusters a second: ${long} s vs 60 s | ${fix_rss_long} KiB | ${fix_rss_short} KiB | $(over "$fix_rss_long" "$fix_rss_short") | within a few MiB |
fix-webm-hour | mrec fix of a ${long} s live WebM (ffmpeg -live 1 to a pipe, ${fix_size:-}), CPU s | $(fix_field 2 mrec) | ffmpeg -c copy $(fix_field 2 ffmpeg) | $(fix_ratio 2 mrec ffmpeg) | < 1 |
fix-webm-hour-mkvmerge | the same vs mkvmerge, CPU s | $(fix_field 2 mrec) | mkvmerge $(fix_field 2 mkvmerge) | $(fix_ratio 2 mrec mkvmerge) | < 1 |
fix-webm-hour-wall | the same, wall s (fixed: ffprobe says ${fix_duration:-} s) | $(fix_field 3 mrec) | ffmpeg -c copy $(fix_field 3 ffmpeg) | $(fix_ratio 3 mrec ffmpeg) | ≤ 0.5 s |
fix-webm-hour-wall-mkvmerge | the same vs mkvmerge, wall s | $(fix_field 3 mrec) | mkvmerge $(fix_field 3 mkvmerge) | $(fix_ratio 3 mrec mkvmerge) | < 1 |
fix-webm-hour-rss | the same, peak RSS | $(fix_field 4 mrec) KiB | ffmpeg -c copy $(fix_field 4 ffmpeg) KiB | $(fix_ratio 4 mrec ffmpeg) | ≤ 8 MiB |
fix-webm-hour-rss-mkvmerge | the same vs mkvmerge, peak RSS | $(fix_field 4 mrec) KiB | mkvmerge $(fix_field 4 mkvmerge) KiB | $(fix_ratio 4 mrec mkvmerge) | < 1 |
TABLE
)
table="| measurement | mrec | peer | mrec / peer | target |
|---|---|---|---|---|"
kept=0
while IFS= read -r line; do
  if selected "${line%% | *}"; then
    table+=$'\n'"| ${line#* | }"
    kept=$((kept + 1))
  fi
done <<<"$rows"
if [ "$kept" = 0 ] && ! wanted capture micro; then
  echo "bench.sh: no row's key matches --only '$only' (the keys are listed at the top)" >&2
  exit 2
fi
load_at_end=$(cut -d' ' -f1-3 /proc/loadavg)
echo
echo "$table"
echo
echo "Load average (1, 5, 15 min) at the start: $load_at_start; at the end: $load_at_end"
[ -n "$live_rows" ] && echo "Live recorders: $live_rows"
[ -n "$capture" ] && echo "Capture latency (PulseAudio null-sink monitor): $capture"
echo
micro=""
if wanted micro; then
  log "micro-benchmarks"
  micro=$("$bench/micro_benchmarks" --benchmark_min_time=0.2 2>/dev/null | grep -E "^BM_|^Benchmark|^---")
  echo '```'
  echo "$micro"
  echo '```'
fi

machine() {
  echo "- Machine: $(nproc) × $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -r); load average (1, 5, 15 min) $load_at_start at the start, $load_at_end at the end"
  echo "- mrec $(git rev-parse --short HEAD), libopus $(pkg-config --modversion opus), $(ffmpeg -version | head -1 | cut -d' ' -f1-3), $(opusenc --version | head -1)"
  echo "- Inputs: ${seconds} s of espeak-ng speech at 48 kHz (stereo: the right channel delayed 7 ms and pitch-shifted), 16-bit WAV; 128 kbit/s VBR, complexity 10; $rounds rounds, medians; ratios taken within each round."
}
if ! $quick && [ -z "$only" ]; then
  {
    echo "# Benchmark results"
    echo
    echo "Written by \`scripts/bench.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'); a full run overwrites it,"
    echo "a run with \`--only PATTERN\` replaces only its own section at the end."
    echo
    machine
    echo
    echo "$table"
    echo
    echo "Live recorders: $live_rows"
    echo
    echo "Capture latency (PulseAudio null-sink monitor): $capture"
    echo
    echo "Micro-benchmarks (Google Benchmark):"
    echo
    echo '```'
    echo "$micro"
    echo '```'
  } >bench/RESULTS.md
  log "wrote bench/RESULTS.md"
elif ! $quick; then
  # A section of its own, between markers naming the pattern: a later run with the same
  # pattern replaces it, other sections and the full table stay as they are.
  begin="<!-- bench.sh --only $only -->" end="<!-- end of bench.sh --only $only -->"
  {
    echo "$begin"
    echo "## Rows matching \`$only\`, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "\`scripts/bench.sh --only '$only'\`; the other rows above are from the last full run."
    echo
    machine
    echo
    echo "$table"
    if [ -n "$micro" ]; then printf '\n```\n%s\n```\n' "$micro"; fi
    echo "$end"
  } >"$work/section.md"
  touch bench/RESULTS.md
  # Through the environment: awk -v would take the backslashes of a pattern as escapes.
  BEGIN_MARK=$begin END_MARK=$end SECTION=$work/section.md awk '
    $0 == ENVIRON["BEGIN_MARK"] { skipping = 1; next }
    skipping && $0 == ENVIRON["END_MARK"] { skipping = 0; next }
    !skipping { lines[++n] = $0 }
    END {
      while (n > 0 && lines[n] == "") n--
      for (i = 1; i <= n; i++) print lines[i]
      print ""
      while ((getline line < ENVIRON["SECTION"]) > 0) print line
    }' bench/RESULTS.md >"$work/results.md"
  cp "$work/results.md" bench/RESULTS.md
  log "wrote the section for --only $only in bench/RESULTS.md"
fi
