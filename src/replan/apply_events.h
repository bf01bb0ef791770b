// Applying events to a scenario and a plan request.
//
// Capacity events become line availability multipliers: an outage or rate
// reduction removes, from each month, the weekdays it covers (5 a week, as
// model::ApplyShutdowns counts), weighted by the share of output lost, as a
// share of the plant's working days that month. Overlapping events on one
// line combine day by day: a stopped day is lost once, however many outages
// cover it; rate reductions on the same day multiply what is left.
// Supply caps become plan::SupplyCap rows. Tariff, demand and contract
// changes have no place in a PlanRequest, so they change a copy of the
// scenario:
// - a tariff change replaces the rate for its origin, market and powertrains
//   for cars arriving from its month on: the rules it touches end the month
//   before (model::Tariff::last_month) and continue changed from its month;
//   several changes apply in date order;
// - a demand change multiplies demand in every month it touches, pro rata
//   to the calendar days it covers there; overlapping changes multiply;
// - a contract change from year Y ends the contract in Y-1 and appends a
//   copy from Y with the new volumes (id "<contract>-from-Y"), so indices of
//   existing contracts stay valid.
//
//   Result<AppliedEvents> applied = ApplyEvents(scenario, scenario.events);
//   plan::PlanRequest request;
//   applied->AddTo(request);
//   Result<plan::Plan> p = plan::SolvePlan(applied->scenario, request);
#pragma once

#include <span>
#include <vector>

#include "model/error.h"
#include "model/event.h"
#include "model/scenario.h"
#include "plan/plan_request.h"

namespace cobuild::replan {

struct AppliedEvents {
  model::Scenario scenario;               // with tariff, demand and contract changes
  std::vector<double> line_availability;  // [line * num_months + month], 1 = unaffected
  std::vector<plan::SupplyCap> supply_caps;
  // First horizon month an event touches (for a demand or tariff change: its
  // first month minus the longest transit, when the cars it concerns are built);
  // -1 = none.
  int first_month = -1;
  int last_month = -1;  // last horizon month an event touches
  // The same for capacity events (outage, rate reduction, supply cap) only:
  // the months a recovery may buy extra shifts, weekends and backlog for.
  int capacity_first_month = -1;
  int capacity_last_month = -1;
  std::vector<double> days_lost;  // [line * num_months + month], working days

  // Multiplies the request's availability by ours and adds the supply caps.
  void AddTo(plan::PlanRequest& request) const;
};

// Events must have come through io::ParseEventText or the scenario reader
// (indices valid, dates inside the horizon); a conflict (see
// model::FindEventConflicts) is InvalidInput.
[[nodiscard]] Result<AppliedEvents> ApplyEvents(const model::Scenario& scenario,
                                                std::span<const model::Event> events);

// The scenario with `events` applied (for io::PlannedOn).
[[nodiscard]] Result<model::Scenario> ScenarioWithEvents(const model::Scenario& scenario,
                                                         std::span<const model::Event> events);

// The scenario without `contracts` (indices): the counterfactual of a deal
// (docs/deal.md, "The counterfactual"). Each removed contract stays in the
// list, so that events, shortfalls and plan files keep their contract
// indices, but covers nothing: no brand, no volumes. The partner's cars of
// those brands are then built where the partner may build them without the
// contract (its own plants, another contract) or imported, and the host's
// plants build only what ownership and the other contracts allow. Deal rules
// of the settings that name a removed contract (participation, host-first)
// are removed with it.
model::Scenario WithoutContracts(const model::Scenario& scenario, std::span<const int> contracts);

// What a plan was made for: the scenario with the plan's recorded events
// applied, and the request (availability, supply caps, excluded brands,
// frozen months, stability penalty) to check it with; removed contracts
// (plan.basis.excluded_contracts) are removed from the scenario.
struct PlanContext {
  model::Scenario scenario;
  plan::PlanRequest request;
};

// The context of `plan` (a plan file read against `scenario`) from its
// basis. InvalidInput when its levers are not the scenario's: the plan was
// made for another version of the scenario.
[[nodiscard]] Result<PlanContext> ContextOf(const model::Scenario& scenario, const plan::Plan& plan);

}  // namespace cobuild::replan
