// Long undelivered data lives in an unlinked temporary file behind the same Blob API.
#include <dirent.h>
#include <gtest/gtest.h>
#include <mrec/blob.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <sstream>
#include <string>

#include "core/blob_access.h"
#include "core/blob_builder.h"

namespace mrec::detail {
namespace {

std::vector<uint8_t> pattern(size_t size, unsigned seed = 0) {
  std::vector<uint8_t> bytes(size);
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>((i * 131 + seed) >> 3);
  return bytes;
}

/// Descriptors of this process that name a file that was deleted (an unlinked temp file).
int unlinkedFiles() {
  int count = 0;
  DIR* dir = opendir("/proc/self/fd");
  while (dirent* entry = readdir(dir)) {
    char target[4096];
    const std::string link = std::string("/proc/self/fd/") + entry->d_name;
    const ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
    if (n > 0 && std::string(target, n).find("(deleted)") != std::string::npos) ++count;
  }
  closedir(dir);
  return count;
}

Blob build(const std::vector<uint8_t>& bytes, size_t threshold, size_t pieceSize = 1000) {
  BlobBuilder builder(threshold);
  for (size_t at = 0; at < bytes.size(); at += pieceSize)
    builder.append(bytes.data() + at, std::min(pieceSize, bytes.size() - at));
  EXPECT_EQ(builder.size(), bytes.size());
  return BlobAccess::make(builder.take(), "audio/ogg");
}

TEST(BlobSpill, SmallBlobsStayInMemory) {
  const int before = unlinkedFiles();
  const Blob blob = build(pattern(3 << 20), kDefaultSpillThreshold, 4096);
  EXPECT_FALSE(BlobAccess::spilled(blob));
  EXPECT_EQ(unlinkedFiles(), before);
  EXPECT_EQ(blob.arrayBuffer(), pattern(3 << 20));
}

TEST(BlobSpill, LongBlobsMoveToAnUnlinkedFileAndReadBackExactly) {
  const int before = unlinkedFiles();
  const std::vector<uint8_t> bytes = pattern((5 << 20) + 12345);
  {
    const Blob blob = build(bytes, kDefaultSpillThreshold, 4096);
    EXPECT_TRUE(BlobAccess::spilled(blob));
    EXPECT_EQ(unlinkedFiles(), before + 1);
    EXPECT_EQ(blob.size(), bytes.size());
    EXPECT_EQ(blob.type(), "audio/ogg");
    EXPECT_EQ(blob.arrayBuffer(), bytes);
    std::ostringstream out;
    blob.writeTo(out);
    EXPECT_TRUE(out.good());
    EXPECT_EQ(out.str(), std::string(bytes.begin(), bytes.end()));
  }
  EXPECT_EQ(unlinkedFiles(), before) << "the temporary file outlived its Blob";
}

TEST(BlobSpill, SlicesAcrossTheFileAndTheMemoryTail) {
  const std::vector<uint8_t> bytes = pattern(10000, 7);
  const Blob blob = build(bytes, 1000, 333);  // the file holds a prefix, memory the rest
  ASSERT_TRUE(BlobAccess::spilled(blob));
  for (auto [from, to] : {std::pair<int64_t, int64_t>{0, 10000},
                          {999, 1001},
                          {5000, 9999},
                          {9990, 10000},
                          {123, 124}}) {
    const std::vector<uint8_t> slice = blob.slice(from, to).arrayBuffer();
    EXPECT_EQ(slice, std::vector<uint8_t>(bytes.begin() + from, bytes.begin() + to))
        << from << ".." << to;
  }
  EXPECT_EQ(blob.slice(-10).text(), std::string(bytes.end() - 10, bytes.end()));
}

TEST(BlobSpill, JoiningSpilledPartsKeepsEveryByte) {
  const std::vector<uint8_t> a = pattern(3 << 20, 1), b = pattern(3 << 20, 2);
  const Blob joined({build(a, 1 << 20), Blob(), build(b, 1 << 20).slice(1)}, "t/t");
  std::vector<uint8_t> expected = a;
  expected.insert(expected.end(), b.begin() + 1, b.end());
  EXPECT_TRUE(BlobAccess::spilled(joined));
  EXPECT_EQ(joined.arrayBuffer(), expected);
}

TEST(BlobSpill, NoTemporaryDirectoryKeepsTheBytesInMemory) {
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  setenv("TMPDIR", "/nonexistent/mrec-test", 1);
  const std::vector<uint8_t> bytes = pattern(100000);
  const Blob blob = build(bytes, 1000);
  if (old)
    setenv("TMPDIR", saved.c_str(), 1);
  else
    unsetenv("TMPDIR");
  EXPECT_FALSE(BlobAccess::spilled(blob));
  EXPECT_EQ(blob.arrayBuffer(), bytes);
}

/// In a child process: a file size limit makes the temporary file refuse bytes part way, as a
/// full disk would; exits 0 if the Blob still holds every byte.
[[noreturn]] void spillUnderAFileSizeLimit() {
  std::signal(SIGXFSZ, SIG_IGN);
  const rlimit limit{50000, 50000};
  setrlimit(RLIMIT_FSIZE, &limit);
  const std::vector<uint8_t> bytes = pattern(300000, 3);
  const Blob blob = build(bytes, 1000, 777);
  std::exit(BlobAccess::spilled(blob) && blob.arrayBuffer() == bytes ? 0 : 1);
}

TEST(BlobSpill, AFullDiskKeepsTheRestInMemory) {
  EXPECT_EXIT(spillUnderAFileSizeLimit(), ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace mrec::detail
