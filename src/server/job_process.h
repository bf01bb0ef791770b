// Runs one job's handler in a child process, so that a crash inside a solver
// library (a segfault in a cut generator, an abort on an assertion) fails
// that job and nothing else: the server, its other jobs and its database
// stay up.
//
// The server (parent) side:
//
//   JobProcessOptions options{.command = {"/usr/bin/cobuild", "job-worker", "--db", "/srv/cobuild.db"}};
//   Result<JobOutput> out = RunJobInChildProcess(options, job_id, stop, on_progress);
//
// starts `command... --job ID` and reads what the child writes on its
// standard output, one JSON document per line:
//
//   {"progress": 0.35, "message": "fee sweep: 2 of 5 fees"}
//   {"result": {...}, "csv": "..."}                      (last line, success)
//   {"error": "params.fees: expected ..."}               (last line, failure)
//
// A stop request (cancel, shutdown) closes the child's standard input, which
// the child reads as its stop token; a child still running `kill_after`
// later is killed. A child that dies by a signal, or exits without a last
// line, fails the job with the signal's name and what to do.
//
// The child side (`cobuild job-worker`, hidden from --help):
//
//   return ServeJobInThisProcess(storage, registry, job_id, STDIN_FILENO, std::cout);
//
// loads the job, its scenario and any other job it names from the same
// SQLite file (a second connection; the database is in WAL mode), runs the
// registered handler with a JobContext like the in-process one, and writes
// the lines above. It only reads the database: the parent records progress,
// the result and the job's status.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"
#include "server/job_registry.h"
#include "server/storage.h"

namespace cobuild::server {

struct JobProcessOptions {
  // The program and its first arguments; `--job ID` is appended. Empty:
  // jobs run on the server's own worker threads.
  std::vector<std::string> command;
  // How long a child may keep running after it was asked to stop.
  std::chrono::milliseconds kill_after{10000};
};

// Parent side: runs job `job_id` in a child and returns its output, or the
// error that failed it. `on_progress` receives the child's progress lines.
[[nodiscard]] Result<JobOutput> RunJobInChildProcess(
    const JobProcessOptions& options, int64_t job_id, std::stop_token stop,
    const std::function<void(double, std::string_view)>& on_progress);

// Child side: runs job `job_id` of `storage` with its registered handler;
// reads the stop request from `stop_fd` (its end of file: the parent closed
// the pipe or died) and writes the protocol's lines to `out`. Returns the process's exit code: 0 when a last
// line was written (success or failure of the job), non-zero when the job could not be loaded at all (also
// written as an error line).
int ServeJobInThisProcess(Storage& storage, const JobRegistry& registry, int64_t job_id, int stop_fd,
                          std::ostream& out);

// Runs `kind`'s handler; an exception it throws becomes an Internal error.
[[nodiscard]] Result<JobOutput> RunHandler(const JobKind& kind, const JobContext& context);

// What a handler runs on, read from `storage` for `job`: its kind, its
// scenario (when the kind takes one) and its parameters. Internal error for
// a kind this build cannot run, a deleted scenario or unparsable parameters.
struct JobInputs {
  const JobKind* kind = nullptr;
  std::optional<ScenarioRecord> scenario;
  nlohmann::json params;
};
[[nodiscard]] Result<JobInputs> LoadJobInputs(Storage& storage, const JobRegistry& registry,
                                              const JobRecord& job);

// The context both sides give a handler: the job's parameters and scenario,
// and lookups of other scenarios and jobs in `storage`.
JobContext MakeJobContext(Storage& storage, int64_t job_id, const nlohmann::json& params,
                          const ScenarioRecord* scenario,
                          std::function<void(double, std::string_view)> report_progress,
                          std::stop_token stop);

}  // namespace cobuild::server
