// Retooling downtime and ramp-up curves (docs/planning-model.md, "Retooling
// downtime and ramp-up"): hand-worked golden plans (tests/data/golden/README.md),
// the checker's refusals, and the stopped weeks counted back from the ready month.
#include "plan/ramp_up.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "io/scenario_reader.h"
#include "plan/plan_checker.h"
#include "plan/plan_summary.h"
#include "plan/planner.h"

namespace cobuild::plan {
namespace {

using ::testing::HasSubstr;

PlanRequest Exact() {
  PlanRequest request;
  request.options.solve.time_limit_seconds = 60;
  request.options.solve.relative_gap = 1e-7;
  return request;
}

model::Scenario Load(const char* file) {
  auto scenario = io::LoadScenario(file);
  if (!scenario) {
    ADD_FAILURE() << scenario.error().message;
    return {};
  }
  return *scenario;
}

Plan SolveChecked(const model::Scenario& scenario, double objective_gbp) {
  const PlanRequest request = Exact();
  auto plan = SolvePlan(scenario, request);
  if (!plan) {
    ADD_FAILURE() << plan.error().message;
    return {};
  }
  EXPECT_EQ(plan->status, SolveStatus::kOptimal) << plan->stats.solver_message;
  EXPECT_NEAR(plan->objective_gbp, objective_gbp, 1e-6 * objective_gbp);
  const CheckReport report = CheckPlan(scenario, *plan, request);
  for (const std::string& v : report.violations) ADD_FAILURE() << v;
  EXPECT_NEAR(report.objective_gbp, objective_gbp, 1e-6 * objective_gbp);
  return *plan;
}

// Cars of `variant` built in each month.
std::vector<double> Built(const model::Scenario& s, const Plan& plan, const std::string& variant) {
  std::vector<double> out(static_cast<size_t>(s.horizon.num_months), 0.0);
  for (const ProductionEntry& e : plan.production) {
    if (s.variants[e.variant].id == variant) out[e.month] += e.units;
  }
  return out;
}

// tests/data/golden/README.md, "retooling-ramp.yaml": retooled in January,
// February half stopped (800 cars), the new platform at 25% and 50% of
// the line's 1,600 cars in March and April.
TEST(RampUpTest, RetoolingGoldenPlanIsTheHandWorkedOne) {
  const model::Scenario s = Load("tests/data/golden/retooling-ramp.yaml");
  const Plan plan = SolveChecked(s, 7'080'000.0);
  ASSERT_EQ(plan.retooling.size(), 1u);
  EXPECT_EQ(plan.retooling[0].month, 0);
  EXPECT_THAT(Built(s, plan, "new-ice"), ::testing::ElementsAre(0, 0, 400, 800));
  EXPECT_THAT(Built(s, plan, "old-ice"), ::testing::ElementsAre(1000, 800, 1000, 800));
  // The summary reports the ready month, the stop and the ramp.
  const PlanSummary summary = Summarize(s, plan);
  ASSERT_EQ(summary.retooled.size(), 1u);
  const RetooledLine& r = summary.retooled[0];
  EXPECT_EQ(r.ready_month, 2);
  EXPECT_THAT(r.downtime_months, ::testing::ElementsAre(1));
  EXPECT_DOUBLE_EQ(r.downtime_lost_cars, 800);
  ASSERT_EQ(r.ramp.size(), 2u);
  EXPECT_DOUBLE_EQ(r.ramp[0].cap, 400);
  EXPECT_DOUBLE_EQ(r.ramp[0].built, 400);
  EXPECT_DOUBLE_EQ(r.ramp[1].cap, 800);
  EXPECT_DOUBLE_EQ(r.ramp[1].built, 800);
}

// Without the keys the model is today's: full output through the lead
// time, full rate from the ready month.
TEST(RampUpTest, WithoutDowntimeAndRampTheLineBuildsAtFullRateAtOnce) {
  model::Scenario s = Load("tests/data/golden/retooling-ramp.yaml");
  s.lines[0].retooling[0].downtime_weeks = 0;
  s.lines[0].retooling[0].ramp_up.clear();
  const Plan plan = SolveChecked(s, 15'520'000.0);
  EXPECT_THAT(Built(s, plan, "new-ice"), ::testing::ElementsAre(0, 0, 1600, 1600));
}

// A line readied before its cars may be built ramps up when they may: with
// the new car launched in April the retooled line builds 25% of its 1,600
// cars then, whichever month it was ready.
TEST(RampUpTest, RampStartsWhenTheLineMayFirstBuildThePlatform) {
  model::Scenario s = Load("tests/data/golden/retooling-ramp.yaml");
  const int v = s.FindVariant("new-ice");
  ASSERT_GE(v, 0);
  s.variants[v].has_launch = true;
  s.variants[v].launch_month = 3;
  auto plan = SolvePlan(s, Exact());
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(Built(s, *plan, "new-ice"), ::testing::ElementsAre(0, 0, 0, 400));
  const CheckReport report = CheckPlan(s, *plan, Exact());
  for (const std::string& violation : report.violations) ADD_FAILURE() << violation;
  EXPECT_EQ(RampStart(s, {}, 0, 1, 2), 3);
  EXPECT_EQ(RampStart(s, {}, 0, 1, 3), 3);
}

// tests/data/golden/README.md, "launch-ramp.yaml".
TEST(RampUpTest, LaunchGoldenPlanBuildsNothingBeforeTheLaunchAndRampsAfter) {
  model::Scenario s = Load("tests/data/golden/launch-ramp.yaml");
  const Plan plan = SolveChecked(s, 1'440'000.0);
  EXPECT_THAT(Built(s, plan, "m1-ice"), ::testing::ElementsAre(0, 400));
  s.variants[0].has_launch = false;
  SolveChecked(s, 8'600'000.0);
}

// The checker re-derives the stop and the caps: a car more in the stopped
// month, above the ramp's cap or before a launch is refused, by name.
TEST(RampUpTest, CheckerRefusesCarsInDowntimeAboveTheRampOrBeforeTheLaunch) {
  const model::Scenario s = Load("tests/data/golden/retooling-ramp.yaml");
  const Plan plan = SolveChecked(s, 7'080'000.0);
  auto refused = [&](const Plan& p, const std::string& text) {
    const CheckReport report = CheckPlan(s, p, Exact());
    EXPECT_FALSE(report.ok());
    std::string all;
    for (const std::string& v : report.violations) all += v + "\n";
    EXPECT_THAT(all, HasSubstr(text));
  };
  Plan in_downtime = plan;
  for (ProductionEntry& e : in_downtime.production) {
    if (e.month == 1) e.units += 100;
  }
  refused(
      in_downtime,
      "line alpha-1 month 2027-02: 900.00 cars exceed 800.00, the capacity left while the line stops 10 of "
      "its 20 working days for its retooling to platform p2");
  Plan above_ramp = plan;
  for (ProductionEntry& e : above_ramp.production) {
    if (e.month == 2 && s.variants[e.variant].id == "new-ice") e.units += 1;
  }
  refused(
      above_ramp,
      "line alpha-1 month 2027-03: 401.00 cars of platform p2 exceed its ramp-up cap of 400.00 (25% of the "
      "line's capacity in month 1 of its ramp-up after the retooling)");

  const model::Scenario launch = Load("tests/data/golden/launch-ramp.yaml");
  auto launched = SolvePlan(launch, Exact());
  ASSERT_TRUE(launched);
  Plan early = *launched;
  early.production.push_back({.line = 0, .variant = 0, .month = 0, .units = 10});
  const CheckReport report = CheckPlan(launch, early, Exact());
  std::string all;
  for (const std::string& v : report.violations) all += v + "\n";
  EXPECT_THAT(
      all, HasSubstr("line alpha-1 month 2027-01: 10.00 cars of m1-ice built before its launch in 2027-02"));
  Plan above = *launched;
  for (ProductionEntry& e : above.production) e.units += 5;
  const CheckReport over = CheckPlan(launch, above, Exact());
  all.clear();
  for (const std::string& v : over.violations) all += v + "\n";
  EXPECT_THAT(all, HasSubstr("405.00 cars of m1-ice exceed its launch ramp-up cap of 400.00"));
}

// The stop is counted back from the ready month in working days (5 a week),
// passing over a month the plant does not work, never before the decision.
TEST(RampUpTest, DowntimeIsTheLastWorkingDaysBeforeTheReadyMonth) {
  model::Scenario s = Load("tests/data/golden/retooling-ramp.yaml");
  s.plants[0].calendar.working_days = {20, 16, 0, 20};  // March shut
  model::Retooling option = s.lines[0].retooling[0];
  option.lead_time_months = 3;
  option.downtime_weeks = 5;  // 25 working days
  // Decided in January, ready in April: March has none, so February's 16
  // and 9 of January's 20.
  EXPECT_THAT(
      RetoolingDowntime(s, 0, option, 0),
      ::testing::ElementsAre(MonthShare{.month = 1, .share = 1.0}, MonthShare{.month = 0, .share = 0.45}));
  // Decided in February, ready after the horizon: April's 20, then 5 of
  // February's 16.
  EXPECT_THAT(
      RetoolingDowntime(s, 0, option, 1),
      ::testing::ElementsAre(MonthShare{.month = 3, .share = 1.0}, MonthShare{.month = 1, .share = 0.3125}));
  s.lines[0].retooling[0] = option;
  const std::vector<RetoolEntry> retooled = {{.line = 0, .platform = 1, .month = 0}};
  EXPECT_DOUBLE_EQ(StoppedShare(s, retooled, 0, 0), 0.45);
  EXPECT_DOUBLE_EQ(StoppedShare(s, retooled, 0, 2), 0.0);
}

}  // namespace
}  // namespace cobuild::plan
