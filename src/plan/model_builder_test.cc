#include "plan/model_builder.h"

#include <gtest/gtest.h>

#include <map>

#include "plan/test_scenarios.h"

namespace cobuild::plan {
namespace {

BuiltModel Build(const model::Scenario& s, bool cover_cuts) {
  auto built = BuildPlanModel(s, PlanRequest{}, {.shift_cover_cuts = cover_cuts});
  EXPECT_TRUE(built.has_value()) << built.error().message;
  return built ? std::move(*built) : BuiltModel{};
}

int Find(const BuiltModel& m, ColumnKind kind, int market, int month) {
  for (size_t j = 0; j < m.columns.size(); ++j) {
    const ColumnInfo& c = m.columns[j];
    if (c.kind == kind && c.market == market && c.month == month) return static_cast<int>(j);
  }
  return -1;
}

double Entry(const LinearProgram& lp, int row, int col) {
  double value = 0;
  for (int64_t e = 0; e < lp.num_entries(); ++e) {
    if (lp.entry_row[e] == row && lp.entry_col[e] == col) value += lp.entry_value[e];
  }
  return value;
}

// The golden scenario (tests/data/golden/README.md): one line, one variant,
// UK demand in January and February, EU demand in January.
TEST(ModelBuilderTest, ColumnsAndRowsOfTheGoldenScenario) {
  const model::Scenario s = testing::GoldenOneLine();
  const BuiltModel m = Build(s, /*cover_cuts=*/false);
  std::map<ColumnKind, int> columns;
  for (const ColumnInfo& c : m.columns) ++columns[c.kind];
  std::map<RowKind, int> rows;
  for (const RowInfo& r : m.rows) ++rows[r.kind];
  // One line builds the variant, so cars ship straight from the line: a ship
  // column per (market, month) with demand, no production columns.
  EXPECT_EQ(columns, (std::map<ColumnKind, int>{
                         {ColumnKind::kShip, 3}, {ColumnKind::kShifts, 2}, {ColumnKind::kUnmet, 3}}));
  EXPECT_EQ(rows, (std::map<RowKind, int>{{RowKind::kCapacity, 2}, {RowKind::kDemand, 3}}));
  EXPECT_EQ(m.lp.num_cols(), 8);
  EXPECT_EQ(m.lp.num_rows(), 5);
  EXPECT_EQ(m.num_months, 2);
  EXPECT_EQ(m.columns.size(), static_cast<size_t>(m.lp.num_cols()));
  EXPECT_EQ(m.rows.size(), static_cast<size_t>(m.lp.num_rows()));
}

TEST(ModelBuilderTest, ObjectiveAndCapacityCoefficientsOfTheGoldenScenario) {
  const model::Scenario s = testing::GoldenOneLine();
  const BuiltModel m = Build(s, /*cover_cuts=*/false);
  const int uk = s.FindMarket("UK");
  const int eu = s.FindMarket("EU");
  const int ship_uk_jan = Find(m, ColumnKind::kShip, uk, 0);
  const int ship_eu_jan = Find(m, ColumnKind::kShip, eu, 0);
  const int unmet_uk_feb = Find(m, ColumnKind::kUnmet, uk, 1);
  ASSERT_GE(ship_uk_jan, 0);
  ASSERT_GE(ship_eu_jan, 0);
  ASSERT_GE(unmet_uk_feb, 0);
  EXPECT_EQ(Find(m, ColumnKind::kShip, eu, 1), -1);  // no EU demand in February
  // Unit margins: price - cost - freight - duty.
  EXPECT_DOUBLE_EQ(m.lp.objective[ship_uk_jan], 4'500);
  EXPECT_DOUBLE_EQ(m.lp.objective[ship_eu_jan], 3'900);
  EXPECT_DOUBLE_EQ(m.lp.objective[unmet_uk_feb], -1'000);
  EXPECT_DOUBLE_EQ(m.lp.col_upper[ship_uk_jan], 2'000);  // at most the demand
  // January: one shift a day yields 80 cars x 20 days and costs 10,000 x 20.
  const int shift_jan = m.shift_column[0 * m.num_months + 0];
  const int capacity_jan = m.capacity_row[0 * m.num_months + 0];
  ASSERT_GE(shift_jan, 0);
  ASSERT_GE(capacity_jan, 0);
  EXPECT_DOUBLE_EQ(m.cars_per_shift_month[0], 1'600);
  EXPECT_DOUBLE_EQ(m.lp.objective[shift_jan], -200'000);
  EXPECT_TRUE(m.lp.is_integer[shift_jan]);
  EXPECT_DOUBLE_EQ(m.lp.col_lower[shift_jan], 0);
  EXPECT_DOUBLE_EQ(m.lp.col_upper[shift_jan], 2);
  EXPECT_DOUBLE_EQ(Entry(m.lp, capacity_jan, ship_uk_jan), 1);
  EXPECT_DOUBLE_EQ(Entry(m.lp, capacity_jan, ship_eu_jan), 1);
  EXPECT_DOUBLE_EQ(Entry(m.lp, capacity_jan, shift_jan), -1'600);
  EXPECT_DOUBLE_EQ(m.lp.row_upper[capacity_jan], 0);
}

TEST(ModelBuilderTest, CoverCutsAddOneRowPerLineMonth) {
  const model::Scenario s = testing::GoldenOneLine();
  const BuiltModel with = Build(s, /*cover_cuts=*/true);
  const BuiltModel without = Build(s, /*cover_cuts=*/false);
  int cover = 0;
  for (const RowInfo& r : with.rows) cover += r.kind == RowKind::kCover;
  EXPECT_LE(cover, 2);
  EXPECT_EQ(with.lp.num_rows(), without.lp.num_rows() + cover);
  EXPECT_EQ(with.lp.num_cols(), without.lp.num_cols());
}

}  // namespace
}  // namespace cobuild::plan
