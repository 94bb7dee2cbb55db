// A browser's own recording uploaded chunk by chunk (POST /api/uploads, PUT .../chunks/SEQ,
// POST .../finish): the chunks are the Blobs of a live WebM recorded here with mrec (no Cues,
// no Duration, as a browser's), sent over real HTTP to a real server; the clips are decoded.
#include <gtest/gtest.h>
#include <httplib.h>
#include <mrec/mrec.h>

#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "dictaphone_process.h"
#include "running_server.h"
#include "support/media_tools.h"

namespace dictaphone {

using nlohmann::json;
using namespace std::chrono_literals;
using test::parse;
using test::RunningServer;

namespace {

constexpr const char* kWebm = "audio/webm;codecs=opus";

// The Blobs of `seconds` of a 440 Hz tone recorded live with a one-second timeslice.
std::vector<std::string> recordBlobs(double seconds) {
  auto stream = std::make_shared<mrec::MediaStream>(
      std::vector{mrec::createToneTrack({.frequency = 440, .amplitude = 0.5})});
  mrec::MediaRecorderOptions options;
  options.mimeType = kWebm;
  mrec::MediaRecorder recorder(stream, options);
  std::mutex mutex;
  std::condition_variable stopped;
  bool done = false;
  std::vector<std::string> blobs;
  recorder.ondataavailable = [&](const mrec::BlobEvent& event) {
    const auto bytes = event.data.arrayBuffer();
    std::lock_guard lock(mutex);
    if (!bytes.empty()) blobs.emplace_back(bytes.begin(), bytes.end());
  };
  recorder.onstop = [&](const mrec::Event&) {
    std::lock_guard lock(mutex);
    done = true;
    stopped.notify_all();
  };
  recorder.start(1000);
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  recorder.stop();
  std::unique_lock lock(mutex);
  stopped.wait_for(lock, 10s, [&] { return done; });
  return blobs;
}

// Recorded once for all the tests here: 3.2 s, so 4 Blobs (the last one short).
const std::vector<std::string>& blobs() {
  static const std::vector<std::string> recorded = recordBlobs(3.2);
  return recorded;
}

std::string chunkPath(const std::string& id, size_t sequence) {
  return "/api/uploads/" + id + "/chunks/" + std::to_string(sequence);
}

std::string startUpload(httplib::Client& client) {
  // Recorded before the upload opens: ctest runs each test in a process of its own, where
  // the first blobs() records 3.2 s live, longer than a test's upload timeout.
  blobs();
  const auto created =
      client.Post("/api/uploads", json{{"type", kWebm}}.dump(), "application/json");
  EXPECT_EQ(created->status, 201) << created->body;
  return json::parse(created->body)["id"];
}

void putChunk(httplib::Client& client, const std::string& id, size_t sequence) {
  const auto put =
      client.Put(chunkPath(id, sequence), blobs()[sequence], "application/octet-stream");
  ASSERT_TRUE(put);
  ASSERT_EQ(put->status, 200) << put->body;
}

// The clip's audio as served, written to `dir`; ffprobe's duration of it.
double probedDuration(httplib::Client& client, const json& clip,
                      const std::filesystem::path& file) {
  const auto audio = client.Get(clip["url"].get<std::string>());
  EXPECT_EQ(audio->status, 200);
  mrec::test::writeFile(file, std::vector<uint8_t>(audio->body.begin(), audio->body.end()));
  const std::string probed = mrec::test::ffprobe(file, "format=duration");
  EXPECT_NE(probed.find_first_of("0123456789"), std::string::npos) << "ffprobe says " << probed;
  return probed.find_first_of("0123456789") == std::string::npos ? 0 : std::stod(probed);
}

json waitForClip(httplib::Client& client, std::chrono::milliseconds limit) {
  for (auto waited = 0ms; waited < limit; waited += 100ms) {
    const json clips = parse(client.Get("/api/clips"));
    if (clips.is_array() && !clips.empty()) return clips[0];
    std::this_thread::sleep_for(100ms);
  }
  return json();
}

}  // namespace

TEST(DictaphoneUpload, ChunksOutOfOrderAreRefusedRepeatsAreIdempotentAndTheClipPlays) {
  ASSERT_EQ(blobs().size(), 4u) << "3.2 s at a 1 s timeslice";
  mrec::test::TempDir dir;
  RunningServer server(dir / "data");
  auto& client = server.client();
  const std::string id = startUpload(client);
  EXPECT_EQ(parse(client.Get("/api/clips")).size(), 0u) << "an upload lists once finished";

  const auto early = client.Put(chunkPath(id, 1), blobs()[1], "application/octet-stream");
  EXPECT_EQ(early->status, 409);
  EXPECT_EQ(json::parse(early->body)["expected"], 0);
  putChunk(client, id, 0);
  const auto again = client.Put(chunkPath(id, 0), blobs()[0], "application/octet-stream");
  EXPECT_EQ(again->status, 200) << "a retry of the last chunk is acknowledged again";
  EXPECT_EQ(json::parse(again->body)["appended"], false);
  EXPECT_EQ(json::parse(again->body)["bytes"], blobs()[0].size()) << "and not appended";
  const auto changed = client.Put(chunkPath(id, 0), blobs()[1], "application/octet-stream");
  EXPECT_EQ(changed->status, 409) << "the same number with other bytes is no retry";
  const auto skipped = client.Put(chunkPath(id, 2), blobs()[2], "application/octet-stream");
  EXPECT_EQ(skipped->status, 409);
  EXPECT_EQ(json::parse(skipped->body)["expected"], 1);
  for (size_t i = 1; i < blobs().size(); ++i) putChunk(client, id, i);
  EXPECT_EQ(parse(client.Get("/api/uploads/" + id))["expected"], blobs().size());

  const json clip =
      test::post(client, "/api/uploads/" + id + "/finish", {{"name", "From a phone"}});
  EXPECT_EQ(clip["name"], "From a phone");
  EXPECT_EQ(clip["interrupted"], false);
  const json listed = parse(client.Get("/api/clips"));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["id"], id);
  EXPECT_EQ(test::post(client, "/api/uploads/" + id + "/finish")["id"], id)
      << "a finish retried answers the clip again";

