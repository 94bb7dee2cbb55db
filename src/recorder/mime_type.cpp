#include "recorder/mime_type.h"

#include <algorithm>
#include <array>

namespace mrec::detail {

namespace {

bool isHttpWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool isTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isTokenString(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), isTokenChar);
}

bool isQuotedStringChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u == '\t' || (u >= 0x20 && u != 0x7F);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trimWhitespace(std::string_view s) {
  while (!s.empty() && isHttpWhitespace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isHttpWhitespace(s.back())) s.remove_suffix(1);
  return s;
}

struct ContainerEntry {
  std::string_view essence;
  Container container;
  bool pcmAllowed;
  bool videoAllowed;
};
// Audio-only streams may go into the video types too (SPEC.md decision 2).
constexpr std::array kContainers{
    ContainerEntry{"audio/ogg", Container::Ogg, false, false},
    ContainerEntry{"audio/webm", Container::WebM, true, false},
    ContainerEntry{"video/webm", Container::WebM, true, true},
    ContainerEntry{"video/x-matroska", Container::Matroska, true, true},
};

struct VideoCodecEntry {
  std::string_view id;
  VideoCodec codec;
};
constexpr std::array kVideoCodecs{
    VideoCodecEntry{"vp8", VideoCodec::Vp8}, VideoCodecEntry{"vp9", VideoCodec::Vp9},
    VideoCodecEntry{"av1", VideoCodec::Av1}, VideoCodecEntry{"av01", VideoCodec::Av1}};

// Codec identifiers this build knows of but cannot record; they make a type unsupported with
// a precise reason.
constexpr std::array kUnsupportedVideoCodecs{std::string_view("h264"), std::string_view("avc1"),
                                             std::string_view("avc3"), std::string_view("hvc1"),
                                             std::string_view("hev1")};

}  // namespace

std::optional<std::string> MimeType::parameter(std::string_view name) const {
  for (const auto& [key, value] : parameters)
    if (key == name) return value;
  return std::nullopt;
}

std::optional<MimeType> parseMimeType(std::string_view input) {
  input = trimWhitespace(input);
  const size_t slash = input.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string_view type = input.substr(0, slash);
  if (!isTokenString(type)) return std::nullopt;
  std::string_view rest = input.substr(slash + 1);
  const size_t semicolon = rest.find(';');
  const std::string_view subtype = trimWhitespace(rest.substr(0, semicolon));
  if (!isTokenString(subtype)) return std::nullopt;

  MimeType mime{lower(type), lower(subtype), {}};
  rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon);
  size_t pos = 0;
  while (pos < rest.size()) {
    ++pos;  // the ';'
    while (pos < rest.size() && isHttpWhitespace(rest[pos])) ++pos;
    size_t nameEnd = pos;
    while (nameEnd < rest.size() && rest[nameEnd] != ';' && rest[nameEnd] != '=') ++nameEnd;
    std::string name = lower(rest.substr(pos, nameEnd - pos));
    pos = nameEnd;
    if (pos < rest.size() && rest[pos] == ';') continue;
    if (pos >= rest.size()) break;
    ++pos;  // the '='
    std::string value;
    if (pos < rest.size() && rest[pos] == '"') {
      // An HTTP quoted string: backslash escapes the next character; then skip to ';'.
      ++pos;
      while (pos < rest.size() && rest[pos] != '"') {
        if (rest[pos] == '\\' && pos + 1 < rest.size()) ++pos;
        value.push_back(rest[pos++]);
      }
      while (pos < rest.size() && rest[pos] != ';') ++pos;
    } else {
      const size_t valueEnd = std::min(rest.find(';', pos), rest.size());
      value = std::string(trimWhitespace(rest.substr(pos, valueEnd - pos)));
      pos = valueEnd;
      if (value.empty()) continue;
    }
    const bool valueOk = std::all_of(value.begin(), value.end(), isQuotedStringChar);
    if (isTokenString(name) && valueOk && !mime.parameter(name))
      mime.parameters.emplace_back(std::move(name), std::move(value));
  }
  return mime;
}

const char* codecName(AudioCodec codec) {
  return codec == AudioCodec::Opus ? "opus" : "pcm";
}

const char* codecName(VideoCodec codec) {
  switch (codec) {
    case VideoCodec::Vp8:
      return "vp8";
    case VideoCodec::Vp9:
      return "vp9";
    case VideoCodec::Av1:
      return "av1";
  }
  return "vp8";
}

TypeCheck checkType(std::string_view text) {
  TypeCheck check;
  const auto mime = parseMimeType(text);
  if (!mime) {
    check.reason = "\"" + std::string(text) + "\" is not a valid MIME type";
    return check;
  }
  const std::string essence = mime->type + "/" + mime->subtype;
  const auto entry = std::find_if(kContainers.begin(), kContainers.end(),
                                  [&](const ContainerEntry& e) { return e.essence == essence; });
  if (entry == kContainers.end()) {
    check.reason = "container " + essence +
                   " is not supported (supported: audio/ogg, audio/webm, video/webm, "
                   "video/x-matroska)";
    return check;
  }
  check.format.container = entry->container;
  check.format.essence = essence;
  check.format.videoAllowed = entry->videoAllowed;

  if (const auto codecs = mime->parameter("codecs")) {
    size_t start = 0;
    while (true) {
      const size_t comma = codecs->find(',', start);
      const std::string_view item = trimWhitespace(std::string_view(*codecs).substr(
          start, comma == std::string::npos ? std::string::npos : comma - start));
      const std::string id = lower(item.substr(0, item.find('.')));
      std::optional<AudioCodec> codec;
      if (id == "opus") codec = AudioCodec::Opus;
      if (id == "pcm") codec = AudioCodec::Pcm;
      if (codec) {
        if (check.format.audioCodec) {
          check.reason = "more than one audio codec in \"" + *codecs + "\"";
          return check;
        }
        if (*codec == AudioCodec::Pcm && !entry->pcmAllowed) {
          check.reason = "codec pcm cannot be stored in " + essence;
          return check;
        }
        check.format.audioCodec = codec;
      } else if (const auto video =
                     std::find_if(kVideoCodecs.begin(), kVideoCodecs.end(),
                                  [&](const VideoCodecEntry& e) { return e.id == id; });
                 video != kVideoCodecs.end()) {
        if (!entry->videoAllowed) {
          check.reason = "video codec " + std::string(item) + " cannot be stored in " + essence;
          return check;
        }
        if (check.format.videoCodec) {
          check.reason = "more than one video codec in \"" + *codecs + "\"";
          return check;
        }
        check.format.videoCodec = video->codec;
      } else if (std::find(kUnsupportedVideoCodecs.begin(), kUnsupportedVideoCodecs.end(), id) !=
                 kUnsupportedVideoCodecs.end()) {
        check.reason = "video codec " + std::string(item) + " is not supported by this build";
        return check;
      } else {
        check.reason = "codec \"" + std::string(item) + "\" is not supported (supported: " +
                       (entry->videoAllowed ? "vp8, vp9, av1, " : "") + "opus" +
                       (entry->pcmAllowed ? ", pcm)" : ")");
        return check;
      }
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  check.supported = true;
  return check;
}

}  // namespace mrec::detail
