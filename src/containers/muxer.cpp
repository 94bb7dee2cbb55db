#include "containers/muxer.h"

#include <opus/opus.h>

#include <stdexcept>

namespace mrec::detail {

std::unique_ptr<Muxer> makeOggOpusMuxer(const AudioTrackInfo& track);
std::unique_ptr<Muxer> makeWebmMuxer(Container container, const std::vector<MuxerTrack>& tracks);

std::unique_ptr<Muxer> makeMuxer(Container container, const std::vector<MuxerTrack>& tracks) {
  if (container == Container::Ogg) {
    if (tracks.size() != 1 || !tracks[0].audio)
      throw std::invalid_argument("Ogg takes exactly one audio track");
    return makeOggOpusMuxer(*tracks[0].audio);
  }
  return makeWebmMuxer(container, tracks);
}

std::unique_ptr<Muxer> makeMuxer(Container container, const AudioTrackInfo& track) {
  return makeMuxer(container, std::vector<MuxerTrack>{{track, std::nullopt}});
}

const std::string& writingApplication() {
  static const std::string name =
      std::string("mrec ") + MREC_VERSION + " (" + opus_get_version_string() + ")";
  return name;
}

}  // namespace mrec::detail
