// The numbers `cobuild plan` reports about a plan, per plant and year, brand
// and plant, and market: utilisation and spare capacity, units, imports and
// the duty they paid, and the duty local builds avoided.
//
// "Duty avoided" by a car built inside its market (or under a local-content
// rule) is the duty the same car would have paid from the cheapest-duty
// import source that could build it and has a route to the market; 0 when
// no such source exists.
#pragma once

#include <vector>

#include "model/scenario.h"
#include "plan/plan.h"

namespace cobuild::plan {

struct PlantYear {
  int plant = -1;
  int year = 0;
  double built = 0;
  double capacity = 0;  // at every line's maximum shifts
  double utilization() const { return capacity > 0 ? built / capacity : 0; }
};

struct BrandPlant {
  int brand = -1;
  int plant = -1;
  double units = 0;
};

struct MarketTrade {
  int market = -1;
  double sold = 0;
  double imported = 0;  // from plants outside the market
  double duty_paid_gbp = 0;
  double duty_avoided_gbp = 0;
  double unmet = 0;
};

struct PlanSummary {
  std::vector<PlantYear> plant_years;
  std::vector<BrandPlant> brand_plants;
  std::vector<MarketTrade> markets;
};

PlanSummary Summarize(const model::Scenario& scenario, const Plan& plan);

}  // namespace cobuild::plan
