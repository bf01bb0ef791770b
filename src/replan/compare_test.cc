#include "replan/compare.h"

#include <gtest/gtest.h>

#include "io/scenario_reader.h"
#include "plan/planner.h"

namespace cobuild::replan {
namespace {

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

}  // namespace
}  // namespace cobuild::replan
