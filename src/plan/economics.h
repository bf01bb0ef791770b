// How a scenario's prices, routes, duties and contracts apply to one car:
// the per-unit terms of the planning model (docs/planning-model.md,
// "Parameters"), shared by the model builder, the plan checker and reports.
#pragma once

#include <vector>

#include "model/scenario.h"
#include "plan/plan.h"
#include "plan/plan_request.h"

namespace cobuild::plan {

// Months between building a car and selling it on `route`, by the
// scenario's transit rule: ceil(days / 30) (whole months), or
// floor((15 + days) / 30) (mid-month: the month the average car of the
// production month arrives).
int TransitMonths(const model::Scenario& scenario, const model::Route& route);

// ---- Objective coefficients (docs/planning-model.md, "Objective").
// Every coefficient of the planning model's objective comes from one of the
// functions below (and the margin from `TermsOf()`): the model builder uses
// them as column costs and the planner's decoding as the money a plan
// states, so changing the objective is a change here. The plan checker does
// not use them: it recomputes money from the scenario and the docs.

// Margin of one car of `variant` shipped along `route` and arriving in
// `arrival_month`: price - variable cost - freight - duty ($m_{pvk}$).
double MarginPerCar(const model::Scenario& scenario, const model::Route& route, int variant,
                    int arrival_month);
// Cost of running one regular shift on every working day of the month
// ($c^{sh}_{lt}$ = fixed cost per shift * working days).
double ShiftCostPerMonth(const model::Scenario& scenario, int line, int month);
// Cost of one extra shift (lever) on every working day: $(1+\pi^x) c^{sh}_{lt}$.
double ExtraShiftCostPerMonth(const model::Scenario& scenario, const Levers& levers, int line, int month);
// Cost of one weekend day at the line's maximum shifts: $(1+\pi^w) S_l$ fixed cost per shift.
double WeekendDayCost(const model::Scenario& scenario, const Levers& levers, int line);
// One-off cost of a retooling option ($R^{cost}_{lf}$).
double RetoolingCost(const model::Retooling& option);
// Penalty per car of unmet demand, on top of the lost margin ($\rho^u$).
double UnmetPenaltyPerCar(const model::Scenario& scenario);
// Penalty per car a contract's minimum falls short (the same $\rho^u$).
double ShortfallPenaltyPerCar(const model::Scenario& scenario);
// Penalty per car and month a customer waits in the order bank ($\delta$).
double BacklogCostPerCarMonth(const Levers& levers);
// Penalty per car moved away from a replan's baseline ($\rho^{stab}$).
double StabilityPenaltyPerCar(const PlanRequest& request);

// What a line's month of shifts costs: regular shifts per working day, extra
// shifts at (1 + premium), weekend days at the line's maximum shifts at
// (1 + weekend premium) (docs/planning-model.md, "Levers").
double ShiftCost(const model::Scenario& scenario, const Levers& levers, const ShiftEntry& entry);
// Cars those shifts can build at availability multiplier `availability`
// (weekend days only in months the plant works).
double ShiftCapacity(const model::Scenario& scenario, const ShiftEntry& entry, double availability);

// Duty rate on a car of `variant` built at `plant` and sold in `market`,
// arriving there in horizon month `arrival_month`: 0 in the plant's own
// market; the preferential rate when a local-content rule is met; else the
// most specific tariff holding that month; else 0.
double DutyRate(const model::Scenario& scenario, int plant, int variant, int market, int arrival_month);

// Cash terms of one car of `variant` from `plant` into `market` on `route`.
struct UnitTerms {
  double price_gbp = 0;
  double variable_cost_gbp = 0;
  double freight_gbp = 0;
  double duty_gbp = 0;  // rate * (variable cost + freight)
  double Margin() const { return price_gbp - variable_cost_gbp - freight_gbp - duty_gbp; }
};
UnitTerms TermsOf(const model::Scenario& scenario, const model::Route& route, int variant, int arrival_month);

// Dense lookup of routes by (plant, market). Where a scenario lists several
// routes for one pair, the one with the lowest freight (then the shortest
// transit) is used: it dominates the others for every car.
class RouteTable {
 public:
  explicit RouteTable(const model::Scenario& scenario);
  // Index into scenario.routes, or -1.
  int Find(int plant, int market) const { return index_[plant * num_markets_ + market]; }

 private:
  int num_markets_ = 0;
  std::vector<int> index_;
};

// Contracts (docs/planning-model.md, "Contracts"). A car of another
// company's brand may be built at a plant in a year when at least one
// contract covers (host, partner, brand, plant, year); every contract that
// covers it counts it toward its own minimum and maximum and charges its own
// fee: overlapping contracts are separate agreements (the scenario reader
// warns about them).
//
// True when `contract` covers cars of the variant built at `plant` in `year`.
bool ContractCovers(const model::Scenario& scenario, int contract, int plant, int variant, int year);
// True when the plant's company owns the variant's brand or a contract covers it.
bool MayBuild(const model::Scenario& scenario, int plant, int variant, int year);
// Sum of the fees of every contract covering the car (0 for the host's own brands).
double FeePerCar(const model::Scenario& scenario, int plant, int variant, int year);

// Contract volume limits for one calendar year in whole cars: pro rata for
// the months of `year` inside the horizon, the minimum rounded up and the
// maximum rounded down (a commitment of 2,000 a year over 7 months is 1,167
// cars at least, a cap of 5,000 is 2,916 at most); {0, 0} when the contract
// does not cover the year. `max` is +inf when the contract has none.
struct YearLimits {
  bool covered = false;
  double min_units = 0;
  double max_units = 0;
};
YearLimits ContractLimits(const model::Scenario& scenario, int contract, int year);

// True when the variant's powertrain is in the line's list and its platform
// is one the line builds today (not counting retooling).
bool LineBuildsToday(const model::Scenario& scenario, int line, int variant);
// Retooling option of `line` for the variant's platform, or nullptr.
const model::Retooling* RetoolingFor(const model::Scenario& scenario, int line, int variant);

}  // namespace cobuild::plan