  const double probed = probedDuration(client, clip, dir / "clip.webm");
  EXPECT_NEAR(probed, 3.2, 0.25) << "a finite duration: makeSeekable wrote it";
  EXPECT_NEAR(clip["duration"].get<double>(), probed, 0.05) << "the listed duration is the file's";
  std::string error;
  const auto samples = mrec::test::decodeMono(dir / "clip.webm", &error);
  EXPECT_EQ(error, "");
  EXPECT_NEAR(double(samples.size()) / 48000, probed, 0.1);
  EXPECT_NEAR(mrec::test::zeroCrossingFrequency(samples, 48000), 440, 5);
  EXPECT_EQ(mrec::test::ffprobe(dir / "clip.webm", "format=duration").find("N/A"),
            std::string::npos);
}

TEST(DictaphoneUpload, TypesAndSizesHaveLimits) {
  mrec::test::TempDir dir;
  RunningServer server(dir / "data");
  auto& client = server.client();
  EXPECT_EQ(client.Post("/api/uploads", R"({"type":"text/html"})", "application/json")->status,
            400);
  EXPECT_EQ(client.Post("/api/uploads", R"({"type":"audio/ogg; codecs=opus"})", "application/json")
                ->status,
            201)
      << "Firefox's spelling";
  EXPECT_EQ(client.Post("/api/uploads", R"({"type":"audio/mp4"})", "application/json")->status, 201)
      << "Safari's";
  const std::string id = startUpload(client);
  // A chunk may be over the 64 KiB JSON limit, but not over 8 MiB.
  EXPECT_EQ(client.Put(chunkPath(id, 0), std::string(100 * 1024, 'x'), "application/octet-stream")
                ->status,
            200);
  const auto huge =
      client.Put(chunkPath(id, 1), std::string(9 * 1024 * 1024, 'x'), "application/octet-stream");
  EXPECT_EQ(huge->status, 413);
  EXPECT_EQ(json::parse(huge->body)["error"], "too-large");
  EXPECT_EQ(parse(client.Get("/api/uploads/" + id))["bytes"], 100 * 1024) << "nothing appended";
  // Any other body keeps the JSON limit.
  const auto bigJson =
      client.Post("/api/uploads", std::string(100 * 1024, ' ') + R"({"type":"audio/webm"})",
                  "application/json");
  EXPECT_EQ(bigJson->status, 413);
  EXPECT_EQ(client.Put(chunkPath("0123456789abcdef", 0), "x", "application/octet-stream")->status,
            404);
  const std::string empty = startUpload(client);
  EXPECT_EQ(client.Post("/api/uploads/" + empty + "/finish", "{}", "application/json")->status, 422)
      << "nothing came: no clip";
}

