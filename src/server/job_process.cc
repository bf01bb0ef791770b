#include "server/job_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <thread>
#include <utility>

#include "server/request_guard.h"

extern char** environ;

namespace cobuild::server {
namespace {

using nlohmann::json;

constexpr std::string_view kKindNames[] = {"invalid_input", "not_found", "internal"};

std::string_view KindName(ErrorKind kind) { return kKindNames[static_cast<int>(kind)]; }

ErrorKind KindFromName(std::string_view name) {
  for (int i = 0; i < 3; ++i) {
    if (kKindNames[i] == name) return static_cast<ErrorKind>(i);
  }
  return ErrorKind::kInternal;
}

// The message a job fails with when its process died: what happened, that
// nothing else was hurt, and what the user can do.
std::string DiedMessage(int status, bool killed_after_stop) {
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    if (killed_after_stop && signal == SIGKILL) return "the job did not stop in time and was killed";
    const char* name = strsignal(signal);
    return "the job's process crashed (signal " + std::to_string(signal) + ", " +
           (name != nullptr ? name : "unknown") +
           "); the server and its other jobs are unaffected. Run the job again, or with other options "
           "(a shorter time limit, a node limit); the same command on the command line gives a core "
           "dump to report";
  }
  return "the job's process exited with status " + std::to_string(WEXITSTATUS(status)) +
         " without a result (see the server's log)";
}

// One line of the child's protocol, applied to what the parent knows.
void ReadLine(std::string_view line, std::optional<Result<JobOutput>>& last,
              const std::function<void(double, std::string_view)>& on_progress) {
  const json doc = json::parse(line, nullptr, false);
  if (!doc.is_object()) return;  // not ours (a library printing to stdout)
  if (auto p = doc.find("progress"); p != doc.end() && p->is_number()) {
    const auto m = doc.find("message");
    on_progress(p->get<double>(), m != doc.end() && m->is_string() ? m->get<std::string>() : "");
  } else if (auto r = doc.find("result"); r != doc.end()) {
    const auto csv = doc.find("csv");
    last = JobOutput{.json = *r, .csv = csv != doc.end() && csv->is_string() ? csv->get<std::string>() : ""};
  } else if (auto e = doc.find("error"); e != doc.end() && e->is_string()) {
    const auto k = doc.find("kind");
    last = std::unexpected(Error{KindFromName(k != doc.end() && k->is_string() ? k->get<std::string>() : ""),
                                 e->get<std::string>()});
  }
}

void CloseFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

JobContext MakeJobContext(Storage& storage, int64_t job_id, const nlohmann::json& params,
                          const ScenarioRecord* scenario,
                          std::function<void(double, std::string_view)> report_progress,
                          std::stop_token stop) {
  return JobContext{
      .job_id = job_id,
      .params = params,
      .scenario = scenario,
      .load_scenario = [&storage](int64_t scenario_id) { return storage.GetScenario(scenario_id); },
      .load_job_result = [&storage](int64_t other) -> Result<std::pair<JobRecord, JobResult>> {
        auto record = storage.GetJob(other);
        if (!record) return std::unexpected(record.error());
        // A job that has not succeeded has no result yet: its record says why.
        if (record->status != JobStatus::kSucceeded) return std::pair{std::move(*record), JobResult{}};
        auto result = storage.GetResult(other);
        if (!result) return std::unexpected(result.error());
        return std::pair{std::move(*record), std::move(*result)};
      },
      .report_progress = std::move(report_progress),
      .stop = std::move(stop),
  };
}

Result<JobInputs> LoadJobInputs(Storage& storage, const JobRegistry& registry, const JobRecord& job) {
  JobInputs inputs{.kind = registry.Find(job.kind)};
  if (inputs.kind == nullptr) return Internal("no engine for job kind '" + job.kind + "' in this build");
  if (inputs.kind->needs_scenario) {
    if (!job.scenario_id) return Internal("the job's scenario was deleted");
    auto s = storage.GetScenario(*job.scenario_id);
    if (!s) return std::unexpected(s.error());
    inputs.scenario = std::move(*s);
  }
  inputs.params = json::parse(job.params_json, nullptr, false);
  if (inputs.params.is_discarded()) return Internal("stored parameters are not valid JSON");
  return inputs;
}

Result<JobOutput> RunHandler(const JobKind& kind, const JobContext& context) {
  try {
    return kind.handler(context);
  } catch (const std::exception& e) {
    return Internal(std::string("internal error: ") + e.what());
  } catch (...) {
    return Internal("internal error: unknown exception");
  }
}

Result<JobOutput> RunJobInChildProcess(const JobProcessOptions& options, int64_t job_id, std::stop_token stop,
                                       const std::function<void(double, std::string_view)>& on_progress) {
  if (options.command.empty()) return Internal("no job process command");
  std::vector<std::string> args = options.command;
  args.push_back("--job");
  args.push_back(std::to_string(job_id));
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  // Close-on-exec everywhere, so that a child started by another worker
  // thread at the same moment inherits none of this job's pipe ends; the
  // dup2 onto 0 and 1 clears the flag for this child's copies only.
  int to_child[2] = {-1, -1};
  int from_child[2] = {-1, -1};
  if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0) {
    const std::string why = std::strerror(errno);
    for (int* fd : {&to_child[0], &to_child[1], &from_child[0], &from_child[1]}) CloseFd(*fd);
    return Internal("cannot start the job's process: pipe: " + why);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);
  // The child gets a process group of its own (a Ctrl-C at the server's
  // terminal reaches the server, which stops its jobs itself) and no blocked
  // signals (the server blocks SIGINT and SIGTERM on its threads).
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, argv[0], &actions, &attributes, argv.data(), environ);
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  CloseFd(to_child[0]);
  CloseFd(from_child[1]);
  if (spawned != 0) {
    CloseFd(to_child[1]);
    CloseFd(from_child[0]);
    return Internal("cannot start the job's process " + args[0] + ": " + std::strerror(spawned));
  }

  std::optional<Result<JobOutput>> last;
  std::string buffer;
  bool stop_sent = false;
  bool killed = false;
  auto stop_time = std::chrono::steady_clock::now();
  for (;;) {
    if (stop.stop_requested() && !stop_sent) {
      CloseFd(to_child[1]);  // the child's stop token
      stop_sent = true;
      stop_time = std::chrono::steady_clock::now();
    }
    if (stop_sent && !killed && std::chrono::steady_clock::now() - stop_time > options.kill_after) {
      ::kill(pid, SIGKILL);
      killed = true;
    }
    pollfd readable{.fd = from_child[0], .events = POLLIN, .revents = 0};
    const int ready = ::poll(&readable, 1, 100);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    char chunk[1 << 16];
    const ssize_t got = ::read(from_child[0], chunk, sizeof chunk);
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got <= 0) break;  // end of output: the child has exited (or closed it)
    buffer.append(chunk, static_cast<size_t>(got));
    size_t start = 0;
    for (size_t end; (end = buffer.find('\n', start)) != std::string::npos; start = end + 1) {
      ReadLine(std::string_view(buffer).substr(start, end - start), last, on_progress);
    }
    buffer.erase(0, start);
  }
  CloseFd(from_child[0]);
  CloseFd(to_child[1]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      return Internal(std::string("waiting for the job's process: ") + std::strerror(errno));
  }
  if (!buffer.empty()) ReadLine(buffer, last, on_progress);
  if (WIFEXITED(status) && last) return std::move(*last);
  return Internal(DiedMessage(status, killed));
}

