// The deal's sweeps (docs/deal.md, "Fee sweep" and "Tariff sensitivity").
//
// Fee sweep: with participation constraints (and host-first when asked) the
// fee changes the plan: below the host's break-even the host refuses the
// hosting that does not pay it, above the partner's highest fee the partner
// refuses. Each fee point is one plan under the deal rules, its floors from
// the report's plan without the contract (which does not depend on the
// fee). Every point starts from one plan, the sweep's start
// (SolveSweepStart: the plan under the same rules at the middle of the
// central plans' zone, solved once before the points); a point depends on
// its fee, the report and that start only, so points can be solved in any
// order, on any rank of an MPI job (`run_points`), with the same result.
//
// Tariff sweep: one duty rate (market, origin country, optionally one
// powertrain) set to each of a list of rates; per rate the plans with and
// without the contract (each starting from the report's) and the deal's
// fee terms, so the bargaining zone per rate, and the rates at which each
// side's gain at the contract's fee changes sign.
//
//   Result<DealReport> report = AnalyzeDeal(scenario, contract, options);
//   Result<plan::Plan> start = SolveSweepStart(scenario, *report, host_first, start_options);
//   Result<FeeSweep> fees = SweepFees(scenario, *report, *start, DefaultFees(terms, 11), host_first,
//   options);
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deal/deal.h"
#include "model/error.h"
#include "model/powertrain.h"
#include "model/scenario.h"
#include "plan/plan.h"
#include "plan/plan_request.h"

