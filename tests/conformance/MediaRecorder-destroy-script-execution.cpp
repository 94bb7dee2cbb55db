// wpt/mediacapture-record/MediaRecorder-destroy-script-execution.html: once the recorder's
// owner is gone no event runs, not even the `stop` that follows a `dataavailable` in the
// same task. In C++ the owner going away is the recorder's destructor (docs/conformance.md
// decision 9).
#include <gtest/gtest.h>

#include <thread>

#include "support/event_log.h"

namespace mrec {

TEST(MediaRecorderDestroyScriptExecution, NoStopAfterTheRecorderIsDestroyedInDataavailable) {
  auto loop = std::make_shared<EventLoop>();
  auto recorder =
      std::make_unique<MediaRecorder>(test::createAudioStream(), MediaRecorderOptions{}, loop);
  std::vector<std::string> events;
  recorder->ondataavailable = [&](const BlobEvent&) {
    events.push_back("dataavailable");
    recorder.reset();  // destroyed from inside its own handler
  };
  recorder->addEventListener("dataavailable", [&](const Event&) { events.push_back("listener"); });
  recorder->onstop = [&](const Event&) { events.push_back("stop"); };
  recorder->start();
  recorder->stop();
  ASSERT_TRUE(test::runUntil(*loop, [&] { return !recorder; }));
  test::runFor(*loop, 200ms);
  EXPECT_EQ(events, (std::vector<std::string>{"dataavailable"}));
}

TEST(MediaRecorderDestroyScriptExecution, NoEventAfterDestructionWhileRecording) {
  auto loop = std::make_shared<EventLoop>();
  int events = 0;
  {
    MediaRecorder recorder(test::createAudioStream(), {}, loop);
    recorder.addEventListener("dataavailable", [&](const Event&) { ++events; });
    recorder.addEventListener("stop", [&](const Event&) { ++events; });
    recorder.start(0);
    std::this_thread::sleep_for(100ms);  // data is queued but not dispatched
  }
  test::runFor(*loop, 200ms);
  EXPECT_EQ(events, 0);
}

TEST(MediaRecorderDestroyScriptExecution, DestructionFromAnotherThreadWhileEventsRun) {
  // Events on the library's own thread; the recorder destroyed on this one, repeatedly.
  for (int i = 0; i < 20; ++i) {
    std::atomic<int> handled{0};
    {
      MediaRecorder recorder(test::createAudioStream());
      recorder.ondataavailable = [&](const BlobEvent&) { ++handled; };
      recorder.onstop = [&](const Event&) { ++handled; };
      recorder.start(0);
      std::this_thread::sleep_for(std::chrono::milliseconds(5 * (i % 4)));
      if (i % 2) recorder.stop();  // its dataavailable and stop may be queued, never run
    }
    const int atDestruction = handled.load();
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(handled.load(), atDestruction);
  }
}

}  // namespace mrec
