#include "model/calendar.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace cobuild::model {
namespace {

TEST(ParseDateTest, ReadsAStrictIsoDate) {
  auto d = ParseDate("2027-03-10");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, (Date{.year = 2027, .month = 3, .day = 10}));
  EXPECT_EQ(ToString(*d), "2027-03-10");
  EXPECT_EQ(*ParseDate("2028-02-29"), (Date{2028, 2, 29}));
  EXPECT_EQ(*ParseDate("1900-01-01"), (Date{1900, 1, 1}));
  EXPECT_EQ(*ParseDate("2200-12-31"), (Date{2200, 12, 31}));
}

TEST(ParseDateTest, SaysWhatIsWrongWithADate) {
  auto message = [](std::string_view text) {
    auto d = ParseDate(text);
    EXPECT_FALSE(d.has_value()) << text;
    return d ? std::string() : d.error().message;
  };
  EXPECT_EQ(message("2027-02-30"),
            "expected a date as YYYY-MM-DD, got \"2027-02-30\" (February 2027 has 28 days)");
  EXPECT_EQ(message("2027-04-31"),
            "expected a date as YYYY-MM-DD, got \"2027-04-31\" (April 2027 has 30 days)");
  EXPECT_EQ(message("2027-13-01"),
            "expected a date as YYYY-MM-DD, got \"2027-13-01\" (there is no month 13)");
  EXPECT_EQ(message("2027-00-01"),
            "expected a date as YYYY-MM-DD, got \"2027-00-01\" (there is no month 00)");
  EXPECT_EQ(message("2027-01-00"), "expected a date as YYYY-MM-DD, got \"2027-01-00\" (there is no day 00)");
  EXPECT_EQ(message("0227-01-01"),
            "expected a date as YYYY-MM-DD, got \"0227-01-01\" (years are 1900 to 2200)");
  EXPECT_EQ(message("27-1-1"), "expected a date as YYYY-MM-DD, got \"27-1-1\"");
  EXPECT_EQ(message("2027-1-10"), "expected a date as YYYY-MM-DD, got \"2027-1-10\"");
  EXPECT_EQ(message("2027-01-10x"), "expected a date as YYYY-MM-DD, got \"2027-01-10x\"");
  EXPECT_EQ(message("2027-01-10 "), "expected a date as YYYY-MM-DD, got \"2027-01-10 \"");
  EXPECT_EQ(message(" 2027-01-10"), "expected a date as YYYY-MM-DD, got \" 2027-01-10\"");
  EXPECT_EQ(message("+027-01-10"), "expected a date as YYYY-MM-DD, got \"+027-01-10\"");
  EXPECT_EQ(message("2027/01/10"), "expected a date as YYYY-MM-DD, got \"2027/01/10\"");
  EXPECT_EQ(message("2027-01"), "expected a date as YYYY-MM-DD, got \"2027-01\"");
  EXPECT_EQ(message(""), "expected a date as YYYY-MM-DD, got \"\"");
  EXPECT_EQ(message(std::string(100, '9')),
            "expected a date as YYYY-MM-DD, got \"" + std::string(40, '9') + "...\"");
  EXPECT_EQ(ParseDate("2027-02-30").error().kind, ErrorKind::kInvalidInput);
}

TEST(ParseYearMonthTest, ReadsAStrictIsoMonth) {
  EXPECT_EQ(*ParseYearMonth("2026-03"), (YearMonth{2026, 3}));
  EXPECT_EQ(*ParseYearMonth("2026-12"), (YearMonth{2026, 12}));
  auto message = [](std::string_view text) {
    auto m = ParseYearMonth(text);
    EXPECT_FALSE(m.has_value()) << text;
    return m ? std::string() : m.error().message;
  };
  EXPECT_EQ(message("2026-13"), "expected a month as YYYY-MM, got \"2026-13\" (there is no month 13)");
  EXPECT_EQ(message("2026-00"), "expected a month as YYYY-MM, got \"2026-00\" (there is no month 00)");
  EXPECT_EQ(message("2201-01"), "expected a month as YYYY-MM, got \"2201-01\" (years are 1900 to 2200)");
  EXPECT_EQ(message("2026-3"), "expected a month as YYYY-MM, got \"2026-3\"");
  EXPECT_EQ(message("26-03"), "expected a month as YYYY-MM, got \"26-03\"");
  EXPECT_EQ(message("2026-03x"), "expected a month as YYYY-MM, got \"2026-03x\"");
  EXPECT_EQ(message("2026-03-01"), "expected a month as YYYY-MM, got \"2026-03-01\"");
}

TEST(DateTest, PrintsAndCountsDaysFromTheEpoch) {
  EXPECT_EQ(ToString(Date{2026, 10, 5}), "2026-10-05");
  EXPECT_EQ(DaysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(DaysFromCivil({1969, 12, 31}), -1);
  EXPECT_EQ(DaysFromCivil({2000, 3, 1}), 11017);
  EXPECT_EQ(DaysFromCivil({2026, 11, 8}) - DaysFromCivil({2026, 10, 5}), 34);
  for (int days = -800; days < 40'000; days += 37) {
    EXPECT_EQ(DaysFromCivil(CivilFromDays(days)), days);
  }
  EXPECT_EQ(CivilFromDays(DaysFromCivil({2028, 2, 29})), (Date{2028, 2, 29}));
}

TEST(DateTest, KnowsLeapYearsAndWeekdays) {
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(2026, 2), 28);
  EXPECT_EQ(DaysInMonth(2000, 2), 29);
  EXPECT_EQ(DaysInMonth(2100, 2), 28);
  EXPECT_EQ(DaysInMonth(2026, 4), 30);
  EXPECT_EQ(LastDay({2026, 12}), (Date{2026, 12, 31}));
  EXPECT_EQ(FirstDay({2027, 3}), (Date{2027, 3, 1}));
  EXPECT_EQ(MonthOf({2027, 3, 10}), (YearMonth{2027, 3}));
  EXPECT_TRUE(IsWeekday({2026, 10, 5}));    // a Monday
  EXPECT_TRUE(IsWeekday({2026, 10, 9}));    // a Friday
  EXPECT_FALSE(IsWeekday({2026, 10, 10}));  // a Saturday
  EXPECT_FALSE(IsWeekday({2026, 10, 11}));  // a Sunday
  EXPECT_EQ(Weekday({1970, 1, 1}), 3);      // a Thursday
  EXPECT_EQ(Weekday({2026, 10, 5}), 0);     // Monday = 0
  EXPECT_EQ(Weekday({2026, 10, 11}), 6);    // Sunday = 6
}

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
