// A disk that fills up mid-recording: the stop answers 507 naming the cause, and the clip
// keeps its name and the audio that fitted (issue 14, item 13: it answered 500 "internal"
// and the name was lost); a browser's upload chunk that finds the disk full is answered 507
// and nothing of it kept. The full disk is a small tmpfs, which needs root to mount.
#include <gtest/gtest.h>

#include <thread>

#include "running_server.h"
#include "support/small_disk.h"

namespace dictaphone {

using nlohmann::json;
using namespace std::chrono_literals;
using test::parse;
using test::RunningServer;

using mrec::test::SmallDisk;

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

TEST(DictaphoneUpload, AChunkOnAFullDiskAnswers507AndTheClipKeepsTheChunksBefore) {
  mrec::test::TempDir dir, work;
  SmallDisk disk(dir / "disk");
  if (!disk.mounted()) GTEST_SKIP() << "mounting a tmpfs needs root";
  RunningServer server(dir / "disk" / "data");
  auto& client = server.client();
  // Two chunks of a real Ogg Opus recording: a server-made clip's bytes, cut in two.
  const json recorded = test::recordTone(client, 1.5, "source");
  const auto source = client.Get(recorded["url"].get<std::string>())->body;
  const auto created =
      client.Post("/api/uploads", R"({"type":"audio/ogg;codecs=opus"})", "application/json");
  ASSERT_EQ(created->status, 201);
  const std::string id = json::parse(created->body)["id"];
  const std::string chunks = "/api/uploads/" + id + "/chunks/";
  ASSERT_EQ(client.Put(chunks + "0", source, "application/octet-stream")->status, 200);
  disk.fillUpTo(0);
  const auto full =
      client.Put(chunks + "1", std::string(300 * 1024, 'x'), "application/octet-stream");
  ASSERT_TRUE(full);
  EXPECT_EQ(full->status, 507) << full->body;
  EXPECT_EQ(parse(full)["error"], "disk-full");
  EXPECT_EQ(parse(client.Get("/api/uploads/" + id))["bytes"], source.size())
      << "nothing of the refused chunk is kept";
  const json clip =
      test::post(client, "/api/uploads/" + id + "/finish", {{"name", "uploaded, disk full"}});
  EXPECT_EQ(clip["name"], "uploaded, disk full") << clip;
  const auto audio = client.Get("/api/clips/" + id + "/audio");
  ASSERT_EQ(audio->body, source) << "the chunk acknowledged, byte for byte";
}

}  // namespace dictaphone
