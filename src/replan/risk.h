// Risk analysis: draw outages and demand changes from a scenario's `risk:`
// distributions (model::RiskModel), replan each draw against one baseline,
// and report percentiles of contribution and of units lost.
//
// Sample i draws from its own generator, seeded from (seed, i) with
// SplitMix64, and is solved single-threaded with the same solver seed and
// node limit, so the result depends on the seed and the sample count only,
// never on the number of workers (as long as no solve stops on its
// wall-clock limit; set a node limit and a generous time limit for that).
// Each draw's recovery keeps the baseline's shifts and retooling outside its
// outages' recovery windows (ReplanOptions::fix_integers_outside_window; an LP for a
// draw with demand changes only) unless `full_recovery` is set; the result's
// `approximation` says so. A draw that stops on its wall-clock limit is
// counted in `time_limited_samples`. Every draw's root LP starts from the
// baseline's basis (BaselineWarmStart, solved once before the draws), and a
// draw stops as soon as its plan is within the scenario's replan gap
// (plan::SolvePlan's stop rule): speed only, the same model and levers.
// Workers are processes, not threads (scale/worker_processes.h): CBC's
// CbcMain1 keeps global state and two solves must not run at once in one
// process (coin-or/Cbc issue #332). A worker that dies fails the run.
//
//   RiskOptions options{.samples = 1000, .seed = 7, .workers = 2};
//   Result<RiskResult> r = Risk(scenario, baseline, options);
//   // r->contribution_gbp.p10 ...
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"
#include "model/event.h"
#include "model/scenario.h"
#include "plan/plan.h"
#include "plan/plan_request.h"

