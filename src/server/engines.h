// The engines behind the server's jobs and its scenario validation: the
// scenario reader (io), the network planner (plan). Kept apart from the HTTP
// and storage code, which know jobs only as kind + JSON params -> JSON + CSV.
//
//   JobRegistry registry = DefaultJobRegistry();
//   ApiServer server(storage, jobs, registry, ValidateScenarioYaml, options);
//
// Job kinds registered here:
//   validate  re-reads a stored scenario; result: its summary and capacity per plant
//   plan      solves the network plan; params: time_limit_seconds (default 30,
//             at most 600), relative_gap (default 1e-4), seed (default 1),
//             max_nodes (default -1, none); result: the dashboard's plan views
//             (io::PlanViewsJson, from the one plan summary) with the plan
//             file under "plan" (io::PlanToJson, as `cobuild plan` writes
//             it), and the production table as CSV (io::WriteProductionCsv)
//   replan    disruption replanning (replan::Replan); params: events (command-
//             line form, added to the scenario's), baseline_job (a plan job of
//             the same scenario; else a baseline is solved first) and the solve
//             params (time limit default: the scenario's replan setting);
//             result: baseline, disrupted and recovered plan views and a report
//   risk      risk analysis (replan::Risk) over the scenario's risk section;
//             params: samples (default 20), seed, baseline_job, solve params;
//             result: percentiles and the sampled distributions
//   compare   two plans side by side (replan::ComparePlans, as `cobuild
//             compare --format json`); no scenario_id; each side A, B is
//             params.a_job / b_job (a plan job's plan or a replan job's
//             recovered plan) or params.scenario_a / scenario_b (planned
//             here with the solve params); result: {a, b, rows, a_source,
//             b_source}, CSV section,key,unit,a,b,change
//
// Solves hold the CBC adapter's process-wide lock (plan::CbcSolveLock): CBC
// cannot run two solves at once in one process, so with several workers,
// solving jobs still run one by one.
// Cancelling a job stops its solve (plan::SolveParams::should_stop) within
// a fraction of a second, and a risk job between samples.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "model/scenario.h"
#include "server/api_server.h"
#include "server/job_registry.h"

namespace cobuild::server {

// Validates with io::ParseScenarioDetailed: the same messages as the CLI.
ScenarioCheck ValidateScenarioYaml(std::string_view yaml, std::string_view file_name);

// Counts and horizon of a valid scenario, as shown in listings.
nlohmann::json ScenarioSummary(const model::Scenario& scenario);

JobRegistry DefaultJobRegistry();

}  // namespace cobuild::server
