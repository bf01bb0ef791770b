#include "server/storage.h"

#include <array>
#include <utility>

namespace cobuild::server {
namespace {

// Migration i takes the schema from version i to version i + 1. Never edit a
// migration that has shipped; append a new one and bump kSchemaVersion.
constexpr std::array<const char*, Storage::kSchemaVersion> kMigrations = {
    R"sql(
CREATE TABLE scenarios (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  file_name TEXT NOT NULL,
  yaml TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  scenario_id INTEGER REFERENCES scenarios(id) ON DELETE SET NULL,
  params TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  progress REAL NOT NULL DEFAULT 0,
  message TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  started_at TEXT NOT NULL DEFAULT '',
  finished_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX jobs_by_status ON jobs(status);
CREATE INDEX jobs_by_scenario ON jobs(scenario_id);
CREATE TABLE results (
  job_id INTEGER PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
  json TEXT NOT NULL,
  csv TEXT NOT NULL
);
)sql",
};

constexpr const char* kNow = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

// A prepared statement that finalizes itself.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql) : db_(db) {
    rc_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return rc_ == SQLITE_OK || rc_ == SQLITE_ROW || rc_ == SQLITE_DONE; }
  std::string ErrorMessage() const { return sqlite3_errmsg(db_); }

  Statement& Bind(int index, int64_t value) {
    if (ok()) rc_ = sqlite3_bind_int64(stmt_, index, value);
    return *this;
  }
  Statement& Bind(int index, double value) {
    if (ok()) rc_ = sqlite3_bind_double(stmt_, index, value);
    return *this;
  }
  Statement& Bind(int index, std::string_view value) {
    if (ok()) {
      rc_ = sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    }
    return *this;
  }
  Statement& BindNull(int index) {
    if (ok()) rc_ = sqlite3_bind_null(stmt_, index);
    return *this;
  }

  // Steps once; true while a row is available. Check ok() afterwards.
  bool Step() {
    if (!ok()) return false;
    rc_ = sqlite3_step(stmt_);
    return rc_ == SQLITE_ROW;
  }

  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  double Real(int column) const { return sqlite3_column_double(stmt_, column); }
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::string Text(int column) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return text ? std::string(text, sqlite3_column_bytes(stmt_, column)) : std::string();
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_OK;
};

std::unexpected<Error> SqlError(const Statement& stmt, std::string_view what) {
  return Internal("database: " + std::string(what) + ": " + stmt.ErrorMessage());
}

// Runs a write statement; returns how many rows it changed.
[[nodiscard]] Result<int> RunWrite(sqlite3* db, Statement& stmt, std::string_view what) {
  stmt.Step();
  if (!stmt.ok()) return SqlError(stmt, what);
  return sqlite3_changes(db);
}

constexpr const char* kJobColumns =
    "id, kind, scenario_id, params, status, progress, message, error, created_at, started_at, "
    "finished_at";

JobRecord ReadJob(const Statement& stmt) {
  JobRecord job;
  job.id = stmt.Int(0);
  job.kind = stmt.Text(1);
  if (!stmt.IsNull(2)) job.scenario_id = stmt.Int(2);
  job.params_json = stmt.Text(3);
  // The CHECK constraint keeps the status column within the known names.
  job.status = ParseJobStatus(stmt.Text(4)).value_or(JobStatus::kFailed);
  job.progress = stmt.Real(5);
  job.message = stmt.Text(6);
  job.error = stmt.Text(7);
  job.created_at = stmt.Text(8);
  job.started_at = stmt.Text(9);
  job.finished_at = stmt.Text(10);
  return job;
}

}  // namespace

std::string_view ToString(JobStatus status) {
  switch (status) {
    case JobStatus::kQueued:
      return "queued";
    case JobStatus::kRunning:
      return "running";
    case JobStatus::kSucceeded:
      return "succeeded";
    case JobStatus::kFailed:
      return "failed";
    case JobStatus::kCancelled:
      return "cancelled";
  }
  return "failed";
}

std::optional<JobStatus> ParseJobStatus(std::string_view text) {
  for (JobStatus s : {JobStatus::kQueued, JobStatus::kRunning, JobStatus::kSucceeded, JobStatus::kFailed,
                      JobStatus::kCancelled}) {
    if (ToString(s) == text) return s;
  }
  return std::nullopt;
}

bool IsFinal(JobStatus status) { return status != JobStatus::kQueued && status != JobStatus::kRunning; }

Result<std::unique_ptr<Storage>> Storage::Open(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Internal("cannot open database " + path + ": " + message);
  }
  std::unique_ptr<Storage> storage(new Storage(db));
  // Several HTTP threads and workers share the file; wait for a lock rather
  // than fail at once when another process (sqlite3 shell, backup) holds it.
  sqlite3_busy_timeout(db, 5000);
  if (auto r = storage->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                             "PRAGMA foreign_keys=ON;");
      !r) {
    return std::unexpected(r.error());
  }
  if (auto r = storage->Migrate(); !r) return std::unexpected(r.error());
  return storage;
}

