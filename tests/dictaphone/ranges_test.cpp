// Clip downloads with Range, over raw HTTP: one range gets its bytes (206), a range past the
// end 416 with the size, and several ranges the whole file once (issue 14, item 17: a
// thousand ranges made 60 MB of an 8 kB clip, and an empty file bytes 0-18446744073709551615/0).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "running_server.h"

namespace dictaphone {

using nlohmann::json;
using test::recordTone;
using test::RunningServer;

namespace {

struct RawResponse {
  int status = 0;
  std::string head;  ///< status line and headers
  std::string body;  ///< everything after them, as sent
  std::string header(const std::string& name) const {
    const auto at = head.find("\r\n" + name + ": ");
    if (at == std::string::npos) return "(none)";
    const auto from = at + name.size() + 4;
    return head.substr(from, head.find("\r\n", from) - from);
  }
};

// One GET on its own connection, read to the end: what the server wrote, byte for byte.
RawResponse rawGet(int port, const std::string& path, const std::string& range) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  const timeval timeout{10, 0};  // a server that never ends its answer fails the test
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(uint16_t(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  RawResponse response;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return response;
  }
  const std::string request = "GET " + path +
                              " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                              "\r\nRange: " + range + "\r\nConnection: close\r\n\r\n";
  EXPECT_EQ(write(fd, request.data(), request.size()), ssize_t(request.size()));
  std::string all;
  char buffer[65536];
  for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) all.append(buffer, size_t(n));
  close(fd);
  const auto end = all.find("\r\n\r\n");
  if (all.size() < 12 || end == std::string::npos) return response;
  response.status = std::stoi(all.substr(9, 3));
  response.head = all.substr(0, end + 2);
  response.body = all.substr(end + 4);
  return response;
}

}  // namespace

TEST(DictaphoneServer, OneRangeGetsExactlyItsBytesAndARangePastTheEndGets416WithTheSize) {
  mrec::test::TempDir data;
  RunningServer server(data.path());
  const json clip = recordTone(server.client(), 1.0, "ranges");
  const std::string url = clip["url"];
  const std::string whole = server.client().Get(url)->body;
  const size_t size = whole.size();
  ASSERT_GT(size, 1000u);
  const std::string total = "/" + std::to_string(size);

  const auto middle = rawGet(server.port(), url, "bytes=100-199");
  EXPECT_EQ(middle.status, 206);
  EXPECT_EQ(middle.header("Content-Range"), "bytes 100-199" + total);
  EXPECT_EQ(middle.body, whole.substr(100, 100));

  const auto pastTheEnd = rawGet(server.port(), url, "bytes=100-99999999");
  EXPECT_EQ(pastTheEnd.status, 206);
  EXPECT_EQ(pastTheEnd.header("Content-Range"), "bytes 100-" + std::to_string(size - 1) + total);
  EXPECT_EQ(pastTheEnd.header("Content-Length"), std::to_string(size - 100));
  EXPECT_EQ(pastTheEnd.body, whole.substr(100));

  const auto suffix = rawGet(server.port(), url, "bytes=-99999999");
  EXPECT_EQ(suffix.status, 206);
  EXPECT_EQ(suffix.header("Content-Range"), "bytes 0-" + std::to_string(size - 1) + total);
  EXPECT_EQ(suffix.body, whole);

  for (const std::string& range :
       {"bytes=" + std::to_string(size) + "-", std::string("bytes=-0")}) {
    const auto unsatisfiable = rawGet(server.port(), url, range);
    EXPECT_EQ(unsatisfiable.status, 416) << range;
    EXPECT_EQ(unsatisfiable.header("Content-Range"), "bytes */" + std::to_string(size)) << range;
  }
}

TEST(DictaphoneServer, AThousandRangesGetTheWholeFileOnce) {
  mrec::test::TempDir data;
  RunningServer server(data.path());
  const json clip = recordTone(server.client(), 1.0, "ranges");
  const std::string url = clip["url"];
  const std::string whole = server.client().Get(url)->body;
  std::string thousand = "bytes=0-";
  for (int i = 1; i < 1000; ++i) thousand += ",0-";
  for (const std::string& range :
       {thousand, std::string("bytes=0-9,20-29"), std::string("bytes=-10,0-5")}) {
    const auto answer = rawGet(server.port(), url, range);
    EXPECT_EQ(answer.status, 200) << range.substr(0, 40);
    EXPECT_EQ(answer.header("Content-Length"), std::to_string(whole.size()));
    EXPECT_EQ(answer.header("Content-Range"), "(none)");
    EXPECT_EQ(answer.body.size(), whole.size()) << "never more than the file";
    EXPECT_EQ(answer.body, whole);
  }
}

TEST(DictaphoneServer, AnEmptyClipFileHasNoImpossibleContentRange) {
  mrec::test::TempDir data;
  RunningServer server(data.path());
  const json clip = recordTone(server.client(), 1.0, "emptied");
  std::filesystem::resize_file(data / (clip["id"].get<std::string>() + ".ogg"), 0);
  const std::string url = clip["url"];

  const auto plain = rawGet(server.port(), url, "bytes=0-");
  EXPECT_EQ(plain.status, 416);
  EXPECT_EQ(plain.header("Content-Range"), "bytes */0");
  for (const std::string& range : {std::string("bytes=0-,0-"), std::string("bytes=0-0,-5")}) {
    const auto several = rawGet(server.port(), url, range);
    EXPECT_EQ(several.status, 200) << range;
    EXPECT_EQ(several.header("Content-Length"), "0") << range;
    EXPECT_EQ(several.body, "") << range;
    EXPECT_EQ(several.head.find("18446744073709551615"), std::string::npos) << several.head;
  }
  const auto none = server.client().Get(url);
  EXPECT_EQ(none->status, 200);
  EXPECT_EQ(none->get_header_value("Content-Length"), "0");
}

}  // namespace dictaphone
