// openMediaFile: the native counterpart of a media element's captureStream().
#include <fstream>
#include <vector>

#include "mrec/sources.h"
#include "sources/rendered_audio_source.h"
#include "sources/wav_reader.h"
#include "stream/track_state.h"

namespace mrec {

namespace {

// A file read in large pieces: a recording reads its file once, front to back, and the
// default 8 KiB buffer would cost a system call per 40 ms of 48 kHz stereo.
class BufferedFile final : public std::ifstream {
 public:
  explicit BufferedFile(const std::filesystem::path& path) {
    rdbuf()->pubsetbuf(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    open(path, std::ios::binary);
  }
  // Closed while the buffer it reads into still exists.
  ~BufferedFile() override { close(); }

 private:
  std::vector<char> buffer_ = std::vector<char>(size_t{256} * 1024);
};

class WavFileSource final : public detail::RenderedAudioSource {
 public:
  WavFileSource(std::unique_ptr<detail::WavReader> reader, std::string deviceId, bool realtime)
      : RenderedAudioSource(reader->format().sampleRate, reader->format().channels, realtime),
        reader_(std::move(reader)),
        deviceId_(std::move(deviceId)) {}

  MediaTrackSettings settings() const override {
    MediaTrackSettings settings;
    settings.deviceId = deviceId_;
    settings.sampleRate = sampleRate();
    settings.channelCount = channels();
    return settings;
  }

 protected:
  uint32_t render(float* out, uint32_t frames) override { return reader_->read(out, frames); }

 private:
  std::unique_ptr<detail::WavReader> reader_;
  const std::string deviceId_;
};

}  // namespace

std::shared_ptr<MediaStream> openMediaFile(const std::filesystem::path& path,
                                           const MediaFileOptions& options) {
  auto file = std::make_unique<BufferedFile>(path);
  if (!*file || std::filesystem::is_directory(path))
    throw DOMException("NotFoundError", "cannot open " + path.string());
  auto reader = std::make_unique<detail::WavReader>(std::move(file));
  auto source = std::make_shared<WavFileSource>(std::move(reader), path.string(), options.realtime);
  auto state = std::make_shared<detail::TrackState>("audio", path.filename().string(), source);
  source->addTrack(state);
  auto track = detail::Access::makeTrack(std::move(state));
  detail::RenderedAudioSource::run(std::move(source));
  return std::make_shared<MediaStream>(std::vector<std::shared_ptr<MediaStreamTrack>>{track});
}

}  // namespace mrec
