// makeSeekable for MP4: a fragmented file becomes a regular one in place.
#pragma once

#include <cstdint>
#include <filesystem>
#include <istream>

namespace mrec::detail {

/// `in` reads `path`, which looksLikeMp4(); throws DOMException as makeSeekable documents.
void finishMp4(const std::filesystem::path& path, std::istream& in, uint64_t fileSize);

}  // namespace mrec::detail
