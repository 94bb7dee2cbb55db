// MediaStreamTrackGenerator: media the program writes, delivered paced (never dropped).
#include <cmath>

#include "core/mutex.h"
#include "core/pixel_format.h"
#include "core/sample_format.h"
#include "mrec/sources.h"
#include "stream/track_state.h"

namespace mrec {

namespace {

class GeneratorSource final : public detail::TrackSource {
 public:
  MediaTrackSettings settings() const override {
    detail::MutexLock lock(mutex_);
    return settings_;
  }
  void noteFormat(uint32_t sampleRate, uint32_t channels) {
    detail::MutexLock lock(mutex_);
    settings_.sampleRate = sampleRate;
    settings_.channelCount = channels;
  }
  void noteFrameSize(uint32_t width, uint32_t height) {
    detail::MutexLock lock(mutex_);
    settings_.width = width;
    settings_.height = height;
  }

  // Writes from several threads are delivered one at a time, in the order they got the lock.
  // It guards no field: what it orders is each write's delivery.
  detail::Mutex writeMutex;

 private:
  mutable detail::Mutex mutex_;
  MediaTrackSettings settings_ MREC_GUARDED_BY(mutex_);
};

detail::SampleEncoding encodingOf(AudioSampleFormat format) {
  switch (format) {
    case AudioSampleFormat::U8:
    case AudioSampleFormat::U8Planar:
      return detail::SampleEncoding::U8;
    case AudioSampleFormat::S16:
    case AudioSampleFormat::S16Planar:
      return detail::SampleEncoding::S16;
    case AudioSampleFormat::S32:
    case AudioSampleFormat::S32Planar:
      return detail::SampleEncoding::S32;
    case AudioSampleFormat::F32:
    case AudioSampleFormat::F32Planar:
      return detail::SampleEncoding::F32;
  }
  throw TypeError("AudioData: unknown format");
}

bool isPlanar(AudioSampleFormat format) {
  return format == AudioSampleFormat::U8Planar || format == AudioSampleFormat::S16Planar ||
         format == AudioSampleFormat::S32Planar || format == AudioSampleFormat::F32Planar;
}

// Limits of WebCodecs' AudioData, which the generator's input mirrors.
constexpr double kMinSampleRate = 3000;
constexpr double kMaxSampleRate = 768000;
constexpr uint32_t kMaxChannels = 32;

}  // namespace

MediaStreamTrackGenerator::MediaStreamTrackGenerator(std::shared_ptr<detail::TrackState> state)
    : MediaStreamTrack(std::move(state)) {}

MediaStreamTrackGenerator::~MediaStreamTrackGenerator() = default;

std::shared_ptr<MediaStreamTrackGenerator> MediaStreamTrackGenerator::create(std::string kind) {
  if (kind != "audio" && kind != "video")
    throw TypeError("MediaStreamTrackGenerator: kind must be \"audio\" or \"video\", not \"" +
                    kind + "\"");
  auto source = std::make_shared<GeneratorSource>();
  auto state = std::make_shared<detail::TrackState>(kind, kind + " generator", source);
  source->addTrack(state);
  auto* raw = state.get();
  std::shared_ptr<MediaStreamTrackGenerator> generator(
      new MediaStreamTrackGenerator(std::move(state)));
  raw->publicTrack = generator;
  return generator;
}

void MediaStreamTrackGenerator::write(const AudioData& data) {
  const auto& state = detail::Access::state(*this);
  if (kind() != "audio") throw TypeError("write(AudioData) on a video generator");
  if (!std::isfinite(data.sampleRate) || data.sampleRate < kMinSampleRate ||
      data.sampleRate > kMaxSampleRate || data.sampleRate != std::floor(data.sampleRate))
    throw TypeError("AudioData: sampleRate must be a whole number of Hz within 3000-768000");
  if (data.numberOfChannels == 0 || data.numberOfChannels > kMaxChannels)
    throw TypeError("AudioData: numberOfChannels must be within 1-32");
  if (data.numberOfFrames == 0) throw TypeError("AudioData: numberOfFrames must not be 0");
  const auto encoding = encodingOf(data.format);
  const size_t samples = size_t{data.numberOfFrames} * data.numberOfChannels;
  if (data.data.size() != samples * detail::bytesPerSample(encoding))
    throw TypeError("AudioData: data holds " + std::to_string(data.data.size()) +
                    " bytes, the layout needs " +
                    std::to_string(samples * detail::bytesPerSample(encoding)));

  auto converted = std::make_shared<std::vector<float>>(samples);
  if (isPlanar(data.format)) {
    std::vector<float> plane(data.numberOfFrames);
    const size_t planeBytes = data.numberOfFrames * detail::bytesPerSample(encoding);
    for (uint32_t c = 0; c < data.numberOfChannels; ++c) {
      detail::convertToFloat(encoding, data.data.data() + c * planeBytes, data.numberOfFrames,
                             plane.data());
      for (uint32_t i = 0; i < data.numberOfFrames; ++i)
        (*converted)[size_t{i} * data.numberOfChannels + c] = plane[i];
    }
  } else {
    detail::convertToFloat(encoding, data.data.data(), samples, converted->data());
  }

  auto& source = static_cast<GeneratorSource&>(*state->source);
  detail::MutexLock lock(source.writeMutex);
  if (!state->live()) throw TypeError("write() on a closed or ended generator");
  const auto rate = static_cast<uint32_t>(data.sampleRate);
  source.noteFormat(rate, data.numberOfChannels);
  source.deliverAudio({rate, data.numberOfChannels, data.numberOfFrames, std::move(converted)},
                      detail::Delivery::Paced);
}

namespace {

// TypeError unless `frame` is a frame a video generator takes.
void checkFrame(const MediaStreamTrack& track, const VideoFrame& frame) {
  if (track.kind() != "video") throw TypeError("write(VideoFrame) on an audio generator");
  if (frame.codedWidth == 0 || frame.codedHeight == 0)
    throw TypeError("VideoFrame: codedWidth and codedHeight must not be 0");
  const size_t pixels = size_t{frame.codedWidth} * frame.codedHeight;
  const size_t expected =
      frame.format == VideoPixelFormat::RGBA || frame.format == VideoPixelFormat::BGRA
          ? 4 * pixels
          : detail::i420Size(frame.codedWidth, frame.codedHeight);
  if (frame.data.size() != expected)
    throw TypeError("VideoFrame: data holds " + std::to_string(frame.data.size()) +
                    " bytes, the layout needs " + std::to_string(expected));
  if (frame.duration && *frame.duration < 0)
    throw TypeError("VideoFrame: duration must not be negative");
}

void deliverFrame(const std::shared_ptr<detail::TrackState>& state, const VideoFrame& frame,
                  std::shared_ptr<const std::vector<uint8_t>> i420) {
  detail::VideoChunk chunk;
  chunk.width = frame.codedWidth;
  chunk.height = frame.codedHeight;
  chunk.timestamp = frame.timestamp;
  chunk.duration = frame.duration.value_or(0);
  chunk.i420 = std::move(i420);
  auto& source = static_cast<GeneratorSource&>(*state->source);
  detail::MutexLock lock(source.writeMutex);
  if (!state->live()) throw TypeError("write() on a closed or ended generator");
  source.noteFrameSize(frame.codedWidth, frame.codedHeight);
  source.deliverVideo(chunk, detail::Delivery::Paced);
}

}  // namespace

void MediaStreamTrackGenerator::write(const VideoFrame& frame) {
  checkFrame(*this, frame);
  deliverFrame(
      detail::Access::state(*this), frame,
      detail::convertToI420(frame.format, frame.data.data(), frame.codedWidth, frame.codedHeight));
}

void MediaStreamTrackGenerator::write(VideoFrame&& frame) {
  checkFrame(*this, frame);
  // I420 is the pipeline's own layout: its bytes are taken over, not copied.
  auto i420 = frame.format == VideoPixelFormat::I420
                  ? std::make_shared<const std::vector<uint8_t>>(std::move(frame.data))
                  : detail::convertToI420(frame.format, frame.data.data(), frame.codedWidth,
                                          frame.codedHeight);
  deliverFrame(detail::Access::state(*this), frame, std::move(i420));
}

void MediaStreamTrackGenerator::close() {
  const auto& state = detail::Access::state(*this);
  auto& source = static_cast<GeneratorSource&>(*state->source);
  detail::MutexLock lock(source.writeMutex);
  source.endAllTracks();
}

}  // namespace mrec
