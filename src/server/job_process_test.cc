#include "server/job_process.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "server/job_manager.h"

namespace cobuild::server {
namespace {

using nlohmann::json;

// A child played by /bin/sh: `script` runs with "--job ID" as $1 and $2.
JobProcessOptions Shell(const std::string& script) {
  return {.command = {"/bin/sh", "-c", script, "sh"}, .kill_after = std::chrono::milliseconds(300)};
}

struct Progress {
  std::vector<std::pair<double, std::string>> lines;
  std::function<void(double, std::string_view)> callback() {
    return [this](double f, std::string_view m) { lines.emplace_back(f, std::string(m)); };
  }
};

TEST(RunJobInChildProcessTest, ReadsProgressAndResultSkippingOtherOutput) {
  Progress progress;
  auto out = RunJobInChildProcess(Shell(R"(echo '{"progress": 0.5, "message": "half"}'
echo 'a library talking'
printf '{"result": {"job": "%s"}, "csv": "a,b\\n1,2\\n"}\n' "$2")"),
                                  7, {}, progress.callback());
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(out->json, (json{{"job", "7"}}));
  EXPECT_EQ(out->csv, "a,b\n1,2\n");
  ASSERT_EQ(progress.lines.size(), 1u);
  EXPECT_EQ(progress.lines[0], (std::pair<double, std::string>{0.5, "half"}));
}

TEST(RunJobInChildProcessTest, ErrorLineKeepsItsKindAndMessage) {
  Progress progress;
  auto out = RunJobInChildProcess(
      Shell(R"(echo '{"error": "params.fees: expected A:B:N", "kind": "invalid_input"}')"), 1, {},
      progress.callback());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(out.error().message, "params.fees: expected A:B:N");
}

TEST(RunJobInChildProcessTest, CrashFailsTheJobWithTheSignal) {
  Progress progress;
  auto out = RunJobInChildProcess(Shell(R"(echo '{"progress": 0.2, "message": "cuts"}'; kill -SEGV $$)"), 1,
                                  {}, progress.callback());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().kind, ErrorKind::kInternal);
  EXPECT_NE(out.error().message.find("crashed (signal 11"), std::string::npos) << out.error().message;
  EXPECT_NE(out.error().message.find("other jobs are unaffected"), std::string::npos) << out.error().message;
  EXPECT_EQ(progress.lines.size(), 1u);
}

TEST(RunJobInChildProcessTest, ExitWithoutResultAndMissingProgramFail) {
  Progress progress;
  auto out = RunJobInChildProcess(Shell("exit 3"), 1, {}, progress.callback());
  ASSERT_FALSE(out.has_value());
  EXPECT_NE(out.error().message.find("exited with status 3 without a result"), std::string::npos)
      << out.error().message;

  auto missing =
      RunJobInChildProcess({.command = {"/nonexistent/cobuild", "job-worker"}}, 1, {}, progress.callback());
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("/nonexistent/cobuild"), std::string::npos)
      << missing.error().message;
}

