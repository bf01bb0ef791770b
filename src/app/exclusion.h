// Leaving cars or a deal out of a plan.
//
// Exclude: a brand's cars, or every brand of a company (the "without
// partner" plan `cobuild plan --compare-without chery` sets beside the
// plan): excluded brands have no demand and no production anywhere
// (plan::PlanRequest::excluded_brands), so the partner leaves every market,
// its own imports included. That answers "what if the partner's cars were
// not there at all", not "what if there were no deal".
//
// ExcludeContract: the scenario without one contract, the counterfactual of
// a deal (`cobuild plan --compare-without-contract ID`, `cobuild deal`; see
// replan::WithoutContracts and docs/deal.md): the partner keeps its demand
// and serves it from its own plants, other contracts or imports; the host
// builds only what it may without the contract.
//
// The plan's basis records both (excluded_brands, excluded_contracts), so a
// plan file says what it was made without.
//
//   plan::PlanRequest without = request;
//   if (auto r = app::Exclude(scenario, {.companies = {"chery"}}, without); !r) ...
//   Result<app::ContractRemoved> no_deal = app::ExcludeContract(scenario, "jlr-builds-chery");
#pragma once

#include <string>
#include <string_view>
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

struct ContractRemoved {
  int contract = -1;         // index of the removed contract (kept in the list, covering nothing)
  model::Scenario scenario;  // the scenario without it
};

// The scenario without the contract `id`; an unknown id is InvalidInput
// (app/scenario_ids.h's message). Record `contract` in the plan's
// basis.excluded_contracts so that check-plan removes it too.
[[nodiscard]] Result<ContractRemoved> ExcludeContract(const model::Scenario& scenario, std::string_view id);

}  // namespace cobuild::app
