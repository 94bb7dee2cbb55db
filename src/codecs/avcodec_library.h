// libavcodec (and the libavutil it brings), opened when an AAC encoder is first made rather
// than linked: loaded with libmrec, libavcodec and the eighty libraries it depends on (x264,
// x265, dav1d, librsvg, cairo, pango, ICU, ...) took most of a process's start-up (about
// 17 ms of the 22 ms `mrec record` took to start here, where parec takes 5), whether or not
// it ever records AAC; a device recording loses what arrives before it starts.
#pragma once

#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/channel_layout.h>
#include <libavutil/log.h>
}

namespace mrec::detail {

// The functions aac_encoder.cpp calls, each by its own name.
// clang-format off
#define MREC_AVCODEC_FUNCTIONS(X) \
  X(avcodec_alloc_context3) \
  X(avcodec_find_encoder) \
  X(avcodec_free_context) \
  X(avcodec_open2) \
  X(avcodec_receive_packet) \
  X(avcodec_send_frame) \
  X(av_channel_layout_copy) \
  X(av_channel_layout_default) \
  X(av_frame_alloc) \
  X(av_frame_free) \
  X(av_frame_get_buffer) \
  X(av_frame_make_writable) \
  X(av_log_get_level) \
  X(av_log_set_level) \
  X(av_packet_alloc) \
  X(av_packet_free) \
  X(av_packet_unref) \
  X(av_strerror)
// clang-format on

/// Each function as a pointer of its own name, resolved from the libavcodec (and, through
/// it, the libavutil) the build was compiled against.
struct AvcodecLibrary {
#define MREC_AVCODEC_MEMBER(name) decltype(&::name) name = nullptr;
  MREC_AVCODEC_FUNCTIONS(MREC_AVCODEC_MEMBER)
#undef MREC_AVCODEC_MEMBER
};

/// The library, opened and resolved on the first call (from any thread) and never closed;
/// nullptr when it cannot be, with the loader's reason in `error`.
const AvcodecLibrary* avcodec(std::string& error);

}  // namespace mrec::detail
