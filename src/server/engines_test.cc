#include "server/engines.h"

#include <cmath>
#include <map>

#include <gtest/gtest.h>

#include "io/plan_io.h"
#include "io/scenario_reader.h"
#include "io/scenario_writer.h"
#include "plan/plan_checker.h"
#include "plan/test_scenarios.h"
#include "server/job_manager.h"

namespace cobuild::server {
namespace {

using nlohmann::json;

class EnginesTest : public ::testing::Test {
 protected:
  EnginesTest() {
    storage_ = std::move(*Storage::Open(":memory:"));
    yaml_ = io::WriteScenarioYaml(plan::testing::MiniUk());
    auto parsed = io::ParseScenario(yaml_, "mini-uk.yaml");
    EXPECT_TRUE(parsed.has_value()) << parsed.error().message;
    if (parsed) scenario_ = *parsed;
    scenario_id_ = *storage_->AddScenario(scenario_.name, "mini-uk.yaml", yaml_);
  }

  JobRecord Run(std::string_view kind, const json& params) {
    JobManager jobs(*storage_, registry_, {.num_workers = 1, .max_queued = 4});
    auto id = jobs.Start(kind, scenario_id_, params);
    EXPECT_TRUE(id.has_value() && id->has_value());
    jobs.WaitIdle();
    return *storage_->GetJob(**id);
  }

  std::unique_ptr<Storage> storage_;
  JobRegistry registry_ = DefaultJobRegistry();
  std::string yaml_;
  model::Scenario scenario_;
  int64_t scenario_id_ = 0;
};

TEST_F(EnginesTest, ValidatorReportsEveryProblemWithItsLine) {
  const ScenarioCheck good = ValidateScenarioYaml(yaml_, "mini-uk.yaml");
  EXPECT_TRUE(good.ok());
  EXPECT_EQ(good.name, scenario_.name);
  EXPECT_EQ(good.summary["lines"], scenario_.lines.size());

  const ScenarioCheck bad = ValidateScenarioYaml("name: x\nhorizon: {start: 2026-01, months: -1}\n",
                                                 "bad.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.errors[0].file, "bad.yaml");
  EXPECT_GT(bad.errors[0].line, 0);
  const ScenarioCheck garbage = ValidateScenarioYaml("{[ not yaml", "garbage.yaml");
  EXPECT_FALSE(garbage.ok());
}

TEST_F(EnginesTest, ValidateJobSummarisesTheScenario) {
  const JobRecord job = Run("validate", json::object());
  ASSERT_EQ(job.status, JobStatus::kSucceeded) << job.error;
  const auto result = *storage_->GetResult(job.id);
  EXPECT_EQ(json::parse(result.json)["name"], scenario_.name);
  EXPECT_EQ(result.csv.substr(0, result.csv.find('\n')), "plant,line,max_cars_per_year_avg");
}

TEST_F(EnginesTest, UnknownOrOutOfRangeParamsFailTheJob) {
  EXPECT_NE(Run("plan", json{{"time_limt_seconds", 5}}).error.find("params.time_limt_seconds"),
            std::string::npos);
  EXPECT_NE(Run("plan", json{{"time_limit_seconds", -5}}).error.find("params.time_limit_seconds"),
            std::string::npos);
}

// The plan job's result passes the independent plan checker, and its views
// add up to the plan's production.
TEST_F(EnginesTest, PlanJobResultIsAFeasiblePlanAndItsViewsAddUp) {
  const JobRecord job = Run("plan", json{{"time_limit_seconds", 20}});
  ASSERT_EQ(job.status, JobStatus::kSucceeded) << job.error;
  const auto stored = *storage_->GetResult(job.id);
  const json result = json::parse(stored.json);

  auto plan = io::ParsePlanJson(result["plan"].dump(), "result.json", scenario_);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  const plan::CheckReport check = plan::CheckPlan(scenario_, *plan);
  EXPECT_TRUE(check.ok()) << (check.violations.empty() ? "" : check.violations.front());
  EXPECT_NEAR(check.objective_gbp, result["objective_gbp"].get<double>(),
              1e-6 * std::max(1.0, std::abs(check.objective_gbp)));

  double produced = 0;
  std::map<int, double> by_plant;
  for (const auto& e : plan->production) {
    produced += e.units;
    by_plant[scenario_.lines[e.line].plant] += e.units;
  }
  const json& u = result["utilization"];
  ASSERT_EQ(u["plants"].size(), scenario_.plants.size());
  ASSERT_EQ(u["months"].size(), static_cast<size_t>(scenario_.horizon.num_months));
  double built = 0;
  for (size_t p = 0; p < scenario_.plants.size(); ++p) {
    for (int t = 0; t < scenario_.horizon.num_months; ++t) {
      const double b = u["built"][p][t];
      const double c = u["capacity"][p][t];
      const double s = u["share"][p][t];
      built += b;
      if (c > 0) {
        EXPECT_NEAR(s, b / c, 1e-9);
      }
      EXPECT_LE(s, 1 + 1e-6) << "plant " << p << " month " << t;
    }
  }
  EXPECT_NEAR(built, produced, 1e-6 * std::max(1.0, produced));
  std::map<std::string, double> brand_sum;
  for (const auto& row : result["units_by_brand"]) brand_sum[row["plant"]] += row["units"].get<double>();
  for (const auto& [plant, units] : by_plant) {
    EXPECT_NEAR(brand_sum[scenario_.plants[plant].id], units, 1e-6 * std::max(1.0, units));
  }
  for (const auto& row : result["spare_capacity"]) {
    EXPECT_GE(row["spare"].get<double>(), 0);
    EXPECT_NEAR(row["spare"].get<double>(),
                std::max(0.0, row["capacity"].get<double>() - row["built"].get<double>()), 1e-6);
  }
  EXPECT_EQ(result["contributions"].size(), scenario_.companies.size());
  EXPECT_EQ(stored.csv.substr(0, stored.csv.find('\n')), "plant,line,variant,brand,company,month,units");
}

}  // namespace
}  // namespace cobuild::server
