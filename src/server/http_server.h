// cpp-httplib's Server with connection handling that a slow or hostile
// client cannot turn against the other clients.
//
// cpp-httplib 0.11 (Debian 12) gives each connection a pool thread for as
// long as the client keeps it open, with only a per-read timeout: 20 clients
// sending one header byte every 2 s held all 16 threads, /api/health waited
// 27 s and shutdown waited for them. Here instead:
//   - every connection gets a thread at once, up to `max_connections`; one
//     more is answered 503 and closed without reading it;
//   - an idle keep-alive connection is closed after `idle_timeout`; a
//     request's headers must arrive within `header_timeout` of its first
//     byte, its body within `body_timeout` of the headers, and a response
//     must be taken by the client within `write_timeout`;
//   - CloseConnections() shuts every open socket down, so stopping the
//     server never waits for a client.
// The request processing itself (parsing, routing, ranges, keep-alive
// rules) stays cpp-httplib's: this class only replaces the socket loop and
// the stream the parser reads from.
//
//   HttpServer http({.max_connections = 256});
//   http.set_pre_routing_handler([](auto&, auto&) { HttpServer::HeadersRead(); ... });
//   http.bind_to_port("127.0.0.1", 8080);
//   http.listen_after_bind();            // on one thread
//   http.stop(); http.CloseConnections();  // on another
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>

namespace cobuild::server {

struct HttpLimits {
  int max_connections = 256;
  std::chrono::milliseconds idle_timeout{5000};
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds body_timeout{60000};
  std::chrono::milliseconds write_timeout{30000};
  int listen_backlog = 1024;  // pending connections the kernel queues for accept
};

class HttpServer : public httplib::Server {
 public:
  explicit HttpServer(HttpLimits limits);
  ~HttpServer() override;

  // Raises the accept backlog of the bound socket (cpp-httplib listens with
  // 5, so a burst of clients would wait for TCP retransmission).
  void RaiseListenBacklog();

  // Called once a request's headers are read (from the pre-routing
  // handler, on the connection's thread): the body deadline starts.
  static void HeadersRead();

  // Shuts every open connection down; their threads return at once.
  void CloseConnections();

  int open_connections() const { return open_.load(); }

 private:
  bool process_and_close_socket(socket_t sock) override;

  HttpLimits limits_;
  std::atomic<int> open_ = 0;
  std::atomic<bool> closing_ = false;
  std::mutex mutex_;
  std::map<uint64_t, socket_t> sockets_;  // open connections by serial
  uint64_t next_serial_ = 0;
};

}  // namespace cobuild::server
