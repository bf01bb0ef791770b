#include "io/plan_views.h"

#include <gtest/gtest.h>

#include "io/plan_io.h"
#include "plan/planner.h"
#include "plan/test_scenarios.h"

namespace cobuild::io {
namespace {

using nlohmann::json;

TEST(PlanViewsTest, ViewsDrawFromTheSummaryWithAvailability) {
  const model::Scenario s = plan::testing::MiniUk();
  plan::PlanRequest request;
  request.options.solve.time_limit_seconds = 30;
  auto p = plan::SolvePlan(s, request);
  ASSERT_TRUE(p && p->HasSolution());
  plan::PlanRequest outage;
  outage.SetPlantAvailability(s, 0, 2, 0.0);
  const json views = PlanViewsJson(s, *p, outage);
  const plan::PlanSummary summary = plan::Summarize(s, *p, outage);
  const int n = s.horizon.num_months;
  ASSERT_EQ(views["utilization"]["capacity"].size(), s.plants.size());
  for (int plant = 0; plant < static_cast<int>(s.plants.size()); ++plant) {
    for (int t = 0; t < n; ++t) {
      const plan::PlantMonth& pm = summary.plant_months[static_cast<size_t>(plant * n + t)];
      EXPECT_EQ(views["utilization"]["capacity"][plant][t].get<double>(), pm.capacity);
      EXPECT_EQ(views["utilization"]["built"][plant][t].get<double>(), pm.built);
    }
  }
  EXPECT_EQ(views["utilization"]["capacity"][0][2].get<double>(), 0.0);
  EXPECT_EQ(views["plant_years"].size(), summary.plant_years.size());
  EXPECT_EQ(views["markets"].size(), s.markets.size());
  EXPECT_EQ(views["spare_capacity"].size(), s.lines.size());
  // Contributions as the plan file writes them (one writer).
  EXPECT_EQ(views["contributions"], PlanToJson(s, *p)["contributions"]);
  EXPECT_EQ(views["status"], plan::ToString(p->status));

  const std::string csv = WriteProductionCsv(s, *p);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "plant,line,variant,brand,company,month,units");
  size_t rows = 0;
  for (const auto& e : p->production) rows += e.units > 0;
  EXPECT_EQ(static_cast<size_t>(std::count(csv.begin(), csv.end(), '\n')), rows + 1);
}

}  // namespace
}  // namespace cobuild::io
