// Durable store of the planning server: scenarios, jobs and their results,
// in one SQLite file.
//
// The database runs in WAL mode with synchronous=FULL, so a committed write
// survives a crash of the process (kill -9) or of the machine. The schema is
// versioned in `schema_version`; Open() applies every migration the file has
// not seen yet, each in its own transaction, so an old database is upgraded
// in place and a new one is created from scratch.
//
// A job's result and its status 'succeeded' are written in one transaction
// (FinishJob), so a job is never seen finished without its result. Jobs that
// were running when the process died are marked failed by
// FailInterruptedJobs(), which the server calls at start.
//
//   Result<std::unique_ptr<Storage>> db = Storage::Open("cobuild.db");
//   Result<int64_t> id = (*db)->AddScenario("uk-2026", "uk-2026.yaml", yaml);
//
// Thread safety: every method may be called from any thread; calls are
// serialised on one connection.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"

namespace cobuild::server {

enum class JobStatus { kQueued, kRunning, kSucceeded, kFailed, kCancelled };

// True for succeeded, failed and cancelled: the job will not change again.
bool IsFinal(JobStatus status);

std::string_view ToString(JobStatus status);
std::optional<JobStatus> ParseJobStatus(std::string_view text);

struct ScenarioRecord {
  int64_t id = 0;
  std::string name;        // from the scenario file
  std::string file_name;   // as uploaded, for messages
  std::string yaml;        // empty in listings
  std::string created_at;  // ISO 8601 UTC
  bool operator==(const ScenarioRecord&) const = default;
};

struct JobRecord {
  int64_t id = 0;
  std::string kind;                    // a JobRegistry kind: plan, validate, ...
  std::optional<int64_t> scenario_id;  // unset once the scenario is deleted
  std::string params_json;             // the request's parameters, as JSON text
  JobStatus status = JobStatus::kQueued;
  double progress = 0;  // [0, 1]
  std::string message;  // latest progress line
  std::string error;    // why it failed
  std::string created_at;
  std::string started_at;   // empty until running
  std::string finished_at;  // empty until succeeded or failed
  bool operator==(const JobRecord&) const = default;
};

struct JobResult {
  std::string json;
  std::string csv;
  bool operator==(const JobResult&) const = default;
};

class Storage {
 public:
  // The schema version this build writes; Open() migrates older files to it
  // and refuses newer ones.
  static constexpr int kSchemaVersion = 1;

  // Opens (creating if needed) the database at `path` and migrates it.
  // ":memory:" gives a private in-memory database.
  [[nodiscard]] static Result<std::unique_ptr<Storage>> Open(const std::string& path);

  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  [[nodiscard]] Result<int> SchemaVersion();

  [[nodiscard]] Result<int64_t> AddScenario(std::string_view name, std::string_view file_name,
                                            std::string_view yaml);
  // Newest first, without the YAML text.
  [[nodiscard]] Result<std::vector<ScenarioRecord>> ListScenarios();
  [[nodiscard]] Result<ScenarioRecord> GetScenario(int64_t id);
  // NotFound for an unknown id; InvalidInput while a queued or running job
  // uses the scenario. Finished jobs keep their results and lose the link.
  [[nodiscard]] Result<void> DeleteScenario(int64_t id);

  [[nodiscard]] Result<int64_t> AddJob(std::string_view kind, std::optional<int64_t> scenario_id,
                                       std::string_view params_json);
  [[nodiscard]] Result<JobRecord> GetJob(int64_t id);
  // Newest first; at most `limit` jobs.
  [[nodiscard]] Result<std::vector<JobRecord>> ListJobs(int limit);
  // Ids of jobs still queued, oldest first.
  [[nodiscard]] Result<std::vector<int64_t>> QueuedJobIds();

  // Queued -> running. InvalidInput when the job is not queued.
  [[nodiscard]] Result<void> StartJob(int64_t id);
  [[nodiscard]] Result<void> UpdateProgress(int64_t id, double progress, std::string_view message);
  // Running -> succeeded, storing the result in the same transaction.
  // InvalidInput when the job is no longer running (for example it was
  // marked failed by a restart meanwhile); the result is then not stored.
  [[nodiscard]] Result<void> FinishJob(int64_t id, const JobResult& result);
  // Queued or running -> failed.
  [[nodiscard]] Result<void> FailJob(int64_t id, std::string_view error);
  // Queued or running -> cancelled; false when the job had already finished
  // (or does not exist).
  [[nodiscard]] Result<bool> CancelJob(int64_t id);
  [[nodiscard]] Result<JobResult> GetResult(int64_t id);

  // Marks every running job failed with `reason`; returns how many.
  [[nodiscard]] Result<int> FailInterruptedJobs(std::string_view reason);

 private:
  explicit Storage(sqlite3* db) : db_(db) {}
  [[nodiscard]] Result<void> Migrate();
  [[nodiscard]] Result<void> Exec(const char* sql);

  std::mutex mutex_;
  sqlite3* db_ = nullptr;
};

}  // namespace cobuild::server
