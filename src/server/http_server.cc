#include "server/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace cobuild::server {
namespace {

using Clock = std::chrono::steady_clock;

// Set while a connection is handed to process_and_close_socket only to be
// refused (every connection thread is taken).
thread_local bool t_refuse = false;

// A thread per connection, started on demand, at most `max` at once. When
// all are busy the connection is refused at once on the accepting thread
// (process_and_close_socket sees t_refuse), so a flood of connections costs
// neither memory nor waiting clients.
class ConnectionThreads : public httplib::TaskQueue {
 public:
  explicit ConnectionThreads(size_t max) : max_(std::max<size_t>(1, max)) {}
  ~ConnectionThreads() override = default;

  void enqueue(std::function<void()> fn) override {
    {
      std::unique_lock lock(mutex_);
      if (busy_ + queue_.size() >= max_) {
        lock.unlock();
        t_refuse = true;
        fn();
        t_refuse = false;
        return;
      }
      queue_.push_back(std::move(fn));
      if (idle_ < queue_.size() && threads_.size() < max_) {
        threads_.emplace_back([this] { Work(); });
      }
    }
    ready_.notify_one();
  }

  void shutdown() override {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    ready_.notify_all();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }

 private:
  void Work() {
    std::unique_lock lock(mutex_);
    while (true) {
      ++idle_;
      ready_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      --idle_;
      if (queue_.empty()) return;  // stopping, nothing left to close
      std::function<void()> fn = std::move(queue_.front());
      queue_.pop_front();
      ++busy_;
      lock.unlock();
      fn();
      lock.lock();
      --busy_;
    }
  }

  const size_t max_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;
  size_t busy_ = 0;
  bool stop_ = false;
};

int MillisUntil(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::clamp<int64_t>(left.count(), 0, 1'000'000));
}

// Waits for `events` on `sock` until `deadline`; true when ready (or the
// peer hung up, which the next read or write reports).
bool WaitFor(socket_t sock, short events, Clock::time_point deadline) {
  while (true) {
    pollfd p{.fd = sock, .events = events, .revents = 0};
    const int ready = ::poll(&p, 1, MillisUntil(deadline));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return false;
  }
}

void Address(const sockaddr_storage& address, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto& a = reinterpret_cast<const sockaddr_in&>(address);
    ::inet_ntop(AF_INET, &a.sin_addr, text, sizeof text);
    port = ntohs(a.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6&>(address);
    ::inet_ntop(AF_INET6, &a.sin6_addr, text, sizeof text);
    port = ntohs(a.sin6_port);
  }
  ip = text;
}

// The stream cpp-httplib parses a connection from: reads and writes with
// deadlines for the whole header, body and response instead of per call.
class DeadlineStream : public httplib::Stream {
 public:
  DeadlineStream(socket_t sock, const HttpLimits& limits) : sock_(sock), limits_(limits) {}

  // Waits for the first byte of the next request; false when the client
  // stayed idle for `idle_timeout` or hung up.
  bool WaitForRequest() {
    if (begin_ < end_) return StartRequest();
    if (!WaitFor(sock_, POLLIN, Clock::now() + limits_.idle_timeout)) return false;
    return StartRequest();
  }
  void HeadersRead() { read_deadline_ = Clock::now() + limits_.body_timeout; }

  bool is_readable() const override { return begin_ < end_ || WaitFor(sock_, POLLIN, read_deadline_); }
  bool is_writable() const override { return WaitFor(sock_, POLLOUT, Clock::now() + limits_.write_timeout); }

  ssize_t read(char* ptr, size_t size) override {
    writing_ = false;
    if (begin_ == end_) {
      if (!WaitFor(sock_, POLLIN, read_deadline_)) return -1;
      ssize_t got;
      do {
        got = ::recv(sock_, buffer_, sizeof buffer_, 0);
      } while (got < 0 && errno == EINTR);
      if (got <= 0) return got;
      begin_ = 0;
      end_ = static_cast<size_t>(got);
    }
    const size_t n = std::min(size, end_ - begin_);
    std::memcpy(ptr, buffer_ + begin_, n);
    begin_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!writing_) {
      writing_ = true;
      write_deadline_ = Clock::now() + limits_.write_timeout;
    }
    if (!WaitFor(sock_, POLLOUT, write_deadline_)) return -1;
    ssize_t sent;
    do {
      sent = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    return sent;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(sock_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      Address(address, ip, port);
    }
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(sock_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      Address(address, ip, port);
    }
  }
  socket_t socket() const override { return sock_; }

 private:
  bool StartRequest() {
    read_deadline_ = Clock::now() + limits_.header_timeout;
    return true;
  }

  socket_t sock_;
  const HttpLimits& limits_;
  Clock::time_point read_deadline_ = Clock::now();
  Clock::time_point write_deadline_ = Clock::now();
  bool writing_ = false;
  char buffer_[4096];
  size_t begin_ = 0;
  size_t end_ = 0;
};

thread_local DeadlineStream* t_stream = nullptr;

void Refuse(socket_t sock) {
  static constexpr char kBody[] =
      R"({"error":"the server has too many open connections; try again","status":503})";
  const std::string response =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
      "Retry-After: 1\r\nConnection: close\r\nContent-Length: " +
      std::to_string(sizeof kBody - 1) + "\r\n\r\n" + kBody;
  (void)::send(sock, response.data(), response.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

}  // namespace

HttpServer::HttpServer(HttpLimits limits) : limits_(limits) {
  const auto max = static_cast<size_t>(std::max(1, limits_.max_connections));
  new_task_queue = [max] { return new ConnectionThreads(max); };
}

HttpServer::~HttpServer() = default;

void HttpServer::RaiseListenBacklog() { ::listen(svr_sock_, std::max(5, limits_.listen_backlog)); }

void HttpServer::HeadersRead() {
  if (t_stream != nullptr) t_stream->HeadersRead();
}

void HttpServer::CloseConnections() {
  closing_ = true;
  std::lock_guard lock(mutex_);
  for (const auto& [serial, sock] : sockets_) ::shutdown(sock, SHUT_RDWR);
}

bool HttpServer::process_and_close_socket(socket_t sock) {
  if (t_refuse || closing_) {
    Refuse(sock);
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return false;
  }
  uint64_t serial;
  {
    std::lock_guard lock(mutex_);
    serial = next_serial_++;
    sockets_.emplace(serial, sock);
  }
  ++open_;
  bool ok = true;
  {
    DeadlineStream stream(sock, limits_);
    t_stream = &stream;
    for (size_t left = std::max<size_t>(1, keep_alive_max_count_); left > 0 && !closing_; --left) {
      if (!stream.WaitForRequest()) break;
      bool connection_closed = false;
      ok = process_request(stream, left == 1 || closing_, connection_closed, nullptr);
      if (!ok || connection_closed) break;
    }
    t_stream = nullptr;
  }
  // Forgotten before the descriptor is closed, so CloseConnections() never
  // shuts down a descriptor number that a new connection reuses.
  {
    std::lock_guard lock(mutex_);
    sockets_.erase(serial);
  }
  --open_;
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

}  // namespace cobuild::server
