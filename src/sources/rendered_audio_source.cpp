#include "sources/rendered_audio_source.h"

#include <chrono>

#include "core/clock.h"
#include "core/media_time.h"
#include "sources/realtime_ticker.h"

namespace mrec::detail {

namespace {
// Realtime sources tick every 10 ms (RealtimeTicker), like a capture device with short
// fragments; offline sources hand over 100 ms at a time (five Opus frames), since each
// chunk costs an allocation and a hand-off to the recorder's thread.
constexpr uint32_t kRealtimeChunksPerSecond = 100;
constexpr uint32_t kOfflineChunksPerSecond = 10;
}  // namespace

RenderedAudioSource::RenderedAudioSource(uint32_t sampleRate, uint32_t channels, bool realtime)
    : sampleRate_(sampleRate), channels_(channels), realtime_(realtime) {}

void RenderedAudioSource::run(std::shared_ptr<RenderedAudioSource> source) {
  if (source->realtime_) {
    RealtimeTicker::instance().add([source = std::move(source)] { return source->tickRealtime(); });
    return;
  }
  // The thread keeps the source alive until it returns, so the source usually ends on it and
  // lets it go.
  RenderedAudioSource& owner = *source;
  owner.producer_ = OwnedThread([source = std::move(source)] { source->produceOffline(); });
}

bool RenderedAudioSource::renderChunk(uint32_t frames, AudioChunk& chunk) {
  auto samples = std::make_shared<std::vector<float>>(size_t{frames} * channels_);
  const uint32_t rendered = render(samples->data(), frames);
  if (rendered == 0) return false;
  samples->resize(size_t{rendered} * channels_);
  // Realtime media is stamped on the wall clock, paced from its first chunk, so that a
  // recording lines it up with video captured alongside; offline media on its own timeline.
  if (realtime_ && !startedAt_) startedAt_ = wallClockMicros();
  const auto mediaMicros = unitsToMicros(static_cast<int64_t>(renderedFrames_), sampleRate_);
  chunk = {
      sampleRate_, channels_, rendered, std::move(samples), startedAt_.value_or(0) + mediaMicros,
      realtime_};
  renderedFrames_ += rendered;
  return true;
}

bool RenderedAudioSource::tickRealtime() {
  const uint32_t frames = std::max<uint32_t>(1, sampleRate_ / kRealtimeChunksPerSecond);
  AudioChunk chunk;
  if (!hasLiveTracks() || !renderChunk(frames, chunk)) {
    endAllTracks();
    return false;
  }
  deliverAudio(chunk, Delivery::Realtime);
  return true;
}

void RenderedAudioSource::produceOffline() {
  const uint32_t frames = std::max<uint32_t>(1, sampleRate_ / kOfflineChunksPerSecond);
  AudioChunk chunk;
  while (waitForConsumers()) {
    if (!renderChunk(frames, chunk)) break;
    deliverAudio(chunk, Delivery::Paced);
  }
  endAllTracks();
}

}  // namespace mrec::detail
