// The interface every container writer implements: a pure unit, no threads, no I/O. It
// appends bytes to the buffer it is given; the recorder decides when a Blob ends.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "codecs/audio_encoder.h"
#include "codecs/encoded_packet.h"

namespace mrec::detail {

enum class Container { Ogg, WebM, Matroska };

struct AudioTrackInfo {
  AudioCodec codec = AudioCodec::Opus;
  uint32_t sampleRate = 48000;  ///< of the encoded stream
  uint32_t channels = 1;
  uint32_t preSkip = 0;  ///< samples
  std::vector<uint8_t> codecPrivate;
};

class Muxer {
 public:
  virtual ~Muxer() = default;
  /// The container header, written once before any packet.
  virtual void writeHeader(std::vector<uint8_t>& out) = 0;
  virtual void writePacket(const EncodedPacket& packet, std::vector<uint8_t>& out) = 0;
  /// Ends the current page or cluster, so that the bytes written so far are a playable file.
  virtual void flush(std::vector<uint8_t>& out) = 0;
  /// Writes what is left after the last packet.
  virtual void finish(std::vector<uint8_t>& out) = 0;
};

std::unique_ptr<Muxer> makeMuxer(Container container, const AudioTrackInfo& track);

/// "mrec <version>", as written in OpusTags and WebM's WritingApp.
const std::string& writingApplication();

}  // namespace mrec::detail
