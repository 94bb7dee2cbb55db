// One encoded unit of media, as an encoder hands it to a muxer.
#pragma once

#include <cstdint>
#include <vector>

namespace mrec::detail {

struct EncodedPacket {
  std::vector<uint8_t> data;
  /// Start of the packet in the track's time base: samples of the encoded stream's rate for
  /// audio, counted from the first encoded sample (so an Opus stream's first packet is at 0
  /// and includes the pre-skip); microseconds of media time for video.
  int64_t timestamp = 0;
  uint32_t duration = 0;        ///< in the same time base
  uint32_t discardPadding = 0;  ///< samples at the end that are padding, not media
  bool endOfStream = false;     ///< the last packet of the stream
  bool keyFrame = true;         ///< decodable on its own (every audio packet is)
  uint32_t track = 0;           ///< index of the recorded track it belongs to
};

}  // namespace mrec::detail
