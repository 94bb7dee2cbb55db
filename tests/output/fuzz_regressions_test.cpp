// Inputs the fuzzers (fuzz/) once crashed on or broke a property with, kept in
// tests/data/fuzz-regressions and checked here with the same property on every build.
#include <gtest/gtest.h>
#include <mrec/seekable.h>

#include <fstream>
#include <iterator>

#include "containers/webm_reader.h"
#include "support/event_log.h"
#include "support/media_tools.h"

namespace mrec {

namespace {
const std::filesystem::path kRegressions =
    std::filesystem::path(__FILE__).parent_path().parent_path() / "data" / "fuzz-regressions";

std::vector<uint8_t> readAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
}  // namespace

// makeSeekable either refuses (EncodingError, file untouched) or leaves a file its reader
// follows to the end, with a Duration and Cues, which a second call leaves alone.
TEST(FuzzRegressions, WebmInputsAreRefusedUntouchedOrMadeSeekable) {
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kRegressions)) {
    if (entry.path().filename().string().rfind("webm-", 0) != 0) continue;
    SCOPED_TRACE(entry.path().filename().string());
    ++checked;
    test::TempDir dir;
    const auto path = dir / "input.webm";
    const auto input = readAll(entry.path());
    test::writeFile(path, input);
    const std::string thrown = test::thrownName([&] { makeSeekable(path); });
    if (thrown != "(nothing)") {
      EXPECT_EQ(thrown, "EncodingError");
      EXPECT_EQ(readAll(path), input);
      continue;
    }
    // Damage inside a block stays (it is the input's), but the file around it is whole.
    std::ifstream in(path, std::ios::binary);
    const auto layout = detail::readWebmLayout(in, std::filesystem::file_size(path));
    EXPECT_TRUE(layout.hasDuration);
    EXPECT_TRUE(layout.hasCues);
    EXPECT_FALSE(layout.truncated);
    const auto fixed = readAll(path);
    makeSeekable(path);
    EXPECT_EQ(readAll(path), fixed) << "a seekable file is left alone";
  }
  EXPECT_GT(checked, 0);
}

}  // namespace mrec
