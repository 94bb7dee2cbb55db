// The MIME type parser and isTypeSupported() on any bytes. Beyond not crashing: a parsed type
// serialises to something that parses again to the same type (WHATWG's round trip).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "mrec/media_recorder.h"
#include "recorder/mime_type.h"

namespace {

bool isTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// WHATWG "serialize a MIME type".
std::string serialize(const mrec::detail::MimeType& type) {
  std::string text = type.type + "/" + type.subtype;
  for (const auto& [name, value] : type.parameters) {
    text += ";" + name + "=";
    bool quote = value.empty();
    for (char c : value)
      if (!isTokenChar(c)) quote = true;
    if (!quote) {
      text += value;
      continue;
    }
    text += '"';
    for (char c : value) {
      if (c == '"' || c == '\\') text += '\\';
      text += c;
    }
    text += '"';
  }
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  mrec::MediaRecorder::isTypeSupported(text);
  const auto parsed = mrec::detail::parseMimeType(text);
  if (!parsed) return 0;
  const std::string again = serialize(*parsed);
  const auto reparsed = mrec::detail::parseMimeType(again);
  if (!reparsed || reparsed->type != parsed->type || reparsed->subtype != parsed->subtype ||
      reparsed->parameters != parsed->parameters)
    std::abort();  // the serialisation of a parsed type must parse back to it
  return 0;
}
