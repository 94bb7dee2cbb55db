// A disk that fills up mid-recording: the stop answers 507 naming the cause, and the clip
// keeps its name and the audio that fitted (issue 14, item 13: it answered 500 "internal"
// and the name was lost). The full disk is a small tmpfs, which needs root to mount.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include <thread>

#include "running_server.h"

namespace dictaphone {

using nlohmann::json;
using namespace std::chrono_literals;
using test::parse;
using test::RunningServer;

namespace {
// A 1 MiB tmpfs at `where`, unmounted at the end of the test.
class SmallDisk {
 public:
  explicit SmallDisk(const std::filesystem::path& where) : where_(where) {
    std::filesystem::create_directories(where);
    mounted_ = mount("tmpfs", where.c_str(), "tmpfs", 0, "size=1m") == 0;
  }
  ~SmallDisk() {
    if (mounted_) umount2(where_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  /// Fills it with a file until `left` bytes are free.
  void fillUpTo(uint64_t left) {
    struct statvfs fs {};
    statvfs(where_.c_str(), &fs);
    const uint64_t free = uint64_t(fs.f_bavail) * fs.f_frsize;
    if (free > left)
      mrec::test::writeFile(where_ / "filler.bin", std::vector<uint8_t>(free - left, 0));
  }

 private:
  std::filesystem::path where_;
  bool mounted_ = false;
};
}  // namespace

TEST(DictaphoneServer, ADiskFullMidRecordingAnswers507AndKeepsTheNameAndTheAudio) {
  mrec::test::TempDir dir, work;
  SmallDisk disk(dir / "disk");
  if (!disk.mounted()) GTEST_SKIP() << "mounting a tmpfs needs root";
  const auto data = dir / "disk" / "data";
  RunningServer server(data);
  auto& client = server.client();
  ASSERT_EQ(client.Put("/api/input", R"({"id":"tone"})", "application/json")->status, 200);
  ASSERT_EQ(client.Post("/api/recording", "{}", "application/json")->status, 201);
  std::this_thread::sleep_for(1500ms);  // the first Blob is on disk
  disk.fillUpTo(0);                     // not a byte left, for the audio or the database
  std::this_thread::sleep_for(2s);
  const auto stopped =
      client.Post("/api/recording/stop", R"({"name":"full memo"})", "application/json");
  ASSERT_TRUE(stopped);
  EXPECT_EQ(stopped->status, 507) << stopped->body;
  const json answer = parse(stopped);
  EXPECT_EQ(answer["error"], "disk-full") << answer;
  EXPECT_NE(answer.value("message", "").find("no space left on device"), std::string::npos)
      << answer;

  const json clips = parse(client.Get("/api/clips"));
  ASSERT_EQ(clips.size(), 1u) << clips;
  EXPECT_EQ(clips[0]["name"], "full memo");
  const auto audio = client.Get(clips[0]["url"].get<std::string>());
  const auto file = work / "full.ogg";
  mrec::test::writeFile(file, std::vector<uint8_t>(audio->body.begin(), audio->body.end()));
  std::string error;
  const auto samples = mrec::test::decodeMono(file, &error);
  EXPECT_EQ(error, "");
  EXPECT_GT(double(samples.size()) / 48000, 0.9) << "what fitted is kept";
  EXPECT_LT(double(samples.size()) / 48000, 4.0) << "the disk was full before the end";
  EXPECT_NEAR(clips[0]["duration"].get<double>(), double(samples.size()) / 48000, 0.1);
}

}  // namespace dictaphone
