#include "app/baseline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "io/plan_io.h"
#include "io/scenario_reader.h"
#include "plan/plan_checker.h"
#include "plan/planner.h"

namespace cobuild::app {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// tests/data/scenarios/small.yaml and its plan, solved once.
class BaselineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto s = io::LoadScenario("tests/data/scenarios/small.yaml");
    ASSERT_TRUE(s) << s.error().message;
    scenario_ = new model::Scenario(std::move(*s));
    plan::PlanRequest request;
    request.options.solve.time_limit_seconds = 30;
    auto p = plan::SolvePlan(*scenario_, request);
    ASSERT_TRUE(p && p->HasSolution());
    plan_ = new plan::Plan(std::move(*p));
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("cobuild_app_baseline_test_" + std::to_string(getpid())));
    std::filesystem::create_directories(*dir_);
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete scenario_;
    delete plan_;
    delete dir_;
  }

  static std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (*dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  // A stored job as the server's store gives it.
  static StoredJob Job(const std::string& kind, const std::string& status, const json& result) {
    return {.id = 7,
            .kind = kind,
            .status = status,
            .scenario_id = 3,
            .result_json = result.is_null() ? "" : result.dump()};
  }

  static model::Scenario* scenario_;
  static plan::Plan* plan_;
  static std::filesystem::path* dir_;
};

model::Scenario* BaselineTest::scenario_ = nullptr;
plan::Plan* BaselineTest::plan_ = nullptr;
std::filesystem::path* BaselineTest::dir_ = nullptr;

TEST_F(BaselineTest, SolvedPlanIsCheckedAndSaysWhereItCameFrom) {
  Solve solve;
  solve.request.options.solve.time_limit_seconds = 30;
  auto base = ResolveBaseline(*scenario_, solve);
  ASSERT_TRUE(base) << base.error().message;
  EXPECT_EQ(base->source, "solved here");
  EXPECT_NEAR(base->plan.objective_gbp, plan_->objective_gbp, 1e-6 * std::abs(plan_->objective_gbp) + 1);
  EXPECT_TRUE(plan::CheckPlan(base->planned_on, base->plan, base->request).ok());
}

TEST_F(BaselineTest, SolveWithExcludedBrandKeepsThemOut) {
  Solve solve;
  solve.request.options.solve.time_limit_seconds = 30;
  solve.request.excluded_brands = {scenario_->FindBrand("partnerbrand")};
  auto base = ResolveBaseline(*scenario_, solve);
  ASSERT_TRUE(base) << base.error().message;
  for (const auto& e : base->plan.production) {
    EXPECT_NE(scenario_->variants[e.variant].id, "ev1-bev");
  }
  EXPECT_EQ(base->request.excluded_brands, solve.request.excluded_brands);
}

TEST_F(BaselineTest, StoppedSolveIsAnInternalError) {
  Solve solve;
  solve.request.options.solve.should_stop = [] { return true; };
  auto base = ResolveBaseline(*scenario_, solve);
  ASSERT_FALSE(base);
  EXPECT_EQ(base.error().kind, ErrorKind::kInternal);
}

TEST_F(BaselineTest, PlanFileReadsBackTheSamePlan) {
  for (const auto& [name, text] : {std::pair{"plan.json", io::WritePlanJson(*scenario_, *plan_)},
                                   std::pair{"plan.csv", io::WritePlanCsv(*scenario_, *plan_)}}) {
    const std::string path = Write(name, text);
    auto base = ResolveBaseline(*scenario_, PlanFile{.path = path});
    ASSERT_TRUE(base) << base.error().message;
    EXPECT_EQ(base->source, "plan file " + path);
    EXPECT_EQ(base->plan.production.size(), plan_->production.size());
    EXPECT_NEAR(base->plan.objective_gbp, plan_->objective_gbp, 0.01);
    EXPECT_EQ(base->planned_on, *scenario_);
  }
}

TEST_F(BaselineTest, MissingPlanFileIsNotFound) {
  auto base = ResolveBaseline(*scenario_, PlanFile{.path = (*dir_ / "nowhere.json").string()});
  ASSERT_FALSE(base);
  EXPECT_EQ(base.error().kind, ErrorKind::kNotFound);
  EXPECT_THAT(base.error().message, HasSubstr("nowhere.json: cannot open the plan file"));
}

