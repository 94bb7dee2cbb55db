#!/usr/bin/env bash
# Builds the libFuzzer fuzzers with clang (ASan+UBSan; the whole library, so its locking
# annotations are checked on the way: -Wthread-safety as errors) and runs each from its seed corpus in
# fuzz/corpus/NAME (left unchanged). A crash fails the run and leaves its input in
# BUILD/fuzz-artifacts/; keep it in tests/data/fuzz-regressions with a test.
#
#   scripts/fuzz.sh SECONDS [BUILD]  explore: each fuzzer for SECONDS, with a random seed
#   scripts/fuzz.sh --ci [BUILD]     the test command's budget: a fixed seed and a fixed number
#                                    of executions each (about a minute here), so that a run
#                                    passes or fails the same way every time; new finds come
#                                    from exploring
# BUILD, if given, is a build directory configured with clang, -DMREC_BUILD_FUZZERS=ON and
# ASan+UBSan (the test command's ASan build is one): its fuzzers are built there. Without it
# they are built in build-fuzz, configured here.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
mode=${1:---ci}
build=${2:+$(realpath "$2")}
# The slowest first, so that the others share the second core beside it. The CI budgets are
# about a minute each in the test command's ASan build (-O1), run two at a time.
fuzzers=(dictaphone_request mime_type wav_reader webm_reader mp4_reader)
declare -A ci_runs=([mime_type]=1500000 [wav_reader]=4000000 [webm_reader]=45000 [mp4_reader]=300000
                    [dictaphone_request]=30000)

if [ -z "$build" ]; then
  build="$root/build-fuzz"
  CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DBUILD_SHARED_LIBS=OFF -DMREC_SANITIZE=address,undefined -DMREC_BUILD_FUZZERS=ON \
    -DMREC_THREAD_SAFETY_ANALYSIS=ON \
    -DMREC_BUILD_TESTS=OFF -DMREC_BUILD_EXAMPLES=OFF >/dev/null
elif ! grep -q '^MREC_BUILD_FUZZERS:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  echo "$build is not a build with -DMREC_BUILD_FUZZERS=ON" >&2
  exit 2
fi
cmake --build "$build" -j "$(nproc)" --target "${fuzzers[@]/%/_fuzzer}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$build/fuzz-artifacts"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# One fuzzer per core at a time: the same executions, in about half the wall time.
run_fuzzer() {  # name
  local name=$1
  mkdir -p "$work/$name"
  if [ "$mode" = --ci ]; then
    budget=(-seed=1 -runs="${ci_runs[$name]}")
  else
    budget=(-max_total_time="$mode")
  fi
  # New inputs go to the scratch corpus (first directory); the seeds stay as they are.
  if TMPDIR="$work" "$build/fuzz/${name}_fuzzer" "${budget[@]}" -timeout=20 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$name-" \
    "$work/$name" "fuzz/corpus/$name" >"$work/$name.log" 2>&1; then
    echo ok >"$work/$name.status"
  else
    echo failed >"$work/$name.status"
  fi
}
parallel=$(nproc)
running=0
for name in "${fuzzers[@]}"; do
  echo "== $name: from $(ls "fuzz/corpus/$name" | wc -l) seeds"
  run_fuzzer "$name" &
  running=$((running + 1))
  if [ "$running" -ge "$parallel" ]; then wait -n; running=$((running - 1)); fi
done
wait
failed=0
for name in "${fuzzers[@]}"; do
  echo "== $name"
  if [ "$(cat "$work/$name.status" 2>/dev/null)" != ok ]; then
    tail -60 "$work/$name.log"
    echo "$name found a crash: see $build/fuzz-artifacts"
    failed=1
    continue
  fi
  grep -E "^Done|stat::number_of_executed_units|stat::peak_rss_mb" "$work/$name.log" || true
  grep -E "#[0-9]+ *(DONE|pulse)" "$work/$name.log" | tail -1 || true
done
exit "$failed"
