#include "plan/ramp_up.h"

#include <algorithm>

#include "plan/economics.h"

namespace cobuild::plan {

std::vector<MonthShare> RetoolingDowntime(const model::Scenario& scenario, int line,
                                          const model::Retooling& option, int decision_month) {
  std::vector<MonthShare> out;
  const std::vector<double>& days = scenario.plants[scenario.lines[line].plant].calendar.working_days;
  const int last = std::min(decision_month + option.lead_time_months, static_cast<int>(days.size())) - 1;
  double left = option.downtime_weeks * model::kDaysPerShutdownWeek;
  for (int t = last; t >= std::max(decision_month, 0) && left > 1e-9; --t) {
    const double working = days[t];
    if (working <= 0) continue;
    const double stopped = std::min(working, left);
    left -= stopped;
    out.push_back({.month = t, .share = stopped / working});
  }
  return out;
}

int RampStart(const model::Scenario& scenario, const PlanRequest& request, int line, int platform,
              int ready_month) {
  const model::Line& l = scenario.lines[line];
  for (int t = std::max(0, ready_month); t < scenario.horizon.num_months; ++t) {
    for (int v = 0; v < static_cast<int>(scenario.variants.size()); ++v) {
      const model::Variant& variant = scenario.variants[v];
      if (scenario.models[variant.model].platform != platform ||
          std::find(l.powertrains.begin(), l.powertrains.end(), variant.powertrain) == l.powertrains.end() ||
          request.IsExcludedVariant(scenario, v) || (variant.has_launch && t < variant.launch_month) ||
          !MayBuild(scenario, l.plant, v, scenario.horizon.MonthAt(t).year)) {
        continue;
      }
      return t;
    }
  }
  return ready_month;
}

const model::Retooling* RetoolingOption(const model::Scenario& scenario, int line, int platform) {
  for (const model::Retooling& option : scenario.lines[line].retooling) {
    if (option.platform == platform) return &option;
  }
  return nullptr;
}

double StoppedShare(const model::Scenario& scenario, std::span<const RetoolEntry> retooling, int line,
                    int month) {
  double share = 0;
  for (const RetoolEntry& e : retooling) {
    if (e.line != line) continue;
    const model::Retooling* option = RetoolingOption(scenario, line, e.platform);
    if (option == nullptr) continue;
    for (const MonthShare& m : RetoolingDowntime(scenario, line, *option, e.month)) {
      if (m.month == month) share += m.share;
    }
  }
  return std::min(share, 1.0);
}

double RegularCapacity(const model::Scenario& scenario, int line, int month, double availability) {
  const model::Line& l = scenario.lines[line];
  return l.CarsPerShift() * l.max_shifts_per_day * scenario.plants[l.plant].calendar.working_days[month] *
         availability;
}

}  // namespace cobuild::plan