TEST(RunJobInChildProcessTest, StopClosesTheChildsInputAndKillsAStubbornChild) {
  Progress progress;
  std::stop_source stop;
  stop.request_stop();
  // A child that stops when its input ends answers at once.
  auto polite = RunJobInChildProcess(Shell(R"(cat > /dev/null; echo '{"error": "stopped"}')"), 1,
                                     stop.get_token(), progress.callback());
  ASSERT_FALSE(polite.has_value());
  EXPECT_EQ(polite.error().message, "stopped");

  // One that does not is killed kill_after later.
  const auto start = std::chrono::steady_clock::now();
  auto stubborn = RunJobInChildProcess(Shell("exec sleep 30"), 1, stop.get_token(), progress.callback());
  ASSERT_FALSE(stubborn.has_value());
  EXPECT_EQ(stubborn.error().message, "the job did not stop in time and was killed");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

class ServeJobInThisProcessTest : public ::testing::Test {
 protected:
  ServeJobInThisProcessTest() {
    storage_ = std::move(*Storage::Open(":memory:"));
    registry_.Register({.name = "count",
                        .description = "sums 1..n",
                        .needs_scenario = true,
                        .handler = [](const JobContext& job) -> Result<JobOutput> {
                          const int n = job.params.value("n", 0);
                          int sum = 0;
                          for (int i = 1; i <= n; ++i) sum += i;
                          job.report_progress(0.5, "adding");
                          return JobOutput{.json = {{"sum", sum}, {"scenario", job.scenario->name}},
                                           .csv = "sum\n" + std::to_string(sum) + "\n"};
                        }});
    registry_.Register({.name = "wait",
                        .description = "waits until stopped",
                        .needs_scenario = false,
                        .handler = [](const JobContext& job) -> Result<JobOutput> {
                          while (!job.stop.stop_requested()) {
                            std::this_thread::sleep_for(std::chrono::milliseconds(1));
                          }
                          return InvalidInput("stopped as asked");
                        }});
    scenario_id_ = *storage_->AddScenario("uk", "uk.yaml", "months: 12\n");
    EXPECT_EQ(::pipe(stop_pipe_), 0);
  }
  ~ServeJobInThisProcessTest() override {
    ::close(stop_pipe_[0]);
    if (stop_pipe_[1] >= 0) ::close(stop_pipe_[1]);
  }

  std::vector<json> Lines(const std::string& text) {
    std::vector<json> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
    return lines;
  }

  std::unique_ptr<Storage> storage_;
  JobRegistry registry_;
  int64_t scenario_id_ = 0;
  int stop_pipe_[2] = {-1, -1};
};

TEST_F(ServeJobInThisProcessTest, WritesProgressThenTheResult) {
  const int64_t id = *storage_->AddJob("count", scenario_id_, R"({"n": 10})");
  std::ostringstream out;
  EXPECT_EQ(ServeJobInThisProcess(*storage_, registry_, id, stop_pipe_[0], out), 0);
  const auto lines = Lines(out.str());
  ASSERT_EQ(lines.size(), 2u) << out.str();
  EXPECT_EQ(lines[0], (json{{"progress", 0.5}, {"message", "adding"}}));
  EXPECT_EQ(lines[1], (json{{"result", {{"sum", 55}, {"scenario", "uk"}}}, {"csv", "sum\n55\n"}}));
}

TEST_F(ServeJobInThisProcessTest, EndOfInputIsTheStopToken) {
  const int64_t id = *storage_->AddJob("wait", std::nullopt, "{}");
  ::close(stop_pipe_[1]);
  stop_pipe_[1] = -1;
  std::ostringstream out;
  EXPECT_EQ(ServeJobInThisProcess(*storage_, registry_, id, stop_pipe_[0], out), 0);
  EXPECT_EQ(Lines(out.str()).back(), (json{{"error", "stopped as asked"}, {"kind", "invalid_input"}}));
}

TEST_F(ServeJobInThisProcessTest, UnknownJobIsAnErrorLineAndExitCode) {
  std::ostringstream out;
  EXPECT_EQ(ServeJobInThisProcess(*storage_, registry_, 99, stop_pipe_[0], out), 1);
  EXPECT_EQ(Lines(out.str()).back()["kind"], "not_found");
}

// The manager with a child per job: a crashing job fails alone, and the
// next job runs.
TEST_F(ServeJobInThisProcessTest, ManagerSurvivesACrashingChild) {
  JobManager jobs(
      *storage_, registry_,
      {.num_workers = 1, .max_queued = 4, .process = Shell(R"(if [ "$2" = 1 ]; then kill -SEGV $$; fi
echo '{"result": {"ok": true}, "csv": ""}')")});
  const int64_t crashed = **jobs.Start("count", scenario_id_, json{{"n", 3}});
  const int64_t next = **jobs.Start("count", scenario_id_, json{{"n", 3}});
  jobs.WaitIdle();
  auto a = storage_->GetJob(crashed).value();
  EXPECT_EQ(a.status, JobStatus::kFailed);
  EXPECT_NE(a.error.find("signal 11"), std::string::npos) << a.error;
  auto b = storage_->GetJob(next).value();
  EXPECT_EQ(b.status, JobStatus::kSucceeded) << b.error;
  EXPECT_EQ(json::parse(storage_->GetResult(next)->json), (json{{"ok", true}}));
}

}  // namespace
}  // namespace cobuild::server