Storage::~Storage() { sqlite3_close(db_); }

Result<void> Storage::Exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    return Internal("database: " + text);
  }
  return {};
}

Result<void> Storage::Migrate() {
  std::lock_guard lock(mutex_);
  if (auto r = Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);"); !r) {
    return r;
  }
  // The version is read inside the write transaction, so two processes
  // opening a fresh file at once apply each migration exactly once.
  for (;;) {
    if (auto r = Exec("BEGIN IMMEDIATE"); !r) return r;
    auto rollback = [&](std::unexpected<Error> e) -> Result<void> {
      (void)Exec("ROLLBACK");
      return e;
    };
    int version = 0;
    {
      Statement stmt(db_, "SELECT MAX(version) FROM schema_version");
      if (stmt.Step() && !stmt.IsNull(0)) version = static_cast<int>(stmt.Int(0));
      if (!stmt.ok()) return rollback(SqlError(stmt, "reading schema_version"));
    }
    if (version > kSchemaVersion) {
      return rollback(InvalidInput("database schema version " + std::to_string(version) +
                                   " is newer than this cobuild understands (" +
                                   std::to_string(kSchemaVersion) + ")"));
    }
    if (version == kSchemaVersion) return Exec("COMMIT");
    auto applied = Exec(kMigrations[version]);
    if (applied) {
      const std::string record =
          "INSERT INTO schema_version(version) VALUES (" + std::to_string(version + 1) + ")";
      applied = Exec(record.c_str());
    }
    if (!applied) {
      return rollback(Internal("migrating database to schema version " + std::to_string(version + 1) + ": " +
                               applied.error().message));
    }
    if (auto r = Exec("COMMIT"); !r) return r;
  }
}

Result<int> Storage::SchemaVersion() {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, "SELECT MAX(version) FROM schema_version");
  if (!stmt.Step()) return SqlError(stmt, "reading schema_version");
  return static_cast<int>(stmt.Int(0));
}

Result<int64_t> Storage::AddScenario(std::string_view name, std::string_view file_name,
                                     std::string_view yaml) {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, "INSERT INTO scenarios(name, file_name, yaml) VALUES (?, ?, ?)");
  stmt.Bind(1, name).Bind(2, file_name).Bind(3, yaml);
  stmt.Step();
  if (!stmt.ok()) return SqlError(stmt, "adding scenario");
  return sqlite3_last_insert_rowid(db_);
}

Result<std::vector<ScenarioRecord>> Storage::ListScenarios() {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, "SELECT id, name, file_name, created_at FROM scenarios ORDER BY id DESC");
  std::vector<ScenarioRecord> out;
  while (stmt.Step()) {
    out.push_back({.id = stmt.Int(0),
                   .name = stmt.Text(1),
                   .file_name = stmt.Text(2),
                   .yaml = {},
                   .created_at = stmt.Text(3)});
  }
  if (!stmt.ok()) return SqlError(stmt, "listing scenarios");
  return out;
}

Result<ScenarioRecord> Storage::GetScenario(int64_t id) {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, "SELECT id, name, file_name, yaml, created_at FROM scenarios WHERE id = ?");
  stmt.Bind(1, id);
  if (!stmt.Step()) {
    if (!stmt.ok()) return SqlError(stmt, "reading scenario");
    return NotFound("no scenario with id " + std::to_string(id));
  }
  return ScenarioRecord{.id = stmt.Int(0),
                        .name = stmt.Text(1),
                        .file_name = stmt.Text(2),
                        .yaml = stmt.Text(3),
                        .created_at = stmt.Text(4)};
}

Result<void> Storage::DeleteScenario(int64_t id) {
  std::lock_guard lock(mutex_);
  {
    Statement busy(db_,
                   "SELECT COUNT(*) FROM jobs WHERE scenario_id = ? AND status IN "
                   "('queued', 'running')");
    busy.Bind(1, id);
    if (!busy.Step()) return SqlError(busy, "checking scenario jobs");
    if (busy.Int(0) > 0) {
      return InvalidInput("scenario " + std::to_string(id) + " is used by " + std::to_string(busy.Int(0)) +
                          " unfinished job(s)");
    }
  }
  Statement stmt(db_, "DELETE FROM scenarios WHERE id = ?");
  auto changed = RunWrite(db_, stmt.Bind(1, id), "deleting scenario");
  if (!changed) return std::unexpected(changed.error());
  if (*changed == 0) return NotFound("no scenario with id " + std::to_string(id));
  return {};
}

Result<int64_t> Storage::AddJob(std::string_view kind, std::optional<int64_t> scenario_id,
                                std::string_view params_json) {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, "INSERT INTO jobs(kind, scenario_id, params) VALUES (?, ?, ?)");
  stmt.Bind(1, kind);
  if (scenario_id) {
    stmt.Bind(2, *scenario_id);
  } else {
    stmt.BindNull(2);
  }
  stmt.Bind(3, params_json);
  stmt.Step();
  if (!stmt.ok()) return SqlError(stmt, "adding job");
  return sqlite3_last_insert_rowid(db_);
}

