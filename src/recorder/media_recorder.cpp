// MediaRecorder's methods, transcribing the spec's steps (numbered as in MediaRecorder.bs and
// docs/conformance.md §2). Deviations say which project decision (docs/conformance.md §3)
// they follow.
#include "mrec/media_recorder.h"

#include <algorithm>
#include <cmath>

#include "core/media_time.h"
#include "recorder/bitrate_policy.h"
#include "recorder/mime_type.h"
#include "recorder/recorder_core.h"
#include "recorder/recording_session.h"
#include "stream/track_state.h"

namespace mrec {

namespace {

[[noreturn]] void throwInvalidState(const detail::RecorderCore& core, const char* method)
    MREC_REQUIRES(core.mutex) {
  throw DOMException("InvalidStateError", std::string(method) +
                                              "() is not allowed while the "
                                              "recorder is " +
                                              toString(core.state));
}

// The defaults when the type names no container (docs/conformance.md decision 2).
constexpr const char* kDefaultAudioType = "audio/ogg;codecs=opus";
constexpr const char* kDefaultVideoType = "video/webm;codecs=vp8,opus";
constexpr const char* kDefaultVideoOnlyType = "video/webm;codecs=vp8";

// "Opus records 1 to 2 channels; the track has 6 (record it as pcm in WebM)".
std::string tooManyChannels(detail::AudioCodec codec, uint32_t channels) {
  const detail::AudioCodecFormat& format = detail::formatOf(codec);
  std::string message = std::string(format.displayName) + " records 1 to " +
                        std::to_string(format.maxChannels) + " channels; the track has " +
                        std::to_string(channels);
  for (const auto& other : detail::audioCodecFormats()) {
    if (other.maxChannels < channels) continue;
    for (const auto& container : detail::containerFormats())
      if (container.holds(other.codec))
        return message + " (record it as " + std::string(other.name) + " in " +
               std::string(container.name) + ")";
  }
  return message;
}

}  // namespace

const char* toString(RecordingState state) {
  switch (state) {
    case RecordingState::Inactive:
      return "inactive";
    case RecordingState::Recording:
      return "recording";
    case RecordingState::Paused:
      return "paused";
  }
  return "inactive";
}

const char* toString(BitrateMode mode) {
  return mode == BitrateMode::Constant ? "constant" : "variable";
}

bool MediaRecorder::isTypeSupported(std::string_view type) {
  // is type supported(type, false); this build answers for exactly what it records.
  return type.empty() || detail::checkType(type).supported;
}

MediaRecorder::MediaRecorder(std::shared_ptr<MediaStream> stream,
                             const MediaRecorderOptions& options,
                             std::shared_ptr<Executor> eventExecutor) {
  if (!stream) throw TypeError("MediaRecorder: the stream is null");
  if (!eventExecutor) throw TypeError("MediaRecorder: the executor is null");
  // 4. If is type supported(type, true) is false, throw NotSupportedError.
  if (!options.mimeType.empty()) {
    const auto check = detail::checkType(options.mimeType);
    if (!check.supported) throw DOMException("NotSupportedError", check.reason);
  }
  // Decision 4: both key-frame options are refused here already, as the tests expect.
  if (options.videoKeyFrameIntervalDuration && options.videoKeyFrameIntervalCount)
    throw DOMException("NotSupportedError",
                       "videoKeyFrameIntervalDuration and videoKeyFrameIntervalCount cannot both "
                       "be given");
  if (options.maxDuration && !(std::isfinite(*options.maxDuration) && *options.maxDuration > 0))
    throw TypeError("MediaRecorder: maxDuration must be a number of milliseconds above 0");
  // 5-17.
  core_ = std::make_shared<detail::RecorderCore>(this, std::move(stream), options,
                                                 std::move(eventExecutor));
}

MediaRecorder::~MediaRecorder() {
  core_->detachOwner();
  std::vector<std::shared_ptr<detail::RecordingSession>> running;
  {
    detail::MutexLock lock(core_->mutex);
    running.swap(core_->running);
    core_->session.reset();
    core_->state = RecordingState::Inactive;
  }
  for (const auto& session : running) session->abort();
}

std::shared_ptr<MediaStream> MediaRecorder::stream() const {
  return core_->stream;
}

std::string MediaRecorder::mimeType() const {
  detail::MutexLock lock(core_->mutex);
  return core_->mimeType;
}

uint64_t MediaRecorder::droppedVideoFrames() const {
  detail::MutexLock lock(core_->mutex);
  return core_->session ? core_->session->droppedVideoFrames() : 0;
}

double MediaRecorder::recordedDuration() const {
  detail::MutexLock lock(core_->mutex);
  return core_->session ? detail::microsToMillis(core_->session->recordedMicros()) : 0;
}

RecordingState MediaRecorder::state() const {
  detail::MutexLock lock(core_->mutex);
  return core_->state;
}

uint32_t MediaRecorder::videoBitsPerSecond() const {
  detail::MutexLock lock(core_->mutex);
  return core_->videoBitsPerSecond;
}

uint32_t MediaRecorder::audioBitsPerSecond() const {
  detail::MutexLock lock(core_->mutex);
  return core_->audioBitsPerSecond;
}

BitrateMode MediaRecorder::audioBitrateMode() const {
  return core_->audioBitrateMode;
}

void MediaRecorder::start() {
  startRecording(std::nullopt);
}
void MediaRecorder::start(uint32_t timeslice) {
  startRecording(timeslice);
}

void MediaRecorder::startRecording(std::optional<uint32_t> timeslice) {
  auto& core = *core_;
  detail::MutexLock lock(core.mutex);
  // 3-4. The live tracks of the stream; ended tracks are ignored.
  std::vector<std::shared_ptr<MediaStreamTrack>> tracks = core.stream->getTracks();
  std::erase_if(tracks,
                [](const auto& t) { return t->readyState() != MediaStreamTrackState::Live; });
  // 5.
  if (core.state != RecordingState::Inactive) throwInvalidState(core, "start");
  // 6. Isolation properties forbid access.
  if (std::any_of(tracks.begin(), tracks.end(), [](const auto& t) { return t->isolated(); }))
    throw DOMException("SecurityError",
                       "the stream has an isolated track, which may not be recorded");
  // 7.
  if (tracks.empty())
    throw DOMException("NotSupportedError", "the stream is inactive: it has no live track");
  const auto audioTracks = static_cast<uint32_t>(std::count_if(
      tracks.begin(), tracks.end(), [](const auto& t) { return t->kind() == "audio"; }));
  const auto videoTracks = static_cast<uint32_t>(tracks.size()) - audioTracks;
  // 8. The constrained type (already validated by the constructor) or the default.
  const std::string constrained = !core.constrainedMimeType.empty() ? core.constrainedMimeType
                                  : videoTracks == 0                ? kDefaultAudioType
                                  : audioTracks == 0                ? kDefaultVideoOnlyType
                                                                    : kDefaultVideoType;
  const detail::TypeCheck check = detail::checkType(constrained);
  // 9. bitsPerSecond is shared among the tracks actually recorded.
  if (core.constrainedBitsPerSecond) {
    const auto split =
        detail::splitBitrate(*core.constrainedBitsPerSecond, audioTracks, videoTracks);
    core.audioBitsPerSecond = split.audio;
    core.videoBitsPerSecond = split.video;
  }
  // 12. Both key-frame options (kept here as the spec places it; decision 4).
  if (core.videoKeyFrameIntervalDuration && core.videoKeyFrameIntervalCount)
    throw DOMException("NotSupportedError", "both key-frame interval options are given");
  // 14. Every track must be recordable with this configuration (decision 8 for counts).
  if (videoTracks > 0 && !check.format.videoAllowed)
    throw DOMException("NotSupportedError", "the stream has a video track, which " +
                                                check.format.essence + " cannot hold");
  if (videoTracks > 1)
    throw DOMException("NotSupportedError", "the stream has " + std::to_string(videoTracks) +
                                                " live video tracks; at most one can be recorded");
  if (audioTracks > 1)
    throw DOMException("NotSupportedError", "the stream has " + std::to_string(audioTracks) +
                                                " live audio tracks; at most one can be recorded");
  std::shared_ptr<MediaStreamTrack> audio, video;
  for (const auto& track : tracks) (track->kind() == "audio" ? audio : video) = track;
  std::shared_ptr<detail::TrackState> audioTrack, videoTrack;
  if (audio) audioTrack = detail::Access::state(*audio);
  if (video) videoTrack = detail::Access::state(*video);
  // A kind the type names no codec for is recorded with its container's first that this
  // machine can record (docs/conformance.md decision 2); the checks above leave only
  // containers that hold each kind recorded.
  const detail::ContainerFormat& container = detail::formatOf(check.format.container);
  const detail::AudioCodec codec =
      check.format.audioCodec.value_or(detail::defaultAudioCodec(container));
  std::optional<detail::VideoCodec> videoCodec = check.format.videoCodec;
  if (!videoCodec && container.holdsVideo()) videoCodec = container.videoCodecs.front();
  if (const auto channels = audio ? audio->getSettings().channelCount : std::nullopt;
      channels && *channels > detail::formatOf(codec).maxChannels)
    throw DOMException("NotSupportedError", tooManyChannels(codec, *channels));

  // The type that `start` will show: the constrained string, completed with the codec of
  // each kind recorded that it does not name.
  std::string codecs;
  if (videoTrack && videoCodec) codecs = detail::formatOf(*videoCodec).name;
  if (audioTrack)
    codecs += std::string(codecs.empty() ? "" : ",") + std::string(detail::formatOf(codec).name);
  std::string extended = constrained;
  if (!detail::parseMimeType(constrained)->parameter("codecs"))
    extended += ";codecs=" + codecs;
  else if ((audioTrack && !check.format.audioCodec) || (videoTrack && !check.format.videoCodec))
    extended = check.format.essence + ";codecs=" + codecs;

  // 15. state = recording, then everything else in parallel, on the encode pool.
  detail::RecordingSession::Config config;
  config.media.format = check.format;
  config.media.audioCodec = codec;
  if (videoTrack) config.media.videoCodec = videoCodec;
  config.mimeType = extended;
  config.media.timeslice = timeslice;
  config.media.audioBitsPerSecond = core.audioBitsPerSecond;
  config.media.audioBitrateMode = core.audioBitrateMode;
  config.media.videoBitsPerSecond = core.videoBitsPerSecond;
  config.media.videoKeyFrameIntervalDuration = core.videoKeyFrameIntervalDuration;
  config.media.videoKeyFrameIntervalCount = core.videoKeyFrameIntervalCount;
  if (core.maxDuration)
    config.media.maxDurationUs = detail::millisToNearestMicros(*core.maxDuration);
  config.media.hasAudio = audioTrack != nullptr;
  config.audioTrack = std::move(audioTrack);
  config.videoTrack = std::move(videoTrack);
  config.stream = detail::Access::state(*core.stream);

  const std::shared_ptr<detail::RecordingSession> previous = core.session;
  std::erase_if(core.running, [](const auto& s) { return s->isFinished(); });
  auto session = std::make_shared<detail::RecordingSession>(core_, std::move(config));
  core.state = RecordingState::Recording;
  core.session = session;
  core.running.push_back(session);
  session->begin(previous);
}

void MediaRecorder::stop() {
  detail::MutexLock lock(core_->mutex);
  // 2. Idempotent: no exception, no event.
  if (core_->state == RecordingState::Inactive) return;
  // 3. Inactivate synchronously; 4. the worker queues dataavailable then stop.
  core_->inactivateLocked();
  core_->session->end(detail::EndReason::Stop);
}

void MediaRecorder::stopWithError(const DOMException& error) {
  detail::MutexLock lock(core_->mutex);
  if (core_->state == RecordingState::Inactive) return;
  core_->inactivateLocked();
  core_->session->end(detail::EndReason::Failure, error.message(), error.name());
}

void MediaRecorder::pause() {
  detail::MutexLock lock(core_->mutex);
  if (core_->state == RecordingState::Inactive) throwInvalidState(*core_, "pause");
  if (core_->state == RecordingState::Paused) return;
  core_->state = RecordingState::Paused;
  core_->session->pause();
}

void MediaRecorder::resume() {
  detail::MutexLock lock(core_->mutex);
  if (core_->state == RecordingState::Inactive) throwInvalidState(*core_, "resume");
  if (core_->state == RecordingState::Recording) return;
  core_->state = RecordingState::Recording;
  core_->session->resume();
}

void MediaRecorder::requestData() {
  detail::MutexLock lock(core_->mutex);
  if (core_->state == RecordingState::Inactive) throwInvalidState(*core_, "requestData");
  core_->session->requestData();
}

}  // namespace mrec
