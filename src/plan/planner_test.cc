#include "plan/planner.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>

#include "plan/network_generator.h"
#include "plan/plan_checker.h"
#include "plan/test_scenarios.h"

namespace cobuild::plan {
namespace {

PlanRequest QuickRequest() {
  PlanRequest request;
  request.options.solve.time_limit_seconds = 30;
  request.options.solve.relative_gap = 1e-6;
  return request;
}

Plan SolveAndCheck(const model::Scenario& scenario, const PlanRequest& request) {
  Result<Plan> plan = SolvePlan(scenario, request);
  EXPECT_TRUE(plan.has_value()) << (plan ? "" : plan.error().message);
  if (!plan) return {};
  EXPECT_TRUE(plan->HasSolution()) << ToString(plan->status) << " " << plan->stats.solver_message;
  const CheckReport report = CheckPlan(scenario, *plan, request);
  for (const auto& v : report.violations) ADD_FAILURE() << v;
  EXPECT_NEAR(report.objective_gbp, plan->objective_gbp, 1.0 + 1e-6 * std::abs(plan->objective_gbp));
  EXPECT_GE(plan->bound_gbp, plan->objective_gbp - 1e-6);
  return *plan;
}

TEST(PlannerTest, MiniUkSolvesToOptimalityAndPassesTheChecker) {
  const model::Scenario scenario = testing::MiniUk();
  const Plan plan = SolveAndCheck(scenario, QuickRequest());
  EXPECT_EQ(plan.status, SolveStatus::kOptimal);
  EXPECT_LE(plan.gap, 1e-6);
  // Halewood builds Omoda only after retooling HW-2 (3 months lead time).
  ASSERT_EQ(plan.retooling.size(), 1u);
  for (const auto& e : plan.production) {
    if (scenario.variants[e.variant].model >= 2 && scenario.lines[e.line].plant == 0) {
      EXPECT_GE(e.month, plan.retooling[0].month + 3);
    }
  }
  // The host earns fees, the partner pays them.
  EXPECT_GT(plan.contributions[0].fee_income_gbp, 0);
  EXPECT_DOUBLE_EQ(plan.contributions[0].fee_income_gbp, plan.contributions[1].fee_paid_gbp);
}

TEST(PlannerTest, SameInputGivesTheSamePlan) {
  const model::Scenario scenario = testing::MiniUk();
  Plan a = SolveAndCheck(scenario, QuickRequest());
  Plan b = SolveAndCheck(scenario, QuickRequest());
  a.stats = {};
  b.stats = {};
  EXPECT_EQ(a, b);
}

TEST(PlannerTest, ExplainsBindingCapacityWithShiftValues) {
  model::Scenario scenario = testing::MiniUk();
  const Plan plan = SolveAndCheck(scenario, QuickRequest());
  ASSERT_FALSE(plan.binding.empty());
  bool shift = false;
  for (const auto& b : plan.binding) {
    if (b.kind == "line capacity") {
      shift = true;
      EXPECT_NE(b.text.find("one more shift at"), std::string::npos) << b.text;
      EXPECT_GT(b.dual_gbp_per_car, 0);
    }
  }
  EXPECT_TRUE(shift);
  // Chinese demand exceeds Wuhu's capacity: unmet, explained.
  ASSERT_FALSE(plan.unmet.empty());
  ASSERT_EQ(plan.unmet_causes.size(), plan.unmet.size());
  for (const auto& cause : plan.unmet_causes) EXPECT_FALSE(cause.reason.empty());
}

TEST(PlannerTest, ImpossibleContractMinimumIsAShortfallNotAnError) {
  model::Scenario scenario = testing::MiniUk();
  scenario.contracts[0].min_units_per_year = 500000;
  scenario.contracts[0].max_units_per_year = 0;
  const Plan plan = SolveAndCheck(scenario, QuickRequest());
  ASSERT_FALSE(plan.contract_shortfalls.empty());
  EXPECT_GT(plan.contract_shortfalls[0].units, 100000);
}

TEST(PlannerTest, FrozenMonthsKeepTheBaselineAndAnOutageIsReplanned) {
  const model::Scenario scenario = testing::MiniUk();
  const Plan baseline = SolveAndCheck(scenario, QuickRequest());
  PlanRequest replan = QuickRequest();
  replan.baseline = &baseline;
  replan.frozen_months = 4;
  replan.stability_penalty_gbp_per_car = 50;
  for (int t = 5; t < 8; ++t) replan.SetPlantAvailability(scenario, 0, t, 0.0);
  const Plan plan = SolveAndCheck(scenario, replan);
  for (const auto& e : plan.production) {
    if (scenario.lines[e.line].plant == 0) {
      EXPECT_TRUE(e.month < 5 || e.month >= 8) << e.month;
    }
  }
  EXPECT_LT(plan.objective_gbp, baseline.objective_gbp);
}

TEST(PlannerTest, BacklogServesDemandLater) {
  model::Scenario scenario = testing::MiniUk();
  PlanRequest request = QuickRequest();
  request.levers = Levers{.backlog = {.max_months = 2, .delay_cost_gbp_per_car_month = 100}};
  for (int t = 2; t < 4; ++t) request.SetPlantAvailability(scenario, 1, t, 0.2);
  const Plan plan = SolveAndCheck(scenario, request);
  EXPECT_FALSE(plan.backlog.empty());
}

// Levers (docs/planning-model.md, "Levers"): with every line held to one
// shift a day, demand beyond it is met with extra shifts and weekend days,
// which the checker re-verifies against the lever limits and prices.
TEST(PlannerTest, LeversAddExtraShiftsAndWeekendDaysBeyondTheMaximum) {
  model::Scenario scenario = testing::MiniUk();
  for (auto& line : scenario.lines) line.max_shifts_per_day = 1;
  PlanRequest request = QuickRequest();
  const Plan without = SolveAndCheck(scenario, request);
  request.levers = Levers{.extra_shifts_per_day = 1, .extra_shift_premium = 0.5, .weekend_days_per_month = 4,
                          .weekend_premium = 1.0};
  const Plan with = SolveAndCheck(scenario, request);
  int extra = 0;
  int weekend = 0;
  for (const auto& e : with.shifts) {
    extra += e.extra_shifts_per_day;
    weekend += e.weekend_days;
    EXPECT_LE(e.extra_shifts_per_day, 1);
    EXPECT_LE(e.weekend_days, 4);
  }
  EXPECT_GT(extra, 0);
  EXPECT_GT(weekend, 0);
  EXPECT_EQ(with.basis.levers, *request.levers);
  EXPECT_GT(with.objective_gbp, without.objective_gbp);
  // A plan with more lever use than the levers allow is refused.
  Plan over = with;
  for (auto& e : over.shifts) e.weekend_days = 5;
  EXPECT_FALSE(CheckPlan(scenario, over, request).ok());
  // Without the levers in the request the same plan is not valid.
  EXPECT_FALSE(CheckPlan(scenario, with, QuickRequest()).ok());
}

TEST(PlannerTest, ExcludedBrandIsNeitherBuiltNorDemanded) {
  const model::Scenario scenario = testing::MiniUk();
  PlanRequest request = QuickRequest();
  request.excluded_brands = {1};
  const Plan plan = SolveAndCheck(scenario, request);
  for (const auto& e : plan.production) EXPECT_EQ(scenario.models[scenario.variants[e.variant].model].brand, 0);
  EXPECT_TRUE(plan.retooling.empty());
}

TEST(PlannerTest, SupplyCapLimitsBatteryCars) {
  const model::Scenario scenario = testing::MiniUk();
  PlanRequest request = QuickRequest();
  request.supply_caps.push_back({.name = "packs", .plants = {}, .powertrains = {model::Powertrain::kBev},
                                 .units_per_month = std::vector<double>(12, 500.0)});
  SolveAndCheck(scenario, request);
}

TEST(PlannerTest, GeneratedNetworkSolvesAndPassesTheChecker) {
  const auto scenario = GenerateNetwork({.plants = 3, .lines = 6, .variants = 20, .markets = 3, .months = 12, .seed = 3});
  ASSERT_TRUE(scenario.has_value());
  PlanRequest request;
  request.options.solve.time_limit_seconds = 20;
  request.options.solve.relative_gap = 0.01;
  const Plan plan = SolveAndCheck(*scenario, request);
  EXPECT_GT(plan.objective_gbp, 0);
}

TEST(PlannerTest, TinyTimeLimitIsAStatusNotAnError) {
  const auto scenario = GenerateNetwork({.plants = 4, .lines = 8, .variants = 30, .markets = 4, .months = 24, .seed = 5});
  ASSERT_TRUE(scenario.has_value());
  PlanRequest request;
  request.options.solve.time_limit_seconds = 0.0;
  Result<Plan> plan = SolvePlan(*scenario, request);
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->status, SolveStatus::kTimeLimitNoSolution);
}

// A network whose exact solve takes branch and cut a while, with a limit
// far away: only a stop request ends it early.
const Result<model::Scenario>& StopTestNetwork() {
  static const Result<model::Scenario> scenario =
      GenerateNetwork({.plants = 4, .lines = 8, .variants = 30, .markets = 4, .months = 24, .seed = 5});
  return scenario;
}

TEST(PlannerTest, StopRequestBeforeTheSolveEndsItAtOnce) {
  const auto& scenario = StopTestNetwork();
  ASSERT_TRUE(scenario.has_value());
  PlanRequest request;
  request.options.solve.time_limit_seconds = 600;
  int polls = 0;
  request.options.solve.should_stop = [&polls] {
    ++polls;
    return true;
  };
  Result<Plan> plan = SolvePlan(*scenario, request);
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->status, SolveStatus::kTimeLimitNoSolution);
  EXPECT_TRUE(plan->stats.stopped);
  EXPECT_GT(polls, 0);
  EXPECT_LT(plan->stats.solve_seconds, 5.0);
}

