// Time in cobuild: a planning horizon of whole months, and per-plant
// working-day calendars resolved onto that horizon.
//
// Months are indexed 0..num_months-1 from `Horizon::first`. Every per-month
// vector in the model has exactly `num_months` entries.
#pragma once

#include <string>
#include <vector>

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
