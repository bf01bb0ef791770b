#include "scale/worker_processes.h"

#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <thread>

#include "scale/heap.h"
#include "scale/work_items.h"

#if defined(__linux__)
#include <sys/prctl.h>
#endif

namespace cobuild::scale {
namespace {

// Moves `size` bytes with `io` (read or write), in as many calls as it
// takes; false at the end of the pipe or on an error before the last byte.
template <typename Io, typename Byte>
bool Transfer(Io io, int fd, Byte* bytes, size_t size) {
  for (size_t done = 0; done < size;) {
    const ssize_t n = io(fd, bytes + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

bool WriteAll(int fd, const void* data, size_t size) {
  return Transfer(write, fd, static_cast<const char*>(data), size);
}

bool ReadAll(int fd, void* data, size_t size) { return Transfer(read, fd, static_cast<char*>(data), size); }

// A worker's life after the fork: item indices in, frames out, until its
// command pipe closes. Never returns.
[[noreturn]] void ServeItems(int commands, int results, const std::function<std::string(int)>& solve) {
  for (;;) {
    int32_t index = -1;
    if (!ReadAll(commands, &index, sizeof index)) _exit(0);  // no more items, or the parent is gone
    const std::string text = solve(index);
    const uint64_t size = text.size();
    if (!WriteAll(results, &index, sizeof index) || !WriteAll(results, &size, sizeof size) ||
        !WriteAll(results, text.data(), text.size())) {
      _exit(1);
    }
  }
}

std::string HowItEnded(int status) {
  if (WIFSIGNALED(status)) {
    return fmt::format("was killed by signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
  }
  if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
  return "ended";
}

struct Worker {
  pid_t pid = -1;
  int command = -1;  // parent -> worker: indices
  int result = -1;   // worker -> parent: frames
  int holding = -1;  // the item it solves
  std::string buffer;
  bool reaped = false;
};

// The workers and what their run changed in this process, undone once
// whichever way the run ends: SIGPIPE restored, every pipe closed, every
// worker still running killed (when the run did not finish) and reaped.
class WorkerPool {
 public:
  WorkerPool() {
    struct sigaction ignore = {};
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ignore, &previous_pipe_);
  }
  ~WorkerPool() {
    for (Worker& w : workers_) {
      CloseCommand(w);
      if (w.result >= 0) close(w.result);
      if (!finished_ && !w.reaped) kill(w.pid, SIGKILL);
    }
    for (Worker& w : workers_) {
      if (!w.reaped) waitpid(w.pid, nullptr, 0);
    }
    sigaction(SIGPIPE, &previous_pipe_, nullptr);
  }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  std::vector<Worker>& workers() { return workers_; }
  // Every item came back: the workers end on their own once their command
  // pipes close, and are reaped, not killed.
  void Finished() { finished_ = true; }
  static void CloseCommand(Worker& w) {
    if (w.command >= 0) close(w.command);
    w.command = -1;
  }

 private:
  std::vector<Worker> workers_;
  struct sigaction previous_pipe_ = {};
  bool finished_ = false;
};

// Forks up to `count` workers into `pool`; fewer when fork or pipe fails.
void StartWorkers(int count, const std::function<std::string(int)>& solve, WorkerPool& pool) {
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t parent = getpid();
  for (int k = 0; k < count; ++k) {
    int commands[2];
    int results[2];
    if (pipe(commands) != 0) return;
    if (pipe(results) != 0) {
      close(commands[0]);
      close(commands[1]);
      return;
    }
    const pid_t pid = fork();
    if (pid < 0) {
      for (int fd : {commands[0], commands[1], results[0], results[1]}) close(fd);
      return;
    }
    if (pid == 0) {
#if defined(__linux__)
      prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
      if (getppid() != parent) _exit(1);  // the parent died before the line above
      signal(SIGPIPE, SIG_DFL);
      KeepFreedHeapMemory();
      close(commands[1]);
      close(results[0]);
      // The other workers' pipes: a worker holding another's command pipe
      // open would keep it from ever seeing its end.
      for (const Worker& w : pool.workers()) {
        close(w.command);
        close(w.result);
      }
      ServeItems(commands[0], results[1], solve);
    }
    close(commands[0]);
    close(results[1]);
    pool.workers().push_back({.pid = pid, .command = commands[1], .result = results[0]});
  }
}

// The first complete frame in `buffer`, removed from it: (index, bytes).
std::optional<std::pair<int, std::string>> TakeFrame(std::string& buffer) {
  constexpr size_t kHeader = sizeof(int32_t) + sizeof(uint64_t);
  if (buffer.size() < kHeader) return std::nullopt;
  int32_t index = -1;
  uint64_t size = 0;
  std::memcpy(&index, buffer.data(), sizeof index);
  std::memcpy(&size, buffer.data() + sizeof index, sizeof size);
  if (buffer.size() - kHeader < size) return std::nullopt;
  std::pair<int, std::string> frame{index, buffer.substr(kHeader, size)};
  buffer.erase(0, kHeader + size);
  return frame;
}

}  // namespace

int WorkerCount(int requested, int count) {
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  const int workers = requested > 0 ? requested : std::max(1, cores);
  return std::clamp(workers, 1, std::max(1, count));
}

Result<std::vector<std::string>> RunInWorkerProcesses(int count, const std::function<std::string(int)>& solve,
                                                      const ProcessOptions& options) {
  auto order = HandOutOrder(count, options.order);
  if (!order) return std::unexpected(order.error());
  const auto stopped = [&] { return options.should_stop && options.should_stop(); };
  std::vector<std::string> results(static_cast<size_t>(count));
  int finished = 0;
  const auto stopped_error = [&] {
    return Internal(fmt::format("stopped on request after {} of {} items", finished, count));
  };
  const int workers = WorkerCount(options.workers, count);
  std::optional<WorkerPool> pool;
  if (workers > 1) {
    pool.emplace();
    StartWorkers(workers, solve, *pool);
  }
  if (!pool || pool->workers().empty()) {
    // One worker, or none could be started: every item here, in order.
    for (const int i : *order) {
      if (stopped()) return stopped_error();
      results[static_cast<size_t>(i)] = solve(i);
      ++finished;
      if (options.on_progress) options.on_progress(finished, count);
    }
    return results;
  }
  std::vector<Worker>& pool_workers = pool->workers();
  std::vector<bool> done(static_cast<size_t>(count), false);
  size_t next = 0;
  // Hands `w` the next item, or closes its command pipe when none is left.
  auto give_work = [&](Worker& w) {
    w.holding = -1;
    if (w.command < 0) return;
    if (next < order->size()) {
      const int32_t index = (*order)[next];
      if (WriteAll(w.command, &index, sizeof index)) {
        w.holding = index;
        ++next;
        return;
      }
    }
    WorkerPool::CloseCommand(w);
  };
  for (Worker& w : pool_workers) give_work(w);
  std::vector<pollfd> fds;
  for (const Worker& w : pool_workers) fds.push_back({.fd = w.result, .events = POLLIN, .revents = 0});
  char chunk[65536];
  while (finished < count) {
    if (stopped()) return stopped_error();
    if (std::ranges::none_of(fds, [](const pollfd& f) { return f.fd >= 0; })) {
      return Internal(
          fmt::format("worker processes: every worker ended with {} of {} items finished", finished, count));
    }
    if (poll(fds.data(), fds.size(), 100) < 0) {
      if (errno == EINTR) continue;
      return Internal(fmt::format("worker processes: poll failed: {}", std::strerror(errno)));
    }
    for (size_t k = 0; k < fds.size(); ++k) {
      if (fds[k].fd < 0 || fds[k].revents == 0) continue;
      Worker& w = pool_workers[k];
      const ssize_t n = read(fds[k].fd, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n > 0) {
        w.buffer.append(chunk, static_cast<size_t>(n));
        while (auto frame = TakeFrame(w.buffer)) {
          const auto& [index, text] = *frame;
          if (index != w.holding || done[static_cast<size_t>(index)]) {
            return Internal(fmt::format(
                "worker process {} of {} (pid {}) sent a result for item {} while it held item {}", k + 1,
                pool_workers.size(), w.pid, index, w.holding));
          }
          done[static_cast<size_t>(index)] = true;
          results[static_cast<size_t>(index)] = text;
          ++finished;
          if (options.on_progress) options.on_progress(finished, count);
          give_work(w);
        }
        continue;
      }
      // The end of its result pipe: the worker ended. Normal once it has no
      // item; otherwise the run cannot complete.
      close(fds[k].fd);
      fds[k].fd = w.result = -1;
      if (w.holding < 0) continue;
      int status = 0;
      const bool waited = waitpid(w.pid, &status, 0) == w.pid;
      w.reaped = true;
      return Internal(fmt::format(
          "worker process {} of {} (pid {}) {} while solving item {}; {} of {} items finished, the run is "
          "abandoned and the other workers stopped",
          k + 1, pool_workers.size(), w.pid, waited ? HowItEnded(status) : std::string("ended"), w.holding,
          finished, count));
    }
  }
  pool->Finished();
  return results;
}

}  // namespace cobuild::scale
