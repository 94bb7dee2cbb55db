// MIME type parsing (WHATWG MIME Sniffing §4.4) and what this build can record.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "codecs/audio_encoder.h"
#include "containers/muxer.h"

namespace mrec::detail {

struct MimeType {
  std::string type;                                             ///< lowercased
  std::string subtype;                                          ///< lowercased
  std::vector<std::pair<std::string, std::string>> parameters;  ///< names lowercased, in order
  std::optional<std::string> parameter(std::string_view name) const;
};

/// Parses `text` as the WHATWG "parse a MIME type" algorithm does; nullopt on failure.
std::optional<MimeType> parseMimeType(std::string_view text);

/// A recording configuration that a MIME type asks for.
struct RecordingFormat {
  Container container = Container::Ogg;
  std::string essence;                   ///< "audio/ogg", "video/webm", ...
  std::optional<AudioCodec> audioCodec;  ///< nullopt: the type names no audio codec
  std::optional<VideoCodec> videoCodec;  ///< nullopt: the type names no video codec
  bool videoAllowed = false;             ///< false for the audio-only types
};

/// Whether `type` (not empty) can be recorded by this build; if not, `reason` says why in
/// words fit for a NotSupportedError message.
struct TypeCheck {
  bool supported = false;
  std::string reason;
  RecordingFormat format;
};
TypeCheck checkType(std::string_view type);

/// The codec name written in a mimeType's codecs parameter ("opus", "pcm").
const char* codecName(AudioCodec codec);
/// The same for video ("vp8", "vp9", "av1").
const char* codecName(VideoCodec codec);

}  // namespace mrec::detail
