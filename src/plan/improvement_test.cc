#include "plan/improvement.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <string>
#include <vector>

#include "model/network_generator.h"
#include "plan/model_builder.h"
#include "plan/plan_checker.h"
#include "plan/planner.h"
#include "plan/test_scenarios.h"

namespace cobuild::plan {
namespace {

using Clock = std::chrono::steady_clock;

model::Scenario Network() {
  Result<model::Scenario> s = model::GenerateNetwork(
      {.plants = 3, .lines = 6, .variants = 15, .markets = 3, .months = 12, .seed = 2});
  EXPECT_TRUE(s.has_value());
  return *s;
}

// A poor but feasible plan: every integer decision at its lower bound (no
// shifts beyond the minimum, no retooling, no levers), the cars the best
// the LP can do with them.
std::vector<double> PoorStart(MipSolver& solver, const BuiltModel& built) {
  for (int j = 0; j < built.lp.num_cols(); ++j) {
    if (built.lp.is_integer[j]) solver.SetColumnBounds(j, built.lp.col_lower[j], built.lp.col_lower[j]);
  }
  LpSolution fixed = solver.SolveRelaxation(30);
  for (int j = 0; j < built.lp.num_cols(); ++j) {
    if (built.lp.is_integer[j]) solver.SetColumnBounds(j, built.lp.col_lower[j], built.lp.col_upper[j]);
  }
  EXPECT_EQ(fixed.status, LpStatus::kOptimal);
  return fixed.values;
}

ImprovementResult Improve(const model::Scenario& scenario, int seed, bool rins_first = true,
                          int max_rounds = 2, int local_columns = ImprovementParams{}.local_columns) {
  Result<BuiltModel> built = BuildPlanModel(scenario, testing::QuickRequest(), {});
  EXPECT_TRUE(built.has_value());
  MipSolver solver(built->lp);
  const LpSolution root = solver.SolveRelaxation(30);
  EXPECT_EQ(root.status, LpStatus::kOptimal);
  const std::vector<double> start = PoorStart(solver, *built);
  EXPECT_TRUE(IsFeasiblePoint(built->lp, start));
  // A work limit (nodes per sub-MIP, rounds) decides, not the clock.
  ImprovementParams params{.deadline = Clock::now() + std::chrono::seconds(120),
                           .seed = seed,
                           .nodes_per_subproblem = 50,
                           .seconds_per_subproblem = 60,
                           .max_rounds = max_rounds,
                           .local_columns = local_columns,
                           .rins_first = rins_first,
                           .bound = root.objective};
  ImprovementResult result = ImproveIncumbent(solver, *built, root.values, start, params);
  EXPECT_GT(result.objective, built->lp.Evaluate(start) + 1.0);
  EXPECT_GT(result.improvements, 0);
  EXPECT_TRUE(IsFeasiblePoint(built->lp, result.values));
  EXPECT_NEAR(built->lp.Evaluate(result.values), result.objective, 1e-6 * std::abs(result.objective));
  EXPECT_LE(result.objective, root.objective + 1e-6 * std::abs(root.objective));
  return result;
}

TEST(ImprovementTest, WithinBoundsAllowsSolverToleranceAndNoMore) {
  EXPECT_TRUE(WithinBounds(10 + 1.05e-4, 0, 10));  // 1e-4 + 1e-6 of the bound
  EXPECT_FALSE(WithinBounds(10 + 1.2e-4, 0, 10));
  EXPECT_TRUE(WithinBounds(1e6 + 1.00005, 0, 1e6));
  EXPECT_FALSE(WithinBounds(1e6 + 1.001, 0, 1e6));
  EXPECT_FALSE(WithinBounds(-1.1e-4, 0, 10));
  EXPECT_TRUE(WithinBounds(1e300, -kInfinity, kInfinity));
  const double coin_infinity = std::numeric_limits<double>::max();  // COIN's infinity
  EXPECT_TRUE(WithinBounds(1e300, -coin_infinity, coin_infinity));
  EXPECT_FALSE(WithinBounds(std::numeric_limits<double>::quiet_NaN(), -kInfinity, kInfinity));
}

TEST(ImprovementTest, KeepsEveryRowChecksColumnsAndRows) {
  LinearProgram lp;
  const int x = lp.AddColumn(0, 4, 1, false, "x");
  const int y = lp.AddColumn(0, kInfinity, 1, true, "y");
  const int r = lp.AddRow(-kInfinity, 5, "cap");
  lp.AddEntry(r, x, 1);
  lp.AddEntry(r, y, 1);
  EXPECT_TRUE(KeepsEveryRow(lp, {4, 1}));
  EXPECT_FALSE(KeepsEveryRow(lp, {4, 1.01}));  // the row
  EXPECT_FALSE(KeepsEveryRow(lp, {4.01, 0}));  // the column
  EXPECT_FALSE(KeepsEveryRow(lp, {4}));        // too few values
  EXPECT_TRUE(IsFeasiblePoint(lp, {3.5, 1}));
  EXPECT_FALSE(IsFeasiblePoint(lp, {3.5, 0.5}));  // y is integer
}

TEST(ImprovementTest, ImprovesAPoorStartWithinTheModelsRows) { Improve(Network(), 1); }

// Every line under a workforce rule: a cost per shift added or removed, a
// count held for three working months, which ties a line's shifts across the
// horizon.
model::Scenario WithWorkforceRules(model::Scenario scenario) {
  for (model::Line& line : scenario.lines) {
    line.shift_changes =
        model::ShiftChangeRule{.added_cost_gbp = 300'000, .removed_cost_gbp = 200'000, .min_months = 3};
  }
  return scenario;
}

// A network large enough for the planner to improve its start (more than
// kImprovementMinIntegers integer columns).
model::Scenario LargerNetwork(int months) {
  Result<model::Scenario> generated = model::GenerateNetwork(
      {.plants = 4, .lines = 18, .variants = 15, .markets = 2, .months = months, .seed = 2});
  EXPECT_TRUE(generated.has_value());
  return *generated;
}

// Solves a model large enough to improve and checks the plan with the
// independent checker.
Plan SolveChecked(const model::Scenario& scenario, const PlanRequest& request) {
  Result<Plan> plan = SolvePlan(scenario, request);
  EXPECT_TRUE(plan && plan->HasSolution());
  if (!plan || !plan->HasSolution()) return {};
  const CheckReport check = CheckPlan(scenario, *plan, request);
  for (const auto& v : check.violations) ADD_FAILURE() << v;
  EXPECT_NEAR(check.objective_gbp, plan->objective_gbp, 1.0);
  EXPECT_GT(plan->stats.integer_columns, kImprovementMinIntegers);
  return *std::move(plan);
}

// Solves with nothing stopping the solve early (the sub-MIPs run).
void SolveAndCheck(const model::Scenario& scenario, bool improvement, double time_limit_seconds) {
  PlanRequest request = testing::QuickRequest();
  request.options.improvement = improvement;
  request.options.solve.relative_gap = 1e-9;
  request.options.solve.max_nodes = 20;
  request.options.solve.time_limit_seconds = time_limit_seconds;
  const Plan plan = SolveChecked(scenario, request);
  EXPECT_EQ(plan.stats.improvement_subproblems > 0, improvement);
}

// Freeing one line's shifts, levers and changes over the whole horizon
// improves a poor start under the rule (RINS, which frees every line and
// can take the whole gain first, left out).
TEST(ImprovementTest, ALinesWorkforceOverTheHorizonImprovesAPoorStart) {
  const ImprovementResult result = Improve(WithWorkforceRules(Network()), 1, /*rins_first=*/false, 1);
  EXPECT_GT(result.workforce_improvements, 0);
}

// RINS improves this start in the first round, unless the first round is
// told to leave it out (after branch and cut's root has searched there).
TEST(ImprovementTest, TheFirstRoundLeavesOutRinsWhenAsked) {
  const model::Scenario scenario = Network();
  EXPECT_GT(Improve(scenario, 1, true, 1).rins_improvements, 0);
  const ImprovementResult without = Improve(scenario, 1, false, 1);
  EXPECT_EQ(without.rins_improvements, 0);
}

// max 3x + 2y + z, x + y <= 10, y + z >= 5, z <= 7 (a row of z alone);
// with x free and y = 4, z = 2 fixed: x <= 6 and an offset of 2*4 + 2.
TEST(ImprovementTest, ARestrictionMovesTheFixedColumnsIntoTheRowBoundsAndOffset) {
  LinearProgram lp;
  const int x = lp.AddColumn(0, 100, 3, true, "x");
  const int y = lp.AddColumn(0, 100, 2, false, "y");
  const int z = lp.AddColumn(0, 100, 1, false, "z");
  const int both = lp.AddRow(-kInfinity, 10, "both");
  const int cover = lp.AddRow(5, kInfinity, "cover");
  const int alone = lp.AddRow(-kInfinity, 7, "alone");
  lp.AddEntry(both, x, 1);
  lp.AddEntry(both, y, 1);
  lp.AddEntry(cover, y, 1);
  lp.AddEntry(cover, z, 1);
  lp.AddEntry(alone, z, 1);
  lp.objective_offset = 0.5;
  const Restriction r = Restrict(lp, {1, 4, 2}, {1, 0, 0});
  ASSERT_EQ(r.column, std::vector<int>({x}));
  ASSERT_EQ(r.lp.num_rows(), 1);  // only "both" has a free column
  EXPECT_EQ(r.lp.row_upper[0], 6);
  EXPECT_EQ(r.lp.row_lower[0], -kInfinity);
  EXPECT_EQ(r.lp.objective[0], 3);
  EXPECT_TRUE(r.lp.is_integer[0]);
  EXPECT_EQ(r.lp.objective_offset, 0.5 + 2 * 4 + 1 * 2);
  MipSolver solver(r.lp);
  const MipSolution best = solver.SolveMip({.time_limit_seconds = 10}, {});
  ASSERT_EQ(best.status, SolveStatus::kOptimal);
  EXPECT_NEAR(best.values[0], 6, 1e-9);
  EXPECT_NEAR(best.objective, lp.Evaluate({6, 4, 2}), 1e-9);
}

// Sub-MIPs over the freed plants' columns only (as on a large model; here
// forced): each is a restriction of the model, so its plans keep every row
// of the whole model (Improve checks them there), and they improve a poor
// start (RINS, which frees every plant, left out), the same for a seed.
TEST(ImprovementTest, SubMipsOverTheFreedPlantsOnlyImproveAPoorStart) {
  const model::Scenario scenario = WithWorkforceRules(Network());
  const ImprovementResult a = Improve(scenario, 3, false, 1, 0);
  const ImprovementResult b = Improve(scenario, 3, false, 1, 0);
  EXPECT_EQ(a.values, b.values);
  EXPECT_GT(a.workforce_improvements + a.line_improvements, 0);
}

TEST(ImprovementTest, PlansUnderAWorkforceRulePassTheIndependentChecker) {
  SolveAndCheck(WithWorkforceRules(LargerNetwork(24)), true, 20);
}

TEST(ImprovementTest, SameSeedAndWorkLimitGiveTheSamePlan) {
  const model::Scenario scenario = Network();
  const ImprovementResult a = Improve(scenario, 7);
  const ImprovementResult b = Improve(scenario, 7);
  EXPECT_EQ(a.subproblems, b.subproblems);
  EXPECT_EQ(a.improvements, b.improvements);
  EXPECT_EQ(a.objective, b.objective);
  EXPECT_EQ(a.values, b.values);
}

// A solve on the wall clock runs branch and cut's root first, then the
// improvement, then branch and cut with the time left; its plan passes the
// independent checker.
TEST(ImprovementTest, RootThenImprovementGivesACheckedPlan) {
  const model::Scenario scenario = WithWorkforceRules(LargerNetwork(24));
  PlanRequest request = testing::QuickRequest();
  request.options.solve.relative_gap = 1e-9;
  request.options.solve.max_nodes = -1;
  request.options.solve.stall_seconds = 0;
  request.options.solve.time_limit_seconds = 10;
  std::vector<std::string> phases;
  request.options.solve.on_progress = [&phases](const Progress& p) {
    if (phases.empty() || phases.back() != p.phase) phases.push_back(p.phase);
  };
  const Plan plan = SolveChecked(scenario, request);
  const auto root = std::find(phases.begin(), phases.end(), "root");
  ASSERT_NE(root, phases.end()) << "no root step";
  if (plan.stats.improvement_subproblems > 0) {
    EXPECT_EQ(std::find(phases.begin(), root, "improve"), root) << "the improvement ran before the root";
  }
  EXPECT_NE(plan.stats.stop_rule, StopRule::kNodeLimit);
}

TEST(ImprovementTest, PlansWithImprovementPassTheIndependentChecker) {
  const model::Scenario scenario = LargerNetwork(36);
  for (const bool improvement : {false, true}) SolveAndCheck(scenario, improvement, 60);
}

}  // namespace
}  // namespace cobuild::plan