TEST_F(BaselineTest, PlanThatFailsTheCheckerIsRefused) {
  plan::Plan broken = *plan_;
  ASSERT_FALSE(broken.production.empty());
  broken.production.front().units += 1e6;  // far beyond the line's capacity
  const std::string path = Write("broken.json", io::WritePlanJson(*scenario_, broken));
  auto base = ResolveBaseline(*scenario_, PlanFile{.path = path});
  ASSERT_FALSE(base);
  EXPECT_EQ(base.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(base.error().message, HasSubstr(path + ": the plan violates scenario small: "));
}

TEST_F(BaselineTest, PlanMadeWithOtherLeversIsRefused) {
  const std::string path = Write("levers.json", io::WritePlanJson(*scenario_, *plan_));
  model::Scenario changed = *scenario_;
  changed.replan.extra_shifts_per_day += 1;
  auto base = ResolveBaseline(changed, PlanFile{.path = path});
  ASSERT_FALSE(base);
  EXPECT_THAT(base.error().message, HasSubstr(path + ": the plan was made with levers"));
}

TEST_F(BaselineTest, PlanOfAnotherScenarioSaysSo) {
  json other = io::PlanToJson(*scenario_, *plan_);
  other["scenario"] = "elsewhere";
  other["production"][0]["line"] = "elsewhere-1";
  const std::string path = Write("other.json", other.dump());
  auto base = ResolveBaseline(*scenario_, PlanFile{.path = path});
  ASSERT_FALSE(base);
  EXPECT_THAT(
      base.error().message,
      HasSubstr("plan: expected a plan of scenario \"small\", got one of \"elsewhere\" (" + path + ")"));
}

TEST_F(BaselineTest, FinishedPlanJobGivesItsPlan) {
  const json result = {{"plan", io::PlanToJson(*scenario_, *plan_)}};
  auto base = ResolveBaseline(
      *scenario_,
      JobPlan{.param = "params.baseline_job", .job = Job("plan", "succeeded", result), .scenario_id = 3});
  ASSERT_TRUE(base) << base.error().message;
  EXPECT_EQ(base->source, "job 7: plan");
  EXPECT_NEAR(base->plan.objective_gbp, plan_->objective_gbp, 0.01);
}

TEST_F(BaselineTest, ReplanJobGivesItsRecoveredPlanWhenAllowed) {
  const json result = {{"recovered", {{"plan", io::PlanToJson(*scenario_, *plan_)}}}};
  JobPlan source{.param = "params.a_job", .job = Job("replan", "succeeded", result), .replan_ok = true};
  auto base = ResolveBaseline(*scenario_, source);
  ASSERT_TRUE(base) << base.error().message;
  EXPECT_EQ(base->source, "job 7: recovered plan");
  source.replan_ok = false;
  base = ResolveBaseline(*scenario_, source);
  ASSERT_FALSE(base);
  EXPECT_THAT(base.error().message, HasSubstr("params.a_job: expected a plan job, got job 7, a replan job"));
}

TEST_F(BaselineTest, JobThatHasNotFinishedIsRefused) {
  for (const char* status : {"queued", "running", "failed", "cancelled"}) {
    auto base = ResolveBaseline(
        *scenario_,
        JobPlan{.param = "params.baseline_job", .job = Job("plan", status, nullptr), .scenario_id = 3});
    ASSERT_FALSE(base) << status;
    EXPECT_EQ(base.error().kind, ErrorKind::kInvalidInput);
    EXPECT_THAT(base.error().message,
                HasSubstr(std::string("params.baseline_job: job 7 is ") + status + ", not finished"));
  }
}

TEST_F(BaselineTest, JobOfTheWrongKindScenarioOrResultIsRefused) {
  const json result = {{"plan", io::PlanToJson(*scenario_, *plan_)}};
  auto kind = ResolveBaseline(
      *scenario_, JobPlan{.param = "params.baseline_job", .job = Job("validate", "succeeded", result)});
  ASSERT_FALSE(kind);
  EXPECT_THAT(kind.error().message, HasSubstr("expected a plan job, got job 7, a validate job"));
  auto other = ResolveBaseline(
      *scenario_,
      JobPlan{.param = "params.baseline_job", .job = Job("plan", "succeeded", result), .scenario_id = 4});
  ASSERT_FALSE(other);
  EXPECT_THAT(other.error().message, HasSubstr("which planned another scenario"));
  auto empty = ResolveBaseline(*scenario_, JobPlan{.param = "params.baseline_job",
                                                   .job = Job("plan", "succeeded", json{{"status", "x"}})});
  ASSERT_FALSE(empty);
  EXPECT_THAT(empty.error().message, HasSubstr("params.baseline_job: job 7's result holds no plan file"));
}

TEST_F(BaselineTest, JobPlanThatFailsTheCheckerIsRefused) {
  plan::Plan broken = *plan_;
  broken.production.front().units += 1e6;
  const json result = {{"plan", io::PlanToJson(*scenario_, broken)}};
  auto base = ResolveBaseline(
      *scenario_, JobPlan{.param = "params.baseline_job", .job = Job("plan", "succeeded", result)});
  ASSERT_FALSE(base);
  EXPECT_THAT(base.error().message,
              HasSubstr("params.baseline_job: job 7: the plan violates scenario small"));
}

TEST_F(BaselineTest, ReadPlanFileGivesThePlanAndItsContextUnchecked) {
  plan::Plan broken = *plan_;
  broken.production.front().units += 1e6;
  auto read = ReadPlanFile(*scenario_, Write("unchecked.json", io::WritePlanJson(*scenario_, broken)));
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_FALSE(plan::CheckPlan(read->context.scenario, read->plan, read->context.request).ok());
}

}  // namespace
}  // namespace cobuild::app
