// Participation and host-first as plan settings (docs/planning-model.md,
// "Participation and host-first"): a plan in which every company does at
// least as well as without a deal, or in which the deal's host keeps its
// own-brand output, per covered plant and year, at its level without it.
//
// The floors come from one plan of the scenario without the contract
// (replan::WithoutContracts); the plan with the rules is then solved with
// the participation and host-first rows (ModelBuilder::AddParticipation,
// AddHostFirst), starting from the plan without the deal, which meets every
// floor by construction, and records the floors in its basis so that the
// plan checker can re-verify them.
//
//   DealRules rules = RulesOf(scenario);      // settings.participation / host_first
//   Result<RuledPlan> r = SolveWithDealRules(scenario, request, rules);
//   r->plan.basis.deal_floors ...
#pragma once

#include "model/error.h"
#include "model/scenario.h"
#include "plan/plan.h"
#include "plan/plan_request.h"

namespace cobuild::deal {

struct DealRules {
  int contract = -1;  // -1: no rules
  bool participation = false;
  bool host_first = false;
  bool any() const { return contract >= 0 && (participation || host_first); }
};

// The rules the scenario's settings give (settings.participation,
// settings.host_first; the reader makes both name one contract).
DealRules RulesOf(const model::Scenario& scenario);

// The host plants a contract covers: its list, or every plant of its host;
// sorted.
std::vector<int> CoveredPlants(const model::Scenario& scenario, int contract);

// The floors `rules` take from `without`, a plan of the scenario without the
// contract: every company's contribution in present value (participation)
// and the host's own-brand cars per covered plant and horizon year
// (host-first).
plan::DealFloors FloorsFrom(const model::Scenario& scenario, const DealRules& rules,
                            const plan::Plan& without);

struct RuledPlan {
  plan::Plan plan;                   // with the rules; basis.deal_floors set
  plan::Plan without;                // the plan without the contract the floors come from
  model::Scenario without_scenario;  // the scenario without the contract
};

// Solves the plan without the contract, then the plan of `scenario` under
// `rules` with `request`'s options (its own deal_floors are replaced).
// Errors: an invalid contract index, a solve error, or no plan within the
// time limit (Internal, naming which plan).
[[nodiscard]] Result<RuledPlan> SolveWithDealRules(const model::Scenario& scenario,
                                                   const plan::PlanRequest& request, const DealRules& rules);

// plan::SolvePlan, and once more at twice the time limit when the time
// limit ended it without any plan. A deal's plans and sweep points start
// from a known plan, but on a busy machine a short limit (a sweep point's
// 2 s) can run out before even the start's LP is solved; one point without
// a plan would otherwise fail the whole report. A work-limited solve
// (max_nodes) never ends on the clock this way and is not retried.
[[nodiscard]] Result<plan::Plan> SolveAllowingOneRetry(const model::Scenario& scenario,
                                                       const plan::PlanRequest& request);

// The plan of `scenario` under `rules` given the plan without the contract
// (its floors); `start`, when given, is tried as a starting plan (the fee
// sweep's start, deal/sweep.h), else the plan without the contract;
// a solve from `start` that ends without any plan is solved again from the
// plan without the contract.
[[nodiscard]] Result<plan::Plan> SolveRuled(const model::Scenario& scenario, const plan::PlanRequest& request,
                                            const DealRules& rules, const plan::Plan& without,
                                            const plan::Plan* start = nullptr);

}  // namespace cobuild::deal
