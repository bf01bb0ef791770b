// How a scenario's prices, routes, duties and contracts apply to one car:
// the per-unit terms of the planning model (docs/planning-model.md,
// "Parameters"), shared by the model builder, the plan checker and reports.
#pragma once

#include <span>
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

// ---- The horizon's end (docs/planning-model.md, "The horizon's end").
// Months after the horizon a shipment may arrive in under
// `horizon_end_value: margin`.
inline constexpr int kTailMonths = 12;
// True when a car arriving in `arrival_month` (a horizon index, possibly
// past the horizon) can be sold: inside the horizon, or in the first
// kTailMonths after it when the scenario values the horizon's end at margin.
bool SellableArrival(const model::Scenario& scenario, int arrival_month);
// Estimated demand of (variant, market) in a month after the horizon: the
// scenario's demand of the same calendar month in the horizon's last year
// (0 when the horizon is shorter than that month's distance).
double TailDemand(const model::Scenario& scenario, int variant, int market, int month);

// ---- Objective coefficients (docs/planning-model.md, "Objective").
// Every coefficient of the planning model's objective comes from one of the
// functions below (and the margin from `TermsOf()`): the model builder uses
// them as column costs and the planner's decoding as the money a plan
// states, so changing the objective is a change here. The plan checker does
// not use them: it recomputes money from the scenario and the docs.

// Discount factor of a cash flow in horizon month `month` (taken at the
// month's start): (1 + r)^(-month / 12) with r the scenario's
// `discount_rate_per_year`; 1 without one (docs/planning-model.md,
// "Present value and tooling life"). The builder multiplies every cash
// coefficient by the factor of the month its cash flow happens in.
double DiscountFactor(const model::Scenario& scenario, int month);

// Margin of one car of `variant` shipped along `route` and arriving in
// `arrival_month`, as the objective counts it: price - variable cost -
// freight - duty ($m_{pvk}$), in present value with a discount rate
// (`PresentValue()` of its `TermsOf()`).
double MarginPerCar(const model::Scenario& scenario, const model::Route& route, int variant,
                    int arrival_month);
// Cost of running one regular shift on every working day of the month
// ($c^{sh}_{lt}$ = fixed cost per shift * working days), nominal.
double ShiftCostPerMonth(const model::Scenario& scenario, int line, int month);
// Cost of one extra shift (lever) on every working day: $(1+\pi^x) c^{sh}_{lt}$.
double ExtraShiftCostPerMonth(const model::Scenario& scenario, const Levers& levers, int line, int month);
// Cost of one weekend day at the line's maximum shifts: $(1+\pi^w) S_l$ fixed cost per shift.
double WeekendDayCost(const model::Scenario& scenario, const Levers& levers, int line);
// Cost of one regular shift added, or removed, between a line's consecutive
// working months ($c^{+}_l$, $c^{-}_l$; 0 without a workforce rule).
double ShiftAddedCost(const model::Scenario& scenario, int line);
double ShiftRemovedCost(const model::Scenario& scenario, int line);
// Cost of a retooling option decided in `month` that a plan is charged
// ($R^{cost}_{lf}$), nominal: the whole cost, or with a tooling life the
// share of the life used inside the horizon, from the month the line is
// ready (month + lead time) to the horizon's end.
double RetoolingCost(const model::Scenario& scenario, const model::Retooling& option, int month);
// Penalty per car of unmet demand, on top of the lost margin ($\rho^u$).
double UnmetPenaltyPerCar(const model::Scenario& scenario);
// Penalty per car a contract's minimum falls short (the same $\rho^u$).
double ShortfallPenaltyPerCar(const model::Scenario& scenario);
// Penalty per car and month a customer waits in the order bank ($\delta$).
double BacklogCostPerCarMonth(const Levers& levers);
// Penalty per car moved away from a replan's baseline ($\rho^{stab}$).
double StabilityPenaltyPerCar(const PlanRequest& request);
// Cost of holding one car in the plant's stock through a month's end
// ($h_p$, cash, paid by the car's owner); 0 for a plant without stock.
double HoldingCostPerCarMonth(const model::Scenario& scenario, int plant);
// Penalty per car and month the plant's stock falls short of its safety
// stock ($\rho^{ss}_p$, not cash).
double SafetyStockPenaltyPerCarMonth(const model::Scenario& scenario, int plant);

// What a line's month of shifts costs: regular shifts per working day, extra
// shifts at (1 + premium), weekend days at the line's maximum shifts at
// (1 + weekend premium) (docs/planning-model.md, "Levers").
double ShiftCost(const model::Scenario& scenario, const Levers& levers, const ShiftEntry& entry);
// A line's crew changes in a plan (docs/planning-model.md, "Workforce"): a
// change is a different count of crews, regular plus extra shifts (an
// extra shift is a crew hired like a regular one), from the line's
// previous working month (a month its plant's calendar has working days; a
// working month without a shift entry runs none; an outage leaves the
// month a working month, its crews employed), the first working month
// none. Weekend days are not changes.
struct LineShiftChanges {
  int line = -1;
  int changes = 0;
  int shifts_added = 0;
  int shifts_removed = 0;
  double cost_gbp = 0;     // at the line's rule; 0 without one
  double cost_pv_gbp = 0;  // the same in present value, each change discounted from its month
};
// One entry per line, in scenario order.
std::vector<LineShiftChanges> ShiftChangesOf(const model::Scenario& scenario,
                                             std::span<const ShiftEntry> shifts);

