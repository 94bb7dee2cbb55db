#include "containers/muxer.h"

#include <opus/opus.h>

#include <optional>

namespace mrec::detail {

namespace {

std::optional<std::string> whyNotHeld(const ContainerFormat& format,
                                      const std::vector<MuxerTrack>& tracks) {
  const std::string name(format.name);
  if (tracks.empty()) return name + " needs at least one track";
  if (format.maxTracks > 0 && tracks.size() > format.maxTracks)
    return name + " holds at most " + std::to_string(format.maxTracks) + " track" +
           (format.maxTracks == 1 ? "" : "s");
  for (const MuxerTrack& track : tracks) {
    if (track.audio && !format.holds(track.audio->codec))
      return name + " cannot hold " + std::string(formatOf(track.audio->codec).name);
    if (track.video && !format.holds(track.video->codec))
      return name + " cannot hold " + std::string(formatOf(track.video->codec).name);
    if (!track.audio == !track.video) return "a track must be either audio or video";
  }
  return std::nullopt;
}

}  // namespace

std::unique_ptr<Muxer> makeMuxer(Container container, const std::vector<MuxerTrack>& tracks,
                                 std::string& error) {
  const ContainerFormat& format = formatOf(container);
  if (auto reason = whyNotHeld(format, tracks)) {
    error = std::move(*reason);
    return nullptr;
  }
  return format.makeMuxer(format, tracks);
}

std::unique_ptr<Muxer> makeMuxer(Container container, const AudioTrackInfo& track,
                                 std::string& error) {
  return makeMuxer(container, std::vector<MuxerTrack>{{track, std::nullopt}}, error);
}

const std::string& writingApplication() {
  static const std::string name =
      std::string("mrec ") + MREC_VERSION + " (" + opus_get_version_string() + ")";
  return name;
}

}  // namespace mrec::detail
