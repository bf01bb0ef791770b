#include "model/calendar.h"

#include <gtest/gtest.h>

namespace cobuild::model {
namespace {

TEST(YearMonthTest, PrintsWithZeroPaddedMonth) {
  EXPECT_EQ(ToString(YearMonth{.year = 2026, .month = 3}), "2026-03");
  EXPECT_EQ(ToString(YearMonth{.year = 2027, .month = 12}), "2027-12");
}

TEST(YearMonthTest, AddsAndCountsMonthsAcrossYears) {
  EXPECT_EQ(AddMonths({2026, 11}, 2), (YearMonth{2027, 1}));
  EXPECT_EQ(AddMonths({2026, 1}, -1), (YearMonth{2025, 12}));
  EXPECT_EQ(AddMonths({2026, 1}, -13), (YearMonth{2024, 12}));
  EXPECT_EQ(AddMonths({2026, 6}, 0), (YearMonth{2026, 6}));
  EXPECT_EQ(MonthsBetween({2026, 10}, {2027, 3}), 5);
  EXPECT_EQ(MonthsBetween({2027, 3}, {2026, 10}), -5);
  for (int k = -30; k <= 30; ++k) EXPECT_EQ(MonthsBetween({2026, 4}, AddMonths({2026, 4}, k)), k);
}

TEST(HorizonTest, IndexesMonthsInsideOnly) {
  const Horizon h{.first = {2026, 10}, .num_months = 6};
  EXPECT_EQ(h.MonthAt(0), (YearMonth{2026, 10}));
  EXPECT_EQ(h.MonthAt(5), (YearMonth{2027, 3}));
  EXPECT_EQ(h.IndexOf({2026, 10}), 0);
  EXPECT_EQ(h.IndexOf({2027, 3}), 5);
  EXPECT_EQ(h.IndexOf({2027, 4}), -1);
  EXPECT_EQ(h.IndexOf({2026, 9}), -1);
  EXPECT_EQ(h.Years(), (std::vector<int>{2026, 2027}));
}

TEST(ApplyShutdownsTest, ALongShutdownContinuesIntoTheNextMonths) {
  const Horizon h{.first = {2026, 7}, .num_months = 3};
  Calendar c;
  c.base_working_days = {22, 10, 21};
  // 3 weeks = 15 days from July: 15 of July's 22.
  // 4 weeks = 20 days from August: August's 10, then 10 of September's 21.
  c.shutdowns = {{.reason = "summer", .month = {2026, 7}, .weeks = 3},
                 {.reason = "retool", .month = {2026, 8}, .weeks = 4}};
  ApplyShutdowns(h, c);
  EXPECT_EQ(c.working_days, (std::vector<double>{7, 0, 11}));
  EXPECT_EQ(c.base_working_days, (std::vector<double>{22, 10, 21}));  // untouched
}

TEST(ApplyShutdownsTest, DaysPastTheHorizonAreDropped) {
  const Horizon h{.first = {2026, 1}, .num_months = 2};
  Calendar c;
  c.base_working_days = {20, 20};
  c.shutdowns = {{.reason = "long", .month = {2026, 2}, .weeks = 10}};
  ApplyShutdowns(h, c);
  EXPECT_EQ(c.working_days, (std::vector<double>{20, 0}));
}

TEST(ApplyShutdownsTest, ReappliesFromTheBaseEachTime) {
  const Horizon h{.first = {2026, 1}, .num_months = 1};
  Calendar c;
  c.base_working_days = {20};
  c.shutdowns = {{.reason = "one week", .month = {2026, 1}, .weeks = 1}};
  ApplyShutdowns(h, c);
  ApplyShutdowns(h, c);
  EXPECT_EQ(c.working_days, (std::vector<double>{15}));
}

}  // namespace
}  // namespace cobuild::model