TEST(DictaphoneUpload, AnUploadThatGoesQuietIsFinishedAsInterruptedAndPlays) {
  mrec::test::TempDir dir;
  RunningServer server(dir / "data", /*uploadTimeoutSeconds=*/1);
  auto& client = server.client();
  const std::string id = startUpload(client);
  for (size_t i = 0; i < 3; ++i) putChunk(client, id, i);  // the tab closes after 3 s
  EXPECT_TRUE(waitForClip(client, 500ms).is_null()) << "not before the timeout";
  const json clip = waitForClip(client, 5s);
  ASSERT_FALSE(clip.is_null()) << "finished after the upload timeout";
  EXPECT_EQ(clip["interrupted"], true);
  const double probed = probedDuration(client, clip, dir / "clip.webm");
  EXPECT_NEAR(probed, 3.0, 0.15) << "what was acknowledged: 3 one-second chunks";
  std::string error;
  const auto samples = mrec::test::decodeMono(dir / "clip.webm", &error);
  EXPECT_EQ(error, "");
  EXPECT_NEAR(double(samples.size()) / 48000, probed, 0.1);
  EXPECT_EQ(client.Put(chunkPath(id, 3), blobs()[3], "application/octet-stream")->status, 404)
      << "a finished upload takes no more";
}

// kill -9 mid-upload: the next start keeps the upload open where its acknowledged chunks end
// (bytes written but never acknowledged are cut off), the page continues it, and when the
// page goes quiet the clip is finished as interrupted.
TEST(DictaphoneUpload, AServerKilledMidUploadKeepsTheUploadAtItsNextStart) {
  mrec::test::TempDir dir;
  const auto data = dir / "data";
  const auto log = dir / "dictaphone.log";
  auto [pid, port] = test::startDictaphone(data, log, "--upload-timeout 2");
  ASSERT_NE(port, 0);
  std::string id;
  {
    httplib::Client client("127.0.0.1", port);
    id = startUpload(client);
    for (size_t i = 0; i < 2; ++i) putChunk(client, id, i);
  }
  mrec::test::runCommand("kill -KILL " + pid);
  std::this_thread::sleep_for(200ms);
  // A third chunk half written when the server died: on disk, never acknowledged.
  const auto file = data / (id + ".webm");
  ASSERT_TRUE(std::filesystem::exists(file));
  const auto acknowledged = std::filesystem::file_size(file);
  EXPECT_EQ(acknowledged, blobs()[0].size() + blobs()[1].size()) << "each chunk on disk";
  mrec::test::runCommand("head -c 700 /dev/urandom >> '" + file.string() + "'");

  auto [pid2, port2] = test::startDictaphone(data, log, "--upload-timeout 2");
  ASSERT_NE(port2, 0);
  httplib::Client client("127.0.0.1", port2);
  const json progress = parse(client.Get("/api/uploads/" + id));
  EXPECT_EQ(progress["expected"], 2) << progress;
  EXPECT_EQ(progress["bytes"], acknowledged) << "the unacknowledged bytes are cut off";
  for (size_t i = 2; i < blobs().size(); ++i) putChunk(client, id, i);
  const json clip = waitForClip(client, 5s);
  ASSERT_FALSE(clip.is_null());
  EXPECT_EQ(clip["interrupted"], true);
  const double probed = probedDuration(client, clip, dir / "clip.webm");
  EXPECT_NEAR(probed, 3.2, 0.25) << "all four chunks, across the restart";
  std::string error;
  const auto samples = mrec::test::decodeMono(dir / "clip.webm", &error);
  EXPECT_EQ(error, "");
  EXPECT_NEAR(mrec::test::zeroCrossingFrequency(samples, 48000), 440, 5);
  mrec::test::runCommand("kill -TERM " + pid2);
}

// A data folder of the first schema (no interrupted, no upload columns) is migrated at open:
// its clips list as they were, not interrupted, and uploads work in it.
TEST(DictaphoneUpload, AFolderOfTheFirstSchemaIsMigrated) {
  mrec::test::TempDir dir;
  const auto data = dir / "data";
  std::string id;
  {
    RunningServer server(data);
    id = test::recordTone(server.client(), 1.0, "old clip")["id"];
  }
  const auto db = (data / "clips.sqlite3").string();
  const auto downgraded = mrec::test::runCommand(
      "sqlite3 '" + db +
      "' \"CREATE TABLE old AS SELECT id, name, mime, created_ms, duration_s, recording FROM "
      "clips; DROP TABLE clips; ALTER TABLE old RENAME TO clips; PRAGMA user_version = 0;\" && "
      "sqlite3 '" +
      db + "' 'PRAGMA table_info(clips)' | wc -l");
  ASSERT_EQ(downgraded.output, "6\n") << "the first schema's six columns";
  RunningServer server(data);
  auto& client = server.client();
  const json clips = parse(client.Get("/api/clips"));
  ASSERT_EQ(clips.size(), 1u) << clips;
  EXPECT_EQ(clips[0]["id"], id);
  EXPECT_EQ(clips[0]["name"], "old clip");
  EXPECT_EQ(clips[0]["interrupted"], false);
  EXPECT_EQ(mrec::test::runCommand("sqlite3 '" + db + "' 'PRAGMA user_version'").output, "1\n");
  const std::string upload = startUpload(client);
  putChunk(client, upload, 0);
}

}  // namespace dictaphone
