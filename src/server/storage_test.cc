#include "server/storage.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace cobuild::server {
namespace {

namespace fs = std::filesystem;

// A database file in a fresh temporary folder, removed afterwards.
class TempDb {
 public:
  TempDb() {
    dir_ = fs::temp_directory_path() /
           ("cobuild_storage_test_" + std::to_string(::getpid()) + "_" + std::to_string(next_++));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~TempDb() { fs::remove_all(dir_); }
  std::string path() const { return (dir_ / "cobuild.db").string(); }

 private:
  static inline int next_ = 0;
  fs::path dir_;
};

std::unique_ptr<Storage> OpenOrDie(const std::string& path) {
  auto storage = Storage::Open(path);
  EXPECT_TRUE(storage.has_value()) << storage.error().message;
  return storage ? std::move(*storage) : nullptr;
}

TEST(StorageTest, FreshDatabaseIsMigratedToCurrentVersion) {
  TempDb db;
  auto storage = OpenOrDie(db.path());
  ASSERT_NE(storage, nullptr);
  EXPECT_EQ(storage->SchemaVersion().value(), Storage::kSchemaVersion);
}

TEST(StorageTest, ReopeningDoesNotMigrateTwice) {
  TempDb db;
  { ASSERT_NE(OpenOrDie(db.path()), nullptr); }
  auto storage = OpenOrDie(db.path());
  ASSERT_NE(storage, nullptr);
  EXPECT_EQ(storage->SchemaVersion().value(), Storage::kSchemaVersion);
}

TEST(StorageTest, UsesWriteAheadLog) {
  TempDb db;
  auto storage = OpenOrDie(db.path());
  ASSERT_NE(storage, nullptr);
  ASSERT_TRUE(storage->AddScenario("a", "a.yaml", "name: a\n").has_value());
  EXPECT_TRUE(fs::exists(db.path() + "-wal"));
}

TEST(StorageTest, RefusesNewerSchema) {
  TempDb db;
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db.path().c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw,
                           "CREATE TABLE schema_version (version INTEGER NOT NULL);"
                           "INSERT INTO schema_version VALUES (999);",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  auto storage = Storage::Open(db.path());
  ASSERT_FALSE(storage.has_value());
  EXPECT_NE(storage.error().message.find("newer"), std::string::npos) << storage.error().message;
}

TEST(StorageTest, ScenarioRoundTripListAndDelete) {
  auto storage = OpenOrDie(":memory:");
  ASSERT_NE(storage, nullptr);
  const int64_t a = storage->AddScenario("uk", "uk.yaml", "name: uk\n").value();
  const int64_t b = storage->AddScenario("eu", "eu.yaml", "name: eu\n").value();
  auto got = storage->GetScenario(a);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->name, "uk");
  EXPECT_EQ(got->yaml, "name: uk\n");
  auto list = storage->ListScenarios().value();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, b);  // newest first
  EXPECT_TRUE(list[0].yaml.empty());
  ASSERT_TRUE(storage->DeleteScenario(a).has_value());
  EXPECT_EQ(storage->GetScenario(a).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(storage->DeleteScenario(a).error().kind, ErrorKind::kNotFound);
}

TEST(StorageTest, ScenarioInUseByUnfinishedJobCannotBeDeleted) {
  auto storage = OpenOrDie(":memory:");
  ASSERT_NE(storage, nullptr);
  const int64_t s = storage->AddScenario("uk", "uk.yaml", "x").value();
  const int64_t job = storage->AddJob("plan", s, "{}").value();
  EXPECT_EQ(storage->DeleteScenario(s).error().kind, ErrorKind::kInvalidInput);
  ASSERT_TRUE(storage->StartJob(job).has_value());
  ASSERT_TRUE(storage->FinishJob(job, {.json = "{}", .csv = ""}).has_value());
  ASSERT_TRUE(storage->DeleteScenario(s).has_value());
  auto after = storage->GetJob(job).value();
  EXPECT_FALSE(after.scenario_id.has_value());  // the finished job keeps its result
  EXPECT_TRUE(storage->GetResult(job).has_value());
}

TEST(StorageTest, JobLifecycleStoresResultWithStatus) {
  auto storage = OpenOrDie(":memory:");
  ASSERT_NE(storage, nullptr);
  const int64_t id = storage->AddJob("validate", std::nullopt, R"({"a":1})").value();
  auto job = storage->GetJob(id).value();
  EXPECT_EQ(job.status, JobStatus::kQueued);
  EXPECT_EQ(job.params_json, R"({"a":1})");
  EXPECT_EQ(storage->GetResult(id).error().kind, ErrorKind::kNotFound);

  ASSERT_TRUE(storage->StartJob(id).has_value());
  EXPECT_EQ(storage->StartJob(id).error().kind, ErrorKind::kInvalidInput);
  ASSERT_TRUE(storage->UpdateProgress(id, 0.25, "a quarter").has_value());
  job = storage->GetJob(id).value();
  EXPECT_EQ(job.status, JobStatus::kRunning);
  EXPECT_DOUBLE_EQ(job.progress, 0.25);
  EXPECT_EQ(job.message, "a quarter");
  EXPECT_FALSE(job.started_at.empty());

  ASSERT_TRUE(storage->FinishJob(id, {.json = R"({"ok":true})", .csv = "a,b\n1,2\n"}).has_value());
  job = storage->GetJob(id).value();
  EXPECT_EQ(job.status, JobStatus::kSucceeded);
  EXPECT_DOUBLE_EQ(job.progress, 1.0);
  EXPECT_FALSE(job.finished_at.empty());
  EXPECT_EQ(storage->GetResult(id).value(), (JobResult{R"({"ok":true})", "a,b\n1,2\n"}));
}

TEST(StorageTest, FinishingAJobThatIsNoLongerRunningStoresNothing) {
  auto storage = OpenOrDie(":memory:");
  ASSERT_NE(storage, nullptr);
  const int64_t id = storage->AddJob("validate", std::nullopt, "{}").value();
  ASSERT_TRUE(storage->StartJob(id).has_value());
  ASSERT_TRUE(storage->CancelJob(id).value());
  EXPECT_FALSE(storage->CancelJob(id).value());
  EXPECT_EQ(storage->FinishJob(id, {.json = "{}", .csv = ""}).error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(storage->GetJob(id)->status, JobStatus::kCancelled);
  EXPECT_EQ(storage->GetResult(id).error().kind, ErrorKind::kNotFound);
}

TEST(StorageTest, ListJobsNewestFirstWithLimit) {
  auto storage = OpenOrDie(":memory:");
  ASSERT_NE(storage, nullptr);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(storage->AddJob("validate", std::nullopt, "{}"));
  auto jobs = storage->ListJobs(3).value();
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_GT(jobs[0].id, jobs[1].id);
  EXPECT_EQ(storage->QueuedJobIds().value().size(), 5u);
}

// The property the server promises: what was committed before a kill -9 is
// there afterwards, and a job that was running is marked failed at restart.
TEST(StorageTest, FinishedResultSurvivesKillAndRunningJobIsFailedAtRestart) {
  TempDb db;
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto storage = Storage::Open(db.path());
    if (!storage) ::_exit(3);
    auto done = (*storage)->AddJob("validate", std::nullopt, "{}");
    auto running = (*storage)->AddJob("validate", std::nullopt, "{}");
    if (!done || !running || !(*storage)->StartJob(*done) ||
        !(*storage)->FinishJob(*done, {.json = R"({"kept":1})", .csv = "kept\n1\n"}) ||
        !(*storage)->StartJob(*running)) {
      ::_exit(4);
    }
    ::raise(SIGKILL);  // no destructors, no checkpoint, no close
    ::_exit(5);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  ASSERT_EQ(WTERMSIG(status), SIGKILL);

  auto storage = OpenOrDie(db.path());
  ASSERT_NE(storage, nullptr);
  EXPECT_EQ(storage->GetResult(1).value(), (JobResult{R"({"kept":1})", "kept\n1\n"}));
  EXPECT_EQ(storage->GetJob(2)->status, JobStatus::kRunning);
  EXPECT_EQ(storage->FailInterruptedJobs("interrupted").value(), 1);
  auto failed = storage->GetJob(2).value();
  EXPECT_EQ(failed.status, JobStatus::kFailed);
  EXPECT_EQ(failed.error, "interrupted");
  EXPECT_EQ(storage->GetJob(1)->status, JobStatus::kSucceeded);
}

}  // namespace
}  // namespace cobuild::server
