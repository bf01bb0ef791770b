// The plan a use case starts from (a replan's or risk run's baseline, a
// comparison's side, the plan a line's day is taken from), resolved one way
// for the CLI and the server: read from a plan file, taken from a finished
// server job, or solved here. Every baseline is re-checked by the
// independent plan checker (plan/plan_checker.h) against its scenario and
// what its basis says it was made for (events applied, excluded brands,
// frozen months, the scenario's levers) before it is used; one that fails is
// an error, never a silent starting point.
//
//   auto base = app::ResolveBaseline(scenario, app::PlanFile{.path = "out/plan.json"});
//   if (!base) return ReportError(base.error());
//   replan::Replan(scenario, base->plan, events, {});
//
// Errors (each message names its source: the file, "params.baseline_job:
// job 7", or the solve):
//   file    NotFound "PATH: cannot open the plan file"; InvalidInput for a
//           file that does not parse (a plan of another scenario: "plan:
//           expected a plan of scenario "S", got one of "T" (PATH)"), whose
//           levers are not the scenario's, or that fails the checker
//   job     InvalidInput for a job that has not finished ("job 7 is
//           running, not finished: it has no plan yet"), of the wrong kind
//           or scenario, whose result holds no plan, or that fails the
//           checker
//   solve   Internal "stopped on request" when cancelled; InvalidInput when
//           the scenario has no feasible plan; Internal when the solve ends
//           without a plan (a limit reached first) or its plan fails the
//           checker (a bug)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/error.h"
#include "model/scenario.h"
#include "plan/plan.h"
#include "plan/plan_request.h"
#include "replan/apply_events.h"

namespace cobuild::app {

// A plan file (.json or .csv, as io::LoadPlan reads it).
struct PlanFile {
  std::string path;
};

// A job of the server's store, as it gives it: the record's kind, status
// and scenario, and its result once it has succeeded.
struct StoredJob {
  int64_t id = 0;
  std::string kind;                    // "plan", "replan", ...
  std::string status;                  // "queued", "running", "succeeded", ...
  std::optional<int64_t> scenario_id;  // unset once its scenario was deleted
  std::string result_json;             // empty unless succeeded
};

// The plan a finished plan job stores under "plan" (io::PlanToJson), or a
// replan job's recovered plan (under "recovered"."plan") when `replan_ok`.
struct JobPlan {
  std::string param;  // what named the job, the start of every message: "params.baseline_job"
  StoredJob job;
  // The scenario the job must have planned; unset: any (its scenario is
  // the one given to ResolveBaseline).
  std::optional<int64_t> scenario_id;
  bool replan_ok = false;
};

// A plan solved here with `request` (its time limit, progress and stop
// callbacks, excluded brands).
struct Solve {
  plan::PlanRequest request;
};

using BaselineSource = std::variant<PlanFile, JobPlan, Solve>;

struct Baseline {
  plan::Plan plan;
  // The scenario the plan was made on: `scenario` with the events of the
  // plan's basis applied (itself when there are none).
  model::Scenario planned_on;
  // What the checker checked it with (availability and caps of those
  // events, excluded brands, frozen months, stability penalty).
  plan::PlanRequest request;
  // Where it came from, for reports: "plan file out/plan.json", "job 4: plan",
  // "job 5: recovered plan", "solved here".
  std::string source;
};

// A plan file read against `scenario` (entries resolved with the events of
// its basis applied) with what its basis says it was made for, not yet
// checked: `cobuild check-plan` lists every violation. Errors as for a
// PlanFile source, less the check.
struct PlanWithContext {
  plan::Plan plan;
  replan::PlanContext context;
};
[[nodiscard]] Result<PlanWithContext> ReadPlanFile(const model::Scenario& scenario, const std::string& path);

// The baseline plan of `scenario` from `source`, re-checked; see the file
// comment for the errors.
[[nodiscard]] Result<Baseline> ResolveBaseline(const model::Scenario& scenario, const BaselineSource& source);

}  // namespace cobuild::app
