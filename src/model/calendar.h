// Time in cobuild: calendar months and days, the one parser of each, a
// planning horizon of whole months, and per-plant working-day calendars
// resolved onto that horizon.
//
// Months are indexed 0..num_months-1 from `Horizon::first`. Every per-month
// vector in the model has exactly `num_months` entries.
//
//   Result<Date> day = ParseDate("2026-10-05");     // --date, event dates
//   Result<YearMonth> m = ParseYearMonth("2026-10");  // horizons, plan months
//   int t = horizon.IndexOf(MonthOf(*day));            // -1 outside the horizon
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"

namespace cobuild::model {

struct YearMonth {
  int year = 2026;
  int month = 1;  // 1..12

  auto operator<=>(const YearMonth&) const = default;
};

// "2026-03".
std::string ToString(YearMonth ym);
// Months from `a` to `b` (negative if b is before a).
int MonthsBetween(YearMonth a, YearMonth b);
YearMonth AddMonths(YearMonth ym, int months);

// A calendar date (proleptic Gregorian).
struct Date {
  int year = 2026;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  auto operator<=>(const Date&) const = default;
};

// "2026-10-05".
std::string ToString(Date date);
// Days since 1970-01-01 (negative before).
int DaysFromCivil(Date date);
Date CivilFromDays(int days);
// Day of the week, Monday = 0 to Sunday = 6.
int Weekday(Date date);
// Monday to Friday.
bool IsWeekday(Date date);
int DaysInMonth(int year, int month);
inline YearMonth MonthOf(Date date) { return {.year = date.year, .month = date.month}; }
inline Date FirstDay(YearMonth ym) { return {ym.year, ym.month, 1}; }
Date LastDay(YearMonth ym);

// The years a month or date may name. A scenario plans inside them; a year
// outside them is a typo (0226 for 2026) rather than a plan.
inline constexpr int kMinYear = 1900;
inline constexpr int kMaxYear = 2200;

// The one grammar for months and dates, in scenario files, plan files, on
// the command line and in the API: strict ISO 8601 calendar forms,
// zero-padded, nothing before or after, naming a real month or day of a
// year from kMinYear to kMaxYear. InvalidInput says what was expected, what
// came and, for a well-formed text, what is wrong with it; callers put the
// field's name in front:
//   ParseYearMonth("2026-03")     -> {2026, 3}
//   ParseDate("2027-02-30")       -> expected a date as YYYY-MM-DD, got "2027-02-30" (February 2027 has 28
//   days) ParseDate("27-1-1")           -> expected a date as YYYY-MM-DD, got "27-1-1"
[[nodiscard]] Result<YearMonth> ParseYearMonth(std::string_view text);
[[nodiscard]] Result<Date> ParseDate(std::string_view text);

struct Horizon {
  YearMonth first;
  int num_months = 0;

  YearMonth MonthAt(int t) const { return AddMonths(first, t); }
  // Index of `ym` in the horizon, or -1 when outside it.
  int IndexOf(YearMonth ym) const;
  // Calendar years the horizon touches, in order.
  std::vector<int> Years() const;
  bool operator==(const Horizon&) const = default;
};

// A shutdown of a plant: whole weeks removed from its calendar. Each week
// removes 5 working days, starting in `month`; a shutdown longer than the
// working days left in that month continues into the following months.
struct Shutdown {
  std::string reason;
  YearMonth month;
  int weeks = 1;
  bool operator==(const Shutdown&) const = default;
};

// A plant's working calendar resolved onto the horizon.
struct Calendar {
  std::vector<double> working_days;       // per month, after shutdowns; >= 0
  std::vector<double> base_working_days;  // per month, before shutdowns
  std::vector<Shutdown> shutdowns;        // as declared, for reports
  bool operator==(const Calendar&) const = default;
};

// Working days a shutdown week removes.
inline constexpr double kDaysPerShutdownWeek = 5;

// Recomputes `working_days` from `base_working_days` minus `shutdowns`
// (see Shutdown); days past the horizon's end are dropped.
void ApplyShutdowns(const Horizon& horizon, Calendar& calendar);

}  // namespace cobuild::model
