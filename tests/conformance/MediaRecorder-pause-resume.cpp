// wpt/mediacapture-record/MediaRecorder-pause-resume.html, with an audio stream.
#include <gtest/gtest.h>

#include "support/event_log.h"

namespace mrec {

TEST(MediaRecorderPauseResume, HandlesPauseAndResumeInStateAndEvents) {
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(test::createAudioStream(), {}, loop);
  test::EventLog log(recorder);
  auto waitFor = [&](const char* type) {
    return test::runUntil(*loop, [&] { return log.has(type); });
  };
  recorder.start();
  EXPECT_EQ(recorder.state(), RecordingState::Recording);
  ASSERT_TRUE(waitFor("start"));
  recorder.pause();
  EXPECT_EQ(recorder.state(), RecordingState::Paused);
  recorder.pause();  // idempotent: no second event
  ASSERT_TRUE(waitFor("pause"));
  recorder.resume();
  EXPECT_EQ(recorder.state(), RecordingState::Recording);
  recorder.resume();  // idempotent
  ASSERT_TRUE(waitFor("resume"));
  recorder.stop();
  EXPECT_EQ(recorder.state(), RecordingState::Inactive);
  ASSERT_TRUE(waitFor("stop"));
  EXPECT_EQ(log.types,
            (std::vector<std::string>{"start", "pause", "resume", "dataavailable", "stop"}));
}

TEST(MediaRecorderPauseResume, HandlesStopInPausedStateAppropriately) {
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(test::createAudioStream(), {}, loop);
  test::EventLog log(recorder);
  auto waitFor = [&](const char* type, size_t n = 1) {
    return test::runUntil(*loop, [&] { return log.count(type) >= n; });
  };
  recorder.start();
  ASSERT_TRUE(waitFor("start"));
  recorder.pause();
  ASSERT_TRUE(waitFor("pause"));
  recorder.stop();
  EXPECT_EQ(recorder.state(), RecordingState::Inactive);
  ASSERT_TRUE(waitFor("stop"));
  recorder.start();
  ASSERT_TRUE(waitFor("start", 2));
  EXPECT_EQ(log.types,
            (std::vector<std::string>{"start", "pause", "dataavailable", "stop", "start"}));
  recorder.stop();
}

}  // namespace mrec
