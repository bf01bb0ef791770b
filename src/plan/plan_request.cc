#include "plan/plan_request.h"

#include <algorithm>

namespace cobuild::plan {

void PlanRequest::SetLineAvailability(const model::Scenario& scenario, int line, int month,
                                      double multiplier) {
  const size_t months = static_cast<size_t>(scenario.horizon.num_months);
  if (line_availability.empty()) line_availability.assign(scenario.lines.size() * months, 1.0);
  line_availability[static_cast<size_t>(line) * months + month] = multiplier;
}

void PlanRequest::SetPlantAvailability(const model::Scenario& scenario, int plant, int month,
                                       double multiplier) {
  for (size_t l = 0; l < scenario.lines.size(); ++l) {
    if (scenario.lines[l].plant == plant) {
      SetLineAvailability(scenario, static_cast<int>(l), month, multiplier);
    }
  }
}

double PlanRequest::LineAvailability(const model::Scenario& scenario, int line, int month) const {
  if (line_availability.empty()) return 1.0;
  return line_availability[static_cast<size_t>(line) * scenario.horizon.num_months + month];
}

bool PlanRequest::IsExcludedVariant(const model::Scenario& scenario, int variant) const {
  if (excluded_brands.empty()) return false;
  const int brand = scenario.models[scenario.variants[variant].model].brand;
  return std::find(excluded_brands.begin(), excluded_brands.end(), brand) != excluded_brands.end();
}

Levers ScenarioLevers(const model::Scenario& scenario) {
  const model::ReplanSettings& r = scenario.replan;
  return {.extra_shifts_per_day = r.extra_shifts_per_day,
          .extra_shift_premium = r.extra_shift_premium,
          .weekend_days_per_month = r.weekend_days_per_month,
          .weekend_premium = r.weekend_premium,
          .backlog = {.max_months = r.backlog_max_months,
                      .delay_cost_gbp_per_car_month = r.backlog_delay_cost_gbp_per_car_month}};
}

Levers PlanRequest::LeversFor(const model::Scenario& scenario) const {
  return levers ? *levers : ScenarioLevers(scenario);
}

}  // namespace cobuild::plan