namespace cobuild::deal {

// Fee terms in present value at the horizon start, the money participation
// constraints count: N is the contract's cars each discounted from its
// production month, the gains the contributions in present value.
FeeTerms PresentValueTerms(const model::Scenario& scenario, const DealReport& report);

// `points` fees evenly from a quarter of the zone's width below the host's
// break-even to as far above the partner's highest fee; without a zone
// (or cars) around its middle (or the contract's fee), at least GBP 1,000
// either side.
std::vector<double> DefaultFees(const FeeTerms& terms, int points);

struct FeePoint {
  double fee_gbp = 0;
  plan::SolveStatus status = plan::SolveStatus::kError;
  double gap = 0;
  double seconds = 0;
  std::vector<double> gain_pv_gbp;  // per company: contribution in present value, with minus without
  double host_gain_pv_gbp = 0;
  double partner_gain_pv_gbp = 0;
  double cars_hosted = 0;               // under the contract, over the horizon
  std::vector<double> cars_by_plant;    // per FeeSweep::plants
  std::vector<std::string> violations;  // plan checker, deal rules included
};

// The plan every fee point starts from (SolveSweepStart), as the sweep
// reports it.
struct SweepStart {
  double fee_gbp = 0;  // the fee it was solved at
  plan::SolveStatus status = plan::SolveStatus::kError;
  double objective_gbp = 0;
  double gap = 0;
  double seconds = 0;
  double cars_hosted = 0;
  // The fees at which it meets the host's and the partner's floors as it
  // is (each side's gain is linear in the fee): from the host's break-even
  // to the partner's highest fee of its own cars and gains in present
  // value; from > to when it meets them at no fee.
  double from_fee_gbp = 0;
  double to_fee_gbp = 0;
};

struct FeeSweep {
  bool host_first = false;
  SweepStart start;
  std::vector<int> plants;  // the contract's host plants
  FeeTerms pv_terms;        // the central plans' terms in present value (the zone the gains measure)
  std::vector<FeePoint> points;
  double seconds = 0;
};

struct SweepOptions {
  plan::PlanOptions plan;
  // Called after each point (points done, points in all).
  std::function<void(int, int)> on_point;
  // Polled between points (and while worker processes solve); true ends
  // the sweep with an error.
  std::function<bool()> should_stop;
  // Worker processes the points are solved in, side by side
  // (scale/worker_processes.h): 0 = one per core, 1 = one after another in
  // this process. Each point's text is encoded and decoded either way, so
  // the sweep is the same byte for byte whatever the number.
  int processes = 1;
  // When set, solves the sweep's points elsewhere (the ranks of an MPI job,
  // cli/deal_commands.cc): given the number of points, returns each point's
  // Encode*Point text in point order (fees ascending, rates as given),
  // solved by Solve*Point from the same scenario, report and options.
  // on_point, should_stop and processes are then not used.
  std::function<Result<std::vector<std::string>>(int points)> run_points;
};

// The fee at which the sweep's start is solved: the middle of the central
// plans' zone in present value, in whole pounds; without a zone, the
// contract's fee.
double SweepStartFee(const model::Scenario& scenario, const DealReport& report);

// The fee sweep's start: the plan under participation constraints (and
// host-first) at SweepStartFee, its floors from `report`'s plan without the
// contract, starting from the central plan (else from the plan without the
// contract), solved once with `options` (`cobuild deal --time-limit`, a
// longer limit than each point's). Inside its own zone (SweepStart) it
// meets every point's floors, and the fee moves money between host and
// partner only, so a point's plan there is worth at least as much
// (docs/deal.md).
[[nodiscard]] Result<plan::Plan> SolveSweepStart(const model::Scenario& scenario, const DealReport& report,
                                                 bool host_first, const plan::PlanOptions& options);

// The figures FeeSweep::start reports for `start` (SolveSweepStart).
SweepStart StartFigures(const model::Scenario& scenario, const DealReport& report, const plan::Plan& start);

// One point of the fee sweep: the plan under participation constraints
// (and host-first) at `fee`, its floors from `report`'s plan without the
// contract, starting from `start` (SolveSweepStart) from its own host's
// break-even up (StartFigures), else from the plan without the contract.
[[nodiscard]] Result<FeePoint> SolveFeePoint(const model::Scenario& scenario, const DealReport& report,
                                             const plan::Plan& start, double fee, bool host_first,
                                             const plan::PlanOptions& options);
// A point (or its error) as one line of JSON and back, bit for bit.
std::string EncodeFeePoint(const Result<FeePoint>& point);
[[nodiscard]] Result<FeePoint> DecodeFeePoint(std::string_view text);

// The plans under participation constraints (and host-first) at `fees`
// (ascending), from `report`'s plan without the contract, each starting
// from `start` (SolveSweepStart with the same host_first, whose figures
// FeeSweep::start reports).
[[nodiscard]] Result<FeeSweep> SweepFees(const model::Scenario& scenario, const DealReport& report,
                                         const plan::Plan& start, std::vector<double> fees, bool host_first,
                                         const SweepOptions& options);

// The duty rate a tariff sweep moves: cars from `origin` (a country) into
// `market`, of one powertrain or, without one, the general rule.
struct TariffLever {
  int market = -1;
  std::string origin;
  std::optional<model::Powertrain> powertrain;
  std::vector<double> rates;
  std::string ToText(const model::Scenario& scenario) const;
};

// The duty the contract's partner pays to bring its cars into the host's
// market: origin the country of the partner's first plant outside the
// market of the contract's first host plant; nullopt when there is none.
std::optional<TariffLever> DefaultTariffLever(const model::Scenario& scenario, int contract);

// Five rates from 0 to max(40%, twice the lever's current rate).
std::vector<double> DefaultRates(const model::Scenario& scenario, const TariffLever& lever);

// The lever's current rate in the scenario (the rule that applies to it).
double CurrentRate(const model::Scenario& scenario, const TariffLever& lever);

// The scenario with the lever's rate set to `rate` for the whole horizon.
model::Scenario WithTariff(const model::Scenario& scenario, const TariffLever& lever, double rate);

struct TariffPoint {
  double rate = 0;
  FeeTerms terms;  // at the contract's fee (nominal, as the report's)
  plan::SolveStatus with_status = plan::SolveStatus::kError;
  plan::SolveStatus without_status = plan::SolveStatus::kError;
  double with_gap = 0;
  double without_gap = 0;
  std::vector<std::string> violations;  // both plans' checker violations
};

// Where one side's gain at the contract's fee changes sign between two
// rates (linear between them): the deal starts (or stops) paying for it.
struct TariffCrossing {
  int company = -1;
  double rate = 0;
  bool starts_paying = false;  // true: negative below, positive above
};

struct TariffSweep {
  TariffLever lever;
  std::vector<TariffPoint> points;
  std::vector<TariffCrossing> crossings;
  double seconds = 0;
};

// One rate of the tariff sweep: the plans with and without the contract
// at `rate` and the deal's terms.
[[nodiscard]] Result<TariffPoint> SolveTariffPoint(const model::Scenario& scenario, const DealReport& report,
                                                   const TariffLever& lever, double rate,
                                                   const plan::PlanOptions& options);
std::string EncodeTariffPoint(const Result<TariffPoint>& point);
[[nodiscard]] Result<TariffPoint> DecodeTariffPoint(std::string_view text);

[[nodiscard]] Result<TariffSweep> SweepTariff(const model::Scenario& scenario, const DealReport& report,
                                              const TariffLever& lever, const SweepOptions& options);

}  // namespace cobuild::deal
