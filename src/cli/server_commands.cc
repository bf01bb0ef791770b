// `cobuild serve`: the planning server (JSON API and web dashboard).
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "io/text_lines.h"
#include "server/api_server.h"
#include "server/engines.h"
#include "server/job_manager.h"
#include "server/job_process.h"
#include "server/storage.h"

namespace cobuild::cli {
namespace {

namespace fs = std::filesystem;

struct ServeOptions {
  std::string bind = "127.0.0.1";
  int port = 8080;
  std::string db = "cobuild.db";
  std::string token;
  std::string token_file;
  std::vector<std::string> allowed_hosts;
  std::string web_dir;
  int workers = 1;
  int max_queued = 64;
  int max_body_mb = 16;
  int max_connections = 256;
  bool jobs_in_process = false;
};

// The token from --token-file: its first line, without surrounding blanks.
// A token given this way (or in COBUILD_TOKEN) is not shown by `ps`.
// Read through the capped text reader: a file with no newline (/dev/zero)
// is refused at 64 MiB instead of growing one line until memory runs out.
[[nodiscard]] Result<std::string> ReadTokenFile(const std::string& path) {
  auto text = io::ReadTextFile(path);
  if (!text) return InvalidInput("--token-file " + text.error().message);
  std::string token = text->substr(0, text->find('\n'));
  const size_t first = token.find_first_not_of(" \t\r");
  if (first == std::string::npos) return InvalidInput("--token-file " + path + ": the first line is empty");
  token = token.substr(first, token.find_last_not_of(" \t\r") - first + 1);
  return token;
}

// The dashboard built beside the binary (build tree) or installed under
// share/cobuild/web.
std::string DefaultWebDir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  for (const fs::path& dir :
       {exe.parent_path() / "web", exe.parent_path().parent_path() / "share" / "cobuild" / "web"}) {
    if (fs::is_regular_file(dir / "index.html", ec)) return dir.string();
  }
  return "";
}

int Serve(const ServeOptions& o) {
  if (o.workers < 1 || o.workers > 64) {
    return ReportError({ErrorKind::kInvalidInput, "--workers: expected 1..64"});
  }
  std::string token = o.token;
  if (!o.token_file.empty()) {
    if (!token.empty()) {
      return ReportError({ErrorKind::kInvalidInput,
                          "--token-file: give the token once (also set: "
                          "--token or COBUILD_TOKEN)"});
    }
    auto read = ReadTokenFile(o.token_file);
    if (!read) return ReportError(read.error());
    token = *read;
  }
  std::error_code ec;
  if (!o.web_dir.empty() && !fs::is_regular_file(fs::path(o.web_dir) / "index.html", ec)) {
    return ReportError(
        {ErrorKind::kInvalidInput, "--web-dir " + o.web_dir +
                                       ": no index.html there (build the dashboard "
                                       "with scripts/install-deps --web and cmake --build build)"});
  }
  // SIGINT and SIGTERM are taken by a thread of our own, blocked everywhere
  // else, so that a signal stops the server cleanly instead of killing it
  // mid-write. The mask is set before any thread starts, so all inherit it.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto storage = server::Storage::Open(o.db);
  // A database that cannot be opened or is not one is the user's path.
  if (!storage) return ReportError({ErrorKind::kInvalidInput, "--db " + storage.error().message});
  const server::JobRegistry registry = server::DefaultJobRegistry();
  // Each job runs in a child process of this binary (`cobuild job-worker`),
  // so that a crash inside a solver library fails that job only. An
  // in-memory database cannot be shared with a child: its jobs run here.
  server::JobProcessOptions process;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  const bool isolate = !o.jobs_in_process && o.db != ":memory:" && !ec;
  if (isolate) process.command = {exe.string(), "job-worker", "--db", fs::absolute(o.db, ec).string()};
  server::JobManager jobs(**storage, registry,
                          {.num_workers = o.workers,
                           .max_queued = static_cast<size_t>(o.max_queued),
                           .progress_interval = std::chrono::milliseconds(200),
                           .process = process});
  auto interrupted = jobs.Recover();
  if (!interrupted) return ReportError(interrupted.error());
  if (*interrupted > 0) {
    std::cerr << "cobuild serve: marked " << *interrupted
              << " job(s) failed that were running when the server last stopped\n";
  }
  const std::string web_dir = o.web_dir.empty() ? DefaultWebDir() : o.web_dir;
  server::ApiServer api(**storage, jobs, registry, server::ValidateScenarioYaml,
                        {.token = token,
                         .max_body_bytes = static_cast<size_t>(o.max_body_mb) << 20,
                         .web_dir = web_dir,
                         .allowed_hosts = o.allowed_hosts,
                         .max_connections = o.max_connections});
  auto port = api.Bind(o.bind, o.port);
  if (!port) return ReportError(port.error());

  std::atomic<bool> done = false;
  std::thread signal_thread([&] {
    const timespec tick{.tv_sec = 0, .tv_nsec = 200'000'000};
    while (!done) {
      const int signal = sigtimedwait(&signals, nullptr, &tick);
      if (signal == SIGINT || signal == SIGTERM) {
        std::cerr << "cobuild serve: stopping (" << (signal == SIGINT ? "SIGINT" : "SIGTERM") << ")\n";
        api.Stop();
        return;
      }
    }
  });
  std::cout << "cobuild serve: listening on http://" << o.bind << ":" << *port << "/ (database " << o.db
            << ", " << o.workers << " worker(s)" << (isolate ? ", one process per job" : ", jobs in process")
            << ", dashboard " << (web_dir.empty() ? "not built" : web_dir) << ")" << std::endl;
  const bool ok = api.Listen();
  done = true;
  signal_thread.join();
  // Queued jobs stay queued for the next start. A solve that cannot be
  // interrupted is marked failed and left behind: everything it could lose
  // is already committed, so the process exits without waiting for it.
  if (!jobs.Shutdown(std::chrono::seconds(5))) {
    std::cerr << "cobuild serve: stopped; a running job was marked failed" << std::endl;
    std::_Exit(ok ? kExitOk : kExitInternal);
  }
  if (!ok) return ReportError({ErrorKind::kInternal, "the HTTP server stopped with an error"});
  std::cerr << "cobuild serve: stopped\n";
  return kExitOk;
}

}  // namespace

