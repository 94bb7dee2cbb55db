// Audio capture through PulseAudio's asynchronous API (threaded main loop), which also
// serves PipeWire desktops through pipewire-pulse. The library is loaded when first needed
// (pulse_library.h).
#include "sources/pulse_capture.h"

#include <algorithm>
#include <cstring>

#include "mrec/executor.h"
#include "sources/capture_pump.h"
#include "sources/pulse_library.h"
#include "stream/track_state.h"

namespace mrec::detail {

namespace {

// Short fragments: without an explicit fragsize PulseAudio hands a recorder 2 s lumps.
constexpr pa_usec_t kFragmentUsec = 10 * PA_USEC_PER_MSEC;
constexpr uint32_t kMinRate = 8000, kMaxRate = 384000;
// What the ring between the capture callback and the recorders holds before it refuses.
constexpr std::chrono::milliseconds kRingCapacity{2000};

[[noreturn]] void notReadable(const std::string& what, pa_context* context) {
  throw DOMException(
      "NotReadableError",
      what + ": " + (context ? pulse().strerror(pulse().context_errno(context)) : "failed"));
}

// A connected context on its own main-loop thread. Every pa_* call on it is made with the
// main loop locked (or from its thread, in callbacks).
class PulseConnection {
 public:
  PulseConnection() {
    loop_ = pulse().threaded_mainloop_new();
    context_ = pulse().context_new(pulse().threaded_mainloop_get_api(loop_), "mrec");
    pulse().context_set_state_callback(context_, &PulseConnection::onContextState, this);
    if (pulse().context_connect(context_, nullptr, PA_CONTEXT_NOAUTOSPAWN, nullptr) < 0) {
      const std::string error = pulse().strerror(pulse().context_errno(context_));
      release();
      throw DOMException("NotReadableError", "cannot reach the audio server: " + error);
    }
    pulse().threaded_mainloop_lock(loop_);
    pulse().threaded_mainloop_start(loop_);
    while (true) {
      const pa_context_state_t state = pulse().context_get_state(context_);
      if (state == PA_CONTEXT_READY) break;
      if (!PA_CONTEXT_IS_GOOD(state)) {
        const std::string error = pulse().strerror(pulse().context_errno(context_));
        pulse().threaded_mainloop_unlock(loop_);
        release();
        throw DOMException("NotReadableError", "cannot reach the audio server: " + error);
      }
      pulse().threaded_mainloop_wait(loop_);
    }
    pulse().threaded_mainloop_unlock(loop_);
  }
  ~PulseConnection() { release(); }
  PulseConnection(const PulseConnection&) = delete;
  PulseConnection& operator=(const PulseConnection&) = delete;

  pa_threaded_mainloop* loop() const { return loop_; }
  pa_context* context() const { return context_; }

  /// Waits (main loop locked) until `operation` is done.
  void wait(pa_operation* operation) {
    if (!operation) notReadable("the audio server refused a request", context_);
    while (pulse().operation_get_state(operation) == PA_OPERATION_RUNNING)
      pulse().threaded_mainloop_wait(loop_);
    pulse().operation_unref(operation);
  }

  /// Called on the main loop's thread when the server goes away.
  std::function<void()> onLost;

 private:
  static void onContextState(pa_context* context, void* self) {
    auto* connection = static_cast<PulseConnection*>(self);
    const pa_context_state_t state = pulse().context_get_state(context);
    pulse().threaded_mainloop_signal(connection->loop_, 0);
    // Last: the callback may end the source that owns this connection. A copy runs, so that
    // the member being destroyed is not the function being executed.
    if (state == PA_CONTEXT_FAILED && connection->onLost) {
      const auto lost = connection->onLost;
      lost();
    }
  }

  void release() {
    if (!loop_) return;
    pa_threaded_mainloop* loop = loop_;
    pa_context* context = context_;
    loop_ = nullptr;
    auto stopAndFree = [loop, context] {
      pulse().threaded_mainloop_lock(loop);
      pulse().context_set_state_callback(context, nullptr, nullptr);
      pulse().context_disconnect(context);
      pulse().context_unref(context);
      pulse().threaded_mainloop_unlock(loop);
      pulse().threaded_mainloop_stop(loop);
      pulse().threaded_mainloop_free(loop);
    };
    // The last owner may be a callback on the loop's own thread, which cannot stop itself.
    // The process's default executor, a thread that lives as long as the process, stops it
    // then: no thread is left without an owner (docs/architecture.md §4).
    if (pulse().threaded_mainloop_in_thread(loop))
      defaultExecutor()->post(stopAndFree);
    else
      stopAndFree();
  }

