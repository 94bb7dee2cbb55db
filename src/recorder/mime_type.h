// MIME type parsing (WHATWG MIME Sniffing §4.4) and what this build can record.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/format_table.h"

namespace mrec::detail {

struct MimeType {
  std::string type;                                             ///< lowercased
  std::string subtype;                                          ///< lowercased
  std::vector<std::pair<std::string, std::string>> parameters;  ///< names lowercased, in order
  /// What WHATWG's parser passes over but a recorder must not: parameters given with an empty
  /// value (`codecs=`), and a quoted value with no closing quote (`codecs="opus`).
  std::vector<std::string> emptyParameters;
  bool unterminatedQuote = false;
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
  /// What its item in codecs= asks for ("avc1.64001F": High, level 3.1); nullopt: the
  /// encoder picks.
  std::optional<CodecProfileLevel> videoProfileLevel;
  bool videoAllowed = false;  ///< false for the audio-only types
};

/// Whether `type` (not empty) can be recorded by this build; if not, `reason` says why in
/// words fit for a NotSupportedError message.
struct TypeCheck {
  bool supported = false;
  std::string reason;
  RecordingFormat format;
};
TypeCheck checkType(std::string_view type);

/// Every type checkType() accepts, spelled as mimeType() reports it: each essence alone, with
/// each audio codec its container holds, and (for the video essences) each video codec alone
/// and with each audio codec. In the table's order.
std::vector<std::string> recordableTypes();

}  // namespace mrec::detail
