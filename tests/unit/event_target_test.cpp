#include <gtest/gtest.h>
#include <mrec/events.h>

namespace mrec {

TEST(EventTarget, ListenersRunInOrderForTheirTypeOnly) {
  EventTarget target;
  std::vector<std::string> calls;
  target.addEventListener("a", [&](const Event&) { calls.push_back("a1"); });
  target.addEventListener("b", [&](const Event&) { calls.push_back("b"); });
  target.addEventListener("a", [&](const Event&) { calls.push_back("a2"); });
  target.dispatchEvent(Event("a"));
  EXPECT_EQ(calls, (std::vector<std::string>{"a1", "a2"}));
}

TEST(EventTarget, RemovedListenersAreNotCalledEvenDuringADispatch) {
  EventTarget target;
  std::vector<std::string> calls;
  EventTarget::ListenerId second = 0;
  target.addEventListener("x", [&](const Event&) {
    calls.push_back("first");
    target.removeEventListener(second);
  });
  second = target.addEventListener("x", [&](const Event&) { calls.push_back("second"); });
  target.dispatchEvent(Event("x"));
  target.dispatchEvent(Event("x"));
  EXPECT_EQ(calls, (std::vector<std::string>{"first", "first"}));
  target.removeEventListener(12345);  // unknown ids are ignored
}

TEST(Event, TimeStampIsMonotonic) {
  const Event a("a");
  const Event b("b");
  EXPECT_GE(b.timeStamp, a.timeStamp);
  EXPECT_GT(a.timeStamp, 0);
}

}  // namespace mrec
