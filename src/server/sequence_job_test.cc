#include "server/sequence_job.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "app/line_day.h"
#include "io/line_day_io.h"
#include "io/plan_io.h"
#include "io/scenario_reader.h"
#include "plan/planner.h"
#include "server/engines.h"
#include "server/job_manager.h"

namespace cobuild::server {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The default scenario's plan at the root (no branching, about ten
// seconds), solved once: a plan job's plan is re-checked before a line day
// is taken from it, so it must pass the plan checker.
const plan::Plan& UkPlan(const model::Scenario& s) {
  static const plan::Plan* plan = [&] {
    plan::PlanRequest request;
    request.options.solve.max_nodes = 0;
    request.options.solve.time_limit_seconds = 300;
    auto p = plan::SolvePlan(s, request);
    EXPECT_TRUE(p && p->HasSolution());
    return new plan::Plan(p ? *p : plan::Plan{});
  }();
  return *plan;
}

// The default scenario with a succeeded plan job (stored as a plan job's
// result is, so no solve is needed per test).
class SequenceJobTest : public ::testing::Test {
 protected:
  SequenceJobTest() {
    storage_ = std::move(*Storage::Open(":memory:"));
    const std::string yaml = Slurp("scenarios/uk-2026.yaml");
    auto parsed = io::ParseScenario(yaml, "uk-2026.yaml");
    EXPECT_TRUE(parsed.has_value()) << parsed.error().message;
    if (parsed) scenario_ = *parsed;
    scenario_id_ = *storage_->AddScenario(scenario_.name, "uk-2026.yaml", yaml);
    plan_ = UkPlan(scenario_);
    plan_job_ = AddPlanJob(plan_);
  }

  int64_t AddPlanJob(const plan::Plan& plan) {
    const int64_t id = *storage_->AddJob("plan", scenario_id_, "{}");
    EXPECT_TRUE(storage_->StartJob(id).has_value());
    const json result = {{"plan", io::PlanToJson(scenario_, plan)}};
    EXPECT_TRUE(storage_->FinishJob(id, {.json = result.dump(), .csv = ""}).has_value());
    return id;
  }

  JobRecord Run(const json& params) {
    JobManager jobs(*storage_, registry_, {.num_workers = 1, .max_queued = 4});
    auto id = jobs.Start("sequence", scenario_id_, params);
    EXPECT_TRUE(id.has_value() && id->has_value());
    jobs.WaitIdle();
    return *storage_->GetJob(**id);
  }

  json Day(const json& extra = json::object()) {
    json params = {{"plan_job", plan_job_}, {"line", "halewood-2"}, {"date", "2027-03-10"}};
    params.update(extra);
    return params;
  }

