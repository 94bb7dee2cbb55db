// A source whose audio is computed or read by the library (tone, file), paced either by the
// wall clock (realtime) or by the demand of its recorders (offline).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "core/owned_thread.h"
#include "stream/track_source.h"

namespace mrec::detail {

class RenderedAudioSource : public TrackSource {
 public:
  RenderedAudioSource(uint32_t sampleRate, uint32_t channels, bool realtime);

  /// Starts producing: realtime sources on the shared RealtimeTicker, offline ones on a
  /// thread of their own. Either keeps the source alive and stops when the media ends
  /// (ending the tracks) or when no live track of the source is left.
  static void run(std::shared_ptr<RenderedAudioSource> source);
  /// One realtime tick: the next 10 ms to the tracks; false when the source is done.
  bool tickRealtime();

  uint32_t sampleRate() const { return sampleRate_; }
  uint32_t channels() const { return channels_; }

 protected:
  /// Writes up to `frames` interleaved frames; returns how many (0: the media has ended).
  virtual uint32_t render(float* out, uint32_t frames) = 0;

 private:
  void produceOffline();
  bool renderChunk(uint32_t frames, AudioChunk& chunk);

  const uint32_t sampleRate_;
  const uint32_t channels_;
  const bool realtime_;
  uint64_t renderedFrames_ = 0;       ///< the media time of the next chunk, in frames
  std::optional<int64_t> startedAt_;  ///< realtime: wallClockMicros() of the first chunk
  OwnedThread producer_;              ///< offline: renders as fast as the recorders take it
};

}  // namespace mrec::detail
