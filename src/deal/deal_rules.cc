#include "deal/deal_rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <utility>

#include "plan/planner.h"
#include "replan/apply_events.h"

namespace cobuild::deal {

DealRules RulesOf(const model::Scenario& scenario) {
  const model::PlanSettings& s = scenario.settings;
  DealRules rules;
  rules.contract = s.participation_contract >= 0 ? s.participation_contract : s.host_first_contract;
  rules.participation = s.participation_contract >= 0;
  rules.host_first = s.host_first_contract >= 0;
  return rules;
}

std::vector<int> CoveredPlants(const model::Scenario& scenario, int contract) {
  const model::Contract& k = scenario.contracts[contract];
  std::vector<int> plants = k.plants;
  if (plants.empty()) {
    for (size_t p = 0; p < scenario.plants.size(); ++p) {
      if (scenario.plants[p].company == k.host) plants.push_back(static_cast<int>(p));
    }
  }
  std::sort(plants.begin(), plants.end());
  return plants;
}

plan::DealFloors FloorsFrom(const model::Scenario& scenario, const DealRules& rules,
                            const plan::Plan& without) {
  plan::DealFloors floors;
  if (!rules.any()) return floors;
  floors.contract = rules.contract;
  if (rules.participation) {
    floors.contribution_pv_gbp.assign(scenario.companies.size(), 0.0);
    for (const auto& c : without.contributions) {
      floors.contribution_pv_gbp[static_cast<size_t>(c.company)] = c.contribution_pv_gbp;
    }
  }
  if (rules.host_first) {
    const int host = scenario.contracts[rules.contract].host;
    std::map<std::pair<int, int>, double> own;
    for (const auto& e : without.production) {
      if (scenario.VariantOwner(e.variant) != host) continue;
      own[{scenario.lines[e.line].plant, scenario.horizon.MonthAt(e.month).year}] += e.units;
    }
    for (int plant : CoveredPlants(scenario, rules.contract)) {
      for (int year : scenario.horizon.Years()) {
        const auto it = own.find({plant, year});
        floors.host_output.push_back(
            {.plant = plant, .year = year, .units = it == own.end() ? 0.0 : it->second});
      }
    }
  }
  return floors;
}

Result<plan::Plan> SolveAllowingOneRetry(const model::Scenario& scenario, const plan::PlanRequest& request) {
  Result<plan::Plan> plan = plan::SolvePlan(scenario, request);
  if (!plan || plan->HasSolution() || plan->stats.stop_rule != plan::StopRule::kTimeLimit) return plan;
  plan::PlanRequest longer = request;
  longer.options.solve.time_limit_seconds *= 2;
  return plan::SolvePlan(scenario, longer);
}

Result<plan::Plan> SolveRuled(const model::Scenario& scenario, const plan::PlanRequest& request,
                              const DealRules& rules, const plan::Plan& without, const plan::Plan* start) {
  plan::PlanRequest ruled = request;
  ruled.deal_floors = FloorsFrom(scenario, rules, without);
  // The plan without the deal meets every floor (they are its own figures),
  // so the solve always has a plan to start from.
  ruled.start = start != nullptr ? start : &without;
  Result<plan::Plan> plan = SolveAllowingOneRetry(scenario, ruled);
  if (plan && !plan->HasSolution() && ruled.start != &without) {
    // The given start can miss a floor: on the default scenario the central
    // plan misses CJLR's at every fee (the joint venture loses GBP 64m in
    // it), the planner then starts from its own plans, and under load a 2 s
    // point ended without any plan. The plan without the contract meets
    // every floor.
    ruled.start = &without;
    plan = SolveAllowingOneRetry(scenario, ruled);
  }
  if (!plan) return plan;
  if (!plan->HasSolution()) {
    return Internal(fmt::format("the plan under the deal rules of contract {} found no solution: {}",
                                scenario.contracts[rules.contract].id, plan->stats.solver_message));
  }
  plan->basis.deal_floors = ruled.deal_floors;
  return plan;
}

Result<RuledPlan> SolveWithDealRules(const model::Scenario& scenario, const plan::PlanRequest& request,
                                     const DealRules& rules) {
  if (rules.contract < 0 || static_cast<size_t>(rules.contract) >= scenario.contracts.size()) {
    return InvalidInput(fmt::format("deal rules: contract index {} is not a contract of scenario {}",
                                    rules.contract, scenario.name));
  }
  const int removed[] = {rules.contract};
  RuledPlan out;
  out.without_scenario = replan::WithoutContracts(scenario, removed);
  plan::PlanRequest without_request = request;
  without_request.deal_floors = {};
  Result<plan::Plan> without = plan::SolvePlan(out.without_scenario, without_request);
  if (!without) return std::unexpected(without.error());
  if (!without->HasSolution()) {
    return Internal(fmt::format("the plan without contract {} found no solution: {}",
                                scenario.contracts[rules.contract].id, without->stats.solver_message));
  }
  without->basis.excluded_contracts = {rules.contract};
  out.without = std::move(*without);
  Result<plan::Plan> plan = SolveRuled(scenario, request, rules, out.without);
  if (!plan) return std::unexpected(plan.error());
  out.plan = std::move(*plan);
  return out;
}

}  // namespace cobuild::deal