  std::unique_ptr<Storage> storage_;
  JobRegistry registry_ = DefaultJobRegistry();
  model::Scenario scenario_;
  plan::Plan plan_;
  int64_t scenario_id_ = 0;
  int64_t plan_job_ = 0;
};

TEST_F(SequenceJobTest, RegisteredInTheDefaultRegistry) {
  const JobKind* kind = registry_.Find("sequence");
  ASSERT_NE(kind, nullptr);
  EXPECT_TRUE(kind->needs_scenario);
}

TEST_F(SequenceJobTest, ResultHasWhatTheLineDayPageDraws) {
  const JobRecord job = Run(Day({{"seed", 4}, {"max_evals", 200000}, {"time_limit_seconds", 30}}));
  ASSERT_EQ(job.status, JobStatus::kSucceeded) << job.error;
  const JobResult stored = *storage_->GetResult(job.id);
  const json r = json::parse(stored.json);
  ASSERT_TRUE(r["cars"].is_array());
  EXPECT_EQ(r["cars"].size(), r["day_cars"].get<size_t>());
  for (const json& car : r["cars"]) {
    ASSERT_TRUE(car["variant"].is_string());
    ASSERT_TRUE(car["paint"].is_string());
  }
  int64_t excess = 0;
  for (const json& w : r["overloaded_windows"]) {
    ASSERT_TRUE(w["station"].is_string());
    EXPECT_LT(w["start"].get<int>(), w["end"].get<int>());
    excess += w["excess"].get<int64_t>();
  }
  EXPECT_EQ(excess, r["criteria"]["hprc"].get<int64_t>() + r["criteria"]["lprc"].get<int64_t>());
  EXPECT_LE(r["bound"].get<int64_t>(), r["score"].get<int64_t>());
  EXPECT_EQ(r["plan_job"], plan_job_);
  EXPECT_EQ(r["previous_date"], "2027-03-09");
  // The line's days with cars, for the page's pickers: the day itself is
  // listed with its cars, each month's days sum to the month, and the next
  // date is the next listed day.
  ASSERT_TRUE(r["line_days"].is_array());
  bool found_day = false;
  std::string after;
  for (const json& month : r["line_days"]) {
    int cars = 0;
    for (const json& day : month["days"]) {
      cars += day["cars"].get<int>();
      const std::string date = day["date"];
      if (date == "2027-03-10") {
        found_day = true;
        EXPECT_EQ(day["cars"], r["day_cars"]);
      }
      if (after.empty() && date > "2027-03-10") after = date;
    }
    EXPECT_EQ(cars, month["cars"].get<int>()) << month["month"];
    if (month["month"] == "2027-03") {
      EXPECT_EQ(cars, r["month_cars"].get<int>());
    }
  }
  EXPECT_TRUE(found_day);
  EXPECT_EQ(r["next_date"], after);

  // The same as the library gives for the same plan, seed and work limit.
  sequence::SolveParams params;
  params.seed = 4;
  params.max_evals = 200000;
  params.time_limit_s = 30;
  auto direct = app::RunLineDay(scenario_, plan_, "halewood-2", "2027-03-10", params);
  ASSERT_TRUE(direct.has_value()) << direct.error().message;
  EXPECT_EQ(r["cars"], io::LineDayToJson(scenario_, *direct)["cars"]);
  EXPECT_EQ(r["score"], direct->result.solve.score);
  EXPECT_EQ(stored.csv, io::LineDayCsv(scenario_, *direct));
  EXPECT_EQ(stored.csv.substr(0, stored.csv.find('\n')), "position,variant,brand,paint,options");
}

TEST_F(SequenceJobTest, BadParamsFailTheJobWithAClearMessage) {
  EXPECT_THAT(Run(Day({{"line", "halewod-2"}})).error, HasSubstr("(did you mean 'halewood-2'?)"));
  EXPECT_THAT(Run(Day({{"date", "2027-03-14"}})).error, HasSubstr("got 2027-03-14, a Sunday"));
  EXPECT_THAT(Run(Day({{"time_limit_seconds", 61}})).error, HasSubstr("params.time_limit_seconds"));
  EXPECT_THAT(Run(Day({{"colour", "red"}})).error, HasSubstr("params.colour: unknown parameter"));
  json no_date = Day();
  no_date.erase("date");
  EXPECT_THAT(Run(no_date).error, HasSubstr("params.date: expected a working day"));
  const JobRecord first = Run(Day({{"max_evals", 1000}}));
  ASSERT_EQ(first.status, JobStatus::kSucceeded) << first.error;
  EXPECT_THAT(Run(Day({{"plan_job", first.id}})).error, HasSubstr("expected a plan job, got job"));
  EXPECT_THAT(Run(Day({{"plan_job", 999}})).error, HasSubstr("params.plan_job"));
  EXPECT_THAT(Run(Day({{"baseline_job", plan_job_}})).error, HasSubstr("expected it or plan_job, got both"));
  json by_baseline = Day({{"baseline_job", plan_job_}, {"max_evals", 1000}});
  by_baseline.erase("plan_job");
  const JobRecord as_baseline = Run(by_baseline);
  EXPECT_EQ(as_baseline.status, JobStatus::kSucceeded) << as_baseline.error;
}

// A stored plan is re-checked: one that builds cars without shipping them,
// shifts or money figures fails the checker and no day is taken from it.
TEST_F(SequenceJobTest, PlanJobWhosePlanFailsTheCheckerIsRefused) {
  plan::Plan hand_made;
  hand_made.scenario_name = scenario_.name;
  hand_made.status = plan::SolveStatus::kOptimal;
  hand_made.basis = plan_.basis;
  hand_made.production = {{scenario_.FindLine("halewood-2"), scenario_.FindVariant("evoque-ice"), 14, 3000}};
  const JobRecord job = Run(Day({{"plan_job", AddPlanJob(hand_made)}}));
  EXPECT_EQ(job.status, JobStatus::kFailed);
  EXPECT_THAT(job.error, HasSubstr("the plan violates scenario uk-2026"));
}

// Without plan_job the job solves a plan first, as the replan job does.
TEST(SequenceJobWithoutPlanTest, SolvesAPlanFirst) {
  auto storage = std::move(*Storage::Open(":memory:"));
  const std::string yaml = Slurp("tests/data/scenarios/small.yaml");
  const int64_t scenario = *storage->AddScenario("small", "small.yaml", yaml);
  const JobRegistry registry = DefaultJobRegistry();
  JobManager jobs(*storage, registry, {.num_workers = 1, .max_queued = 4});
  auto id = jobs.Start("sequence", scenario,
                       json{{"line", "home-1"},
                            {"date", "2026-03-10"},
                            {"max_evals", 50000},
                            {"time_limit_seconds", 30},
                            {"plan_time_limit_seconds", 20}});
  ASSERT_TRUE(id.has_value() && id->has_value());
  jobs.WaitIdle();
  const JobRecord job = *storage->GetJob(**id);
  ASSERT_EQ(job.status, JobStatus::kSucceeded) << job.error;
  const json r = json::parse(storage->GetResult(job.id)->json);
  EXPECT_TRUE(r["plan_job"].is_null());
  EXPECT_GT(r["cars"].size(), 0u);
  EXPECT_EQ(r["line"], "home-1");
  // Every car needs the (soft) 2-in-5 battery station: its excess is the same
  // in any order, and the bound proves it.
  EXPECT_EQ(r["criteria"]["hprc"], 0);
  EXPECT_GT(r["criteria"]["lprc"].get<int64_t>(), 0);
  EXPECT_EQ(r["criteria"]["lprc"], r["lower_bound"]["lprc"]);
}

}  // namespace
}  // namespace cobuild::server
