// The public face of the format table (core/format_table.h).
#include "mrec/formats.h"

#include <algorithm>

#include "core/format_table.h"
#include "recorder/mime_type.h"

namespace mrec {

namespace {

ContainerInfo describe(const detail::ContainerFormat& format) {
  ContainerInfo info{
      std::string(format.name), std::string(format.extension), {}, format.finishedByMakeSeekable};
  for (const std::string_view essence : {format.audioEssence, format.videoEssence})
    if (!essence.empty()) info.mimeTypes.emplace_back(essence);
  return info;
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return text;
}

}  // namespace

std::optional<ContainerInfo> containerForType(std::string_view mimeType) {
  if (mimeType.empty()) return std::nullopt;
  const detail::TypeCheck check = detail::checkType(mimeType);
  if (!check.supported) return std::nullopt;
  return describe(detail::formatOf(check.format.container));
}

std::string typeForFileName(const std::filesystem::path& file, bool video) {
  std::string extension = lowercase(file.extension().string());
  if (extension.empty()) return {};
  const detail::ContainerFormat* format = detail::findContainerByExtension(extension.substr(1));
  if (!format) return {};
  const std::string_view preferred = video ? format->videoEssence : format->audioEssence;
  if (!preferred.empty()) return std::string(preferred);
  return std::string(format->audioEssence.empty() ? format->videoEssence : format->audioEssence);
}

std::vector<ContainerInfo> recordableContainers() {
  std::vector<ContainerInfo> containers;
  for (const auto& format : detail::containerFormats()) containers.push_back(describe(format));
  return containers;
}

std::vector<std::string> recordableTypes() {
  return detail::recordableTypes();
}

}  // namespace mrec
