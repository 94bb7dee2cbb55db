// Test helpers: streams made of synthetic tracks, and a log of a recorder's events in order.
#pragma once

#include <mrec/mrec.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mrec {
// Tests say 100ms and 2s.
using namespace std::chrono_literals;
}  // namespace mrec

namespace mrec::test {

std::shared_ptr<MediaStream> streamOf(std::vector<std::shared_ptr<MediaStreamTrack>> tracks);

/// WPT's createAudioStream / createFlowingAudioStream: a live realtime tone.
std::shared_ptr<MediaStream> createAudioStream(double frequency = 440);

/// An offline tone of `seconds`, rendered as fast as it is recorded.
std::shared_ptr<MediaStream> createOfflineToneStream(double seconds, double frequency = 440,
                                                     uint32_t channels = 1,
                                                     uint32_t sampleRate = 48000);

/// Every event of a recorder, in the order it was dispatched (listeners added at construction,
/// so the recorder's on... handlers stay free for the test).
class EventLog {
 public:
  explicit EventLog(MediaRecorder& recorder);
  std::vector<std::string> types;
  std::vector<Blob> blobs;
  std::vector<double> timecodes;
  std::vector<std::string> errorNames;
  std::vector<std::string> statesAtEvent;  ///< recorder.state() when each event ran
  bool has(const std::string& type) const;
  size_t count(const std::string& type) const;
  /// The concatenation of every Blob, as one file.
  Blob file(const std::string& type = "") const;
};

/// The name of the DOMException `f` throws, or "(nothing)".
std::string thrownName(const std::function<void()>& f);
/// The message of the DOMException `f` throws, or "".
std::string thrownMessage(const std::function<void()>& f);

/// Runs `loop` until `done` or the timeout; returns done().
bool runUntil(EventLoop& loop, const std::function<bool()>& done,
              std::chrono::milliseconds timeout = 15s);
/// Runs `loop` for `time`.
void runFor(EventLoop& loop, std::chrono::milliseconds time);

}  // namespace mrec::test
