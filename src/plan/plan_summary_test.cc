#include "plan/plan_summary.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "io/scenario_reader.h"
#include "plan/plan_checker.h"
#include "plan/planner.h"
#include "plan/test_scenarios.h"

namespace cobuild::plan {
namespace {

// MiniUk and its plan, solved once for the tests below.
struct Solved {
  model::Scenario scenario = testing::MiniUk();
  Plan plan;
};
const Solved& MiniUkPlan() {
  static const Solved* solved = [] {
    auto* out = new Solved;
    PlanRequest request;
    request.options.solve.time_limit_seconds = 30;
    auto plan = SolvePlan(out->scenario, request);
    EXPECT_TRUE(plan && plan->HasSolution());
    if (plan) out->plan = std::move(*plan);
    return out;
  }();
  return *solved;
}

TEST(PlanSummaryTest, EveryViewAddsUpToTheSameProduction) {
  const auto& [s, plan] = MiniUkPlan();
  const PlanSummary summary = Summarize(s, plan);
  const int n = s.horizon.num_months;
  ASSERT_EQ(summary.line_months.size(), s.lines.size() * n);
  ASSERT_EQ(summary.plant_months.size(), s.plants.size() * n);
  double produced = 0;
  for (const auto& e : plan.production) produced += e.units;
  double lines = 0, plants = 0, years = 0, brands = 0, line_capacity = 0, year_capacity = 0;
  for (const auto& lm : summary.line_months) {
    lines += lm.built;
    line_capacity += lm.capacity;
    EXPECT_DOUBLE_EQ(lm.capacity, s.MaxLineCars(lm.line, lm.month));
  }
  for (const auto& pm : summary.plant_months) plants += pm.built;
  for (const auto& py : summary.plant_years) {
    years += py.built;
    year_capacity += py.capacity;
  }
  for (const auto& bp : summary.brand_plants) brands += bp.units;
  EXPECT_GT(produced, 0);
  for (double total : {lines, plants, years, brands}) EXPECT_NEAR(total, produced, 1e-6 * produced);
  EXPECT_NEAR(year_capacity, line_capacity, 1e-6 * line_capacity);
  double line_totals = 0;
  for (int l = 0; l < static_cast<int>(s.lines.size()); ++l) line_totals += summary.LineTotal(s, l).built;
  EXPECT_NEAR(line_totals, produced, 1e-6 * produced);
}

TEST(PlanSummaryTest, CapacityTakesTheRequestsLineAvailability) {
  const auto& [s, plan] = MiniUkPlan();
  const int n = s.horizon.num_months;
  PlanRequest outage;
  outage.SetLineAvailability(s, 0, 3, 0.0);  // line 0 stopped in month 3
  outage.SetLineAvailability(s, 0, 4, 0.5);  // and at half rate in month 4
  const PlanSummary full = Summarize(s, plan);
  const PlanSummary cut = Summarize(s, plan, outage);
  EXPECT_EQ(cut.line_months[3].capacity, 0);
  EXPECT_DOUBLE_EQ(cut.line_months[4].capacity, 0.5 * full.line_months[4].capacity);
  const int plant = s.lines[0].plant;
  EXPECT_DOUBLE_EQ(
      cut.plant_months[static_cast<size_t>(plant * n + 3)].capacity,
      full.plant_months[static_cast<size_t>(plant * n + 3)].capacity - full.line_months[3].capacity);
  // Built is the plan's either way; utilization rises as capacity falls.
  EXPECT_EQ(cut.plant_months[static_cast<size_t>(plant * n + 4)].built,
            full.plant_months[static_cast<size_t>(plant * n + 4)].built);
  EXPECT_LT(cut.plant_years.front().capacity, full.plant_years.front().capacity);
  EXPECT_GE(cut.plant_years.front().utilization(), full.plant_years.front().utilization());
}

// Per line-month: built = regular + levers, capacity = regular + spare +
// retooling stop, nothing negative; sums (line totals, plant-months,
// plant-years) keep both.
void ExpectSplitAddsUp(const Output& o) {
  const double tolerance = 1e-6 * std::max(1.0, o.capacity + o.built);
  EXPECT_GE(o.built_regular, 0);
  EXPECT_GE(o.built_on_levers, 0);
  EXPECT_GE(o.spare(), 0);
  EXPECT_NEAR(o.built_regular + o.built_on_levers, o.built, tolerance);
  EXPECT_GE(o.retooling_stop, 0);
  EXPECT_NEAR(o.built_regular + o.spare() + o.retooling_stop, o.capacity, tolerance);
}

TEST(PlanSummaryTest, SplitAddsUpAndSpareIsNeverNegative) {
  const auto& [s, plan] = MiniUkPlan();
  const PlanSummary summary = Summarize(s, plan);
  for (const auto& lm : summary.line_months) {
    ExpectSplitAddsUp(lm);
    EXPECT_DOUBLE_EQ(lm.built_on_levers, std::max(0.0, lm.built - lm.capacity));
  }
  for (const auto& pm : summary.plant_months) ExpectSplitAddsUp(pm);
  for (const auto& py : summary.plant_years) ExpectSplitAddsUp(py);
  for (int l = 0; l < static_cast<int>(s.lines.size()); ++l) ExpectSplitAddsUp(summary.LineTotal(s, l));
}

// A golden scenario (tests/data/golden/) solved to optimality, its plan
// accepted by the independent checker.
Solved SolveGolden(const char* path) {
  Solved out;
  auto scenario = io::LoadScenario(path);
  EXPECT_TRUE(scenario.has_value()) << scenario.error().message;
  if (!scenario) return out;
  out.scenario = std::move(*scenario);
  const PlanRequest request = testing::QuickRequest();
  auto plan = SolvePlan(out.scenario, request);
  EXPECT_TRUE(plan.has_value()) << plan.error().message;
  if (!plan) return out;
  EXPECT_EQ(plan->status, SolveStatus::kOptimal) << plan->stats.solver_message;
  for (const std::string& v : CheckPlan(out.scenario, *plan, request).violations) ADD_FAILURE() << v;
  out.plan = std::move(*plan);
  return out;
}

// A retooling's downtime stops regular capacity that is neither built nor
// spare: the line-months' stops add up to the retoolings' lost capacity.
TEST(PlanSummaryTest, RetoolingDowntimeIsNeitherBuiltNorSpare) {
  const Solved golden = SolveGolden("tests/data/golden/retooling-ramp.yaml");
  const PlanSummary summary = Summarize(golden.scenario, golden.plan, testing::QuickRequest());
  double lost = 0;
  for (const RetooledLine& r : summary.retooled) lost += r.downtime_lost_cars;
  ASSERT_GT(lost, 0) << "the golden retooling stops its line";
  double stopped = 0;
  for (const LineMonth& lm : summary.line_months) {
    ExpectSplitAddsUp(lm);
    stopped += lm.retooling_stop;
  }
  EXPECT_NEAR(stopped, lost, 1e-6 * lost);
  for (const PlantYear& py : summary.plant_years) ExpectSplitAddsUp(py);
  // "With levers" divides by what the line could build: the stopped days
  // build nothing on any shift, so they are not in the denominator.
  for (const LineMonth& lm : summary.line_months) {
    if (lm.retooling_stop <= 0) continue;
    ASSERT_GT(lm.capacity - lm.retooling_stop + lm.lever_capacity, 0);
    EXPECT_NEAR(lm.utilization_with_levers(),
                lm.built / (lm.capacity - lm.retooling_stop + lm.lever_capacity), 1e-12);
    EXPECT_GT(lm.utilization_with_levers(), lm.built / (lm.capacity + lm.lever_capacity));
  }
}

// tests/data/golden/levers-split.yaml, worked by hand in the README beside
// it: regular capacity 3,200 a line-month (10 cars/h x 8 h x 2 shifts x 20
// days). January: line-a builds 3,520 (10% above) on 2 shifts and 2
// weekend days, line-b 2,000; February: line-a 1,600, line-b 2,000.
//   line-a Jan: 3,200 on regular shifts, 320 on levers, spare 0
//   line-b Jan: 2,000 regular, 0 levers, spare 1,200
//   line-a Feb: 1,600 regular, 0 levers, spare 1,600
//   line-b Feb: 2,000 regular, 0 levers, spare 1,200
//   plant 2027: built 9,120 = 8,800 regular + 320 levers; spare 4,000
//   (12,800 - 8,800), not the netted 12,800 - 9,120 = 3,680.
// Lever capacity: 4 weekend days x 160 cars = 640 a line-month.
TEST(PlanSummaryTest, SplitsEachLineMonthAgainstItsOwnRegularCapacity) {
  const Solved golden = SolveGolden("tests/data/golden/levers-split.yaml");
  ASSERT_EQ(golden.scenario.lines.size(), 2u);
  const model::Scenario* s = &golden.scenario;
  const Plan* plan = &golden.plan;
  const PlanRequest request = testing::QuickRequest();

  const PlanSummary summary = Summarize(*s, *plan, request);
  const int n = s->horizon.num_months;
  ASSERT_EQ(n, 2);
  const int a = s->FindLine("line-a");
  const int b = s->FindLine("line-b");
  struct Expected {
    int line;
    int month;
    double built, regular, levers, spare;
  };
  for (const Expected& e : {Expected{a, 0, 3'520, 3'200, 320, 0}, Expected{b, 0, 2'000, 2'000, 0, 1'200},
                            Expected{a, 1, 1'600, 1'600, 0, 1'600}, Expected{b, 1, 2'000, 2'000, 0, 1'200}}) {
    SCOPED_TRACE(::testing::Message() << s->lines[e.line].id << " month " << e.month);
    const LineMonth& lm = summary.line_months[static_cast<size_t>(e.line * n + e.month)];
    EXPECT_NEAR(lm.capacity, 3'200, 1e-6);
    EXPECT_NEAR(lm.built, e.built, 1e-6);
    EXPECT_NEAR(lm.built_regular, e.regular, 1e-6);
    EXPECT_NEAR(lm.built_on_levers, e.levers, 1e-6);
    EXPECT_NEAR(lm.spare(), e.spare, 1e-6);
    EXPECT_NEAR(lm.lever_capacity, 640, 1e-6);
  }
  EXPECT_EQ(summary.line_months[static_cast<size_t>(a * n)].weekend_days, 2);

  ASSERT_EQ(summary.plant_years.size(), 1u);
  const PlantYear& py = summary.plant_years[0];
  EXPECT_EQ(py.year, 2027);
  EXPECT_NEAR(py.capacity, 12'800, 1e-6);
  EXPECT_NEAR(py.built, 9'120, 1e-6);
  EXPECT_NEAR(py.built_regular, 8'800, 1e-6);
  EXPECT_NEAR(py.built_on_levers, 320, 1e-6);
  EXPECT_NEAR(py.spare(), 4'000, 1e-6);
  EXPECT_NEAR(py.lever_capacity, 2'560, 1e-6);
  EXPECT_NEAR(py.utilization(), 9'120.0 / 12'800, 1e-9);
  EXPECT_NEAR(py.utilization_with_levers(), 9'120.0 / 15'360, 1e-9);

  // January's plant-month shows both the lever cars and line-b's spare.
  const PlantMonth& january = summary.plant_months[0];
  EXPECT_NEAR(january.built_on_levers, 320, 1e-6);
  EXPECT_NEAR(january.spare(), 1'200, 1e-6);
  // A line's horizon: line-a 5,120 built, 320 on levers, 1,600 spare.
  const Output line_a = summary.LineTotal(*s, a);
  EXPECT_NEAR(line_a.built_on_levers, 320, 1e-6);
  EXPECT_NEAR(line_a.spare(), 1'600, 1e-6);
}

// Without levers in the request the line-months have no lever capacity,
// and cars beyond the regular capacity (a hand-edited plan) still count as
// on levers, never as negative spare.
TEST(PlanSummaryTest, LeverCapacityFollowsTheRequestsLevers) {
  auto s = io::LoadScenario("tests/data/golden/levers-split.yaml");
  ASSERT_TRUE(s.has_value()) << s.error().message;
  Plan plan;
  plan.production.push_back(
      {.line = s->FindLine("line-a"), .variant = s->FindVariant("ma-ice"), .month = 0, .units = 3'520});
  PlanRequest none;
  none.levers = Levers{};
  const PlanSummary summary = Summarize(*s, plan, none);
  EXPECT_EQ(summary.plant_years[0].lever_capacity, 0);
  EXPECT_NEAR(summary.plant_years[0].built_on_levers, 320, 1e-6);
  EXPECT_NEAR(summary.plant_years[0].spare(), 12'800 - 3'200, 1e-6);
  EXPECT_NEAR(summary.plant_years[0].utilization_with_levers(), 3'520.0 / 12'800, 1e-9);
}

}  // namespace
}  // namespace cobuild::plan
