// Leaving cars out of a plan: a brand's, or every brand of a company (the
// "without partner" plan `cobuild plan --compare-without chery` sets beside
// the plan). Excluded brands have no demand and no production
// (plan::PlanRequest::excluded_brands); the plan's basis records them, so a
// plan file says what it was made without.
//
//   plan::PlanRequest without = request;
//   if (auto r = app::Exclude(scenario, {.companies = {"chery"}}, without); !r) ...
#pragma once

#include <string>
#include <vector>

#include "model/error.h"
#include "model/scenario.h"
#include "plan/plan_request.h"

namespace cobuild::app {

struct Exclusion {
  std::vector<std::string> brands;     // brand ids
  std::vector<std::string> companies;  // company ids: each of their brands
};

// Adds the brands `exclusion` names to request->excluded_brands (each once,
// in scenario order). An unknown id is InvalidInput (app/scenario_ids.h's
// message) and leaves `request` unchanged.
[[nodiscard]] Result<void> Exclude(const model::Scenario& scenario, const Exclusion& exclusion,
                                   plan::PlanRequest& request);

}  // namespace cobuild::app
