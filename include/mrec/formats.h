// The containers and types mrec records (extension): what a program that stores recordings
// needs to know of them, read from the same table the recorder uses, so that a program never
// keeps its own list of extensions or its own test for "is this WebM".
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mrec {

/// A container mrec writes.
struct ContainerInfo {
  std::string name;                     ///< "WebM", "Ogg", "Matroska"
  std::string extension;                ///< of its files, without the dot: "webm"
  std::vector<std::string> mimeTypes;   ///< its MIME essences: "audio/webm", "video/webm"
  bool finishedByMakeSeekable = false;  ///< makeSeekable() changes its files (Ogg: false)
};

/// The container a type that MediaRecorder::isTypeSupported() accepts is written in;
/// nullopt for the empty type and for every type it refuses.
std::optional<ContainerInfo> containerForType(std::string_view mimeType);

/// The type to record `file` in, from its extension (case-insensitive): the essence of the
/// container that writes such files, the one that may hold video when `video` is true
/// ("video/webm" for clip.webm with video, "audio/webm" without). Empty when mrec writes no
/// files with that extension. The recorder completes the codecs (docs/conformance.md
/// decision 2).
std::string typeForFileName(const std::filesystem::path& file, bool video);

/// Every container mrec writes, the default for audio first.
std::vector<ContainerInfo> recordableContainers();

/// Every type isTypeSupported() answers true for, spelled as mimeType() reports them: each
/// essence alone and with each codec and pair of codecs it holds.
std::vector<std::string> recordableTypes();

}  // namespace mrec
