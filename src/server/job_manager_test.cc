#include "server/job_manager.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <stdexcept>
#include <thread>

namespace cobuild::server {
namespace {

using nlohmann::json;

// Test-only kinds: "count" sums params["n"] integers from the scenario's
// text length, reporting progress; "wait" blocks until released or stopped;
// "boom" throws; "reject" returns an error.
class JobManagerTest : public ::testing::Test {
 protected:
  JobManagerTest() {
    storage_ = std::move(*Storage::Open(":memory:"));
    registry_.Register({.name = "count",
                        .description = "sums 1..n",
                        .needs_scenario = true,
                        .handler = [](const JobContext& job) -> Result<JobOutput> {
                          const int n = job.params.value("n", 0);
                          int64_t sum = 0;
                          for (int i = 1; i <= n; ++i) {
                            sum += i;
                            job.report_progress(double(i) / n, "adding");
                          }
                          return JobOutput{.json = {{"sum", sum}, {"scenario", job.scenario->name}},
                                           .csv = "sum\n" + std::to_string(sum) + "\n"};
                        }});
    registry_.Register({.name = "wait",
                        .description = "waits for the test",
                        .needs_scenario = false,
                        .handler = [this](const JobContext& job) -> Result<JobOutput> {
                          job.report_progress(0.5, "waiting");
                          ++waiting_;
                          while (!release_ && !job.stop.stop_requested()) {
                            std::this_thread::sleep_for(std::chrono::milliseconds(1));
                          }
                          return JobOutput{.json = {{"released", release_.load()}}, .csv = ""};
                        }});
    registry_.Register({.name = "stubborn",
                        .description = "ignores its stop token",
                        .needs_scenario = false,
                        .handler = [this](const JobContext&) -> Result<JobOutput> {
                          ++waiting_;
                          while (!release_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
                          return JobOutput{.json = {{"late", true}}, .csv = ""};
                        }});
    registry_.Register(
        {.name = "boom",
         .description = "throws",
         .needs_scenario = false,
         .handler = [](const JobContext&) -> Result<JobOutput> { throw std::runtime_error("kaboom"); }});
    registry_.Register({.name = "reject",
                        .description = "fails",
                        .needs_scenario = false,
                        .handler = [](const JobContext&) -> Result<JobOutput> {
                          return InvalidInput("params.x: expected a number");
                        }});
    scenario_id_ = *storage_->AddScenario("uk", "uk.yaml", "name: uk\n");
  }

  JobRecord WaitFor(int64_t id, JobStatus status) {
    for (int i = 0; i < 5000; ++i) {
      auto job = storage_->GetJob(id);
      if (job && job->status == status) return *job;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return *storage_->GetJob(id);
  }
  void WaitUntilWaiting(int count) {
    while (waiting_ < count) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  std::unique_ptr<Storage> storage_;
  JobRegistry registry_;
  int64_t scenario_id_ = 0;
  std::atomic<bool> release_ = false;
  std::atomic<int> waiting_ = 0;
};

TEST_F(JobManagerTest, RunsJobAndStoresResult) {
  JobManager jobs(*storage_, registry_, {.num_workers = 1, .max_queued = 4});
  auto id = jobs.Start("count", scenario_id_, json{{"n", 100}});
  ASSERT_TRUE(id.has_value()) << id.error().message;
  ASSERT_TRUE(id->has_value());
  jobs.WaitIdle();
  auto job = storage_->GetJob(**id).value();
  EXPECT_EQ(job.status, JobStatus::kSucceeded) << job.error;
  EXPECT_EQ(job.kind, "count");
  auto result = storage_->GetResult(**id).value();
  EXPECT_EQ(json::parse(result.json), (json{{"sum", 5050}, {"scenario", "uk"}}));
  EXPECT_EQ(result.csv, "sum\n5050\n");
}

TEST_F(JobManagerTest, RejectsUnknownKindMissingAndUnknownScenario) {
  JobManager jobs(*storage_, registry_, {});
  EXPECT_EQ(jobs.Start("nope", scenario_id_, json::object()).error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(jobs.Start("count", std::nullopt, json::object()).error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(jobs.Start("count", 999, json::object()).error().kind, ErrorKind::kNotFound);
  EXPECT_TRUE(storage_->ListJobs(10)->empty());
}

TEST_F(JobManagerTest, HandlerErrorAndExceptionFailTheJob) {
  JobManager jobs(*storage_, registry_, {});
  const int64_t rejected = **jobs.Start("reject", std::nullopt, json::object());
  const int64_t thrown = **jobs.Start("boom", std::nullopt, json::object());
  jobs.WaitIdle();
  auto a = storage_->GetJob(rejected).value();
  EXPECT_EQ(a.status, JobStatus::kFailed);
  EXPECT_EQ(a.error, "params.x: expected a number");
  auto b = storage_->GetJob(thrown).value();
  EXPECT_EQ(b.status, JobStatus::kFailed);
  EXPECT_NE(b.error.find("kaboom"), std::string::npos) << b.error;
}

TEST_F(JobManagerTest, ReportsProgressWhileRunning) {
  JobManager jobs(*storage_, registry_, {.num_workers = 1, .max_queued = 4});
  const int64_t id = **jobs.Start("wait", std::nullopt, json::object());
  WaitUntilWaiting(1);
  auto job = storage_->GetJob(id).value();
  EXPECT_EQ(job.status, JobStatus::kRunning);
  EXPECT_DOUBLE_EQ(job.progress, 0.5);
  EXPECT_EQ(job.message, "waiting");
  release_ = true;
  jobs.WaitIdle();
  EXPECT_EQ(storage_->GetJob(id)->status, JobStatus::kSucceeded);
}

TEST_F(JobManagerTest, QueueBoundRefusesWithoutRecording) {
  JobManager jobs(*storage_, registry_, {.num_workers = 1, .max_queued = 1});
  const int64_t running = **jobs.Start("wait", std::nullopt, json::object());
  WaitUntilWaiting(1);
  const int64_t queued = **jobs.Start("wait", std::nullopt, json::object());
  auto refused = jobs.Start("wait", std::nullopt, json::object());
  ASSERT_TRUE(refused.has_value());
  EXPECT_FALSE(refused->has_value());
  EXPECT_EQ(storage_->ListJobs(10)->size(), 2u);
  release_ = true;
  jobs.WaitIdle();
  EXPECT_EQ(storage_->GetJob(running)->status, JobStatus::kSucceeded);
  EXPECT_EQ(storage_->GetJob(queued)->status, JobStatus::kSucceeded);
}

TEST_F(JobManagerTest, CancelStopsRunningJobAndSkipsQueuedOne) {
  JobManager jobs(*storage_, registry_, {.num_workers = 1, .max_queued = 4});
  const int64_t running = **jobs.Start("wait", std::nullopt, json::object());
  WaitUntilWaiting(1);
  const int64_t queued = **jobs.Start("wait", std::nullopt, json::object());
  ASSERT_TRUE(jobs.Cancel(queued).has_value());
  ASSERT_TRUE(jobs.Cancel(running).has_value());
  jobs.WaitIdle();
  EXPECT_EQ(storage_->GetJob(running)->status, JobStatus::kCancelled);
  EXPECT_EQ(storage_->GetJob(queued)->status, JobStatus::kCancelled);
  EXPECT_EQ(waiting_.load(), 1);  // the queued one never ran
  EXPECT_EQ(storage_->GetResult(running).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(jobs.Cancel(running).error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(jobs.Cancel(12345).error().kind, ErrorKind::kNotFound);
}

TEST_F(JobManagerTest, ShutdownFailsRunningJobAndKeepsQueuedOneForRestart) {
  int64_t running = 0;
  int64_t queued = 0;
  {
    JobManager jobs(*storage_, registry_, {.num_workers = 1, .max_queued = 4});
    running = **jobs.Start("wait", std::nullopt, json::object());
    WaitUntilWaiting(1);
    queued = **jobs.Start("count", scenario_id_, json{{"n", 3}});
  }
  auto stopped = storage_->GetJob(running).value();
  EXPECT_EQ(stopped.status, JobStatus::kFailed);
  EXPECT_NE(stopped.error.find("stopped"), std::string::npos);
  EXPECT_EQ(storage_->GetJob(queued)->status, JobStatus::kQueued);

  JobManager restarted(*storage_, registry_, {.num_workers = 1, .max_queued = 4});
  EXPECT_EQ(restarted.Recover().value(), 0);
  restarted.WaitIdle();
  EXPECT_EQ(WaitFor(queued, JobStatus::kSucceeded).status, JobStatus::kSucceeded);
}

TEST_F(JobManagerTest, ShutdownMarksAJobThatWillNotStopFailed) {
  JobManager jobs(*storage_, registry_, {.num_workers = 1, .max_queued = 4});
  const int64_t stubborn = **jobs.Start("stubborn", std::nullopt, json::object());
  WaitUntilWaiting(1);
  const int64_t queued = **jobs.Start("count", scenario_id_, json{{"n", 3}});
  EXPECT_FALSE(jobs.Shutdown(std::chrono::milliseconds(50)));
  EXPECT_EQ(storage_->GetJob(stubborn)->status, JobStatus::kFailed);
  EXPECT_EQ(storage_->GetJob(queued)->status, JobStatus::kQueued);
  EXPECT_FALSE(jobs.Start("count", scenario_id_, json{{"n", 1}})->has_value());
  release_ = true;  // its late result is not stored over the failure
  jobs.WaitIdle();
  EXPECT_EQ(storage_->GetJob(stubborn)->status, JobStatus::kFailed);
  EXPECT_EQ(storage_->GetResult(stubborn).error().kind, ErrorKind::kNotFound);
}

TEST_F(JobManagerTest, RecoverFailsJobsLeftRunning) {
  const int64_t id = *storage_->AddJob("count", scenario_id_, "{}");
  ASSERT_TRUE(storage_->StartJob(id).has_value());  // as if the process died here
  JobManager jobs(*storage_, registry_, {});
  EXPECT_EQ(jobs.Recover().value(), 1);
  EXPECT_EQ(storage_->GetJob(id)->status, JobStatus::kFailed);
}

}  // namespace
}  // namespace cobuild::server
