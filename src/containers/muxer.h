// The interface every container writer implements: a pure unit, no threads, no I/O. It
// appends bytes to the buffer it is given; the recorder decides when a Blob ends.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/encoded_packet.h"
#include "core/format_table.h"
#include "core/media_time.h"

namespace mrec::detail {

struct AudioTrackInfo {
  AudioCodec codec = AudioCodec::Opus;
  uint32_t sampleRate = 48000;  ///< of the encoded stream
  uint32_t channels = 1;
  uint32_t preSkip = 0;  ///< samples
  std::vector<uint8_t> codecPrivate;
};

struct VideoTrackInfo {
  VideoCodec codec = VideoCodec::Vp8;
  uint32_t width = 0, height = 0;
  std::vector<uint8_t> codecPrivate;
  /// The frame duration of a constant-rate source, in microseconds; 0 if it varies.
  int64_t defaultDurationUs = 0;
};

/// One recorded track; EncodedPacket::track indexes a muxer's tracks in the order given.
struct MuxerTrack {
  std::optional<AudioTrackInfo> audio;
  std::optional<VideoTrackInfo> video;
  /// Units per second of its packets' timestamps: the sample rate, or microseconds for video.
  uint32_t timebase() const { return audio ? audio->sampleRate : uint32_t{kMicrosPerSecond}; }
};

class Muxer {
 public:
  virtual ~Muxer() = default;
  /// The container header, written once before any packet.
  virtual void writeHeader(std::vector<uint8_t>& out) = 0;
  /// Packets arrive interleaved in time order across tracks (within a little jitter).
  virtual void writePacket(const EncodedPacket& packet, std::vector<uint8_t>& out) = 0;
  /// Ends the current page or cluster, so that the bytes written so far are a playable file.
  virtual void flush(std::vector<uint8_t>& out) = 0;
  /// Writes what is left after the last packet.
  virtual void finish(std::vector<uint8_t>& out) = 0;
};

/// The writer of `container`'s row for `tracks`; null and `error` set unless the row holds
/// every track's codec and as many tracks (Ogg: one Opus track; WebM and Matroska: any mix of
/// the audio and video their rows hold). The row's factory is only called with tracks that
/// passed, so the writers need not check again.
std::unique_ptr<Muxer> makeMuxer(Container container, const std::vector<MuxerTrack>& tracks,
                                 std::string& error);
/// One audio track.
std::unique_ptr<Muxer> makeMuxer(Container container, const AudioTrackInfo& track,
                                 std::string& error);

/// "mrec <version>", as written in OpusTags and WebM's WritingApp.
const std::string& writingApplication();

}  // namespace mrec::detail
