// wpt/mediacapture-record/MediaRecorder-stop.html, with audio streams.
#include <gtest/gtest.h>

#include "support/event_log.h"

namespace mrec {

namespace {

// Every element of `actual` appears in `expected`, in order, each at most once.
void assertSequenceIn(const std::vector<std::string>& actual,
                      const std::vector<std::string>& expected) {
  size_t i = 0;
  for (const auto& event : actual) {
    const auto it = std::find(expected.begin() + static_cast<long>(i), expected.end(), event);
    ASSERT_NE(it, expected.end()) << "Sequence element " << event
                                  << " is not in the rest of the expected sequence";
    i = static_cast<size_t>(it - expected.begin()) + 1;
  }
}

struct Fixture {
  std::shared_ptr<EventLoop> loop = std::make_shared<EventLoop>();
  std::shared_ptr<MediaStream> stream = test::createAudioStream();
  MediaRecorder recorder{stream, {}, loop};
  test::EventLog log{recorder};
  bool waitFor(const std::string& type, size_t count = 1) {
    return test::runUntil(*loop, [&] { return log.count(type) >= count; });
  }
};

}  // namespace

TEST(MediaRecorderStop, StopsAndFiresStopWhenAllTracksAreEnded) {
  Fixture f;
  f.recorder.start();
  EXPECT_EQ(f.recorder.state(), RecordingState::Recording);
  f.stream->getAudioTracks()[0]->stop();
  EXPECT_EQ(f.recorder.state(), RecordingState::Recording)
      << "MediaRecorder state should be recording immediately following last track ending";
  ASSERT_TRUE(f.waitFor("stop"));
  EXPECT_EQ(f.recorder.state(), RecordingState::Inactive);
  EXPECT_EQ(f.log.statesAtEvent.back(), "inactive");
  assertSequenceIn(f.log.types, {"start", "dataavailable", "stop"});
  EXPECT_FALSE(f.log.has("error"));
}

TEST(MediaRecorderStop, StopsAndFiresStopWhenStopIsCalled) {
  Fixture f;
  f.recorder.start();
  f.recorder.stop();
  EXPECT_EQ(f.recorder.state(), RecordingState::Inactive)
      << "MediaRecorder state should be inactive immediately following stop() call";
  ASSERT_TRUE(f.waitFor("stop"));
  EXPECT_EQ(f.recorder.state(), RecordingState::Inactive);
  assertSequenceIn(f.log.types, {"start", "dataavailable", "stop"});
}

TEST(MediaRecorderStop, NoExceptionWhenStoppedAfterCreation) {
  Fixture f;
  EXPECT_NO_THROW(f.recorder.stop());
  test::runFor(*f.loop, 50ms);
  EXPECT_FALSE(f.log.has("stop")) << "onstop should never have been called";
}

TEST(MediaRecorderStop, NoExceptionWhenStoppedAfterHavingJustBeenStopped) {
  Fixture f;
  f.recorder.start();
  f.recorder.stop();
  ASSERT_TRUE(f.waitFor("stop"));
  EXPECT_NO_THROW(f.recorder.stop());
  test::runFor(*f.loop, 50ms);
  EXPECT_EQ(f.log.count("stop"), 1u) << "onstop should never have been called again";
}

TEST(MediaRecorderStop, NoExceptionWhenStoppedAfterHavingJustBeenSpontaneouslyStopped) {
  Fixture f;
  f.recorder.start();
  f.stream->getAudioTracks()[0]->stop();
  ASSERT_TRUE(f.waitFor("stop"));
  EXPECT_NO_THROW(f.recorder.stop());
  test::runFor(*f.loop, 50ms);
  EXPECT_EQ(f.log.count("stop"), 1u);
}

TEST(MediaRecorderStop, FiresStartEvenIfStoppedSynchronously) {
  Fixture f;
  f.recorder.start();
  f.recorder.stop();
  ASSERT_TRUE(f.waitFor("stop"));
  std::vector<std::string> startStop;
  for (const auto& type : f.log.types)
    if (type == "start" || type == "stop") startStop.push_back(type);
  EXPECT_EQ(startStop, (std::vector<std::string>{"start", "stop"}));
}

TEST(MediaRecorderStop, FiresStartEvenIfATrackIsRemovedSynchronously) {
  Fixture f;
  f.recorder.start();
  f.stream->removeTrack(f.stream->getAudioTracks()[0]);
  ASSERT_TRUE(f.waitFor("stop"));
  EXPECT_EQ(f.log.types, (std::vector<std::string>{"start", "error", "dataavailable", "stop"}));
  EXPECT_EQ(f.log.errorNames, (std::vector<std::string>{"InvalidModificationError"}));
}

TEST(MediaRecorderStop, FiresOnlyStartAndStopEventsInABasicRecordingFlow) {
  Fixture f;
  f.recorder.start(0);
  ASSERT_TRUE(f.waitFor("dataavailable"));
  f.recorder.stop();
  ASSERT_TRUE(f.waitFor("stop"));
  // WPT expects a single dataavailable here, which holds only for a UA whose minimum
  // timeslice is long; mrec's timeslice 0 delivers every 20 ms packet (docs/conformance.md
  // decision 5), so several may precede stop. Otherwise the same: start first, stop last, data
  // between.
  ASSERT_GE(f.log.types.size(), 3u);
  EXPECT_EQ(f.log.types.front(), "start");
  EXPECT_EQ(f.log.types.back(), "stop");
  for (size_t i = 1; i + 1 < f.log.types.size(); ++i) EXPECT_EQ(f.log.types[i], "dataavailable");
  EXPECT_FALSE(f.log.has("error"));
  EXPECT_FALSE(f.log.has("pause"));
  EXPECT_FALSE(f.log.has("resume"));
}

TEST(MediaRecorderStop, NoErrorIfStoppedSynchronouslyAfterATrackIsRemoved) {
  Fixture f;
  f.recorder.start();
  ASSERT_TRUE(f.waitFor("start"));
  f.stream->removeTrack(f.stream->getAudioTracks()[0]);
  f.recorder.stop();
  test::runFor(*f.loop, 500ms);
  EXPECT_EQ(f.log.types, (std::vector<std::string>{"start", "dataavailable", "stop"}));
}

TEST(MediaRecorderStop, NoErrorIfStoppedSynchronouslyAfterAllTracksAreEnded) {
  Fixture f;
  f.recorder.start();
  ASSERT_TRUE(f.waitFor("start"));
  for (const auto& track : f.stream->getTracks()) track->stop();
  f.recorder.stop();
  test::runFor(*f.loop, 500ms);
  EXPECT_EQ(f.log.types, (std::vector<std::string>{"start", "dataavailable", "stop"}));
}

}  // namespace mrec
