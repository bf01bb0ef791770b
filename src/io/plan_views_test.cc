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
  // The cars on regular shifts and on levers and the spare, as the summary
  // splits them per line-month (spare never negative).
  for (size_t i = 0; i < summary.plant_years.size(); ++i) {
    const plan::PlantYear& py = summary.plant_years[i];
    const json& row = views["plant_years"][i];
    EXPECT_EQ(row["built_regular"].get<double>(), py.built_regular);
    EXPECT_EQ(row["built_on_levers"].get<double>(), py.built_on_levers);
    EXPECT_EQ(row["spare"].get<double>(), py.spare());
    EXPECT_GE(row["spare"].get<double>(), 0);
    EXPECT_EQ(row["lever_capacity"].get<double>(), py.lever_capacity);
    EXPECT_EQ(row["retooling_stop"].get<double>(), py.retooling_stop);
    EXPECT_EQ(row["utilization_with_levers"].get<double>(), py.utilization_with_levers());
  }
  for (int l = 0; l < static_cast<int>(s.lines.size()); ++l) {
    const plan::Output total = summary.LineTotal(s, l);
    const json& row = views["spare_capacity"][static_cast<size_t>(l)];
    EXPECT_EQ(row["built_on_levers"].get<double>(), total.built_on_levers);
    EXPECT_EQ(row["spare"].get<double>(), total.spare());
  }
  // Contributions as the plan file writes them (one writer).
  EXPECT_EQ(views["contributions"], PlanToJson(s, *p)["contributions"]);
  EXPECT_EQ(views["status"], plan::ToString(p->status));

  const std::string csv = WriteProductionCsv(s, *p);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "plant,line,variant,brand,company,month,units");
  size_t rows = 0;
  for (const auto& e : p->production) rows += e.units > 0;
  EXPECT_EQ(static_cast<size_t>(std::count(csv.begin(), csv.end(), '\n')), rows + 1);
}

// A comparison's plants line up by id and its months by date: B starts two
// months after A and names its second plant differently.
TEST(PlanViewsTest, SideBySideLinesUpPlantsByIdAndMonthsByDate) {
  const model::Scenario a = plan::testing::MiniUk();
  model::Scenario b = a;
  b.horizon.first = {.year = 2026, .month = 3};
  b.plants[1].id = "XX";
  b.plants[1].name = "Elsewhere";
  plan::Plan pa;
  pa.production = {{.line = 0, .variant = 0, .month = 2, .units = 100}};
  plan::Plan pb;
  pb.production = {{.line = 0, .variant = 0, .month = 0, .units = 70}};
  const json grid = PlantMonthsSideBySideJson(a, plan::Summarize(a, pa), b, plan::Summarize(b, pb));
  ASSERT_EQ(grid["months"].size(), 14u);  // 2026-01 .. 2027-02
  EXPECT_EQ(grid["months"][2], "2026-03");
  ASSERT_EQ(grid["plants"].size(), 3u);
  EXPECT_EQ(grid["plants"][2]["name"], "Elsewhere");
  EXPECT_EQ(grid["a_built"][0][2].get<double>(), 100.0);
  EXPECT_EQ(grid["b_built"][0][2].get<double>(), 70.0);
  EXPECT_TRUE(grid["b_built"][0][0].is_null());   // before B's horizon
  EXPECT_TRUE(grid["a_built"][0][12].is_null());  // after A's
  EXPECT_TRUE(grid["a_built"][2][2].is_null());   // B's plant only
  EXPECT_TRUE(grid["b_built"][1][2].is_null());   // A's plant only
  EXPECT_EQ(grid["a_capacity"][0][2].get<double>(), plan::Summarize(a, pa).plant_months[2].capacity);
}

// The per-company split and the line-month detail come from the plan's
// production and shifts, whatever order it lists them in.
TEST(PlanViewsTest, PlantYearsSplitByCompanyAndLinesListVariantsAndShifts) {
  const model::Scenario s = plan::testing::MiniUk();
  int own = -1;
  int partner = -1;
  for (int v = 0; v < static_cast<int>(s.variants.size()); ++v) {
    (s.VariantOwner(v) == 0 ? own : partner) = v;
  }
  ASSERT_GE(own, 0);
  ASSERT_GE(partner, 0);
  plan::Plan p;
  p.production = {{.line = 1, .variant = partner, .month = 3, .units = 40},
                  {.line = 1, .variant = own, .month = 3, .units = 60},
                  {.line = 1, .variant = partner, .month = 3, .units = 5}};
  p.shifts = {{.line = 1, .month = 3, .shifts_per_day = 2, .extra_shifts_per_day = 1, .weekend_days = 4}};
  const json views = PlanSummaryJson(s, plan::Summarize(s, p));
  const json& py = views["plant_years"][0];
  ASSERT_EQ(py["plant"], "HW");
  EXPECT_EQ(py["built"].get<double>(), 105.0);
  EXPECT_EQ(py["built_on_levers"].get<double>(), 0.0);  // 105 cars fit any line's regular month
  EXPECT_EQ(py["built_regular"].get<double>(), 105.0);
  EXPECT_EQ(py["built_by_company"][0]["built"].get<double>(), 60.0);
  EXPECT_EQ(py["built_by_company"][1]["built"].get<double>(), 45.0);
  EXPECT_EQ(views["plants"][0]["company"], "JLR");
  const json& line = views["lines"][1];
  ASSERT_EQ(line["variants"].size(), 2u);  // the partner's two entries merged
  const json& first = line["variants"][0];
  EXPECT_EQ(first["variant"], s.variants[static_cast<size_t>(std::min(own, partner))].id);
  EXPECT_EQ(first["month"], "2026-04");
  EXPECT_EQ(line["built"][3].get<double>(), 105.0);
  EXPECT_EQ(line["shifts_per_day"][3].get<int>(), 2);
  EXPECT_EQ(line["extra_shifts_per_day"][3].get<int>(), 1);
  EXPECT_EQ(line["weekend_days"][3].get<int>(), 4);
  EXPECT_EQ(line["shifts_per_day"][4].get<int>(), 0);
  // Mini-UK's UK plant works 10 of 20 days in August; its base days say so.
  EXPECT_EQ(views["calendars"][0]["working_days"][7].get<double>(), 10.0);
}

}  // namespace
}  // namespace cobuild::io