TEST(PlannerTest, StopRequestDuringTheSearchKeepsTheBestPlanSoFar) {
  const auto& scenario = StopTestNetwork();
  ASSERT_TRUE(scenario.has_value());
  PlanRequest request;
  request.options.solve.time_limit_seconds = 600;
  request.options.solve.relative_gap = 0;
  // Stop at the first report from inside branch and cut: the rest of the
  // search is cut, the plan found so far is kept.
  std::optional<std::chrono::steady_clock::time_point> asked;
  request.options.solve.on_progress = [&asked](const Progress& p) {
    if (p.phase == "mip" && !asked) asked = std::chrono::steady_clock::now();
  };
  request.options.solve.should_stop = [&asked] { return asked.has_value(); };
  const Plan plan = SolveAndCheck(*scenario, request);
  ASSERT_TRUE(asked.has_value());
  const double latency =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - *asked).count();
  EXPECT_TRUE(plan.stats.stopped);
  EXPECT_EQ(plan.status, SolveStatus::kFeasibleGap) << "the search was cut before it proved the plan optimal";
  EXPECT_EQ(plan.stats.solver_message, "stopped on request");
  EXPECT_LT(latency, 5.0) << "seconds from the stop request to the returned plan";
}

TEST(PlannerTest, RejectsFrozenMonthsWithoutBaseline) {
  PlanRequest request;
  request.frozen_months = 2;
  Result<Plan> plan = SolvePlan(testing::MiniUk(), request);
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().kind, ErrorKind::kInvalidInput);
}

}  // namespace
}  // namespace cobuild::plan
