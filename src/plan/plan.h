// A network plan: what every line builds per month, on how many shifts, what
// is shipped where, what stays unmet, and what it is worth to each company.
//
// Plain value type; cross references are indices into the Scenario the plan
// was made for (io::ReadPlanJson resolves ids back to indices). Quantities
// are cars; money is GBP. Months are horizon indices.
//
//   Result<Plan> plan = plan::SolvePlan(scenario, request);
//   CheckReport check = plan::CheckPlan(scenario, *plan, request);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/event.h"

namespace cobuild::plan {

// How a solve ended. A plan exists for kOptimal and kFeasibleGap; the
// starting plan (LP rounding) is kept when branch and cut finds nothing
// better, so kTimeLimitNoSolution means the time ran out in the root LP.
enum class SolveStatus {
  kOptimal,              // proven within the requested relative gap
  kFeasibleGap,          // stopped by a limit with an incumbent; `gap` says how far
  kTimeLimitNoSolution,  // stopped by a limit before any plan was found
  kInfeasible,           // only possible with inconsistent frozen months
  kError,                // the solver failed
};

std::string_view ToString(SolveStatus status);
std::optional<SolveStatus> ParseSolveStatus(std::string_view text);

// Which rule ended a solve (docs/planning-model.md, "Stop rule"): the gap
// target reached (an optimal plan reaches any target), neither bound nor
// plan moving for the stall time, the time limit, the node limit (a work
// limit), or a stop request.
enum class StopRule : uint8_t { kGapTarget, kStall, kTimeLimit, kNodeLimit, kStopRequest };
std::string_view ToString(
    StopRule rule);  // "gap_target", "stall", "time_limit", "node_limit", "stop_request"

struct ProductionEntry {
  int line = -1;
  int variant = -1;
  int month = -1;
  double units = 0;
  bool operator==(const ProductionEntry&) const = default;
};

// Shifts per working day a line runs through a month, and the recovery
// levers it uses that month (docs/planning-model.md, "Levers"): extra shifts
// per working day beyond its maximum, and weekend days worked (each at the
// line's maximum shifts).
struct ShiftEntry {
  int line = -1;
  int month = -1;
  int shifts_per_day = 0;
  int extra_shifts_per_day = 0;
  int weekend_days = 0;
  bool operator==(const ShiftEntry&) const = default;
};

// A decision in `month` to retool `line` for `platform`; it builds the
// platform from month + lead time.
struct RetoolEntry {
  int line = -1;
  int platform = -1;
  int month = -1;
  bool operator==(const RetoolEntry&) const = default;
};

// Cars of `variant` built at `plant` in `month` and sold in `market` in
// `arrival_month` (month plus the route's transit lag).
struct ShipmentEntry {
  int plant = -1;
  int variant = -1;
  int market = -1;
  int month = -1;
  int arrival_month = -1;
  double units = 0;
  bool operator==(const ShipmentEntry&) const = default;
};

// Cars of `variant` held in `plant`'s finished-goods stock at the end of
// `month` (docs/planning-model.md, "Finished-goods stock").
struct StockEntry {
  int plant = -1;
  int variant = -1;
  int month = -1;
  double units = 0;
  bool operator==(const StockEntry&) const = default;
};

// Demand of (variant, market, month) that is lost (not served in the horizon).
struct UnmetEntry {
  int variant = -1;
  int market = -1;
  int month = -1;
  double units = 0;
  bool operator==(const UnmetEntry&) const = default;
};

// Demand carried unserved from `month` into `month + 1`.
struct BacklogEntry {
  int variant = -1;
  int market = -1;
  int month = -1;
  double units = 0;
  bool operator==(const BacklogEntry&) const = default;
};

// Cars a contract's partner committed to in `year` but that were not built.
struct ContractShortfall {
  int contract = -1;
  int year = 0;
  double units = 0;
  bool operator==(const ContractShortfall&) const = default;
};

// Cash contribution of one company; penalties are not cash and live in Plan.
struct CompanyContribution {
  int company = -1;
  double units_sold = 0;
  double revenue_gbp = 0;
  double variable_cost_gbp = 0;
  double freight_gbp = 0;
  double duty_gbp = 0;
  double fee_income_gbp = 0;         // as host
  double fee_paid_gbp = 0;           // as partner
  double shift_cost_gbp = 0;         // at its plants
  double shift_change_cost_gbp = 0;  // shifts added and removed at its plants (workforce rule)
  double retooling_cost_gbp = 0;
  double holding_cost_gbp = 0;  // finished-goods stock of its cars, at every plant
  double contribution_gbp = 0;  // revenue - costs + fee income - fees paid
  // The contribution in present value at the horizon start, each cash flow
  // discounted from its month (docs/planning-model.md, "Present value and
  // tooling life"); equal to contribution_gbp without a discount rate.
  double contribution_pv_gbp = 0;
  bool operator==(const CompanyContribution&) const = default;
};

// A capacity, contract or limit that binds in the plan, priced by the dual of
// its row in the LP with every integer decision fixed at the plan's values.
struct BindingConstraint {
  std::string kind;  // "line capacity", "contract minimum", "contract maximum", "share limit", "supply cap"
  int line = -1;
  int contract = -1;
  int month = -1;  // -1 for yearly rows
  int year = 0;
  double dual_gbp_per_car =
      0;  // objective change per extra car of room (line capacity: the first car's, exact)
  // Line capacity: one more shift on every working day of the month (the
  // docs' shift): the objective's exact gain from the shift's cars less the
  // month's shift cost, negative when it would not pay; others: one more
  // car of room at the row's dual.
  double value_gbp = 0;
  std::string text;  // "one more shift a day at Halewood HW-1 through 2027-03 (21 working days, 8,568 cars)
                     // would be worth GBP 1,285,200 (...)"
  bool operator==(const BindingConstraint&) const = default;
};

// Why demand of (variant, market, month) was left unmet.
struct UnmetCause {
  int variant = -1;
  int market = -1;
  int month = -1;
  double units = 0;
  std::string reason;
  bool operator==(const UnmetCause&) const = default;
};

// Unmet demand may wait up to `max_months` and be served later at a delay
// cost per car and month; 0 months disables backlog (the order bank).
struct BacklogRule {
  int max_months = 0;
  double delay_cost_gbp_per_car_month = 0;
  bool operator==(const BacklogRule&) const = default;
};

// Capacity and demand levers a plan may use in every month
// (docs/planning-model.md, "Levers"); a property of the scenario (its
// `replan:` keys), so the baseline and every replan share them.
struct Levers {
  int extra_shifts_per_day = 0;    // beyond a line's max_shifts_per_day
  double extra_shift_premium = 0;  // an extra shift costs (1 + premium) times a shift
  int weekend_days_per_month = 0;  // days a line may work beyond its calendar
  double weekend_premium = 0;      // a weekend shift costs (1 + premium) times a shift
  BacklogRule backlog;
  bool operator==(const Levers&) const = default;
};

// A host's own-brand output floor: cars of the host's brands built at
// `plant` in calendar year `year`.
struct OutputFloor {
  int plant = -1;
  int year = 0;
  double units = 0;
  bool operator==(const OutputFloor&) const = default;
};

// The floors of a deal's rules (docs/planning-model.md, "Participation and
// host-first"), all taken from one plan of the scenario without `contract`:
// every company's contribution in present value (participation) and the
// host's own-brand output per covered plant and year (host-first). Empty
// vectors: that rule is off.
struct DealFloors {
  int contract = -1;
  std::vector<double> contribution_pv_gbp;  // per company, scenario order
  std::vector<OutputFloor> host_output;     // per covered host plant and year
  bool empty() const { return contribution_pv_gbp.empty() && host_output.empty(); }
  bool operator==(const DealFloors&) const = default;
};

// Every setting a plan depends on besides its scenario, recorded in the plan
// file so that check-plan, compare and replan --baseline check the plan
// against what it was made for.
struct PlanBasis {
  Levers levers;
  std::vector<int> excluded_brands;
  // Contracts removed from the scenario before planning (the counterfactual
  // "without the deal", replan::WithoutContracts): each stays in the list,
  // covering nothing, so contract indices keep their meaning. The planner
  // does not set it; whoever removed the contracts records them here.
  std::vector<int> excluded_contracts;
  // Events applied to the scenario before planning (a disrupted or
  // recovered plan); their availability, supply caps, tariffs, demand and
  // contract changes hold for the plan.
  std::vector<model::Event> events;
  // Months before this one were kept at a baseline (a replan's frozen months).
  int frozen_months = 0;
  double stability_penalty_gbp_per_car = 0;
  // The stability part of Plan::penalties_gbp (only a replan has one; it is
  // recomputed when the baseline is known, and taken as stated otherwise).
  double stability_penalty_gbp = 0;
  // The deal rules' floors the plan was made with (the planner does not set
  // them; deal::SolveWithDealRules records them); empty without deal rules.
  DealFloors deal_floors;
  bool operator==(const PlanBasis&) const = default;
};

struct SolveStats {
  double build_seconds = 0;
  double solve_seconds = 0;
  int columns = 0;
  int rows = 0;
  int integer_columns = 0;
  int64_t nonzeros = 0;
  int64_t nodes = 0;
  double lp_bound_gbp = 0;                 // LP relaxation (upper bound on the objective)
  double starting_plan_objective_gbp = 0;  // NaN-free: 0 when no starting plan was made
  bool preprocessing_retry = false;        // CBC was re-run without preprocessing
  bool stopped = false;                    // SolveParams::should_stop ended the solve early
  double rounding_loss_gbp = 0;            // objective given up to make every car whole
  StopRule stop_rule = StopRule::kGapTarget;
  double gap_target = 0;     // SolveParams::relative_gap of the solve
  double stall_seconds = 0;  // SolveParams::stall_seconds of the solve (0: no stall rule)
  // Primal improvement (plan/improvement.h): sub-MIPs solved and the plans
  // they improved.
  int improvement_subproblems = 0;
  int improvements = 0;
  // Cuts added at the root to the retooling search's LP (docs/planning-model.md, Tightening 7).
  int root_cuts = 0;
  // Moves of the retooling search's best leaf's months that gained (ClimbRetooling).
  int retool_climb_moves = 0;
  // A second retooling search ran on a thread of its own beside the primal
  // side (wall clock, with a core free; docs/planning-model.md).
  bool retool_beside = false;
  // Node LPs the retooling searches solved, in all their runs.
  int retool_lps = 0;
  // Line-capacity statements that could have been listed among the binding
  // constraints but were not re-priced within the time limit, so left out.
  int binding_not_repriced = 0;
  std::string solver_message;
  bool operator==(const SolveStats&) const = default;
};

struct Plan {
  std::string scenario_name;
  SolveStatus status = SolveStatus::kError;
  // Contribution minus penalties (maximised); with a discount rate the
  // contributions in present value (penalties are never discounted).
  double objective_gbp = 0;
  double bound_gbp = 0;  // proven upper bound on the objective
  double gap = 0;        // (bound - objective) / max(1, |objective|)
  std::vector<ProductionEntry> production;
  std::vector<ShiftEntry> shifts;
  std::vector<RetoolEntry> retooling;
  std::vector<ShipmentEntry> shipments;
  std::vector<StockEntry> stock;  // finished-goods stock at month ends (plants with a `stock:` block)
  std::vector<UnmetEntry> unmet;
  std::vector<BacklogEntry> backlog;
  std::vector<ContractShortfall> contract_shortfalls;
  std::vector<CompanyContribution> contributions;  // one per scenario company, in order
  double penalties_gbp = 0;                // unmet, shortfall, delay, safety stock and stability penalties
  std::vector<BindingConstraint> binding;  // strongest first
  std::vector<UnmetCause> unmet_causes;
  SolveStats stats;
  PlanBasis basis;

  bool HasSolution() const { return status == SolveStatus::kOptimal || status == SolveStatus::kFeasibleGap; }
  bool operator==(const Plan&) const = default;
};

// Relative gap as reported everywhere: (bound - objective) / max(1, |objective|).
double RelativeGap(double objective, double bound);

// Money in a plan is kept and written to the penny.
double Pennies(double gbp);

}  // namespace cobuild::plan