  pa_threaded_mainloop* loop_ = nullptr;
  pa_context* context_ = nullptr;
};

struct SourceInfo {
  std::string name, description;
  uint32_t rate = 0, channels = 0;
  uint32_t card = PA_INVALID_INDEX;
};

struct ServerView {
  std::string defaultSource;
  std::vector<SourceInfo> sources;
};

ServerView inspect(PulseConnection& connection) {
  ServerView view;
  pulse().threaded_mainloop_lock(connection.loop());
  struct Context {
    PulseConnection* connection;
    ServerView* view;
  } ctx{&connection, &view};
  connection.wait(pulse().context_get_server_info(
      connection.context(),
      [](pa_context*, const pa_server_info* info, void* data) {
        auto* c = static_cast<Context*>(data);
        if (info && info->default_source_name) c->view->defaultSource = info->default_source_name;
        pulse().threaded_mainloop_signal(c->connection->loop(), 0);
      },
      &ctx));
  connection.wait(pulse().context_get_source_info_list(
      connection.context(),
      [](pa_context*, const pa_source_info* info, int, void* data) {
        auto* c = static_cast<Context*>(data);
        if (info)
          c->view->sources.push_back(
              {info->name, info->description ? info->description : info->name,
               info->sample_spec.rate, info->sample_spec.channels, info->card});
        pulse().threaded_mainloop_signal(c->connection->loop(), 0);
      },
      &ctx));
  pulse().threaded_mainloop_unlock(connection.loop());
  return view;
}

class PulseSource final : public TrackSource, public std::enable_shared_from_this<PulseSource> {
 public:
  PulseSource(std::unique_ptr<PulseConnection> connection, const SourceInfo& device,
              const pa_sample_spec& spec)
      : connection_(std::move(connection)), deviceId_(device.name), spec_(spec) {}

  ~PulseSource() override {
    // The last owner may let go inside one of our callbacks, on the main loop's thread,
    // which holds the lock already.
    pa_threaded_mainloop* loop = connection_->loop();
    const bool inLoop = pulse().threaded_mainloop_in_thread(loop);
    if (!inLoop) pulse().threaded_mainloop_lock(loop);
    closeStream();
    connection_->onLost = nullptr;
    if (!inLoop) pulse().threaded_mainloop_unlock(loop);
  }

  void onTrackEnded() override {
    if (hasLiveTracks()) return;
    pa_threaded_mainloop* loop = connection_->loop();
    // From the main loop's own thread (the device vanished) the lock is already ours.
    const bool inLoop = pulse().threaded_mainloop_in_thread(loop);
    if (!inLoop) pulse().threaded_mainloop_lock(loop);
    closeStream();
    if (!inLoop) pulse().threaded_mainloop_unlock(loop);
  }

  MediaTrackSettings settings() const override {
    MediaTrackSettings settings;
    settings.deviceId = deviceId_;
    settings.sampleRate = spec_.rate;
    settings.channelCount = spec_.channels;
    return settings;
  }

  /// Connects the record stream; throws NotReadableError if the device cannot be opened.
  void open() {
    pa_threaded_mainloop* loop = connection_->loop();
    pulse().threaded_mainloop_lock(loop);
    connection_->onLost = [weak = weak_from_this()] {
      if (const auto self = weak.lock()) self->lost();  // kept alive until lost() returns
    };
    pump_ = std::make_unique<CapturePump>(
        spec_.rate, spec_.channels, kRingCapacity,
        [weak = weak_from_this()](const AudioChunk& chunk) {
          if (const auto self = weak.lock()) self->deliverAudio(chunk, Delivery::Realtime);
        },
        [weak = weak_from_this()](uint64_t frames) {
          if (const auto self = weak.lock()) self->reportOverflow(frames);
        });
    stream_ = pulse().stream_new(connection_->context(), "mrec capture", &spec_, nullptr);
    if (!stream_) {
      pulse().threaded_mainloop_unlock(loop);
      notReadable("cannot create a record stream", connection_->context());
    }
    pulse().stream_set_state_callback(stream_, &PulseSource::onStreamState, this);
    pulse().stream_set_read_callback(stream_, &PulseSource::onRead, this);
    pa_buffer_attr attr;
    std::memset(&attr, 0xFF, sizeof attr);  // (uint32_t)-1: the server's default
    attr.fragsize = static_cast<uint32_t>(pulse().usec_to_bytes(kFragmentUsec, &spec_));
    if (pulse().stream_connect_record(stream_, deviceId_.c_str(), &attr, PA_STREAM_ADJUST_LATENCY) <
        0) {
      closeStream();
      pulse().threaded_mainloop_unlock(loop);
      notReadable("cannot open " + deviceId_, connection_->context());
    }
    while (true) {
      const pa_stream_state_t state = pulse().stream_get_state(stream_);
      if (state == PA_STREAM_READY) break;
      if (!PA_STREAM_IS_GOOD(state)) {
        const std::string error = pulse().strerror(pulse().context_errno(connection_->context()));
        closeStream();
        pulse().threaded_mainloop_unlock(loop);
        throw DOMException("NotReadableError", "cannot open " + deviceId_ + ": " + error);
      }
      pulse().threaded_mainloop_wait(loop);
    }
    pulse().threaded_mainloop_unlock(loop);
  }

