// The `sequence` job kind: one line's day from a plan, as a car sequence
// (app::RunLineDay; the day is built as sequence/plan_day.h says).
//
// Params:
//   line                a line id of the job's scenario (required)
//   date                a working day YYYY-MM-DD in the horizon (required)
//   plan_job            a succeeded plan job of the same scenario (its plan
//                       re-checked); without it a plan is solved first, as
//                       the replan job does;
//                       baseline_job (the replan and risk jobs' name) is
//                       taken as plan_job
//   seed                default 1; builds the day and seeds the search
//   time_limit_seconds  sequencing wall time, default 5, at most 60
//   max_evals           move evaluations (work limit; with it the result is
//                       repeatable), default 0 = none
//   plan_time_limit_seconds  for the plan solved without plan_job, default 30
// Result: io::LineDayToJson (cars, overloaded_windows, criteria, score,
// bound, ...) plus plan_job (null when solved here) and plan_status; CSV:
// position,variant,brand,paint,options.
//
//   RegisterSequenceJob(registry);  // in DefaultJobRegistry
#pragma once

#include "server/job_registry.h"

namespace cobuild::server {

// Registers kind "sequence".
void RegisterSequenceJob(JobRegistry& registry);

}  // namespace cobuild::server
