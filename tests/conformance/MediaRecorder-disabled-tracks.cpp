// wpt/mediacapture-record/MediaRecorder-disabled-tracks.https.html ("audio-only"): a stream
// whose tracks are disabled is recorded, with no error and no premature stop; what it
// records is silence (docs/conformance.md §2.10), checked by decoding.
#include <gtest/gtest.h>

#include "support/event_log.h"
#include "support/media_tools.h"

namespace mrec {

TEST(MediaRecorderDisabledTracks, AudioOnly) {
  auto loop = std::make_shared<EventLoop>();
  const auto stream = test::createAudioStream();
  for (const auto& track : stream->getTracks()) track->setEnabled(false);
  MediaRecorder recorder(stream, {}, loop);
  test::EventLog log(recorder);
  bool stopExpected = false;
  recorder.ondataavailable = [&](const BlobEvent&) {
    if (recorder.state() != RecordingState::Recording) return;
    stopExpected = true;
    recorder.stop();
  };
  recorder.start();
  EXPECT_EQ(recorder.state(), RecordingState::Recording);
  recorder.requestData();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("stop"); }));
  EXPECT_TRUE(stopExpected) << "Recording stopped before it was asked to";
  EXPECT_FALSE(log.has("error"));
}

TEST(MediaRecorderDisabledTracks, DisabledAudioIsRecordedAsSilenceKeepingTime) {
  auto loop = std::make_shared<EventLoop>();
  const auto stream = test::createOfflineToneStream(2.0);
  stream->getAudioTracks()[0]->setEnabled(false);
  MediaRecorder recorder(stream, {}, loop);
  test::EventLog log(recorder);
  recorder.start();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("stop"); }));
  test::TempDir dir;
  test::writeFile(dir / "silence.ogg", log.file());
  const auto samples = test::decodeMono(dir / "silence.ogg");
  EXPECT_EQ(samples.size(), 96000u) << "disabled media keeps its time";
  EXPECT_LT(test::peak(samples), 0.001f);
}

}  // namespace mrec
