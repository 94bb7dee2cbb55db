#!/usr/bin/env bash
# Builds the Debian package (`cpack -G DEB`) from a default build (no AAC, so the package is
# under the project's BSD licence), installs it with apt as a user would, and runs the installed
# mrec: `mrec types` and a one-second recording that ffprobe must read. The package is removed
# again at the end, whatever happens, unless it was installed before. Needs root or sudo.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-package}
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMREC_BUILD_TESTS=OFF \
  -DMREC_BUILD_EXAMPLES=OFF -DMREC_BUILD_BENCH=OFF -DMREC_WITH_AAC=OFF >/dev/null
cmake --build "$dir" -j "$(nproc)"
rm -f "$dir"/mrec_*.deb
(cd "$dir" && cpack -G DEB >/dev/null)
deb=$(ls "$(pwd)/$dir"/mrec_*.deb)
echo "package: $deb"

# dpkg-shlibdeps declared the Debian libraries the binaries link; a few of them by name.
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for library in libopus0 libvpx libaom libopenh264 libpulse0 libsqlite3; do
  grep -q "$library" <<<"$depends" || { echo "the package does not declare $library"; exit 1; }
done

work=$(mktemp -d)
# A machine that had mrec installed before keeps it (now this version); otherwise it goes again.
was_installed=false
dpkg-query -W -f='${Status}' mrec 2>/dev/null | grep -q "install ok installed" && was_installed=true
cleanup() {
  $was_installed ||
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq mrec >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >/dev/null
# The installed command, not the build tree's: no LD_LIBRARY_PATH, PATH's mrec from the package.
installed=$(dpkg -L mrec | grep '/bin/mrec$')
[ "$installed" = /usr/bin/mrec ] || { echo "the package installs mrec at '$installed'"; exit 1; }
env -u LD_LIBRARY_PATH /usr/bin/mrec types | grep -q '^yes.*audio/ogg' ||
  { echo "the installed mrec types lists no Ogg"; exit 1; }
# Offline, so that the length is the media's and exact, not a wall-clock stop's.
(cd "$work" && env -u LD_LIBRARY_PATH /usr/bin/mrec record -q --offline --tone 440 --duration 1 -o x.ogg)
# Counted by decoding: ffprobe's Ogg duration includes the Opus pre-skip (6.5 ms) in ffmpeg 5.1.
samples=$(ffmpeg -nostdin -v error -i "$work/x.ogg" -f s16le -ac 1 -ar 48000 - | wc -c |
          awk '{ print $1 / 2 }')
echo "the installed mrec recorded $samples samples at 48 kHz"
[ "$samples" = 48000 ] || { echo "expected 48000 samples (1.000 s)"; exit 1; }
