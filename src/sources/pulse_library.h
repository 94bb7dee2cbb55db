// PulseAudio's client library, opened when a capture device is first asked for rather than
// linked: loaded with libmrec, libpulse and the twenty libraries it brings (D-Bus, systemd,
// libsndfile and its codecs, ...) cost every process ~3 MiB of resident memory, whether or
// not it ever captures (`mrec fix` of a one-hour WebM needs ~1.5 MiB of its own).
#pragma once

#include <pulse/pulseaudio.h>

namespace mrec::detail {

// The functions pulse_capture.cpp calls, each as pa_NAME.
// clang-format off
#define MREC_PULSE_FUNCTIONS(X) \
  X(context_connect) \
  X(context_disconnect) \
  X(context_errno) \
  X(context_get_server_info) \
  X(context_get_source_info_list) \
  X(context_get_state) \
  X(context_new) \
  X(context_set_state_callback) \
  X(context_unref) \
  X(frame_size) \
  X(operation_get_state) \
  X(operation_unref) \
  X(stream_connect_record) \
  X(stream_disconnect) \
  X(stream_drop) \
  X(stream_get_state) \
  X(stream_new) \
  X(stream_peek) \
  X(stream_set_read_callback) \
  X(stream_set_state_callback) \
  X(stream_unref) \
  X(strerror) \
  X(threaded_mainloop_free) \
  X(threaded_mainloop_get_api) \
  X(threaded_mainloop_in_thread) \
  X(threaded_mainloop_lock) \
  X(threaded_mainloop_new) \
  X(threaded_mainloop_signal) \
  X(threaded_mainloop_start) \
  X(threaded_mainloop_stop) \
  X(threaded_mainloop_unlock) \
  X(threaded_mainloop_wait) \
  X(usec_to_bytes)
// clang-format on

/// pa_NAME as NAME, resolved from libpulse.so.0.
struct PulseLibrary {
#define MREC_PULSE_MEMBER(name) decltype(&::pa_##name) name = nullptr;
  MREC_PULSE_FUNCTIONS(MREC_PULSE_MEMBER)
#undef MREC_PULSE_MEMBER
};

/// The library, opened and resolved on the first call (from any thread) and never closed.
/// Throws DOMException NotReadableError, naming the loader's reason, when it cannot be.
const PulseLibrary& pulse();

}  // namespace mrec::detail
