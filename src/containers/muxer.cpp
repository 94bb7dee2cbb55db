#include "containers/muxer.h"

#include <opus/opus.h>

#include <stdexcept>

namespace mrec::detail {

std::unique_ptr<Muxer> makeMuxer(Container container, const std::vector<MuxerTrack>& tracks) {
  const ContainerFormat& format = formatOf(container);
  return format.makeMuxer(format, tracks);
}

std::unique_ptr<Muxer> makeMuxer(Container container, const AudioTrackInfo& track) {
  return makeMuxer(container, std::vector<MuxerTrack>{{track, std::nullopt}});
}

void requireHeld(const ContainerFormat& format, const std::vector<MuxerTrack>& tracks) {
  for (const MuxerTrack& track : tracks) {
    const bool held = track.audio ? format.holds(track.audio->codec)
                                  : track.video && format.holds(track.video->codec);
    if (!held) throw std::invalid_argument(std::string(format.name) + " cannot hold a track");
  }
}

const std::string& writingApplication() {
  static const std::string name =
      std::string("mrec ") + MREC_VERSION + " (" + opus_get_version_string() + ")";
  return name;
}

}  // namespace mrec::detail
