#include "plan/plan_checker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <utility>

#include "plan/planner.h"
#include "plan/test_scenarios.h"

namespace cobuild::plan {
namespace {

class PlanCheckerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scenario_ = new model::Scenario(testing::MiniUk());
    PlanRequest request;
    request.options.solve.time_limit_seconds = 30;
    auto plan = SolvePlan(*scenario_, request);
    ASSERT_TRUE(plan.has_value());
    plan_ = new Plan(*plan);
  }
  static void TearDownTestSuite() {
    delete scenario_;
    delete plan_;
  }
  static bool Mentions(const CheckReport& report, const std::string& text) {
    for (const auto& v : report.violations) {
      if (v.find(text) != std::string::npos) return true;
    }
    return false;
  }
  static model::Scenario* scenario_;
  static Plan* plan_;
};
model::Scenario* PlanCheckerTest::scenario_ = nullptr;
Plan* PlanCheckerTest::plan_ = nullptr;

TEST_F(PlanCheckerTest, AcceptsTheSolvedPlan) { EXPECT_TRUE(CheckPlan(*scenario_, *plan_).ok()); }

TEST_F(PlanCheckerTest, FlagsProductionBeyondShifts) {
  Plan plan = *plan_;
  for (auto& s : plan.shifts) s.shifts_per_day = 0;
  EXPECT_TRUE(Mentions(CheckPlan(*scenario_, plan), "exceed"));
}

TEST_F(PlanCheckerTest, FlagsTooManyShifts) {
  Plan plan = *plan_;
  plan.shifts[0].shifts_per_day = 7;
  EXPECT_TRUE(Mentions(CheckPlan(*scenario_, plan), "shifts a day"));
}

TEST_F(PlanCheckerTest, FlagsDemandNotAccountedFor) {
  Plan plan = *plan_;
  ASSERT_FALSE(plan.unmet.empty());
  plan.unmet.pop_back();
  EXPECT_TRUE(Mentions(CheckPlan(*scenario_, plan), "demanded"));
}

TEST_F(PlanCheckerTest, FlagsShipmentsThatDoNotMatchProduction) {
  Plan plan = *plan_;
  ASSERT_FALSE(plan.shipments.empty());
  plan.shipments[0].units += 100;
  EXPECT_TRUE(Mentions(CheckPlan(*scenario_, plan), "shipped"));
}

TEST_F(PlanCheckerTest, FlagsAPlatformTheLineCannotBuild) {
  Plan plan = *plan_;
  plan.retooling.clear();
  EXPECT_TRUE(Mentions(CheckPlan(*scenario_, plan), "no retooling is ready"));
}

TEST_F(PlanCheckerTest, FlagsAWrongContribution) {
  Plan plan = *plan_;
  plan.contributions[1].contribution_gbp += 1e6;
  EXPECT_TRUE(Mentions(CheckPlan(*scenario_, plan), "contribution"));
}

TEST_F(PlanCheckerTest, FlagsOutOfRangeIndicesWithoutCrashing) {
  Plan plan = *plan_;
  plan.production.push_back({.line = 99, .variant = -1, .month = 400, .units = -5});
  EXPECT_TRUE(Mentions(CheckPlan(*scenario_, plan), "out of range"));
}

TEST_F(PlanCheckerTest, FlagsAWrongArrivalMonth) {
  Plan plan = *plan_;
  for (auto& s : plan.shipments) {
    if (s.plant == 1 && s.market == 0) {
      s.arrival_month = s.month;
      break;
    }
  }
  EXPECT_TRUE(Mentions(CheckPlan(*scenario_, plan), "arrives"));
}

// MiniUk with a battery-marriage station (1 in 5 cars with a traction
// battery) on both Halewood lines; PHEVs and BEVs carry the battery.
model::Scenario WithBatteryStation(model::Scenario s) {
  for (auto& v : s.variants) {
    if (v.powertrain != model::Powertrain::kIce) v.options = {{.option = "battery", .share = 1.0}};
  }
  for (auto& line : s.lines) {
    if (line.plant != 0) continue;
    line.stations = {{.id = "marriage", .option = "battery", .max_cars = 1, .window_cars = 5,
                      .high_priority = true}};
  }
  return s;
}

// Largest share of battery cars on a Halewood line in any month.
double MaxBatteryShare(const model::Scenario& s, const Plan& plan) {
  std::map<std::pair<int, int>, std::pair<double, double>> by_line_month;  // battery, all
  for (const auto& e : plan.production) {
    if (s.lines[e.line].plant != 0) continue;
    auto& [battery, all] = by_line_month[{e.line, e.month}];
    all += e.units;
    if (s.variants[e.variant].powertrain != model::Powertrain::kIce) battery += e.units;
  }
  double worst = 0;
  for (const auto& [key, cars] : by_line_month) {
    if (cars.second > 1) worst = std::max(worst, cars.first / cars.second);
  }
  return worst;
}

TEST_F(PlanCheckerTest, FlagsAnOverloadedStation) {
  const model::Scenario with_station = WithBatteryStation(*scenario_);
  // The plan made without the station puts more than 1 in 5 battery cars on a line.
  ASSERT_GT(MaxBatteryShare(with_station, *plan_), 0.2 + 1e-3);
  EXPECT_TRUE(Mentions(CheckPlan(with_station, *plan_), "station marriage"));
}

TEST_F(PlanCheckerTest, PlannerKeepsHighPriorityStationLoads) {
  const model::Scenario with_station = WithBatteryStation(*scenario_);
  PlanRequest request;
  request.options.solve.time_limit_seconds = 30;
  auto plan = SolvePlan(with_station, request);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_LE(MaxBatteryShare(with_station, *plan), 0.2 + 1e-6);
  const CheckReport report = CheckPlan(with_station, *plan);
  EXPECT_TRUE(report.ok()) << (report.violations.empty() ? "" : report.violations.front());
  // As a low-priority station it is soft in sequencing and not a plan limit.
  model::Scenario soft = with_station;
  for (auto& line : soft.lines) {
    for (auto& station : line.stations) station.high_priority = false;
  }
  EXPECT_TRUE(CheckPlan(soft, *plan_).ok());
}

}  // namespace
}  // namespace cobuild::plan
