// The plans a solving job starts from, for every job kind: a plan solved
// with the server's solver lock held, or the plan of another job named in
// the params; both through app::ResolveBaseline, so re-checked as the CLI
// re-checks them.
//
//   auto base = JobBaseline(job, scenario, "baseline_job", options, 0.05, 0.3);
//   replan::Replan(scenario, base->plan, events, options);
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "app/baseline.h"
#include "model/error.h"
#include "model/scenario.h"
#include "plan/cbc_backend.h"
#include "plan/plan_request.h"
#include "server/job_registry.h"

namespace cobuild::server {

// Holds the CBC adapter's one-solve-per-process lock (plan/cbc_backend.h)
// for a job's whole solve, so that one job's time limit is not spent waiting
// for another job's solves; says so in the job's progress while it waits.
plan::CbcSolveLock LockSolver(const JobContext& job);

// Progress of a solve mapped onto [from, to] of the job by the share of its
// time limit used; never moves back (a replan solves twice, each from zero).
std::function<void(const plan::Progress&)> SolveProgress(const JobContext& job, double limit, double from,
                                                         double to);

// The scenario's plan solved with `options` (progress within [from, to]).
[[nodiscard]] Result<app::Baseline> SolvedBaseline(const JobContext& job, const model::Scenario& scenario,
                                                   const plan::PlanOptions& options, double from, double to);

// The job params[key] names (an integer id), as the store holds it;
// InvalidInput "params.KEY: ..." when it is no id or no job.
[[nodiscard]] Result<app::StoredJob> StoredJobParam(const JobContext& job, const std::string& key);

// The plan of the plan job params[key] names (of the job's own scenario),
// or, without that key, the scenario's plan solved within [from, to].
[[nodiscard]] Result<app::Baseline> JobBaseline(const JobContext& job, const model::Scenario& scenario,
                                                const std::string& key, const plan::PlanOptions& options,
                                                double from, double to);

// A number a job kind's params may hold: its default when absent, its
// range, and whether it must be whole.
struct NumberSpec {
  std::string_view key;
  double fallback;
  double lo;
  double hi;
  bool whole;
};

// params[spec.key] checked against `spec` (InvalidInput "params.KEY:
// expected a number from LO to HI, got ..."), or the fallback when absent.
[[nodiscard]] Result<double> ReadNumber(const nlohmann::json& params, const NumberSpec& spec);

}  // namespace cobuild::server
