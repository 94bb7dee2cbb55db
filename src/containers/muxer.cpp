#include "containers/muxer.h"

#include <opus/opus.h>

namespace mrec::detail {

std::unique_ptr<Muxer> makeMuxer(Container container, const std::vector<MuxerTrack>& tracks) {
  const ContainerFormat& format = formatOf(container);
  return format.makeMuxer(format, tracks);
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
