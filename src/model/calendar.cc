#include "model/calendar.h"

#include <algorithm>
#include <cstdio>

namespace cobuild::model {

std::string ToString(YearMonth ym) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d", ym.year, ym.month);
  return buffer;
}

int MonthsBetween(YearMonth a, YearMonth b) { return (b.year - a.year) * 12 + (b.month - a.month); }

YearMonth AddMonths(YearMonth ym, int months) {
  int index = ym.year * 12 + (ym.month - 1) + months;
  // Floor division keeps negative offsets correct.
  int year = index >= 0 ? index / 12 : -((-index + 11) / 12);
  return {.year = year, .month = index - year * 12 + 1};
}

int Horizon::IndexOf(YearMonth ym) const {
  const int t = MonthsBetween(first, ym);
  return t >= 0 && t < num_months ? t : -1;
}

std::vector<int> Horizon::Years() const {
  std::vector<int> years;
  for (int t = 0; t < num_months; ++t) {
    const int y = MonthAt(t).year;
    if (years.empty() || years.back() != y) years.push_back(y);
  }
  return years;
}

void ApplyShutdowns(const Horizon& horizon, Calendar& calendar) {
  calendar.working_days = calendar.base_working_days;
  for (const Shutdown& shutdown : calendar.shutdowns) {
    double days_to_remove = shutdown.weeks * kDaysPerShutdownWeek;
    for (int t = MonthsBetween(horizon.first, shutdown.month); t < horizon.num_months && days_to_remove > 0;
         ++t) {
      if (t < 0) continue;  // scenario validation keeps shutdowns inside the horizon
      double& days = calendar.working_days[static_cast<size_t>(t)];
      const double removed = std::min(days, days_to_remove);
      days -= removed;
      days_to_remove -= removed;
    }
  }
}

}  // namespace cobuild::model
