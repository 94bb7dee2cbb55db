#include "containers/muxer.h"

#include <opus/opus.h>

namespace mrec::detail {

std::unique_ptr<Muxer> makeOggOpusMuxer(const AudioTrackInfo& track);
std::unique_ptr<Muxer> makeWebmMuxer(Container container, const AudioTrackInfo& track);

std::unique_ptr<Muxer> makeMuxer(Container container, const AudioTrackInfo& track) {
  if (container == Container::Ogg) return makeOggOpusMuxer(track);
  return makeWebmMuxer(container, track);
}

const std::string& writingApplication() {
  static const std::string name =
      std::string("mrec ") + MREC_VERSION + " (" + opus_get_version_string() + ")";
  return name;
}

}  // namespace mrec::detail
