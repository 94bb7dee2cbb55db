// Media a device lost before it reached the recorder is never silent loss: the recording
// fails with an error event, keeps what it had, and ends with a valid file.
#include <gtest/gtest.h>

#include "stream/track_state.h"
#include "support/event_log.h"
#include "support/media_tools.h"

namespace mrec {

namespace {
class ScriptedSource final : public detail::TrackSource {
 public:
  MediaTrackSettings settings() const override {
    MediaTrackSettings settings;
    settings.sampleRate = 48000;
    settings.channelCount = 1;
    return settings;
  }
};
}  // namespace

TEST(CaptureOverflow, LostMediaFailsTheRecordingWithAnError) {
  auto source = std::make_shared<ScriptedSource>();
  auto state = std::make_shared<detail::TrackState>("audio", "scripted", source);
  source->addTrack(state);
  auto track = detail::Access::makeTrack(state);
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(test::streamOf({track}), {}, loop);
  test::EventLog log(recorder);
  recorder.start();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("start"); }));
  const detail::AudioChunk silence = detail::makeSilence({48000, 1, 480, nullptr});
  for (int i = 0; i < 50; ++i) source->deliverAudio(silence, detail::Delivery::Realtime);
  source->reportOverflow(480);
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("stop"); }));
  EXPECT_EQ(log.types, (std::vector<std::string>{"start", "error", "dataavailable", "stop"}));
  ASSERT_EQ(log.errorNames.size(), 1u);
  EXPECT_EQ(log.errorNames[0], "UnknownError");
  test::TempDir dir;
  test::writeFile(dir / "kept.webm", log.file());
  std::string error;
  EXPECT_EQ(test::decodeMono(dir / "kept.webm", &error).size(), 24000u)
      << "what arrived before the loss is kept whole";
  EXPECT_EQ(error, "");
}

}  // namespace mrec
