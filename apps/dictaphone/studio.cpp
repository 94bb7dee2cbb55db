#include "studio.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <mrec/blob_file.h>

#include "clip_finisher.h"

namespace dictaphone {

namespace {
constexpr uint32_t kTimesliceMs = 1000;  // a crash loses at most the last second
using Clock = std::chrono::steady_clock;
}  // namespace

// One recording: its recorder, its file, and the time it has recorded. Its handlers run on
// the library's event thread and touch only this object.
struct Studio::Recording {
  Clip clip;
  std::unique_ptr<mrec::MediaRecorder> recorder;
  std::mutex mutex;
  std::condition_variable stopped;
  bool done = false;
  /// Whole Blobs only, so after a failed write the clip plays up to the last that fitted.
  std::optional<mrec::BlobFile> file;
  std::string error;
  bool diskFull = false;  ///< a write found no space left: the stop says so
  Clock::duration recorded{};
  std::optional<Clock::time_point> runningSince;

  double seconds() const {
    auto total = recorded;
    if (runningSince) total += Clock::now() - *runningSince;
    return std::chrono::duration<double>(total).count();
  }
};

Studio::Studio(ClipStore& store, DiskReserve& reserve) : store_(store), reserve_(reserve) {}

Studio::~Studio() {
  try {
    if (recording_) stop();
  } catch (const std::exception&) {
    // The clip stays marked as recording and is recovered at the next start-up.
  }
}

std::vector<InputInfo> Studio::inputs() {
  std::vector<InputInfo> inputs{{kToneInput, "Test tone (440 Hz)"}};
  for (const auto& device : mrec::mediaDevices::enumerateDevices())
    if (device.kind == "audioinput") inputs.push_back({device.deviceId, device.label});
  return inputs;
}

void Studio::openInput(const std::string& id) {
  std::shared_ptr<mrec::MediaStream> stream;
  if (id == kToneInput) {
    stream = std::make_shared<mrec::MediaStream>(
        std::vector{mrec::createToneTrack({.frequency = 440, .amplitude = 0.5})});
  } else {
    mrec::MediaTrackConstraints constraints;
    if (!id.empty()) constraints.deviceId = id;
    try {
      stream = mrec::mediaDevices::getUserMedia({.audio = constraints});
    } catch (const mrec::DOMException& e) {
      if (e.name() == "OverconstrainedError")
        throw StudioError(404, "unknown-input", "no input \"" + id + "\"");
      throw StudioError(503, "no-input", "the input cannot be opened: " + e.message());
    }
  }
  monitor_.reset();
  if (stream_)
    for (auto& track : stream_->getTracks()) track->stop();
  stream_ = std::move(stream);
  inputId_ = id.empty() ? "default" : id;
  monitor_ = std::make_unique<InputMonitor>(stream_->getAudioTracks()[0]);
}

void Studio::select(const std::string& id) {
  std::lock_guard lock(mutex_);
  if (recording_) throw StudioError(409, "busy", "the input cannot change while recording");
  openInput(id);
  message_.clear();
}

std::vector<ClipFormat> Studio::formats() {
  std::vector<ClipFormat> list{{"audio/ogg;codecs=opus", "Ogg Opus"},
                               {"audio/webm;codecs=opus", "WebM Opus"}};
  if (mrec::MediaRecorder::isTypeSupported("audio/mp4;codecs=mp4a.40.2"))
    list.push_back({"audio/mp4;codecs=mp4a.40.2", "MP4 AAC (iPhone, QuickTime)"});
  else
    list.push_back({"audio/mp4;codecs=opus", "MP4 Opus"});
  return list;
}

Clip Studio::start(const std::string& mimeType) {
  std::lock_guard lock(mutex_);
  finishIfStoppedLocked();
  if (recording_) throw StudioError(409, "busy", "already recording");
  const auto offered = formats();
  if (std::none_of(offered.begin(), offered.end(),
                   [&](const ClipFormat& f) { return f.type == mimeType; })) {
    std::string types;
    for (const auto& format : offered) types += (types.empty() ? "" : ", ") + format.type;
    throw StudioError(400, "bad-type", "the format is one of " + types);
  }
  if (!stream_ || !stream_->active()) openInput(inputId_ == "default" ? "" : inputId_);
  reserve_.restore();  // given back when the last recording filled the disk

  auto recording = std::make_shared<Recording>();
  recording->clip = store_.create("My unnamed clip", mimeType);
  const auto path = store_.pathOf(recording->clip);
  try {
    recording->file.emplace(path, mrec::BlobFile::IfEmpty::Keep);
  } catch (const mrec::DOMException& e) {
    store_.remove(recording->clip.id);
    throw StudioError(507, "cannot-write", e.message());
  }
  mrec::MediaRecorderOptions options;
  options.mimeType = mimeType;
  recording->recorder = std::make_unique<mrec::MediaRecorder>(stream_, options);
  std::weak_ptr<Recording> weak = recording;
  ClipStore& store = store_;
  DiskReserve& reserve = reserve_;
  recording->recorder->ondataavailable = [weak, &store, &reserve](const mrec::BlobEvent& event) {
    const auto r = weak.lock();
    if (!r) return;
    std::lock_guard lock(r->mutex);
    if (!r->file || !r->error.empty()) return;
    if (!r->file->append(event.data)) {
      r->diskFull = r->file->errorCode() == ENOSPC;
      if (r->diskFull) reserve.release();  // room for the database to finish and name the clip
      r->error = r->diskFull
                     ? "no space left on device: the recording stopped when the disk filled up"
                     : "cannot write the clip: " + r->file->error();
      r->recorder->stopWithError(mrec::DOMException("UnknownError", r->error));
      return;
    }
    try {
      store.setDuration(r->clip.id, r->seconds());
    } catch (const std::runtime_error&) {
      // Only a hint for recovery, which reads the duration from the file: a full disk shows
      // at the next Blob.
    }
  };
  recording->recorder->onerror = [weak](const mrec::ErrorEvent& event) {
    if (const auto r = weak.lock()) {
      std::lock_guard lock(r->mutex);
      if (r->error.empty())
        r->error = "recording failed: " + std::string(event.error ? event.error->what() : "");
    }
  };
  recording->recorder->onstop = [weak](const mrec::Event&) {
    if (const auto r = weak.lock()) {
      std::lock_guard lock(r->mutex);
      r->done = true;
      r->stopped.notify_all();
    }
  };
  {
    std::lock_guard recordingLock(recording->mutex);
    recording->runningSince = Clock::now();
  }
  recording->recorder->start(kTimesliceMs);
  recording_ = recording;
  message_.clear();
  return recording->clip;
}

void Studio::pause() {
  std::lock_guard lock(mutex_);
  if (!recording_) throw StudioError(409, "not-recording", "nothing is being recorded");
  recording_->recorder->pause();
  std::lock_guard recordingLock(recording_->mutex);
  if (recording_->runningSince) recording_->recorded += Clock::now() - *recording_->runningSince;
  recording_->runningSince.reset();
}

void Studio::resume() {
  std::lock_guard lock(mutex_);
  if (!recording_) throw StudioError(409, "not-recording", "nothing is being recorded");
  recording_->recorder->resume();
  std::lock_guard recordingLock(recording_->mutex);
  if (!recording_->runningSince) recording_->runningSince = Clock::now();
}

Clip Studio::stop(const std::optional<std::string>& name) {
  std::lock_guard lock(mutex_);
  if (!recording_) throw StudioError(409, "not-recording", "nothing is being recorded");
  return finishLocked(name);
}

void Studio::finishIfStoppedLocked() {
  if (!recording_ || recording_->recorder->state() != mrec::RecordingState::Inactive) return;
  try {
    finishLocked(std::nullopt);
  } catch (const StudioError&) {
    // The reason is in message_, which the page shows; there is no request to answer.
  }
}

Clip Studio::finishLocked(const std::optional<std::string>& name) {
  const auto recording = std::move(recording_);
  // Inactive before anyone stopped it: an error ended it, or its input went away.
  const bool endedByItself = recording->recorder->state() == mrec::RecordingState::Inactive;
  if (!endedByItself) recording->recorder->stop();
  std::unique_lock recordingLock(recording->mutex);
  recording->stopped.wait_for(recordingLock, std::chrono::seconds(10),
                              [&] { return recording->done; });
  if (recording->runningSince) recording->recorded += Clock::now() - *recording->runningSince;
  recording->runningSince.reset();
  recording->file.reset();
  const FinishedFile finished = finishClipFile(store_.pathOf(recording->clip),
                                               recording->clip.mimeType, recording->seconds());
  if (recording->error.empty()) recording->error = finished.error;
  message_ = recording->error;
  if (message_.empty() && endedByItself)
    message_ = "the input went away while recording (" + inputId_ +
               "); the clip keeps what was recorded before";
  const double seconds = finished.seconds;
  recordingLock.unlock();
  const bool diskFull = recording->diskFull;
  recording->recorder.reset();  // no event follows
  store_.finish(recording->clip.id, seconds);
  if (name) store_.rename(recording->clip.id, *name);
  if (diskFull) {
    char kept[32];
    std::snprintf(kept, sizeof kept, "%.1f", seconds);
    throw StudioError(507, "disk-full",
                      "no space left on device: the recording stopped when the disk filled up; "
                      "the clip keeps the " +
                          std::string(kept) + " s that fitted");
  }
  auto clip = store_.find(recording->clip.id);
  return clip ? *clip : recording->clip;
}

StudioStatus Studio::status() {
  std::lock_guard lock(mutex_);
  // The monitor asks ~30 times a second: a recorder that stopped by itself (a full disk, a
  // lost input) has its clip finished and listed at once, and Record works again.
  finishIfStoppedLocked();
  StudioStatus status;
  status.input = inputId_;
  status.message = message_;
  if (recording_) {
    status.state = mrec::toString(recording_->recorder->state());
    std::lock_guard recordingLock(recording_->mutex);
    status.elapsedSeconds = recording_->seconds();
    if (!recording_->error.empty()) status.message = recording_->error;
  }
  return status;
}

MonitorSnapshot Studio::snapshot() {
  std::lock_guard lock(mutex_);
  if (!monitor_) {
    MonitorSnapshot silent;
    silent.waveform.fill(128);
    return silent;
  }
  return monitor_->take();
}

}  // namespace dictaphone
