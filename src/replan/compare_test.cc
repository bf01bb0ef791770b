#include "replan/compare.h"

#include <gtest/gtest.h>

#include "io/scenario_reader.h"
#include "plan/planner.h"

namespace cobuild::replan {
namespace {

// tests/data/costs/present-value.yaml with and without its discount rate:
// the present values sit beside the nominal contributions, and the
// retooling decisions are listed by line, platform and month.
TEST(CompareTest, ShowsPresentValuesAndRetoolingDecisions) {
  auto s = io::LoadScenario("tests/data/costs/present-value.yaml");
  ASSERT_TRUE(s) << s.error().message;
  model::Scenario nominal = *s;
  nominal.settings.discount_rate_per_year = 0;
  plan::PlanRequest request;
  request.options.solve.relative_gap = 1e-9;
  auto a = plan::SolvePlan(*s, request);
  auto b = plan::SolvePlan(nominal, request);
  ASSERT_TRUE(a && a->HasSolution() && b && b->HasSolution());
  const Comparison c = ComparePlans(*s, *a, nominal, *b);
  int present = 0;
  for (const auto& row : c.rows) {
    if (row.section == "contribution by company in present value") {
      ++present;
      EXPECT_NEAR(row.a, 29'209'090.91, 0.01);  // tests/data/costs/README.md
      EXPECT_NEAR(row.b, 30'550'000, 0.01);     // undiscounted: the nominal figure
    }
    if (row.section == "retooling decisions") {
      EXPECT_EQ(row.key, "alpha-1 for p2 decided 2028-01");
      EXPECT_EQ(row.a, 1);
    }
  }
  EXPECT_EQ(present, 1);
  // Plans that do not discount have no present-value rows.
  for (const auto& row : ComparePlans(nominal, *b, nominal, *b).rows) {
    EXPECT_NE(row.section, "contribution by company in present value");
  }
}

TEST(CompareTest, LinesUpTwoScenariosByIds) {
  auto s = io::LoadScenario("tests/data/scenarios/small.yaml");
  ASSERT_TRUE(s) << s.error().message;
  model::Scenario more = *s;
  more.name = "more demand";
  for (double& units : more.demand.units) units *= 1.2;
  plan::PlanRequest request;
  request.options.solve.time_limit_seconds = 30;
  auto a = plan::SolvePlan(*s, request);
  auto b = plan::SolvePlan(more, request);
  ASSERT_TRUE(a && a->HasSolution() && b && b->HasSolution());

  const Comparison same = ComparePlans(*s, *a, *s, *a);
  ASSERT_FALSE(same.rows.empty());
  for (const auto& row : same.rows) EXPECT_EQ(row.delta(), 0) << row.section << " " << row.key;

  const Comparison c = ComparePlans(*s, *a, more, *b);
  EXPECT_EQ(c.name_b, "more demand");
  EXPECT_EQ(c.rows.front().section, "objective");
  EXPECT_DOUBLE_EQ(c.rows.front().a, a->objective_gbp);
  EXPECT_DOUBLE_EQ(c.rows.front().b, b->objective_gbp);
  double sold_a = 0, sold_b = 0;
  for (const auto& row : c.rows) {
    if (row.section != "units sold by brand") continue;
    sold_a += row.a;
    sold_b += row.b;
  }
  EXPECT_GT(sold_b, sold_a);
}

// tests/data/scenarios/small.yaml and its plan, solved once.
struct Small {
  model::Scenario scenario;
  plan::Plan plan;
};
const Small& SmallPlan() {
  static const Small* small = [] {
    auto* out = new Small;
    auto s = io::LoadScenario("tests/data/scenarios/small.yaml");
    EXPECT_TRUE(s) << s.error().message;
    if (s) out->scenario = std::move(*s);
    plan::PlanRequest request;
    request.options.solve.time_limit_seconds = 30;
    auto p = plan::SolvePlan(out->scenario, request);
    EXPECT_TRUE(p && p->HasSolution());
    if (p) out->plan = std::move(*p);
    return out;
  }();
  return *small;
}

TEST(CompareTest, SalesByMonthAndTheirDifferenceAddUp) {
  const model::Scenario* s = &SmallPlan().scenario;
  const plan::Plan* a = &SmallPlan().plan;
  plan::Plan b = *a;
  ASSERT_FALSE(b.shipments.empty());
  b.shipments.front().units -= 100;  // B sells 100 fewer cars of one cell
  const auto diff = SalesDifference(*s, *a, b);
  ASSERT_EQ(diff.size(), 1u);
  EXPECT_DOUBLE_EQ(diff.front().units, 100);
  EXPECT_EQ(diff.front().market, b.shipments.front().market);
  EXPECT_EQ(diff.front().month, b.shipments.front().arrival_month);
  EXPECT_TRUE(SalesDifference(*s, *a, *a).empty());

  const Comparison c = ComparePlans(*s, *a, *s, b);
  double months_a = 0, months_b = 0, brands_a = 0;
  int month_rows = 0;
  for (const auto& row : c.rows) {
    if (row.section == "units sold by month") {
      months_a += row.a;
      months_b += row.b;
      ++month_rows;
    }
    if (row.section == "units sold by brand") brands_a += row.a;
  }
  EXPECT_EQ(month_rows, s->horizon.num_months);
  EXPECT_NEAR(months_a, brands_a, 1e-6);
  EXPECT_NEAR(months_a - months_b, 100, 1e-6);
}

TEST(CompareTest, UtilizationTakesEachPlansLineAvailability) {
  const model::Scenario* s = &SmallPlan().scenario;
  const plan::Plan* a = &SmallPlan().plan;
  plan::PlanRequest half;
  for (int t = 0; t < s->horizon.num_months; ++t) half.SetPlantAvailability(*s, s->FindPlant("home"), t, 0.5);
  const Comparison c = ComparePlans(*s, *a, *s, *a, {}, half);
  bool seen = false;
  for (const auto& row : c.rows) {
    if (row.section != "utilization by plant and year" || row.key.rfind("home ", 0) != 0) continue;
    seen = true;
    EXPECT_NEAR(row.b, 2 * row.a, 1e-9) << row.key;
  }
  EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace cobuild::replan
