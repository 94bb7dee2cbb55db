// What the file fuzzers share: one scratch file per fuzzing process (on a RAM disk when there
// is one), written with the input and read back after makeSeekable.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace mrec::fuzz {

inline std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void writeFile(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

/// `/dev/shm/mrec-NAME-fuzz-PID.EXTENSION`, or the same in the temporary directory.
inline std::filesystem::path scratchFile(const std::string& name, const std::string& extension) {
  const std::filesystem::path dir = std::filesystem::is_directory("/dev/shm")
                                        ? "/dev/shm"
                                        : std::filesystem::temp_directory_path();
  return dir / ("mrec-" + name + "-fuzz-" + std::to_string(getpid()) + "." + extension);
}

}  // namespace mrec::fuzz
