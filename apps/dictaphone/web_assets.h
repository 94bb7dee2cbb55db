// The page's files, compiled into the program (embed_web.cmake) so that it runs anywhere.
#pragma once

#include <string_view>

namespace dictaphone {

struct Asset {
  std::string_view path;  ///< "/index.html"
  std::string_view type;  ///< its Content-Type
  std::string_view body;
};

/// The asset served at `path`, or nullptr.
const Asset* findAsset(std::string_view path);

}  // namespace dictaphone