void AddServerCommands(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ServeOptions>();
  CLI::App* serve =
      app.add_subcommand("serve", "Run the planning server: JSON API under /api and the web dashboard at /");
  serve->add_option("--bind", o->bind, "Address to listen on (default 127.0.0.1; others need --token)");
  serve->add_option("--port", o->port, "TCP port (default 8080; 0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  serve->add_option("--db", o->db, "SQLite database file (default cobuild.db; created if missing)");
  serve
      ->add_option("--token", o->token,
                   "Require 'Authorization: Bearer TOKEN' on every request (also read from "
                   "COBUILD_TOKEN, which ps does not show; --token wins over COBUILD_TOKEN)")
      ->envname("COBUILD_TOKEN");
  serve->add_option("--token-file", o->token_file,
                    "Read the token from the first line of this file instead (refused beside --token "
                    "or COBUILD_TOKEN)");
  serve->add_option("--allow-host", o->allowed_hosts,
                    "Also answer to this host name (repeatable; loopback names and the --bind "
                    "address are always allowed)");
  serve->add_option("--web-dir", o->web_dir, "Built dashboard folder (default: found beside the binary)");
  serve->add_option("--workers", o->workers, "Jobs run at once (default 1)");
  serve->add_option("--max-queued", o->max_queued, "Jobs waiting at most before 503 (default 64)")
      ->check(CLI::Range(1, 100000));
  serve->add_option("--max-body-mb", o->max_body_mb, "Largest request body in MiB (default 16)")
      ->check(CLI::Range(1, 1024));
  serve
      ->add_option("--max-connections", o->max_connections,
                   "Open HTTP connections at most before 503 (default 256)")
      ->check(CLI::Range(1, 4096));
  serve->add_flag("--jobs-in-process", o->jobs_in_process,
                  "Run jobs on the server's own threads instead of one child process per job (a solver "
                  "crash then stops the server; for debugging)");
  serve->callback([o, &exit_code] { exit_code = Serve(*o); });

  // The child process of one server job (server/job_process.h); not for users.
  auto worker = std::make_shared<std::pair<std::string, int64_t>>();
  CLI::App* job_worker = app.add_subcommand("job-worker", "Run one stored job (started by cobuild serve)");
  job_worker->group("");  // hidden from --help
  job_worker->add_option("--db", worker->first, "SQLite database file")->required();
  job_worker->add_option("--job", worker->second, "Job id")->required();
  job_worker->callback([worker, &exit_code] {
    // Dies with the server thread that started it, so no solve outlives it.
    const pid_t parent = getppid();
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) std::_Exit(kExitInternal);
    auto storage = server::Storage::Open(worker->first);
    if (!storage) {
      exit_code = ReportError(storage.error());
      return;
    }
    const server::JobRegistry registry = server::DefaultJobRegistry();
    exit_code = server::ServeJobInThisProcess(**storage, registry, worker->second, STDIN_FILENO, std::cout);
  });
}

}  // namespace cobuild::cli
