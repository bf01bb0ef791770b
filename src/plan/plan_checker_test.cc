#include "plan/plan_checker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <map>
#include <utility>

#include "io/scenario_reader.h"
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
  // The checker names every figure in `named`, and not the objective (a
  // misreport that leaves the totals right).
  static void ExpectNamesOnly(const Plan& plan, std::initializer_list<const char*> named) {
    const CheckReport report = CheckPlan(*scenario_, plan);
    for (const char* text : named) EXPECT_TRUE(Mentions(report, text)) << text;
    EXPECT_FALSE(Mentions(report, "objective"));
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
    line.stations = {
        {.id = "marriage", .option = "battery", .max_cars = 1, .window_cars = 5, .high_priority = true}};
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

// ---- One mutated plan per class of misreport: start from the solved plan,
// corrupt one figure, expect the checker to name it.

TEST_F(PlanCheckerTest, FlagsMisreportedPenalties) {
  Plan plan = *plan_;
  plan.penalties_gbp += 10;
  plan.objective_gbp -= 10;  // consistent with the penalties it claims
  EXPECT_TRUE(Mentions(CheckPlan(*scenario_, plan), "penalties: plan says"));
}

TEST_F(PlanCheckerTest, FlagsDutyReportedAsFreight) {
  Plan plan = *plan_;
  CompanyContribution& chery = plan.contributions[1];
  const double moved = std::min(50e6, chery.duty_gbp);
  ASSERT_GT(moved, 0);
  chery.duty_gbp -= moved;
  chery.freight_gbp += moved;  // the contribution and the objective are unchanged
  ExpectNamesOnly(plan, {"CHERY: plan says duty", "CHERY: plan says freight"});
}

TEST_F(PlanCheckerTest, FlagsAFeeBookedToTheWrongCompany) {
  Plan plan = *plan_;
  // GBP 15,000 of fee income moved from the host to the partner, with both
  // contributions adjusted: the total is unchanged.
  plan.contributions[0].fee_income_gbp -= 15000;
  plan.contributions[0].contribution_gbp -= 15000;
  plan.contributions[1].fee_income_gbp += 15000;
  plan.contributions[1].contribution_gbp += 15000;
  ExpectNamesOnly(plan, {"JLR: plan says fee income", "CHERY: plan says fee income"});
}

TEST_F(PlanCheckerTest, FlagsABoundBelowTheObjective) {
  Plan plan = *plan_;
  plan.bound_gbp = plan.objective_gbp - 1e6;
  plan.gap = 0;
  EXPECT_TRUE(Mentions(CheckPlan(*scenario_, plan), "below the objective"));
}

TEST_F(PlanCheckerTest, FlagsAGapThatDoesNotMatchTheBound) {
  Plan plan = *plan_;
  plan.bound_gbp = plan.objective_gbp * 1.01;  // gap stays as solved
  EXPECT_TRUE(Mentions(CheckPlan(*scenario_, plan), "gap"));
}

TEST_F(PlanCheckerTest, FlagsAShortfallInAYearWithoutCommitment) {
  Plan plan = *plan_;
  // The horizon is 2026 only: the contract commits nothing in 2027.
  plan.contract_shortfalls.push_back({.contract = 0, .year = 2027, .units = 2000});
  EXPECT_TRUE(Mentions(CheckPlan(*scenario_, plan), "without a committed minimum"));
}

TEST_F(PlanCheckerTest, FlagsARetoolingReadyOnlyAfterTheHorizon) {
  Plan plan = *plan_;
  // HW-2's T1X retooling takes 3 months: decided in 2026-10, ready in 2027-01.
  plan.retooling = {{.line = 1, .platform = 1, .month = 9}};
  EXPECT_TRUE(Mentions(CheckPlan(*scenario_, plan), "ready only after the horizon"));
}

TEST_F(PlanCheckerTest, FlagsARetoolingForAPlatformTheLineBuildsAlready) {
  model::Scenario scenario = *scenario_;
  // HW-1 builds PLA today; an option to retool it for PLA is never a real one.
  scenario.lines[0].retooling = {{.platform = 0, .cost_gbp = 1e6, .lead_time_months = 1}};
  Plan plan = *plan_;
  plan.retooling.push_back({.line = 0, .platform = 0, .month = 0});
  EXPECT_TRUE(Mentions(CheckPlan(scenario, plan), "which it builds already"));
}

TEST_F(PlanCheckerTest, MoneyToleranceDoesNotGrowWithTheTotal) {
  // The old tolerance (GBP 1 + 1e-6 of the total) let thousands of pounds
  // through on a large plan; every figure is now exact to GBP 1.
  Plan plan = *plan_;
  plan.contributions[0].revenue_gbp += 5;
  plan.contributions[0].variable_cost_gbp += 5;
  EXPECT_TRUE(Mentions(CheckPlan(*scenario_, plan), "JLR: plan says revenue"));
  Plan objective = *plan_;
  objective.objective_gbp += 5;
  objective.bound_gbp += 5;
  objective.gap = RelativeGap(objective.objective_gbp, objective.bound_gbp);
  EXPECT_TRUE(Mentions(CheckPlan(*scenario_, objective), "objective: plan says"));
}

TEST_F(PlanCheckerTest, SolvedPlanReportsWholeCarsAndPennies) {
  for (const auto& e : plan_->production) EXPECT_EQ(e.units, std::floor(e.units));
  for (const auto& e : plan_->shipments) EXPECT_EQ(e.units, std::floor(e.units));
  for (const auto& e : plan_->unmet) EXPECT_EQ(e.units, std::floor(e.units));
  for (const auto& e : plan_->contract_shortfalls) EXPECT_EQ(e.units, std::floor(e.units));
  for (const auto& c : plan_->contributions) {
    EXPECT_EQ(c.units_sold, std::floor(c.units_sold));
    EXPECT_NEAR(c.contribution_gbp * 100, std::round(c.contribution_gbp * 100), 1e-3);
  }
  EXPECT_NEAR(plan_->objective_gbp * 100, std::round(plan_->objective_gbp * 100), 1e-3);
}

// ---- Overlapping contracts: a second contract covering Halewood's Omoda
// cars beside the general one.
model::Scenario WithOmodaDeal(model::Scenario s, double min_units, double max_units) {
  s.contracts.push_back({.id = "HW-OMODA-DEAL",
                         .host = 0,
                         .partner = 1,
                         .brands = {1},
                         .plants = {0},
                         .fee_per_car_gbp = 300,
                         .min_units_per_year = min_units,
                         .max_units_per_year = max_units});
  return s;
}

double HalewoodOmoda(const model::Scenario& s, const Plan& plan) {
  double units = 0;
  for (const auto& e : plan.production) {
    if (s.lines[e.line].plant == 0 && s.models[s.variants[e.variant].model].brand == 1) units += e.units;
  }
  return units;
}

TEST_F(PlanCheckerTest, EveryCoveringContractCountsItsMaximum) {
  // The plan made under the general contract alone builds more Omoda at
  // Halewood than the second contract allows: the checker sees it although
  // the general contract is listed first.
  const model::Scenario overlapping = WithOmodaDeal(*scenario_, 0, 2000);
  ASSERT_GT(HalewoodOmoda(overlapping, *plan_), 2000);
  EXPECT_TRUE(Mentions(CheckPlan(overlapping, *plan_), "contract HW-OMODA-DEAL 2026"));
}

TEST_F(PlanCheckerTest, OverlappingContractsChargeBothFees) {
  const model::Scenario overlapping = WithOmodaDeal(*scenario_, 0, 0);
  const CheckReport report = CheckPlan(overlapping, *plan_);
  // Same cars, both fees: GBP 1,800 + 300 a car instead of 1,800.
  EXPECT_NEAR(report.contributions[0].fee_income_gbp, plan_->contributions[0].fee_income_gbp * 2100 / 1800,
              1.0);
  EXPECT_TRUE(Mentions(report, "JLR: plan says fee income"));
}

// tests/data/golden/README.md, "workforce.yaml": a plan whose shift
// changes break the line's 3-month minimum is refused, naming the months;
// a misstated change cost is named too.
class WorkforceCheckerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = io::LoadScenario("tests/data/golden/workforce.yaml");
    ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
    scenario_ = *loaded;
    auto plan = SolvePlan(scenario_, {});
    ASSERT_TRUE(plan.has_value());
    plan_ = *plan;
    ASSERT_TRUE(CheckPlan(scenario_, plan_).ok());
  }
  model::Scenario scenario_;
  Plan plan_;
};