// Cars those shifts can build at availability multiplier `availability`
// (weekend days only in months the plant works).
double ShiftCapacity(const model::Scenario& scenario, const ShiftEntry& entry, double availability);

// Duty rate on a car of `variant` built at `plant` and sold in `market`,
// arriving there in horizon month `arrival_month`: 0 in the plant's own
// market; the preferential rate when a local-content rule is met; else the
// most specific tariff holding that month; else 0.
double DutyRate(const model::Scenario& scenario, int plant, int variant, int market, int arrival_month);

// What a car of `variant` costs at `plant`, leaving the plant in `month`
// (docs/planning-model.md, "Costs by plant and kits"): the plant's cost
// of the variant where the scenario gives one, else the variant's; or,
// where the plant assembles the variant from kits, the kit and its local
// assembly, the kit's freight and its duty into the host's market.
struct PlantCostTerms {
  double variable_cost_gbp = 0;  // plant cost, or kit + assembly
  double kit_freight_gbp = 0;
  double kit_duty_gbp = 0;
  bool from_kit = false;
  // Ex-works cost of the car: the base of the duty on the finished car.
  double Landed() const { return variable_cost_gbp + kit_freight_gbp + kit_duty_gbp; }
};
PlantCostTerms CostAt(const model::Scenario& scenario, int plant, int variant, int month);
// The kit a plant assembles the variant from, or nullptr.
const model::Kit* KitFor(const model::Scenario& scenario, int plant, int variant);
// Local content of a car of `variant` built at `plant` in the plant's
// country: the share not in the kit for a kit-built car, else the
// variant's stated share for that country (0 when none).
double LocalContentShare(const model::Scenario& scenario, int plant, int variant);

// Cash terms of one car of `variant` from `plant` into `market` on `route`,
// leaving the plant in `month` = arrival month - the route's transit.
// Freight and duty include the kit's (of which `kit_freight_gbp`,
// `kit_duty_gbp`); the car's duty is its rate times its landed cost plus
// freight.
struct UnitTerms {
  double price_gbp = 0;
  double variable_cost_gbp = 0;
  double freight_gbp = 0;
  double duty_gbp = 0;
  double kit_freight_gbp = 0;
  double kit_duty_gbp = 0;
  bool from_kit = false;
  int month = 0;
  int arrival_month = 0;
  double Margin() const { return price_gbp - variable_cost_gbp - freight_gbp - duty_gbp; }
};
UnitTerms TermsOf(const model::Scenario& scenario, const model::Route& route, int variant, int arrival_month);
// The car's margin in present value: the price and the finished car's
// duty at the arrival month (sale and import), its costs, freight and the
// kit's duty at the month it leaves the plant.
double PresentValue(const model::Scenario& scenario, const UnitTerms& terms);

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

// Whole shifts of the line's length that fit the 24 hours of a day,
// $\lfloor 24 / h_l \rfloor$ (3 of 7.5 or 8 hours, 2 of 12).
int ShiftsThatFitADay(const model::Line& line);
// Extra shifts per working day the lever may add on `line` ($E_l$,
// docs/planning-model.md, "Levers"): the scenario's limit $E$, capped by the
// shifts that still fit the 24 hours of a day beside the line's regular
// maximum, $\min(E, \lfloor 24 / h_l \rfloor - S_l)$, never below 0. A line of
// three 7.5-hour shifts gets none (a fourth would make 30 hours a day), one
// of two 8-hour shifts one.
int ExtraShiftsPerDay(const model::Scenario& scenario, const Levers& levers, int line);
// Weekend days the lever may work on `line` in `month` ($W_{lt}$,
// docs/planning-model.md, "Levers"): a Saturday belongs to a working week,
// so the scenario's limit $W$ capped by the month's working weeks,
// $\min(W, \mathrm{round}(wd_{p(l),t} / 5))$: 2 in a 12-day month with two
// weeks' shutdown, 4 in a month of 19 to 22 days, 0 in a month the plant
// does not work.
int WeekendDaysPerMonth(const model::Scenario& scenario, const Levers& levers, int line, int month);

// True when the variant's powertrain is in the line's list and its platform
// is one the line builds today (not counting retooling).
bool LineBuildsToday(const model::Scenario& scenario, int line, int variant);
// Retooling option of `line` for the variant's platform, or nullptr.
const model::Retooling* RetoolingFor(const model::Scenario& scenario, int line, int variant);

}  // namespace cobuild::plan
