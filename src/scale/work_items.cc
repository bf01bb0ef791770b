#include "scale/work_items.h"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "scale/heap.h"
#include "scale/worker_processes.h"

#ifdef COBUILD_HAVE_MPI
#include <mpi.h>
#endif

namespace cobuild::scale {
namespace {

using Clock = std::chrono::steady_clock;

std::map<std::string, ItemSolverFactory>& Kinds() {
  static std::map<std::string, ItemSolverFactory> kinds;
  return kinds;
}

// Runs items on `threads` threads of this process, starting them in
// `order`; results in item order.
std::vector<std::string> RunHere(int count, const std::vector<int>& order, const ItemSolver& solve,
                                 int threads, const std::function<void(int, int)>& on_progress) {
  std::vector<std::string> results(static_cast<size_t>(count));
  threads = std::clamp(threads, 1, std::max(1, count));
  if (threads == 1) {
    for (int k = 0; k < count; ++k) {
      const int i = order[static_cast<size_t>(k)];
      results[static_cast<size_t>(i)] = solve(i);
      if (on_progress) on_progress(k + 1, count);
    }
    return results;
  }
  std::atomic<int> next{0};
  std::mutex mutex;
  std::condition_variable changed;
  int finished = 0;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (int k = next++; k < count; k = next++) {
        const int i = order[static_cast<size_t>(k)];
        std::string text = solve(i);
        const std::lock_guard lock(mutex);
        results[static_cast<size_t>(i)] = std::move(text);
        ++finished;
        changed.notify_one();
      }
    });
  }
  {
    std::unique_lock lock(mutex);
    for (int reported = 0; reported < count;) {
      changed.wait(lock, [&] { return finished > reported; });
      while (reported < finished) {
        ++reported;
        if (on_progress) {
          lock.unlock();
          on_progress(reported, count);
          lock.lock();
        }
      }
    }
  }
  for (auto& t : pool) t.join();
  return results;
}

// Without MPI ranks: in worker processes when asked, else in threads here.
Result<std::vector<std::string>> RunLocally(int count, const std::vector<int>& order, const ItemSolver& solve,
                                            const WorkOptions& o) {
  if (o.processes != 1) {
    return RunInWorkerProcesses(count, solve,
                                {.workers = o.processes, .order = order, .on_progress = o.on_progress});
  }
  return RunHere(count, order, solve, o.local_threads, o.on_progress);
}

[[maybe_unused]] std::string PartialLine(int item, const std::string& text) {
  return nlohmann::json{{"item", item}, {"result", text}}.dump(-1, ' ', false,
                                                               nlohmann::json::error_handler_t::replace) +
         "\n";
}

#ifdef COBUILD_HAVE_MPI

bool g_active = false;
int g_rank = 0;
int g_size = 1;
bool g_rank_died = false;  // some worker rank was taken for dead
std::vector<bool> g_dead;  // per rank, on rank 0
volatile std::sig_atomic_t g_terminated = 0;

enum Tag : int {
  kTagJob = 1,         // root -> worker: kind '\0' context
  kTagItem = 2,        // root -> worker: int32 index
  kTagEndJob = 3,      // root -> worker
  kTagStop = 4,        // root -> worker: one byte, 1 = MPI_Finalize, 0 = leave without it
  kTagResult = 10,     // worker -> root: int32 index, then the result
  kTagBeat = 11,       // worker -> root: int32 index being solved
  kTagJobFailed = 12,  // worker -> root: why the job's solver could not be built
};

struct Message {
  int source = -1;
  int tag = -1;
  std::string bytes;
};

// A message if one is waiting from `source` (MPI_ANY_SOURCE for any),
// without blocking. Probing and sleeping rather than a blocking receive:
// Open MPI's blocking calls spin a core at 100%, and a rank that waits must
// leave the core to the ranks that solve.
std::optional<Message> Poll(int source) {
  int flag = 0;
  MPI_Status status;
  if (MPI_Iprobe(source, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status) != MPI_SUCCESS || !flag) {
    return std::nullopt;
  }
  int size = 0;
  MPI_Get_count(&status, MPI_BYTE, &size);
  Message m{.source = status.MPI_SOURCE,
            .tag = status.MPI_TAG,
            .bytes = std::string(static_cast<size_t>(size), '\0')};
  if (MPI_Recv(m.bytes.data(), size, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE) != MPI_SUCCESS) {
    return std::nullopt;
  }
  return m;
}

