// wpt/mediacapture-record/MediaRecorder-events-and-exceptions.html, with an audio stream:
// start -> pause -> resume -> dataavailable -> stop, with the state and exceptions at each step.
#include <gtest/gtest.h>

#include "support/event_log.h"

namespace mrec {

namespace {}  // namespace

TEST(MediaRecorderEventsAndExceptions, EventSequenceStateAndExceptions) {
  EXPECT_EQ(test::thrownName([] {
              MediaRecorder(std::make_shared<MediaStream>(), {.mimeType = "video/invalid"});
            }),
            "NotSupportedError");

  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(std::make_shared<MediaStream>(), {}, loop);
  EXPECT_EQ(recorder.state(), RecordingState::Inactive);
  recorder.stop();
  EXPECT_EQ(recorder.state(), RecordingState::Inactive) << "stop() is idempotent";
  EXPECT_EQ(test::thrownName([&] { recorder.pause(); }), "InvalidStateError");
  EXPECT_EQ(test::thrownName([&] { recorder.resume(); }), "InvalidStateError");
  EXPECT_EQ(test::thrownName([&] { recorder.requestData(); }), "InvalidStateError");
  EXPECT_EQ(test::thrownName([&] { recorder.start(); }), "NotSupportedError")
      << "recorder should throw() when starting with inactive stream";

  recorder.stream()->addTrack(createToneTrack());

  std::vector<std::string> sequence;
  bool done = false;
  auto unexpected = [&](const Event& e) { ADD_FAILURE() << "unexpected event " << e.type; };
  recorder.onerror = [&](const ErrorEvent&) { ADD_FAILURE() << "unexpected error"; };
  recorder.ondataavailable = [&](const BlobEvent& event) {
    sequence.push_back("dataavailable");
    EXPECT_EQ(recorder.state(), RecordingState::Inactive);
    EXPECT_NE(event.data.size(), 0u) << "We should get a Blob with data";
  };
  auto onStop = [&](const Event&) {
    sequence.push_back("stop");
    EXPECT_EQ(recorder.state(), RecordingState::Inactive);
    recorder.onstop = unexpected;
    recorder.stop();
    EXPECT_EQ(recorder.state(), RecordingState::Inactive) << "stop() is idempotent";
    EXPECT_EQ(test::thrownName([&] { recorder.pause(); }), "InvalidStateError");
    EXPECT_EQ(test::thrownName([&] { recorder.resume(); }), "InvalidStateError");
    EXPECT_EQ(test::thrownName([&] { recorder.requestData(); }), "InvalidStateError");
    done = true;
  };
  auto onResume = [&](const Event&) {
    sequence.push_back("resume");
    EXPECT_EQ(recorder.state(), RecordingState::Recording);
    recorder.onresume = unexpected;
    recorder.onstop = onStop;
    recorder.stop();
  };
  auto onPause = [&](const Event&) {
    sequence.push_back("pause");
    EXPECT_EQ(recorder.state(), RecordingState::Paused);
    recorder.onpause = unexpected;
    recorder.onresume = onResume;
    recorder.resume();
  };
  recorder.onstop = unexpected;
  recorder.onpause = unexpected;
  recorder.onresume = unexpected;
  recorder.onstart = [&](const Event&) {
    sequence.push_back("start");
    EXPECT_EQ(recorder.state(), RecordingState::Recording);
    recorder.onstart = unexpected;
    recorder.onpause = onPause;
    recorder.pause();
  };
  recorder.start();
  EXPECT_EQ(recorder.state(), RecordingState::Recording);
  ASSERT_TRUE(test::runUntil(*loop, [&] { return done; }));
  test::runFor(*loop, 100ms);  // nothing may follow
  EXPECT_EQ(sequence,
            (std::vector<std::string>{"start", "pause", "resume", "dataavailable", "stop"}));
}

}  // namespace mrec
