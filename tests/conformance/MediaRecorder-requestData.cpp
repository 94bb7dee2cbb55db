// wpt/mediacapture-record/MediaRecorder-requestData.html, with an audio stream.
#include <gtest/gtest.h>

#include "support/event_log.h"

namespace mrec {

TEST(MediaRecorderRequestData, ThrowsInvalidStateErrorWhenInactive) {
  MediaRecorder recorder(test::createAudioStream());
  try {
    recorder.requestData();
    FAIL();
  } catch (const DOMException& e) {
    EXPECT_EQ(e.name(), "InvalidStateError");
  }
}

TEST(MediaRecorderRequestData, FiresEmptyDataavailableBeforeAnyDataWasGathered) {
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(test::createAudioStream(), {}, loop);
  test::EventLog log(recorder);
  recorder.start();
  recorder.requestData();  // before `start` fired: nothing gathered yet
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("dataavailable"); }));
  EXPECT_EQ(log.types, (std::vector<std::string>{"start", "dataavailable"}));
  EXPECT_EQ(log.blobs[0].size(), 0u);
  EXPECT_EQ(log.blobs[0].type(), recorder.mimeType());
  EXPECT_EQ(log.timecodes[0], 0);
  recorder.stop();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("stop"); }));
  EXPECT_GT(log.blobs.back().size(), 0u) << "the header was kept for the next Blob";
}

TEST(MediaRecorderRequestData, FiresDataavailableWithTheRecordingTypeAfterStart) {
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(test::createAudioStream(), {}, loop);
  test::EventLog log(recorder);
  recorder.start();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("start"); }));
  recorder.requestData();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("dataavailable"); }));
  EXPECT_GT(log.blobs[0].size(), 0u);
  EXPECT_EQ(log.blobs[0].type(), recorder.mimeType());
  EXPECT_EQ(log.blobs[0].type(), "audio/ogg;codecs=opus");
  recorder.stop();
}

TEST(MediaRecorderRequestData, WorksWhilePaused) {
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(test::createAudioStream(), {}, loop);
  test::EventLog log(recorder);
  recorder.start();
  recorder.pause();
  EXPECT_NO_THROW(recorder.requestData());
  ASSERT_TRUE(test::runUntil(*loop, [&] { return log.has("dataavailable"); }));
  EXPECT_EQ(log.types, (std::vector<std::string>{"start", "pause", "dataavailable"}));
  recorder.stop();
}

}  // namespace mrec
