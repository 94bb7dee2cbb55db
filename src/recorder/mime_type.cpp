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

// "a, b, c" of what a container holds, for the messages that list what is supported.
std::string listOf(const ContainerFormat& container) {
  std::string list;
  for (const VideoCodec codec : container.videoCodecs)
    list += std::string(list.empty() ? "" : ", ") + std::string(formatOf(codec).name);
  for (const AudioCodec codec : container.audioCodecs)
    list += std::string(list.empty() ? "" : ", ") + std::string(formatOf(codec).name);
  return list;
}

std::string essences() {
  std::string list;
  for (const ContainerFormat& container : containerFormats())
    for (const std::string_view essence : {container.audioEssence, container.videoEssence})
      if (!essence.empty()) list += std::string(list.empty() ? "" : ", ") + std::string(essence);
  return list;
}

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
      if (pos >= rest.size()) mime.unterminatedQuote = true;
      while (pos < rest.size() && rest[pos] != ';') ++pos;
    } else {
      const size_t valueEnd = std::min(rest.find(';', pos), rest.size());
      value = std::string(trimWhitespace(rest.substr(pos, valueEnd - pos)));
      pos = valueEnd;
      if (value.empty()) {
        mime.emptyParameters.push_back(name);
        continue;
      }
    }
    const bool valueOk = std::all_of(value.begin(), value.end(), isQuotedStringChar);
    if (isTokenString(name) && valueOk && !mime.parameter(name))
      mime.parameters.emplace_back(std::move(name), std::move(value));
  }
  return mime;
}

TypeCheck checkType(std::string_view text) {
  TypeCheck check;
  const auto mime = parseMimeType(text);
  if (!mime) {
    check.reason = "\"" + std::string(text) + "\" is not a valid MIME type";
    return check;
  }
  if (mime->unterminatedQuote) {
    check.reason = "\"" + std::string(text) + "\" has a quoted value with no closing quote";
    return check;
  }
  const auto codecsParameter = mime->parameter("codecs");
  const bool emptyCodecs =
      std::count(mime->emptyParameters.begin(), mime->emptyParameters.end(), "codecs") > 0;
  if (emptyCodecs || (codecsParameter && trimWhitespace(*codecsParameter).empty())) {
    check.reason = "\"" + std::string(text) + "\" names no codec in codecs=";
    return check;
  }
  const std::string essence = mime->type + "/" + mime->subtype;
  const ContainerFormat* container = findContainerByEssence(essence);
  if (!container) {
    check.reason = "container " + essence + " is not supported (supported: " + essences() + ")";
    return check;
  }
  const bool videoAllowed = container->holdsVideo() && essence == container->videoEssence;
  check.format.container = container->container;
  check.format.essence = essence;
  check.format.videoAllowed = videoAllowed;

  if (const auto codecs = mime->parameter("codecs")) {
    size_t start = 0;
    while (true) {
      const size_t comma = codecs->find(',', start);
      const std::string_view item = trimWhitespace(std::string_view(*codecs).substr(
          start, comma == std::string::npos ? std::string::npos : comma - start));
      const std::string id = lower(item);
      if (id.empty()) {
        check.reason = "an empty codec in codecs=\"" + *codecs + "\"";
        return check;
      }
      if (const AudioCodecFormat* audio = findAudioCodec(id)) {
        if (std::string why; !canRecord(*audio, why)) {
          check.reason = "codec " + std::string(item) + " " + why;
          return check;
        }
        if (check.format.audioCodec) {
          check.reason = "more than one audio codec in \"" + *codecs + "\"";
          return check;
        }
        if (!container->holds(audio->codec)) {
          check.reason = "codec " + std::string(audio->name) + " cannot be stored in " + essence;
          return check;
        }
        check.format.audioCodec = audio->codec;
      } else if (const VideoCodecFormat* video = findVideoCodec(id)) {
        if (!videoAllowed || !container->holds(video->codec)) {
          check.reason = "video codec " + std::string(item) + " cannot be stored in " + essence;
          return check;
        }
        if (check.format.videoCodec) {
          check.reason = "more than one video codec in \"" + *codecs + "\"";
          return check;
        }
        if (video->parseCodecString) {
          std::string reason;
          check.format.videoProfileLevel = video->parseCodecString(item, reason);
          if (!check.format.videoProfileLevel) {
            check.reason = reason;
            return check;
          }
        }
        check.format.videoCodec = video->codec;
      } else if (isKnownUnrecordedCodec(id)) {
        check.reason = "codec " + std::string(item) + " is not supported by this build";
        return check;
      } else {
        ContainerFormat shown = *container;
        if (!videoAllowed) shown.videoCodecs = {};
        check.reason = "codec \"" + std::string(item) +
                       "\" is not supported (supported: " + listOf(shown) + ")";
        return check;
      }
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  check.supported = true;
  return check;
}

std::vector<std::string> recordableTypes() {
  std::vector<std::string> types;
  for (ContainerFormat container : containerFormats()) {
    std::vector<AudioCodec> recordable;
    std::string reason;
    for (const AudioCodec codec : container.audioCodecs)
      if (canRecord(formatOf(codec), reason)) recordable.push_back(codec);
    container.audioCodecs = recordable;
    for (const std::string_view essence : {container.audioEssence, container.videoEssence}) {
      if (essence.empty()) continue;
      const std::string base = std::string(essence);
      types.push_back(base);
      const bool video = essence == container.videoEssence;
      if (video)
        for (const VideoCodec codec : container.videoCodecs)
          types.push_back(base + ";codecs=" + std::string(formatOf(codec).name));
      for (const AudioCodec codec : container.audioCodecs)
        types.push_back(base + ";codecs=" + std::string(formatOf(codec).name));
      if (video)
        for (const VideoCodec codec : container.videoCodecs)
          for (const AudioCodec audio : container.audioCodecs)
            types.push_back(base + ";codecs=" + std::string(formatOf(codec).name) + "," +
                            std::string(formatOf(audio).name));
    }
  }
  return types;
}

}  // namespace mrec::detail
