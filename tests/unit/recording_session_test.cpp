// A recording session without a MediaRecorder: a generator's track in, what the session
// reports to its RecordingListener out, in order. No executor, no events.
#include "recorder/recording_session.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

#include "codecs/audio_encoder.h"
#include "mrec/sources.h"
#include "recorder/mime_type.h"
#include "stream/track_state.h"

namespace mrec::detail {

namespace {

/// Every call the session makes, as a line.
class Reports final : public RecordingListener {
 public:
  void recordingStarted(const std::shared_ptr<RecordingSession>&, std::string type) override {
    add("start " + type);
  }
  void recordingPaused() override { add("pause"); }
  void recordingResumed() override { add("resume"); }
  void dataAvailable(Blob data, double) override {
    add(data.size() > 0 ? "dataavailable" : "dataavailable (empty)");
  }
  void recordingEnded(const std::shared_ptr<RecordingSession>&, std::optional<DOMException> error,
                      std::optional<Blob> data, double) override {
    if (error) add("error " + error->name() + ": " + error->message());
    if (data) add(data->size() > 0 ? "dataavailable" : "dataavailable (empty)");
    add("stop");
  }
  void trackSetChanged(const std::shared_ptr<RecordingSession>&) override {
    add("track set changed");
  }

  /// The lines so far, once "stop" came (or after 10 s).
  std::vector<std::string> untilStop() {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(10),
                      [&] { return !lines_.empty() && lines_.back() == "stop"; });
    return lines_;
  }
  size_t count() {
    std::lock_guard lock(mutex_);
    return lines_.size();
  }

 private:
  void add(std::string line) {
    std::lock_guard lock(mutex_);
    lines_.push_back(std::move(line));
    changed_.notify_all();
  }
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> lines_;
};

struct Recording {
  std::shared_ptr<MediaStreamTrackGenerator> generator = MediaStreamTrackGenerator::create("audio");
  std::shared_ptr<MediaStream> stream =
      std::make_shared<MediaStream>(std::vector<std::shared_ptr<MediaStreamTrack>>{generator});
  std::shared_ptr<Reports> reports = std::make_shared<Reports>();
  std::shared_ptr<RecordingSession> session;

  explicit Recording(RecordingPipeline::Config media) {
    RecordingSession::Config config;
    config.media = std::move(media);
    config.mimeType = "audio/ogg;codecs=opus";
    config.audioTrack = Access::state(*generator);
    config.stream = Access::state(*stream);
    session = std::make_shared<RecordingSession>(reports, std::move(config));
    session->begin();
  }

  /// `ms` of silence, 48 kHz mono.
  void write(int ms) {
    const uint32_t frames = 48 * ms;
    generator->write(AudioData{AudioSampleFormat::F32, 48000, frames, 1, 0,
                               std::vector<uint8_t>(frames * sizeof(float))});
  }
};

RecordingPipeline::Config oggOpus() {
  const TypeCheck check = checkType("audio/ogg;codecs=opus");
  RecordingPipeline::Config config;
  config.format = check.format;
  config.audioCodec = AudioCodec::Opus;
  config.hasAudio = true;
  return config;
}

}  // namespace

TEST(RecordingSession, ReportsCommandsToItsListenerInTheOrderTheyCame) {
  Recording recording(oggOpus());
  recording.write(100);
  recording.session->pause();
  recording.session->resume();
  // Before the listener saw `start` dispatched, requestData gathers nothing.
  recording.session->requestData();
  recording.write(100);
  EXPECT_TRUE(recording.session->end(EndReason::Stop));
  EXPECT_EQ(recording.reports->untilStop(),
            (std::vector<std::string>{"start audio/ogg;codecs=opus", "pause", "resume",
                                      "dataavailable (empty)", "dataavailable", "stop"}));
}

TEST(RecordingSession, AnExceptionOutOfTheMediaWorkEndsTheRecordingWithAnErrorNotTheProcess) {
  RecordingPipeline::Config media = oggOpus();
  media.makeAudioEncoder = [](const AudioEncoderConfig&,
                              std::string&) -> std::unique_ptr<AudioEncoder> {
    throw std::runtime_error("no memory for the encoder");
  };
  Recording recording(std::move(media));
  recording.write(200);
  // The pool may have met the failure already, and ended the recording for it; if not, the
  // first end asked for is stop(). Either way the failure is what the recording reports.
  recording.session->end(EndReason::Stop);
  EXPECT_EQ(recording.reports->untilStop(),
            (std::vector<std::string>{
                "error UnknownError: the recording failed: no memory for the encoder",
                "dataavailable (empty)", "stop"}));
}

}  // namespace mrec::detail