 private:
  static void onStreamState(pa_stream* stream, void* self) {
    auto* source = static_cast<PulseSource*>(self);
    const pa_stream_state_t state = pulse().stream_get_state(stream);
    pulse().threaded_mainloop_signal(source->connection_->loop(), 0);
    // A stream that fails or ends without our asking: the device went away.
    if ((state == PA_STREAM_FAILED || state == PA_STREAM_TERMINATED) && !source->closing_) {
      const auto keep = source->weak_from_this().lock();  // ending the tracks may free it
      if (keep) source->lost();
    }
  }

  // Realtime: copies into the pump's ring and returns; no lock, no allocation.
  static void onRead(pa_stream* stream, size_t, void* self) {
    auto* source = static_cast<PulseSource*>(self);
    const void* data = nullptr;
    size_t bytes = 0;
    const size_t frameBytes = pulse().frame_size(&source->spec_);
    while (pulse().stream_peek(stream, &data, &bytes) == 0 && bytes > 0) {
      // A null `data` is a hole in the stream: the pump keeps its time with silence.
      source->pump_->push(static_cast<const float*>(data),
                          static_cast<uint32_t>(bytes / frameBytes));
      pulse().stream_drop(stream);
    }
  }

  void lost() {
    closeStream();
    endAllTracks();
  }

  // Main loop locked (or its thread).
  void closeStream() {
    if (!stream_) return;
    closing_ = true;
    pulse().stream_set_read_callback(stream_, nullptr, nullptr);
    pulse().stream_set_state_callback(stream_, nullptr, nullptr);
    pulse().stream_disconnect(stream_);
    pulse().stream_unref(stream_);
    stream_ = nullptr;
  }

  std::unique_ptr<PulseConnection> connection_;
  const std::string deviceId_;
  const pa_sample_spec spec_;
  pa_stream* stream_ = nullptr;
  bool closing_ = false;
  std::unique_ptr<CapturePump> pump_;  ///< made in open(), before the stream can call onRead
};

class PulseBackend final : public CaptureBackend {
 public:
  const char* name() const override { return "pulse"; }

  std::vector<MediaDeviceInfo> enumerateAudioInputs() override {
    PulseConnection connection;
    const ServerView view = inspect(connection);
    std::vector<MediaDeviceInfo> devices;
    for (const auto& source : view.sources) {
      const std::string group = source.card == PA_INVALID_INDEX ? "" : std::to_string(source.card);
      if (source.name == view.defaultSource)
        devices.insert(devices.begin(),
                       {"default", "audioinput", "Default (" + source.description + ")", group});
      devices.push_back({source.name, "audioinput", source.description, group});
    }
    return devices;
  }

  std::shared_ptr<MediaStreamTrack> openAudioInput(
      const MediaTrackConstraints& constraints) override {
    auto connection = std::make_unique<PulseConnection>();
    const ServerView view = inspect(*connection);
    if (view.sources.empty()) throw DOMException("NotFoundError", "the audio server has no input");
    const std::string wanted = !constraints.deviceId || *constraints.deviceId == "default"
                                   ? view.defaultSource
                                   : *constraints.deviceId;
    const auto device = std::find_if(view.sources.begin(), view.sources.end(),
                                     [&](const SourceInfo& s) { return s.name == wanted; });
    if (device == view.sources.end()) {
      if (constraints.deviceId)
        throw DOMException("OverconstrainedError",
                           "no audio input \"" + *constraints.deviceId + "\"");
      throw DOMException("NotFoundError", "the audio server has no default input");
    }
    pa_sample_spec spec;
    spec.format = PA_SAMPLE_FLOAT32LE;
    spec.rate = constraints.sampleRate.value_or(device->rate);
    spec.channels =
        static_cast<uint8_t>(constraints.channelCount.value_or(std::min(device->channels, 2u)));
    if (spec.rate < kMinRate || spec.rate > kMaxRate)
      throw DOMException("OverconstrainedError", "sampleRate must be within 8000-384000 Hz");
    if (spec.channels < 1 || spec.channels > PA_CHANNELS_MAX)
      throw DOMException("OverconstrainedError", "channelCount must be within 1-32");

    auto source = std::make_shared<PulseSource>(std::move(connection), *device, spec);
    auto state = std::make_shared<TrackState>("audio", device->description, source);
    source->addTrack(state);
    auto track = Access::makeTrack(std::move(state));
    source->open();
    return track;
  }
};

}  // namespace

std::unique_ptr<CaptureBackend> makePulseBackend() {
  return std::make_unique<PulseBackend>();
}

}  // namespace mrec::detail
