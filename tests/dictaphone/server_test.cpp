// The Dictaphone's server over real HTTP (cpp-httplib's client), in process, on a free
// loopback port, with the built-in test tone as its input.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "running_server.h"
#include "support/media_tools.h"

namespace dictaphone {

using nlohmann::json;
using namespace std::chrono_literals;

using test::decodeClip;
using test::parse;
using test::post;
using test::recordTone;
using test::RunningServer;

TEST(DictaphoneServer, RecordsAClipThatPlaysAndPersistsAcrossARestart) {
  mrec::test::TempDir data, work;
  std::string id;
  {
    RunningServer server(data.path());
    const json clip = recordTone(server.client(), 2.0, "first memo");
    ASSERT_TRUE(clip.is_object()) << clip;
    id = clip["id"];
    EXPECT_EQ(clip["name"], "first memo");
    const auto samples = decodeClip(server.client(), clip, work);
    // Two seconds of wall clock; the media may lag it a little on a loaded machine, and the
    // listed duration is the media's.
    EXPECT_NEAR(double(samples.size()) / 48000, 2.0, 0.3);
    EXPECT_NEAR(clip["duration"].get<double>(), double(samples.size()) / 48000, 0.05);
    EXPECT_NEAR(mrec::test::zeroCrossingFrequency(
                    std::vector<float>(samples.begin() + 4800, samples.end() - 4800), 48000),
                440, 2);
    const auto renamed =
        server.client().Patch("/api/clips/" + id, R"({"name":"  renamed  "})", "application/json");
    EXPECT_EQ(renamed->status, 200);
    EXPECT_EQ(parse(renamed)["name"], "renamed") << "names are trimmed";
  }
  RunningServer restarted(data.path());
  const json clips = parse(restarted.client().Get("/api/clips"));
  ASSERT_EQ(clips.size(), 1u) << clips;
  EXPECT_EQ(clips[0]["id"], id);
  EXPECT_EQ(clips[0]["name"], "renamed");
  EXPECT_EQ(clips[0]["download"], "renamed.ogg");
  EXPECT_EQ(restarted.client().Delete("/api/clips/" + id)->status, 204);
  EXPECT_EQ(parse(restarted.client().Get("/api/clips")).size(), 0u);
  EXPECT_FALSE(std::filesystem::exists(data / (id + ".ogg"))) << "the file goes with the row";
  EXPECT_EQ(restarted.client().Get("/api/clips/" + id + "/audio")->status, 404);
}

TEST(DictaphoneServer, PauseAndResumeLeaveThePausedSpanOut) {
  mrec::test::TempDir data, work;
  RunningServer server(data.path());
  auto& client = server.client();
  ASSERT_EQ(client.Put("/api/input", R"({"id":"tone"})", "application/json")->status, 200);
  ASSERT_EQ(client.Post("/api/recording", "{}", "application/json")->status, 201);
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(client.Post("/api/recording/pause")->status, 200);
  EXPECT_EQ(parse(client.Get("/api/status"))["state"], "paused");
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(client.Post("/api/recording/resume")->status, 200);
  std::this_thread::sleep_for(1s);
  const json clip = post(client, "/api/recording/stop");
  EXPECT_EQ(clip["name"], "My unnamed clip");
  EXPECT_NEAR(clip["duration"].get<double>(), 2.0, 0.2);
  EXPECT_NEAR(double(decodeClip(client, clip, work).size()) / 48000, 2.0, 0.2);
}

TEST(DictaphoneServer, WebmClipsToo) {
  mrec::test::TempDir data, work;
  RunningServer server(data.path());
  const json clip = recordTone(server.client(), 1.0, "webm", "audio/webm;codecs=opus");
  EXPECT_EQ(clip["download"], "webm.webm");
  EXPECT_NEAR(double(decodeClip(server.client(), clip, work).size()) / 48000, 1.0, 0.2);
  // Made seekable on stop: players know its length.
  const double seconds = std::stod(mrec::test::ffprobe(work / "clip.webm", "format=duration"));
  EXPECT_NEAR(seconds, 1.0, 0.2);
}

// MP4, the third format: AAC where the build records it, else Opus; finished on stop into a
// regular MP4 (one mdat, a full index) that ffprobe reads the length of.
TEST(DictaphoneServer, Mp4ClipsAreFinishedIntoRegularMp4s) {
  mrec::test::TempDir data, work;
  RunningServer server(data.path());
  const json formats = parse(server.client().Get("/api/formats"));
  ASSERT_EQ(formats.size(), 3u);
  EXPECT_EQ(formats[0]["type"], "audio/ogg;codecs=opus");
  EXPECT_EQ(formats[1]["type"], "audio/webm;codecs=opus");
  const std::string type = formats[2]["type"];
  EXPECT_EQ(type.rfind("audio/mp4;codecs=", 0), 0u) << type;
  const json clip = recordTone(server.client(), 1.0, "mp4", type);
  EXPECT_EQ(clip["download"], "mp4.mp4");
  EXPECT_EQ(clip["type"], type);
  EXPECT_NEAR(double(decodeClip(server.client(), clip, work).size()) / 48000, 1.0, 0.2);
  const auto bytes = mrec::test::readFile(work / "clip.mp4");
  ASSERT_GT(bytes.size(), 64u);
  EXPECT_EQ(std::string(bytes.begin() + 4, bytes.begin() + 8), "ftyp");
  EXPECT_NEAR(std::stod(mrec::test::ffprobe(work / "clip.mp4", "format=duration")), 1.0, 0.2);
  const auto audio = server.client().Get(clip["url"].get<std::string>());
  EXPECT_EQ(audio->get_header_value("Content-Type"), "audio/mp4");
  EXPECT_EQ(post(server.client(), "/api/recording", {{"type", "audio/wav"}})["error"], "bad-type");
}

TEST(DictaphoneServer, RangesHostsOriginsAndBadRequests) {
  mrec::test::TempDir data;
  RunningServer server(data.path());
  auto& client = server.client();
  const json clip = recordTone(client, 1.0, "ranges");
  const std::string url = clip["url"];
  const auto whole = client.Get(url);
  ASSERT_EQ(whole->status, 200);
  EXPECT_EQ(whole->get_header_value("Accept-Ranges"), "bytes");

  const auto part = client.Get(url, {{"Range", "bytes=100-199"}});
  EXPECT_EQ(part->status, 206);
  EXPECT_EQ(part->body, whole->body.substr(100, 100));
  EXPECT_EQ(part->get_header_value("Content-Range"),
            "bytes 100-199/" + std::to_string(whole->body.size()));
  const auto tail = client.Get(url, {{"Range", "bytes=-50"}});
  EXPECT_EQ(tail->status, 206);
  EXPECT_EQ(tail->body, whole->body.substr(whole->body.size() - 50));
  const auto beyond =
      client.Get(url, {{"Range", "bytes=" + std::to_string(whole->body.size()) + "-"}});
  EXPECT_EQ(beyond->status, 416);
  EXPECT_EQ(beyond->get_header_value("Content-Range"),
            "bytes */" + std::to_string(whole->body.size()));

  EXPECT_EQ(client.Get("/api/clips/0123456789abcdef/audio")->status, 404);
  EXPECT_EQ(client.Get("/api/clips/../../etc/passwd")->status, 404);
  EXPECT_EQ(
      client.Patch("/api/clips/0123456789abcdef", R"({"name":"x"})", "application/json")->status,
      404);
  EXPECT_EQ(
      client.Patch(url.substr(0, url.rfind('/')), R"({"name":"   "})", "application/json")->status,
      400)
      << "an empty name is refused";
  // A NUL once cut the stored name short, and the limit counted bytes: 200 é were refused.
  const std::string clipUrl = url.substr(0, url.rfind('/'));
  EXPECT_EQ(client.Patch(clipUrl, R"({"name":"before\u0000after"})", "application/json")->status,
            400);
  EXPECT_EQ(client.Patch(clipUrl, R"({"name":"two\nlines"})", "application/json")->status, 400);
  std::string accents;
  for (int i = 0; i < 200; ++i) accents += "\u00e9";
  const auto renamed =
      client.Patch(clipUrl, R"({"name":")" + accents + R"("})", "application/json");
  EXPECT_EQ(renamed->status, 200) << "200 characters, 400 bytes";
  std::string stored;
  for (int i = 0; i < 200; ++i) stored += "\xC3\xA9";
  EXPECT_EQ(parse(renamed)["name"], stored);
  EXPECT_EQ(client.Patch(clipUrl, R"({"name":")" + accents + R"(e"})", "application/json")->status,
            400)
      << "201 characters";
  EXPECT_EQ(client.Post("/api/recording", "not json", "application/json")->status, 400);
  EXPECT_EQ(client.Post("/api/recording", R"({"type":"video/mp4"})", "application/json")->status,
            400);
  EXPECT_EQ(client.Post("/api/recording/stop")->status, 409) << "nothing is recording";
  setenv("PULSE_SERVER", ("unix:" + (data / "no-server").string()).c_str(), 1);
  const auto unreachable = client.Put("/api/input", R"({"id":"some-device"})", "application/json");
  EXPECT_EQ(unreachable->status, 503);
  EXPECT_EQ(parse(unreachable)["error"], "no-input");

  // DNS rebinding and cross-site requests.
  const auto foreignHost =
      client.Get("/api/clips", {{"Host", "evil.example:" + std::to_string(server.port())}});
  EXPECT_EQ(foreignHost->status, 403);
  EXPECT_EQ(
      client.Get("/api/clips", {{"Host", "localhost:" + std::to_string(server.port())}})->status,
      200);
  const std::string clipPath = url.substr(0, url.rfind('/'));
  EXPECT_EQ(client.Delete(clipPath, {{"Origin", "http://evil.example"}})->status, 403);
  EXPECT_EQ(parse(client.Get("/api/clips")).size(), 1u) << "the foreign delete changed nothing";
  EXPECT_EQ(client.Delete(clipPath, {{"Origin", server.base()}})->status, 204);
}

TEST(DictaphoneServer, TwentyPlayersAtOnceAreAllServed) {
  mrec::test::TempDir data;
  RunningServer server(data.path());
  const json clip = recordTone(server.client(), 1.0, "popular");
  const size_t size = server.client().Get(clip["url"].get<std::string>())->body.size();
  // A monitor stream is open meanwhile, as a page would hold it.
  httplib::Client monitorClient("127.0.0.1", server.port());
  std::atomic<bool> monitoring{true};
  std::thread monitor([&] {
    monitorClient.Get("/api/monitor", [&](const char*, size_t) { return monitoring.load(); });
  });
  std::vector<std::thread> players;
  std::atomic<int> served{0};
  for (int i = 0; i < 20; ++i)
    players.emplace_back([&] {
      httplib::Client player("127.0.0.1", server.port());
      const auto result = player.Get(clip["url"].get<std::string>());
      if (result && result->status == 200 && result->body.size() == size) ++served;
    });
  for (auto& player : players) player.join();
  monitoring = false;
  monitor.join();
  EXPECT_EQ(served, 20);
}

TEST(DictaphoneServer, TheMonitorShowsTheInputsWaveform) {
  mrec::test::TempDir data;
  RunningServer server(data.path());
  ASSERT_EQ(server.client().Put("/api/input", R"({"id":"tone"})", "application/json")->status, 200);
  std::string received;
  server.client().Get("/api/monitor", [&](const char* data, size_t length) {
    received.append(data, length);
    return std::count(received.begin(), received.end(), '\n') < 20;  // ten events
  });
  const auto last = received.rfind("data: ", received.size() - 3);
  ASSERT_NE(last, std::string::npos);
  const json event = json::parse(received.substr(last + 6, received.find('\n', last) - last - 6));
  EXPECT_NEAR(event["peak"].get<double>(), 0.5, 0.01);
  EXPECT_EQ(event["input"], "tone");
  EXPECT_EQ(event["wave"].get<std::string>().size(), 2732u) << "2048 bytes in base64";
  EXPECT_NE(event["wave"].get<std::string>().substr(0, 100), std::string(100, 'g'))
      << "not flat (a silent byte 128 encodes as 'gICA')";
}

}  // namespace dictaphone
