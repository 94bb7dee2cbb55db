// Request bodies are bounded: the API takes small JSON objects, and a body of megabytes is
// refused without being kept in memory (issue 14, item 7: a 200 MB PATCH peaked at 1 GB).
#include <gtest/gtest.h>

#include "running_server.h"

namespace dictaphone {

using nlohmann::json;
using test::parse;
using test::recordTone;
using test::RunningServer;

namespace {
// {"name":"xxx…"} of about `bytes` bytes.
std::string hugeRename(size_t bytes) {
  return json{{"name", std::string(bytes, 'x')}}.dump();
}
}  // namespace

TEST(DictaphoneServer, APatchOfMegabytesIsRefusedWith413AndTheClipKeepsItsName) {
  mrec::test::TempDir data;
  RunningServer server(data.path());
  auto& client = server.client();
  const json clip = recordTone(client, 1.0, "kept");
  const std::string path = "/api/clips/" + clip["id"].get<std::string>();

  const auto refused = client.Patch(path, hugeRename(4 << 20), "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 413);
  EXPECT_EQ(parse(refused)["error"], "too-large") << refused->body;

  const json clips = parse(client.Get("/api/clips"));
  ASSERT_EQ(clips.size(), 1u);
  EXPECT_EQ(clips[0]["name"], "kept");
  EXPECT_EQ(client.Patch(path, R"({"name":"still renamable"})", "application/json")->status, 200)
      << "the server goes on answering";
}

TEST(DictaphoneServer, AChunkedBodyOfMegabytesIsRefusedUnread) {
  mrec::test::TempDir data;
  RunningServer server(data.path());
  const json clip = recordTone(server.client(), 1.0, "kept");
  const std::string path = "/api/clips/" + clip["id"].get<std::string>();
  // Chunked, so no Content-Length tells the server how long it is.
  const std::string body = hugeRename(4 << 20);
  httplib::Client client("127.0.0.1", server.port());
  const auto refused = client.Patch(
      path,
      [&](size_t offset, httplib::DataSink& sink) {
        if (offset >= body.size()) {
          sink.done();
          return true;
        }
        return sink.write(body.data() + offset, std::min<size_t>(64 * 1024, body.size() - offset));
      },
      "application/json");
  if (refused) {  // the server may close the connection before all of it is sent
    EXPECT_EQ(refused->status, 411);
    EXPECT_EQ(parse(refused)["error"], "length-required") << refused->body;
  }
  const json clips = parse(server.client().Get("/api/clips"));
  ASSERT_EQ(clips.size(), 1u);
  EXPECT_EQ(clips[0]["name"], "kept");
  EXPECT_EQ(server.client().Get("/api/status")->status, 200) << "the server goes on answering";
}

}  // namespace dictaphone
