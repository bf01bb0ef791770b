// `cobuild serve`: the planning server (JSON API and web dashboard).
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "server/api_server.h"
#include "server/engines.h"
#include "server/job_manager.h"
#include "server/storage.h"

namespace cobuild::cli {
namespace {

namespace fs = std::filesystem;

struct ServeOptions {
  std::string bind = "127.0.0.1";
  int port = 8080;
  std::string db = "cobuild.db";
  std::string token;
  std::string web_dir;
  int workers = 1;
  int max_queued = 64;
  int max_body_mb = 16;
};

// The dashboard built beside the binary (build tree) or installed under
// share/cobuild/web.
std::string DefaultWebDir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  for (const fs::path& dir : {exe.parent_path() / "web",
                              exe.parent_path().parent_path() / "share" / "cobuild" / "web"}) {
    if (fs::is_regular_file(dir / "index.html", ec)) return dir.string();
  }
  return "";
}

int Serve(const ServeOptions& o) {
  if (o.workers < 1 || o.workers > 64) {
    return ReportError({ErrorKind::kInvalidInput, "--workers: expected 1..64"});
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
  if (!storage) return ReportError(storage.error());
  const server::JobRegistry registry = server::DefaultJobRegistry();
  server::JobManager jobs(**storage, registry,
                          {.num_workers = o.workers,
                           .max_queued = static_cast<size_t>(std::max(1, o.max_queued)),
                           .progress_interval = std::chrono::milliseconds(200)});
  auto interrupted = jobs.Recover();
  if (!interrupted) return ReportError(interrupted.error());
  if (*interrupted > 0) {
    std::cerr << "cobuild serve: marked " << *interrupted
              << " job(s) failed that were running when the server last stopped\n";
  }
  const std::string web_dir = o.web_dir.empty() ? DefaultWebDir() : o.web_dir;
  server::ApiServer api(**storage, jobs, registry, server::ValidateScenarioYaml,
                        {.token = o.token,
                         .max_body_bytes = static_cast<size_t>(std::max(1, o.max_body_mb)) << 20,
                         .web_dir = web_dir,
                         .http_threads = 16,
                         .listen_backlog = 1024});
  auto port = api.Bind(o.bind, o.port);
  if (!port) return ReportError(port.error());

  std::atomic<bool> done = false;
  std::thread signal_thread([&] {
    const timespec tick{.tv_sec = 0, .tv_nsec = 200'000'000};
    while (!done) {
      const int signal = sigtimedwait(&signals, nullptr, &tick);
      if (signal == SIGINT || signal == SIGTERM) {
        std::cerr << "cobuild serve: stopping (" << (signal == SIGINT ? "SIGINT" : "SIGTERM")
                  << ")\n";
        api.Stop();
        return;
      }
    }
  });
  std::cout << "cobuild serve: listening on http://" << o.bind << ":" << *port << "/ (database "
            << o.db << ", " << o.workers << " worker(s), dashboard "
            << (web_dir.empty() ? "not built" : web_dir) << ")" << std::endl;
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
  CLI::App* serve = app.add_subcommand(
      "serve", "Run the planning server: JSON API under /api and the web dashboard at /");
  serve->add_option("--bind", o->bind,
                    "Address to listen on (default 127.0.0.1; others need --token)");
  serve->add_option("--port", o->port, "TCP port (default 8080; 0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  serve->add_option("--db", o->db, "SQLite database file (default cobuild.db; created if missing)");
  serve->add_option("--token", o->token,
                    "Require 'Authorization: Bearer TOKEN' on every request (also read from "
                    "COBUILD_TOKEN)")
      ->envname("COBUILD_TOKEN");
  serve->add_option("--web-dir", o->web_dir, "Built dashboard folder (default: found beside the binary)");
  serve->add_option("--workers", o->workers, "Jobs run at once (default 1)");
  serve->add_option("--max-queued", o->max_queued, "Jobs waiting at most before 503 (default 64)");
  serve->add_option("--max-body-mb", o->max_body_mb, "Largest request body in MiB (default 16)");
  serve->callback([o, &exit_code] { exit_code = Serve(*o); });
}

}  // namespace cobuild::cli