int ServeJobInThisProcess(Storage& storage, const JobRegistry& registry, int64_t job_id, int stop_fd,
                          std::ostream& out) {
  std::mutex out_mutex;
  auto write_line = [&](const json& line) {
    std::lock_guard lock(out_mutex);
    out << SafeDump(line) << '\n' << std::flush;
  };
  auto fail = [&](const Error& error) {
    write_line({{"error", error.message}, {"kind", KindName(error.kind)}});
    return 0;
  };

  auto job = storage.GetJob(job_id);
  if (!job) {
    fail(job.error());
    return 1;
  }
  auto inputs = LoadJobInputs(storage, registry, *job);
  if (!inputs) return fail(inputs.error());

  // The stop token: the end of the parent's pipe (the parent closed it, or
  // died). The reader thread is detached: it may still be blocked in read()
  // when the job is done, and the process's exit ends it.
  auto stop = std::make_shared<std::stop_source>();
  std::thread([stop, stop_fd] {
    char byte;
    while (true) {
      const ssize_t got = ::read(stop_fd, &byte, 1);
      if (got == 0 || (got < 0 && errno != EINTR)) break;
    }
    stop->request_stop();
  }).detach();

  auto last_write = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  JobContext context = MakeJobContext(
      storage, job_id, inputs->params, inputs->scenario ? &*inputs->scenario : nullptr,
      [&](double fraction, std::string_view message) {
        // The parent writes the database at most a few times a second;
        // this keeps the pipe as quiet.
        const auto now = std::chrono::steady_clock::now();
        if (now - last_write < std::chrono::milliseconds(100) && fraction < 1) return;
        last_write = now;
        write_line({{"progress", fraction}, {"message", message}});
      },
      stop->get_token());
  context.own_process = true;

  Result<JobOutput> output = RunHandler(*inputs->kind, context);
  if (!output) return fail(output.error());
  write_line({{"result", std::move(output->json)}, {"csv", std::move(output->csv)}});
  return 0;
}

}  // namespace cobuild::server
