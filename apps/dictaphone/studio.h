// The Dictaphone's recording side: the selected input (a device or the test tone), its live
// monitor, and at most one recording at a time, written to its clip's file Blob by Blob.
#pragma once

#include <mrec/mrec.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "clip_store.h"
#include "disk_reserve.h"
#include "input_monitor.h"

namespace dictaphone {

/// A request the studio refuses, with the HTTP status that says why.
struct StudioError : std::runtime_error {
  StudioError(int status, std::string code, const std::string& message)
      : std::runtime_error(message), status(status), code(std::move(code)) {}
  int status;
  std::string code;
};

struct InputInfo {
  std::string id, label;
};

struct StudioStatus {
  std::string state = "inactive";  ///< the recorder's: inactive, recording, paused
  double elapsedSeconds = 0;       ///< recorded time, paused spans left out
  std::string input;               ///< the selected input's id, "" before one is chosen
  std::string message;             ///< the last problem, for the page to show
};

/// A format the Dictaphone records clips in.
struct ClipFormat {
  std::string type;   ///< the MIME type recorded
  std::string label;  ///< for the page's picker
};

class Studio {
 public:
  static constexpr const char* kToneInput = "tone";

  /// `reserve` is given back when a recording fills the disk (shared with the uploads).
  Studio(ClipStore& store, DiskReserve& reserve);
  ~Studio();

  /// The test tone, then every audio input the capture backend lists.
  std::vector<InputInfo> inputs();
  /// Opens `id` for the monitor (and the next recording). StudioError 409 while recording,
  /// 404 for an unknown input, 503 when it cannot be opened.
  void select(const std::string& id);
  /// Ogg Opus, WebM Opus and MP4 (AAC for iPhone and QuickTime where this build records AAC,
  /// else Opus), in that order.
  static std::vector<ClipFormat> formats();
  /// Starts recording the selected input (the default device if none was chosen) in one of
  /// formats(); StudioError 400 for any other type.
  Clip start(const std::string& mimeType);
  void pause();
  void resume();
  /// Stops, waits for the last Blob, names the clip `name` if given, and returns it finished.
  /// StudioError 507 "disk-full" when the disk filled up: the clip is kept, named, with the
  /// audio that fitted.
  Clip stop(const std::optional<std::string>& name = std::nullopt);
  StudioStatus status();
  /// The monitor's view; all silent when no input is open.
  MonitorSnapshot snapshot();

 private:
  struct Recording;
  void openInput(const std::string& id);
  double elapsedLocked() const;
  /// Finishes recording_ (which must be set) as stop() does.
  Clip finishLocked(const std::optional<std::string>& name);
  /// Finishes recording_ if its recorder stopped by itself.
  void finishIfStoppedLocked();

  ClipStore& store_;
  DiskReserve& reserve_;
  std::mutex mutex_;
  std::string inputId_;
  std::shared_ptr<mrec::MediaStream> stream_;
  std::unique_ptr<InputMonitor> monitor_;
  std::shared_ptr<Recording> recording_;
  std::string message_;
};

}  // namespace dictaphone
