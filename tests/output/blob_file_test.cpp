// mrec::BlobFile: a recording's file that only ever holds whole Blobs, on a real filesystem
// (a full disk is a small tmpfs) and a real pipe.
#include "mrec/blob_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <iterator>

#include "mrec/errors.h"
#include "support/media_tools.h"
#include "support/small_disk.h"

namespace mrec {

namespace {

std::vector<uint8_t> contentsOf(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Blob blobOf(size_t size, uint8_t value) {
  return Blob(std::vector<uint8_t>(size, value), "audio/ogg");
}

}  // namespace

TEST(BlobFile, HoldsTheBlobsItWasGivenOneAfterAnother) {
  test::TempDir dir;
  const auto path = dir / "clip.ogg";
  const Blob whole(std::vector<uint8_t>{1, 2, 3, 4, 5, 6}, "audio/ogg");
  {
    BlobFile file(path);
    EXPECT_TRUE(file.append(blobOf(3, 9)));
    EXPECT_TRUE(file.append(Blob()));             // an empty Blob changes nothing
    EXPECT_TRUE(file.append(whole.slice(2, 5)));  // a slice writes only its bytes
    EXPECT_TRUE(file.sync());
    EXPECT_EQ(file.bytes(), 6u);
    EXPECT_TRUE(file.ok());
  }
  EXPECT_EQ(contentsOf(path), (std::vector<uint8_t>{9, 9, 9, 3, 4, 5}));
}

TEST(BlobFile, AnExistingFileIsLeftAsItWasUntilTheFirstBlobWithBytes) {
  test::TempDir dir;
  const auto path = dir / "clip.ogg";
  test::writeFile(path, std::vector<uint8_t>{7, 7});
  {
    BlobFile file(path);
    file.append(Blob());
  }
  EXPECT_EQ(contentsOf(path), (std::vector<uint8_t>{7, 7})) << "a recording that gave nothing";
  {
    BlobFile file(path);
    file.append(blobOf(1, 1));
  }
  EXPECT_EQ(contentsOf(path), (std::vector<uint8_t>{1}));
}

TEST(BlobFile, AFileItMadeIsRemovedIfNothingReachedItUnlessKept) {
  test::TempDir dir;
  { BlobFile file(dir / "removed.ogg"); }
  EXPECT_FALSE(std::filesystem::exists(dir / "removed.ogg"));
  { BlobFile file(dir / "kept.ogg", BlobFile::IfEmpty::Keep); }
  EXPECT_TRUE(std::filesystem::exists(dir / "kept.ogg"));
}

TEST(BlobFile, WhereNoFileCanBeMadeIsNotAllowedErrorWithTheReason) {
  test::TempDir dir;
  try {
    BlobFile file(dir / "no" / "such" / "clip.ogg");
    FAIL() << "opened";
  } catch (const DOMException& e) {
    EXPECT_EQ(e.name(), "NotAllowedError");
    EXPECT_NE(e.message().find("No such file or directory"), std::string::npos) << e.message();
  }
}

TEST(BlobFile, AFullDiskCutsTheFileBackToTheWholeBlobsBeforeIt) {
  test::TempDir dir;
  test::SmallDisk disk(dir / "disk");
  if (!disk.mounted()) GTEST_SKIP() << "mounting a tmpfs needs root";
  disk.fillUpTo(100 * 1024);
  const auto path = dir / "disk" / "clip.ogg";
  BlobFile file(path);
  EXPECT_TRUE(file.append(blobOf(40 * 1024, 1)));
  EXPECT_TRUE(file.append(blobOf(40 * 1024, 2)));
  EXPECT_FALSE(file.append(blobOf(40 * 1024, 3)));
  EXPECT_EQ(file.errorCode(), ENOSPC);
  EXPECT_EQ(file.error(), "No space left on device");
  EXPECT_EQ(file.bytes(), 80u * 1024);
  EXPECT_EQ(std::filesystem::file_size(path), 80u * 1024) << "no part of the third Blob";
  EXPECT_FALSE(file.append(blobOf(1, 4))) << "nothing after a failure";
  file.close();
  EXPECT_EQ(std::filesystem::file_size(path), 80u * 1024);
}

TEST(BlobFile, ADescriptorGetsEachBlobAtOnceAndStaysOpen) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  {
    BlobFile out = BlobFile::toDescriptor(fds[1]);
    EXPECT_TRUE(out.append(blobOf(3, 5)));
    uint8_t read[3] = {};
    EXPECT_EQ(::read(fds[0], read, 3), 3) << "written at once, not buffered";
    EXPECT_EQ(read[2], 5);
    EXPECT_TRUE(out.sync()) << "a pipe has nothing to sync";
  }
  EXPECT_EQ(::write(fds[1], "x", 1), 1) << "the descriptor is still open";
  ::close(fds[0]);
  ::close(fds[1]);
}

}  // namespace mrec
