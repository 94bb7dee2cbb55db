// Inputs the fuzzers (fuzz/) once crashed on or broke a property with, kept in
// tests/data/fuzz-regressions and checked here with the same property on every build.
#include <gtest/gtest.h>
#include <mrec/seekable.h>

#include <fstream>

#include "containers/webm_reader.h"
#include "support/event_log.h"
#include "support/media_tools.h"

namespace mrec {

namespace {
const std::filesystem::path kRegressions = MREC_FUZZ_REGRESSIONS_DIR;

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
    const auto input = test::readFile(entry.path());
    test::writeFile(path, input);
    const std::string thrown = test::thrownName([&] { makeSeekable(path); });
    if (thrown != "(nothing)") {
      EXPECT_EQ(thrown, "EncodingError");
      EXPECT_EQ(test::readFile(path), input);
      continue;
    }
    // Damage inside a block stays (it is the input's), but the file around it is whole.
    std::ifstream in(path, std::ios::binary);
    std::string error;
    const auto layout = detail::readWebmLayout(in, std::filesystem::file_size(path), error);
    ASSERT_TRUE(layout) << error;
    EXPECT_TRUE(layout->hasDuration);
    EXPECT_TRUE(layout->hasCues);
    EXPECT_FALSE(layout->truncated);
    const auto fixed = test::readFile(path);
    makeSeekable(path);
    EXPECT_EQ(test::readFile(path), fixed) << "a seekable file is left alone";
  }
  EXPECT_GT(checked, 0);
}

}  // namespace mrec
