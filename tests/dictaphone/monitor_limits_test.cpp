// The live monitor cannot starve the server (issue 14, item 8): 64 open monitors, or 64
// clients that send their header a line every 2 s, took every pool thread, and the Dictaphone
// answered nothing while they stayed connected. Now at most 16 monitors stream (the rest are
// answered 503 at once) and enough threads stay for the page and the API.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "running_server.h"

namespace dictaphone {

using nlohmann::json;
using test::RunningServer;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// A loopback socket connected to `port` (reads time out after `timeout`), or -1.
int connectTo(int port, std::chrono::seconds timeout) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  timeval tv{static_cast<time_t>(timeout.count()), 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool sendAll(int fd, const std::string& text) {
  return ::send(fd, text.data(), text.size(), MSG_NOSIGNAL) == ssize_t(text.size());
}

// The status code of the response's first line ("HTTP/1.1 200 OK"), or 0 if none came.
int readStatus(int fd) {
  std::string head;
  char c;
  while (head.size() < 64 && head.find("\r\n") == std::string::npos && ::recv(fd, &c, 1, 0) == 1)
    head += c;
  return head.rfind("HTTP/1.1 ", 0) == 0 && head.size() >= 12 ? std::atoi(head.c_str() + 9) : 0;
}

// Sockets closed when the test ends, pass or fail.
struct Sockets {
  std::vector<int> fds;
  ~Sockets() {
    for (const int fd : fds)
      if (fd >= 0) ::close(fd);
  }
};

}  // namespace

TEST(DictaphoneServer, SixtyFourMonitorsAndSixtyFourSlowHeadersLeaveTheApiAnswering) {
  mrec::test::TempDir data;
  RunningServer server(data.path());
  const std::string host = "Host: 127.0.0.1:" + std::to_string(server.port()) + "\r\n";

  // 64 monitors: each reads its status line. Those within the cap stream on; the others are
  // refused at once, not left waiting for a thread.
  Sockets monitors;
  std::vector<int> statuses;
  std::vector<double> waited;
  for (int i = 0; i < 64; ++i) {
    const int fd = connectTo(server.port(), 10s);
    ASSERT_GE(fd, 0);
    monitors.fds.push_back(fd);
    ASSERT_TRUE(sendAll(fd, "GET /api/monitor HTTP/1.1\r\n" + host + "\r\n"));
  }
  for (const int fd : monitors.fds) {
    const auto start = Clock::now();
    statuses.push_back(readStatus(fd));
    waited.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  int streaming = 0, refused = 0;
  for (size_t i = 0; i < statuses.size(); ++i) {
    if (statuses[i] == 200) ++streaming;
    if (statuses[i] == 503) {
      ++refused;
      EXPECT_LT(waited[i], 3.0) << "monitor " << i << " waited for its 503";
    }
  }
  EXPECT_EQ(streaming, 16);
  EXPECT_EQ(refused, 48);
  EXPECT_EQ(streaming + refused, 64) << "every monitor is answered, none hangs";
  // The refused ones go, as a browser's EventSource does on a 503.
  for (size_t i = 0; i < monitors.fds.size(); ++i)
    if (statuses[i] != 200) {
      ::close(monitors.fds[i]);
      monitors.fds[i] = -1;
    }

  // 64 slow clients: a header line every 2 s, never the blank line that ends the header.
  Sockets slow;
  for (int i = 0; i < 64; ++i) {
    const int fd = connectTo(server.port(), 10s);
    ASSERT_GE(fd, 0);
    slow.fds.push_back(fd);
    ASSERT_TRUE(sendAll(fd, "GET / HTTP/1.1\r\n" + host));
  }
  std::atomic<bool> done{false};
  std::jthread trickle([&] {
    for (int n = 0; !done; ++n) {
      for (const int fd : slow.fds) sendAll(fd, "X-Slow-" + std::to_string(n) + ": 1\r\n");
      for (int i = 0; i < 20 && !done; ++i) std::this_thread::sleep_for(100ms);
    }
  });
  struct Stop {
    std::atomic<bool>& done;
    ~Stop() { done = true; }  // before trickle joins, on an ASSERT's return as at the end
  } stop{done};

  // While all of them stay connected, the API answers promptly, again and again.
  for (int round = 0; round < 5; ++round) {
    httplib::Client client("127.0.0.1", server.port());
    client.set_connection_timeout(3s);
    client.set_read_timeout(3s);
    const auto start = Clock::now();
    const auto clips = client.Get("/api/clips");
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    ASSERT_TRUE(clips) << "round " << round << ": no answer within 3 s";
    EXPECT_EQ(clips->status, 200);
    EXPECT_EQ(json::parse(clips->body), json::array());
    EXPECT_LT(seconds, 2.0) << "round " << round;
    const auto page = client.Get("/");
    ASSERT_TRUE(page) << "round " << round << ": the page did not load";
    EXPECT_EQ(page->status, 200);
    std::this_thread::sleep_for(1500ms);
  }

  // The monitors that stream still stream.
  char buffer[256];
  for (const int fd : monitors.fds) {
    if (fd < 0) continue;
    EXPECT_GT(::recv(fd, buffer, sizeof buffer, 0), 0);
  }
}

TEST(DictaphoneServer, AClosedMonitorFreesItsPlaceForAnother) {
  mrec::test::TempDir data;
  RunningServer server(data.path());
  const std::string request =
      "GET /api/monitor HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server.port()) + "\r\n\r\n";
  Sockets monitors;
  for (int i = 0; i < 16; ++i) {
    monitors.fds.push_back(connectTo(server.port(), 10s));
    ASSERT_TRUE(sendAll(monitors.fds.back(), request));
    ASSERT_EQ(readStatus(monitors.fds.back()), 200) << "monitor " << i;
  }
  Sockets extra;
  extra.fds.push_back(connectTo(server.port(), 10s));
  ASSERT_TRUE(sendAll(extra.fds[0], request));
  ASSERT_EQ(readStatus(extra.fds[0]), 503);
  std::string rest;
  char buffer[1024];
  for (ssize_t n; rest.find("too-many-monitors") == std::string::npos &&
                  (n = ::recv(extra.fds[0], buffer, sizeof buffer, 0)) > 0;)
    rest.append(buffer, size_t(n));
  EXPECT_NE(rest.find("Retry-After: 5"), std::string::npos) << rest;
  EXPECT_NE(rest.find("too-many-monitors"), std::string::npos) << rest;

  // One goes away: the server notices at its next write, and the place is free again.
  ::close(monitors.fds[0]);
  monitors.fds[0] = -1;
  int status = 0;
  for (int attempt = 0; attempt < 50 && status != 200; ++attempt) {
    std::this_thread::sleep_for(100ms);
    const int fd = connectTo(server.port(), 10s);
    extra.fds.push_back(fd);
    ASSERT_TRUE(sendAll(fd, request));
    status = readStatus(fd);
  }
  EXPECT_EQ(status, 200);
}

}  // namespace dictaphone
