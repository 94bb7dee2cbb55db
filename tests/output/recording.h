// Records a stream to completion on an EventLoop and hands back the Blobs.
#pragma once

#include <gtest/gtest.h>

#include "support/event_log.h"

namespace mrec::test {

struct Recording {
  std::vector<Blob> blobs;
  std::vector<double> timecodes;
  std::vector<std::string> events;
  std::string mimeType;
  Blob file() const { return Blob(blobs, mimeType); }
};

/// Records until the stream's tracks end (or `stopAfter` of wall time, then stop()).
inline Recording recordToEnd(std::shared_ptr<MediaStream> stream, MediaRecorderOptions options,
                             std::optional<uint32_t> timeslice = std::nullopt,
                             std::optional<std::chrono::milliseconds> stopAfter = std::nullopt) {
  auto loop = std::make_shared<EventLoop>();
  MediaRecorder recorder(std::move(stream), options, loop);
  EventLog log(recorder);
  Recording result;
  recorder.onstart = [&](const Event&) { result.mimeType = recorder.mimeType(); };
  if (timeslice)
    recorder.start(*timeslice);
  else
    recorder.start();
  if (stopAfter) {
    runFor(*loop, *stopAfter);
    recorder.stop();
  }
  EXPECT_TRUE(runUntil(
      *loop, [&] { return log.has("stop"); }, 60s));
  result.blobs = log.blobs;
  result.timecodes = log.timecodes;
  result.events = log.types;
  return result;
}

}  // namespace mrec::test