Message WaitFor(int source) {
  for (;;) {
    if (auto m = Poll(source)) return *m;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

std::string IndexBytes(int index) {
  const int32_t i = index;
  return std::string(reinterpret_cast<const char*>(&i), sizeof i);
}

int IndexOf(const std::string& bytes) {
  int32_t i = -1;
  if (bytes.size() >= sizeof i) std::memcpy(&i, bytes.data(), sizeof i);
  return i;
}

// Sends without blocking: a send to a dead rank must not hang its sender.
// The buffers live until their sends complete (or forever, for a dead rank).
class Sender {
 public:
  void Send(int rank, int tag, std::string bytes) {
    auto pending = std::make_unique<Pending>();
    pending->bytes = std::move(bytes);
    if (MPI_Isend(pending->bytes.data(), static_cast<int>(pending->bytes.size()), MPI_BYTE, rank, tag,
                  MPI_COMM_WORLD, &pending->request) != MPI_SUCCESS) {
      return;
    }
    pending_.push_back(std::move(pending));
    Reap();
  }
  void Reap() {
    std::erase_if(pending_, [](const std::unique_ptr<Pending>& p) {
      int done = 0;
      return MPI_Test(&p->request, &done, MPI_STATUS_IGNORE) != MPI_SUCCESS || done;
    });
  }
  // Waits for the sends to live ranks, at most `seconds`.
  void Drain(double seconds) {
    const auto until = Clock::now() + std::chrono::duration<double>(seconds);
    while (!pending_.empty() && Clock::now() < until) {
      Reap();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    // Left pending (a dead peer): the buffers stay allocated so MPI never
    // reads freed memory.
    for (auto& p : pending_) leaked_.push_back(std::move(p));
    pending_.clear();
  }

 private:
  struct Pending {
    std::string bytes;
    MPI_Request request = MPI_REQUEST_NULL;
  };
  std::vector<std::unique_ptr<Pending>> pending_;
  std::vector<std::unique_ptr<Pending>> leaked_;
};

Sender& RootSender() {
  static Sender sender;
  return sender;
}

void OnTerminate(int) { g_terminated = 1; }

// CPU seconds (user + system) of the calling thread; 0 where unknown.
double ThreadCpuSeconds() {
#ifdef RUSAGE_THREAD
  rusage usage{};
  if (getrusage(RUSAGE_THREAD, &usage) != 0) return 0;
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
#else
  return 0;
#endif
}

double HeartbeatTimeout(double configured) {
  if (const char* text = std::getenv("COBUILD_MPI_HEARTBEAT_TIMEOUT")) {
    char* end = nullptr;
    const double value = std::strtod(text, &end);
    if (end != text && value > 0) return value;
  }
  return configured;
}

void SendToRoot(int tag, const std::string& bytes) {
  MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, 0, tag, MPI_COMM_WORLD);
}

Result<std::vector<std::string>> RunOnRanks(int count, const std::vector<int>& order,
                                            const ItemSolver& solve_here, const WorkOptions& o) {
  const double timeout = HeartbeatTimeout(o.heartbeat_timeout_s);
  Sender& sender = RootSender();
  std::string job = o.kind;
  job.push_back('\0');
  job += o.context;
  if (g_dead.size() != static_cast<size_t>(g_size)) g_dead.assign(static_cast<size_t>(g_size), false);
  for (int r = 1; r < g_size; ++r) {
    if (!g_dead[static_cast<size_t>(r)]) sender.Send(r, kTagJob, job);
  }
  std::vector<std::optional<std::string>> results(static_cast<size_t>(count));
  std::deque<int> queue;
  for (const int i : order) queue.push_back(i);
  std::vector<int> holding(static_cast<size_t>(g_size), -1);  // item each rank solves
  std::vector<Clock::time_point> heard(static_cast<size_t>(g_size), Clock::now());
  std::vector<Clock::time_point> given(static_cast<size_t>(g_size), Clock::now());
  // COBUILD_SCALE_TRACE=FILE: one line per item, "item rank seconds" (from
  // handing it out to its result), for the benchmark's scaling model.
  const char* trace_path = std::getenv("COBUILD_SCALE_TRACE");
  std::string trace;
  const auto run_start = Clock::now();
  const double scheduler_cpu_start = ThreadCpuSeconds();
  int finished = 0;
  auto incident = [&](const std::string& message) {
    if (o.on_incident) o.on_incident(message);
  };
  auto store = [&](int index, std::string text) {
    if (index < 0 || index >= count || results[static_cast<size_t>(index)]) return;
    results[static_cast<size_t>(index)] = std::move(text);
    ++finished;
    if (o.on_progress) o.on_progress(finished, count);
  };
  auto give_work = [&](int r) {
    // An item someone else holds may come back from either; the first
    // result counts (they are identical).
    while (!queue.empty() && results[static_cast<size_t>(queue.front())]) queue.pop_front();
    if (queue.empty()) return;
    holding[static_cast<size_t>(r)] = queue.front();
    queue.pop_front();
    heard[static_cast<size_t>(r)] = given[static_cast<size_t>(r)] = Clock::now();
    sender.Send(r, kTagItem, IndexBytes(holding[static_cast<size_t>(r)]));
  };
  auto bury = [&](int r, const std::string& why) {
    g_dead[static_cast<size_t>(r)] = true;
    g_rank_died = true;
    const int item = holding[static_cast<size_t>(r)];
    holding[static_cast<size_t>(r)] = -1;
    if (item >= 0 && !results[static_cast<size_t>(item)]) {
      queue.push_front(item);
      incident(fmt::format("rank {} {} while solving item {}; item {} re-queued on another rank", r, why,
                           item, item));
    } else {
      incident(fmt::format("rank {} {}; it gets no more items", r, why));
    }
  };
  for (int r = 1; r < g_size; ++r) {
    if (!g_dead[static_cast<size_t>(r)]) give_work(r);
  }
  // Rank 0's own solver thread. Detached state: after a SIGTERM the run
  // returns at once and the process ends without waiting for its solve.
  struct Local {
    std::mutex mutex;
    bool busy = false;
    bool done = false;
    int index = -1;
    double seconds = 0;
    std::string text;
  };
  auto local = std::make_shared<Local>();
  const bool root_solves = o.root_solves || g_size == 1;
  auto previous_term = std::signal(SIGTERM, OnTerminate);
  auto previous_int = std::signal(SIGINT, OnTerminate);
  while (finished < count && !g_terminated) {
    bool idle = true;
    while (auto m = Poll(MPI_ANY_SOURCE)) {
      idle = false;
      const int r = m->source;
      if (r <= 0 || r >= g_size || g_dead[static_cast<size_t>(r)]) continue;
      heard[static_cast<size_t>(r)] = Clock::now();
      if (m->tag == kTagResult) {
        if (trace_path != nullptr) {
          trace += fmt::format(
              "{} {} {:.6f}\n", IndexOf(m->bytes), r,
              std::chrono::duration<double>(Clock::now() - given[static_cast<size_t>(r)]).count());
        }
        store(IndexOf(m->bytes), m->bytes.substr(sizeof(int32_t)));
        holding[static_cast<size_t>(r)] = -1;
        give_work(r);
      } else if (m->tag == kTagJobFailed) {
        bury(r, "could not set up the job (" + m->bytes.substr(0, 300) + ")");
      }
    }
    if (root_solves) {
      std::unique_lock lock(local->mutex);
      if (local->done) {
        local->done = local->busy = false;
        const int index = local->index;
        std::string text = std::move(local->text);
        if (trace_path != nullptr) trace += fmt::format("{} 0 {:.6f}\n", index, local->seconds);
        lock.unlock();
        store(index, std::move(text));
        lock.lock();
        idle = false;
      }
      if (!local->busy) {
        while (!queue.empty() && results[static_cast<size_t>(queue.front())]) queue.pop_front();
        if (!queue.empty()) {
          local->busy = true;
          local->index = queue.front();
          queue.pop_front();
          std::thread([local, solve_here, index = local->index] {
            const auto start = Clock::now();
            std::string text = solve_here(index);
            const std::lock_guard guard(local->mutex);
            local->seconds = std::chrono::duration<double>(Clock::now() - start).count();
            local->text = std::move(text);
            local->done = true;
          }).detach();
        }
      }
    }
    const auto now = Clock::now();
    bool any_alive = root_solves;
    for (int r = 1; r < g_size; ++r) {
      if (g_dead[static_cast<size_t>(r)]) continue;
      any_alive = true;
      if (holding[static_cast<size_t>(r)] >= 0 &&
          std::chrono::duration<double>(now - heard[static_cast<size_t>(r)]).count() > timeout) {
        bury(r, fmt::format("stopped answering (no heartbeat for {:g} s)", timeout));
      }
    }
    if (!any_alive) break;
    // A free rank takes a re-queued item.
    for (int r = 1; r < g_size && !queue.empty(); ++r) {
      if (!g_dead[static_cast<size_t>(r)] && holding[static_cast<size_t>(r)] < 0) give_work(r);
    }
    sender.Reap();
    if (idle) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  // Every item done though a rank died: under a plain mpirun the launcher
  // is about to end the job, and its SIGTERM must not kill rank 0 while it
  // prints the complete result (the output was seen cut at 12 KiB). Rank 0
  // ignores it from here and leaves through FinishMpi; SIGKILL still comes
  // after mpirun's odls_base_sigkill_timeout.
  std::signal(SIGTERM, finished == count && g_rank_died ? SIG_IGN : previous_term);
  std::signal(SIGINT, previous_int);
  if (trace_path != nullptr) {
    std::ofstream out(trace_path, std::ios::trunc);
    // The scheduling thread's own CPU time (receiving, handing out, its
    // 1 ms naps), to weigh its cost against the solving.
    out << "# items " << count << " ranks " << g_size << " wall "
        << std::chrono::duration<double>(Clock::now() - run_start).count() << " scheduler_cpu "
        << ThreadCpuSeconds() - scheduler_cpu_start << "\n"
        << trace;
  }
  // The finished items to o.partial_path, one PartialLine each; false when
  // the file could not be written.
  auto write_partial = [&] {
    std::ofstream out(o.partial_path, std::ios::binary | std::ios::trunc);
    for (int i = 0; i < count; ++i) {
      if (results[static_cast<size_t>(i)]) out << PartialLine(i, *results[static_cast<size_t>(i)]);
    }
    return static_cast<bool>(out);
  };
  if (finished == count) {
    // The local thread may still solve an item a worker rank also solved.
    for (;;) {
      const std::lock_guard lock(local->mutex);
      if (!local->busy || local->done) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    for (int r = 1; r < g_size; ++r) {
      if (!g_dead[static_cast<size_t>(r)]) sender.Send(r, kTagEndJob, {});
    }
    // A plain mpirun that saw a rank die ends the job and may stop
    // forwarding rank 0's output part-way: the complete results go to the
    // partial file too, so nothing solved is lost.
    if (g_rank_died && !o.partial_path.empty()) {
      incident(write_partial() ? fmt::format("every item finished after a rank died; all {} are also in {} "
                                             "(a plain mpirun may cut this process's output)",
                                             count, o.partial_path)
                               : "every item finished after a rank died; could not write " + o.partial_path);
    }
    std::vector<std::string> out;
    for (auto& r : results) out.push_back(std::move(*r));
    return out;
  }
  std::string in_flight;
  for (int r = 1; r < g_size; ++r) {
    if (holding[static_cast<size_t>(r)] >= 0) {
      in_flight +=
          fmt::format("{}rank {} item {}", in_flight.empty() ? "" : ", ", r, holding[static_cast<size_t>(r)]);
    }
  }
  std::string written;
  if (!o.partial_path.empty()) {
    written = write_partial() ? "; the finished items are in " + o.partial_path
                              : "; could not write " + o.partial_path;
  }
  return Internal(fmt::format("{}: {} of {} items finished{}; in flight: {}",
                              g_terminated
                                  ? "the MPI job was ended (the launcher sent SIGTERM: a rank died or the "
                                    "job was cancelled)"
                                  : "no rank left to solve items",
                              finished, count, written, in_flight.empty() ? "none" : in_flight));
}

#endif  // COBUILD_HAVE_MPI

}  // namespace

Result<std::vector<int>> HandOutOrder(int count, const std::vector<int>& order) {
  std::vector<int> out(order);
  if (out.empty()) {
    out.resize(static_cast<size_t>(std::max(0, count)));
    for (int i = 0; i < count; ++i) out[static_cast<size_t>(i)] = i;
    return out;
  }
  std::vector<bool> seen(static_cast<size_t>(std::max(0, count)), false);
  bool ok = out.size() == seen.size();
  for (const int i : out) {
    ok = ok && i >= 0 && i < count && !seen[static_cast<size_t>(i)];
    if (ok) seen[static_cast<size_t>(i)] = true;
  }
  if (!ok) {
    return InvalidInput(
        fmt::format("work items: expected an order that lists each of the {} items once, got {} entries",
                    count, order.size()));
  }
  return out;
}

void RegisterWorkKind(std::string kind, ItemSolverFactory factory) {
  Kinds()[std::move(kind)] = std::move(factory);
}

bool LaunchedByMpiLauncher() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE", "PMI_RANK"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

double HeartbeatSeconds() { return 1.0; }

#ifdef COBUILD_HAVE_MPI

bool MpiBuilt() { return true; }
bool MpiActive() { return g_active; }
int Rank() { return g_rank; }
int Size() { return g_size; }

Result<void> StartMpiIfLaunched(int argc, char** argv) {
  bool forced = false;
  for (int i = 1; i < argc; ++i) forced = forced || std::strcmp(argv[i], "--mpi") == 0;
  if (!forced && !LaunchedByMpiLauncher()) return {};
  int provided = 0;
  // Only the main thread calls MPI; solver threads never do.
  if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
    return Internal("MPI_Init_thread failed");
  }
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_size);
  g_active = true;
  g_dead.assign(static_cast<size_t>(g_size), false);
  // Every rank solves items one after another in a thread of its own.
  KeepFreedHeapMemory();
  return {};
}

int ServeWorkerRank() {
  std::optional<ItemSolver> solver;
  std::string job_error;
  for (;;) {
    const Message m = WaitFor(0);
    if (m.tag == kTagStop) {
      const bool finalize = !m.bytes.empty() && m.bytes[0] == 1;
      std::fflush(nullptr);
      if (finalize) {
        MPI_Finalize();
        return 0;
      }
      _exit(0);
    }
    if (m.tag == kTagJob) {
      const size_t nul = m.bytes.find('\0');
      const std::string kind = m.bytes.substr(0, nul);
      const std::string_view context =
          nul == std::string::npos ? std::string_view() : std::string_view(m.bytes).substr(nul + 1);
      solver.reset();
      job_error.clear();
      const auto it = Kinds().find(kind);
      if (it == Kinds().end()) {
        job_error = "no work kind \"" + kind + "\" in this binary";
      } else if (auto made = it->second(context)) {
        solver = std::move(*made);
      } else {
        job_error = made.error().message;
      }
      if (!solver) SendToRoot(kTagJobFailed, job_error);
    } else if (m.tag == kTagEndJob) {
      solver.reset();
    } else if (m.tag == kTagItem && solver) {
      const int index = IndexOf(m.bytes);
      // The solve runs in a thread; this (MPI) thread sends heartbeats.
      std::packaged_task<std::string()> task([&solver, index] { return (*solver)(index); });
      std::future<std::string> result = task.get_future();
      std::thread thread(std::move(task));
      while (result.wait_for(std::chrono::duration<double>(HeartbeatSeconds())) !=
             std::future_status::ready) {
        SendToRoot(kTagBeat, IndexBytes(index));
      }
      thread.join();
      SendToRoot(kTagResult, IndexBytes(index) + result.get());
    }
  }
}

int FinishMpi(int exit_code) {
  if (!g_active) return exit_code;
  if (g_rank == 0) {
    const char finalize = g_rank_died ? 0 : 1;
    for (int r = 1; r < g_size; ++r) {
      if (!g_dead[static_cast<size_t>(r)]) RootSender().Send(r, kTagStop, std::string(1, finalize));
    }
    RootSender().Drain(10);
    std::fflush(nullptr);
    // A rank died or the launcher is ending the job: MPI_Finalize could
    // wait for ranks that are gone, so the process leaves without it.
    if (g_rank_died || g_terminated) _exit(exit_code);
  }
  MPI_Finalize();
  return exit_code;
}

Result<std::vector<std::string>> RunWorkItems(int count, const ItemSolver& solve_here,
                                              const WorkOptions& options) {
  auto order = HandOutOrder(count, options.order);
  if (!order) return std::unexpected(order.error());
  if (!g_active || g_size < 2 || g_rank != 0) return RunLocally(count, *order, solve_here, options);
  return RunOnRanks(count, *order, solve_here, options);
}

#else  // !COBUILD_HAVE_MPI

bool MpiBuilt() { return false; }
bool MpiActive() { return false; }
int Rank() { return 0; }
int Size() { return 1; }

Result<void> StartMpiIfLaunched(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--mpi") == 0) {
      return InvalidInput(
          "--mpi: expected a cobuild built with MPI (cmake -DCOBUILD_WITH_MPI=ON, docs/scale-out.md), got "
          "one "
          "built without it");
    }
  }
  return {};
}

int ServeWorkerRank() { return 0; }
int FinishMpi(int exit_code) { return exit_code; }

Result<std::vector<std::string>> RunWorkItems(int count, const ItemSolver& solve_here,
                                              const WorkOptions& options) {
  auto order = HandOutOrder(count, options.order);
  if (!order) return std::unexpected(order.error());
  return RunLocally(count, *order, solve_here, options);
}

#endif  // COBUILD_HAVE_MPI

}  // namespace cobuild::scale