Result<JobRecord> Storage::GetJob(int64_t id) {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ?");
  stmt.Bind(1, id);
  if (!stmt.Step()) {
    if (!stmt.ok()) return SqlError(stmt, "reading job");
    return NotFound("no job with id " + std::to_string(id));
  }
  return ReadJob(stmt);
}

Result<std::vector<JobRecord>> Storage::ListJobs(int limit) {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, std::string("SELECT ") + kJobColumns + " FROM jobs ORDER BY id DESC LIMIT ?");
  stmt.Bind(1, static_cast<int64_t>(limit));
  std::vector<JobRecord> out;
  while (stmt.Step()) out.push_back(ReadJob(stmt));
  if (!stmt.ok()) return SqlError(stmt, "listing jobs");
  return out;
}

Result<std::vector<int64_t>> Storage::QueuedJobIds() {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, "SELECT id FROM jobs WHERE status = 'queued' ORDER BY id");
  std::vector<int64_t> out;
  while (stmt.Step()) out.push_back(stmt.Int(0));
  if (!stmt.ok()) return SqlError(stmt, "listing queued jobs");
  return out;
}

Result<void> Storage::StartJob(int64_t id) {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, std::string("UPDATE jobs SET status = 'running', started_at = ") + kNow +
                          " WHERE id = ? AND status = 'queued'");
  auto changed = RunWrite(db_, stmt.Bind(1, id), "starting job");
  if (!changed) return std::unexpected(changed.error());
  if (*changed == 0) return InvalidInput("job " + std::to_string(id) + " is not queued");
  return {};
}

Result<void> Storage::UpdateProgress(int64_t id, double progress, std::string_view message) {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, "UPDATE jobs SET progress = ?, message = ? WHERE id = ? AND status = 'running'");
  auto changed = RunWrite(db_, stmt.Bind(1, progress).Bind(2, message).Bind(3, id), "updating job progress");
  if (!changed) return std::unexpected(changed.error());
  return {};
}

Result<void> Storage::FinishJob(int64_t id, const JobResult& result) {
  std::lock_guard lock(mutex_);
  if (auto r = Exec("BEGIN IMMEDIATE"); !r) return r;
  auto fail = [&](std::unexpected<Error> e) -> Result<void> {
    (void)Exec("ROLLBACK");
    return e;
  };
  {
    // A job that never reported its end says "done" rather than its last
    // step ("reading scenario" for a fast one).
    Statement stmt(db_, std::string("UPDATE jobs SET status = 'succeeded', progress = 1, "
                                    "message = CASE WHEN progress >= 1 THEN message ELSE 'done' "
                                    "END, finished_at = ") +
                            kNow + " WHERE id = ? AND status = 'running'");
    stmt.Bind(1, id);
    stmt.Step();
    if (!stmt.ok()) return fail(SqlError(stmt, "finishing job"));
    if (sqlite3_changes(db_) == 0) {
      return fail(InvalidInput("job " + std::to_string(id) + " is no longer running"));
    }
  }
  {
    Statement stmt(db_, "INSERT OR REPLACE INTO results(job_id, json, csv) VALUES (?, ?, ?)");
    stmt.Bind(1, id).Bind(2, std::string_view(result.json)).Bind(3, std::string_view(result.csv));
    stmt.Step();
    if (!stmt.ok()) return fail(SqlError(stmt, "storing job result"));
  }
  return Exec("COMMIT");
}

Result<void> Storage::FailJob(int64_t id, std::string_view error) {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, std::string("UPDATE jobs SET status = 'failed', error = ?, finished_at = ") + kNow +
                          " WHERE id = ? AND status IN ('queued', 'running')");
  auto changed = RunWrite(db_, stmt.Bind(1, error).Bind(2, id), "failing job");
  if (!changed) return std::unexpected(changed.error());
  return {};
}

Result<bool> Storage::CancelJob(int64_t id) {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, std::string("UPDATE jobs SET status = 'cancelled', finished_at = ") + kNow +
                          " WHERE id = ? AND status IN ('queued', 'running')");
  auto changed = RunWrite(db_, stmt.Bind(1, id), "cancelling job");
  if (!changed) return std::unexpected(changed.error());
  return *changed > 0;
}

Result<JobResult> Storage::GetResult(int64_t id) {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, "SELECT json, csv FROM results WHERE job_id = ?");
  stmt.Bind(1, id);
  if (!stmt.Step()) {
    if (!stmt.ok()) return SqlError(stmt, "reading job result");
    return NotFound("job " + std::to_string(id) + " has no result");
  }
  return JobResult{.json = stmt.Text(0), .csv = stmt.Text(1)};
}

Result<int> Storage::FailInterruptedJobs(std::string_view reason) {
  std::lock_guard lock(mutex_);
  Statement stmt(db_, std::string("UPDATE jobs SET status = 'failed', error = ?, finished_at = ") + kNow +
                          " WHERE status = 'running'");
  return RunWrite(db_, stmt.Bind(1, reason), "failing interrupted jobs");
}

}  // namespace cobuild::server