TEST_F(WorkforceCheckerTest, RefusesAChangeBeforeThePatternHasHeld) {
  // 1, 1, 2, (April shut), 2, 1, 1: the changes in March and June are two
  // working months apart.
  Plan plan = plan_;
  const int shifts[7] = {1, 1, 2, 0, 2, 1, 1};
  for (ShiftEntry& e : plan.shifts) e.shifts_per_day = shifts[e.month];
  const CheckReport report = CheckPlan(scenario_, plan);
  ASSERT_FALSE(report.ok());
  bool named = false;
  for (const std::string& v : report.violations) {
    named |= v ==
             "line alpha-1: crews (regular and extra shifts) change from 2 in 2027-05 to 1 in 2027-06, 2 "
             "working months after the "
             "change in 2027-03; a shift pattern holds at least 3 months";
  }
  EXPECT_TRUE(named) << ::testing::PrintToString(report.violations);
}

// An extra shift is a crew: two regular shifts throughout and a third
// crew in February only change the crews in February and again in March,
// one working month apart.
TEST_F(WorkforceCheckerTest, CountsAnExtraShiftAsACrew) {
  Plan plan = plan_;
  for (ShiftEntry& e : plan.shifts) {
    e.shifts_per_day = e.month == 3 ? 0 : 2;
    e.extra_shifts_per_day = e.month == 1 ? 1 : 0;
  }
  const CheckReport report = CheckPlan(scenario_, plan);
  bool named = false;
  for (const std::string& v : report.violations) {
    named |=
        v ==
        "line alpha-1: crews (regular and extra shifts) change from 3 in 2027-02 to 2 in 2027-03, 1 working "
        "months after the change in 2027-02; a shift pattern holds at least 3 months";
  }
  EXPECT_TRUE(named) << ::testing::PrintToString(report.violations);
}

TEST_F(WorkforceCheckerTest, NamesAMisstatedShiftChangeCost) {
  Plan plan = plan_;
  plan.contributions[0].shift_change_cost_gbp += 50'000;
  plan.contributions[0].shift_cost_gbp -= 50'000;  // the total stays right
  const CheckReport report = CheckPlan(scenario_, plan);
  bool named = false;
  for (const std::string& v : report.violations) named |= v.find("shift change cost") != std::string::npos;
  EXPECT_TRUE(named) << ::testing::PrintToString(report.violations);
}

TEST_F(WorkforceCheckerTest, AShutdownMonthIsNotAChange) {
  // No shift entry in the April shutdown: May is compared with March.
  ASSERT_TRUE(std::none_of(plan_.shifts.begin(), plan_.shifts.end(),
                           [](const ShiftEntry& e) { return e.month == 3 && e.shifts_per_day > 0; }));
  EXPECT_DOUBLE_EQ(plan_.contributions[0].shift_change_cost_gbp, 100'000);
}

}  // namespace
}  // namespace cobuild::plan