namespace cobuild::replan {

struct RiskOptions {
  int samples = 100;
  uint64_t seed = 1;
  int workers = 0;  // worker processes; 0 = one per core, 1 = in this process
  // Per replan; threads forced to 1, relative gap the scenario's
  // replan.relative_gap. solve.max_nodes is the work limit that keeps draws
  // deterministic; solve.time_limit_seconds is each draw's wall-clock limit,
  // a safety net that should never be reached (a draw that reaches it is
  // counted in time_limited_samples). Its solve.should_stop also ends the run
  // between samples (worker processes are killed) with an error.
  plan::PlanOptions plan;
  // Re-solve each draw's recovery as the full MIP rather than with the
  // baseline's shifts and retooling fixed outside the outages' recovery windows
  // (ReplanOptions::fix_integers_outside_window): slower, the yardstick of
  // the approximation.
  bool full_recovery = false;
  // Start each draw's root LP from the baseline's basis (BaselineWarmStart)
  // rather than cold: the same LP, solved in fewer pivots. Off only to
  // measure or test what it changes.
  bool warm_start = true;
  // Called in this process after each finished sample with (finished, total).
  std::function<void(int, int)> on_progress;
  // Solves the samples somewhere else instead of in worker processes (the
  // ranks of an MPI job, scale/work_items.h): called once with the sample
  // count and the order to hand the samples out in (RiskDrawOrder);
  // returns every sample's text (EncodeRiskSample) in index order. The
  // other processes solve with a RiskDraws made from the same scenario,
  // baseline and options, so the result is the same as without it. Risk()
  // then prepares no draws of its own (no warm start solved here).
  std::function<Result<std::vector<std::string>>(int samples, const std::vector<int>& order)> run_elsewhere;
};

struct RiskSample {
  int index = 0;
  std::vector<model::Event> events;  // drawn; empty = nothing happened
  double contribution_gbp = 0;       // recovered plan, all companies
  double objective_gbp = 0;          // recovered plan's objective (contribution minus penalties)
  double disrupted_contribution_gbp = 0;
  // Recovered plan per company, in scenario order (empty when the draw failed).
  std::vector<double> company_contribution_gbp;
  double units_lost = 0;            // lost with no action and not won back by the recovery
  double disrupted_units_lost = 0;  // baseline sales minus sales with no action
  std::string error;                // the replan failed (left out of the percentiles)
  double solve_seconds = 0;         // recovery build and solve
  // The recovery solve ran into its wall-clock limit, so its plan may
  // depend on the machine's speed (set a node limit to avoid it).
  bool time_limited = false;
};

struct Percentiles {
  double p10 = 0;
  double p50 = 0;
  double p90 = 0;
};

struct RiskResult {
  std::vector<RiskSample> samples;  // in index order
  double baseline_contribution_gbp = 0;
  Percentiles contribution_gbp;
  Percentiles disrupted_contribution_gbp;
  Percentiles units_lost;
  Percentiles disrupted_units_lost;
  // The downside: loss = baseline contribution minus the draw's recovered
  // contribution (positive = worse), so its P90 is the bad tail (the P10 of
  // contribution), overall and per company in scenario order.
  Percentiles loss_gbp;
  std::vector<double> baseline_company_gbp;
  std::vector<Percentiles> company_loss_gbp;
  int samples_with_events = 0;
  int failed_samples = 0;
  int time_limited_samples = 0;
  std::string approximation;  // how each recovery was solved (ReplanReport::approximation)
};

// The events of sample `index`: for each outage risk and calendar year of the
// horizon, an outage with probability `probability_per_year` times the share
// of the year inside the horizon, lasting a uniform number of weeks, starting
// on a uniform day of the year's part of the horizon (cut at the horizon's
// end); for each demand risk, a demand change over the whole horizon by a
// triangular factor.
std::vector<model::Event> DrawEvents(const model::Scenario& scenario, uint64_t seed, int index);

// How long draw `events` is expected to take to replan, in arbitrary units,
// from what the draw knows before it is solved: 0 without events (nothing
// to solve), 1 with demand changes only (an LP), else 1 + 1,000 per outage
// + the lost line-days (each outage's days times the lines it stops).
// Only the order of the costs matters (RiskDrawOrder); docs/scale-out.md
// says why these.
double ExpectedDrawCost(const model::Scenario& scenario, const std::vector<model::Event>& events);

// Samples 0..samples-1 longest expected first (ExpectedDrawCost, ties in
// index order): the order worker processes and MPI ranks are handed them,
// so the slow draws start early and the last ones to finish are short
// (longest processing time first). Results are still returned in index
// order, and a draw's result does not depend on when or where it is solved.
std::vector<int> RiskDrawOrder(const model::Scenario& scenario, uint64_t seed, int samples);

// The draws of one risk run, ready to solve one at a time in any process:
// the options checked, each draw's replan options and the baseline's warm
// start prepared once. A draw's result depends on the scenario, baseline,
// options and its index only. The scenario and baseline must outlive it.
class RiskDraws {
 public:
  // `setup`: another process's SetupText() for the same scenario, baseline
  // and options; the warm start is then rebuilt from it (the model built,
  // no LP solved) instead of solved here, and is the very same. InvalidInput
  // when it does not fit the model.
  [[nodiscard]] static Result<RiskDraws> Prepare(const model::Scenario& scenario, const plan::Plan& baseline,
                                                 const RiskOptions& options,
                                                 std::optional<std::string_view> setup = std::nullopt);
  // What Prepare computed that another process can take instead of
  // computing it again: the warm start's basis on the baseline's model
  // (BaselineWarmStartRequest), one digit per column, '/', one per row;
  // "cold" when the draws start cold.
  [[nodiscard]] Result<std::string> SetupText() const;
  // Sample `index`, replanned (its error in RiskSample::error).
  RiskSample Solve(int index) const;
  double baseline_contribution_gbp() const;

 private:
  struct State;
  std::shared_ptr<const State> state_;
};

// A finished sample as one line of text without its events (DrawEvents
// gives them again), doubles in the shortest text that reads back exactly,
// and back: what a worker process or rank sends.
std::string EncodeRiskSample(const RiskSample& sample);
[[nodiscard]] bool DecodeRiskSample(std::string_view line, RiskSample& sample);

// Linear interpolation between order statistics at q * (n - 1).
Percentiles PercentilesOf(std::vector<double> values);

[[nodiscard]] Result<RiskResult> Risk(const model::Scenario& scenario, const plan::Plan& baseline,
                                      const RiskOptions& options);

}  // namespace cobuild::replan
