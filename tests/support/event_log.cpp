#include "support/event_log.h"

#include <algorithm>

namespace mrec::test {

std::shared_ptr<MediaStream> streamOf(std::vector<std::shared_ptr<MediaStreamTrack>> tracks) {
  return std::make_shared<MediaStream>(std::move(tracks));
}

std::shared_ptr<MediaStream> createAudioStream(double frequency) {
  return streamOf({createToneTrack({.frequency = frequency})});
}

std::shared_ptr<MediaStream> createOfflineToneStream(double seconds, double frequency,
                                                     uint32_t channels, uint32_t sampleRate) {
  return streamOf({createToneTrack({.frequency = frequency,
                                    .sampleRate = sampleRate,
                                    .channelCount = channels,
                                    .durationSeconds = seconds,
                                    .realtime = false})});
}

EventLog::EventLog(MediaRecorder& recorder) {
  for (const char* type : {"start", "stop", "dataavailable", "pause", "resume", "error"}) {
    recorder.addEventListener(type, [this, &recorder](const Event& event) {
      types.push_back(event.type);
      statesAtEvent.push_back(toString(recorder.state()));
      if (event.type == "dataavailable") {
        const auto& blobEvent = static_cast<const BlobEvent&>(event);
        blobs.push_back(blobEvent.data);
        timecodes.push_back(blobEvent.timecode);
      }
      if (event.type == "error") {
        const auto& errorEvent = static_cast<const ErrorEvent&>(event);
        errorNames.push_back(errorEvent.error ? errorEvent.error->name() : "");
      }
    });
  }
}

bool EventLog::has(const std::string& type) const {
  return count(type) > 0;
}

size_t EventLog::count(const std::string& type) const {
  return static_cast<size_t>(std::count(types.begin(), types.end(), type));
}

Blob EventLog::file(const std::string& type) const {
  return Blob(blobs, type);
}

std::string thrownName(const std::function<void()>& f) {
  try {
    f();
  } catch (const DOMException& e) {
    return e.name();
  }
  return "(nothing)";
}

std::string thrownMessage(const std::function<void()>& f) {
  try {
    f();
  } catch (const DOMException& e) {
    return e.message();
  }
  return "";
}

bool runUntil(EventLoop& loop, const std::function<bool()>& done,
              std::chrono::milliseconds timeout) {
  return loop.runUntil(done, timeout);
}

void runFor(EventLoop& loop, std::chrono::milliseconds time) {
  loop.runUntil([] { return false; }, time);
}

}  // namespace mrec::test
