#include "server/engines.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>

#include "app/exclusion.h"
#include "deal/deal.h"
#include "io/csv.h"
#include "io/event_reader.h"
#include "io/plan_io.h"
#include "io/plan_views.h"
#include "io/replan_io.h"
#include "io/scenario_reader.h"
#include "plan/plan_request.h"
#include "plan/plan_summary.h"
#include "plan/planner.h"
#include "replan/apply_events.h"
#include "replan/compare.h"
#include "replan/replan.h"
#include "replan/risk.h"
#include "server/deal_job.h"
#include "server/job_baseline.h"
#include "server/sequence_job.h"

namespace cobuild::server {
namespace {

using nlohmann::json;

[[nodiscard]] Result<model::Scenario> ParseStored(const ScenarioRecord& record) {
  return io::ParseScenario(record.yaml, record.file_name);
}

// RFC 4180 quoting, as every CSV cobuild writes (io/csv.h).
std::string Csv(std::string_view text) { return io::CsvField(text); }

// Reads an optional number param within [lo, hi]; `whole`: an integer.
[[nodiscard]] Result<double> NumberParam(const json& params, const char* key, double fallback, double lo,
                                         double hi, bool whole = false) {
  if (!params.contains(key)) return fallback;
  const json& v = params[key];
  if (!v.is_number() || v.get<double>() < lo || v.get<double>() > hi || (whole && !v.is_number_integer())) {
    return InvalidInput(std::string("params.") + key + ": expected " +
                        (whole ? "a whole number" : "a number") + " in [" + io::CsvNumber(lo) + ", " +
                        io::CsvNumber(hi) + "], got " + SafeDump(v));
  }
  return v.get<double>();
}

[[nodiscard]] Result<void> CheckKeys(const json& params, std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : params.items()) {
    bool known = false;
    std::string list;
    for (std::string_view a : allowed) {
      known = known || key == a;
      list += (list.empty() ? "" : ", ") + std::string(a);
    }
    if (!known) return InvalidInput("params." + key + ": unknown parameter (expected " + list + ")");
  }
  return {};
}

// An optional id of another job or scenario.
[[nodiscard]] Result<void> IdParam(const json& params, const char* key) {
  if (auto r = NumberParam(params, key, 1, 1, 9.0e15, true); !r) return std::unexpected(r.error());
  return {};
}

// What POST /api/jobs checks of each kind's params (the handlers check the
// same again when the job runs, and then what needs the scenario or another
// job's result).
[[nodiscard]] Result<void> CheckSolveParams(const json& params) {
  const auto checks = {NumberParam(params, "time_limit_seconds", 1, 0.1, 600),
                       NumberParam(params, "relative_gap", 1e-4, 0, 1),
                       NumberParam(params, "seed", 1, 0, 2147483647, true),
                       NumberParam(params, "max_nodes", -1, -1, 1e12, true)};
  for (const auto& r : checks) {
    if (!r) return std::unexpected(r.error());
  }
  return {};
}

[[nodiscard]] Result<void> CheckValidateParams(const json& params) { return CheckKeys(params, {}); }

[[nodiscard]] Result<void> CheckPlanParams(const json& params) {
  if (auto r =
          CheckKeys(params, {"without_contract", "time_limit_seconds", "relative_gap", "seed", "max_nodes"});
      !r) {
    return r;
  }
  if (params.contains("without_contract") &&
      (!params["without_contract"].is_string() || params["without_contract"].get<std::string>().empty())) {
    return InvalidInput("params.without_contract: expected a contract id such as \"jlr-builds-chery\", got " +
                        SafeDump(params["without_contract"]));
  }
  return CheckSolveParams(params);
}

[[nodiscard]] Result<void> CheckReplanParams(const json& params) {
  if (auto r = CheckKeys(params, {"events", "ignore_scenario_events", "baseline_job", "time_limit_seconds",
                                  "relative_gap", "seed", "max_nodes"});
      !r) {
    return r;
  }
  if (params.contains("ignore_scenario_events") && !params["ignore_scenario_events"].is_boolean()) {
    return InvalidInput("params.ignore_scenario_events: expected true or false, got " +
                        SafeDump(params["ignore_scenario_events"]));
  }
  if (params.contains("events")) {
    const json& list = params["events"];
    if (!list.is_array()) return InvalidInput("params.events: expected a list of event strings");
    for (size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string()) {
        return InvalidInput("params.events[" + std::to_string(i) + "]: expected a string");
      }
    }
  }
  if (auto r = IdParam(params, "baseline_job"); !r) return r;
  return CheckSolveParams(params);
}

[[nodiscard]] Result<void> CheckRiskParams(const json& params) {
  if (auto r = CheckKeys(params, {"samples", "seed", "baseline_job", "full_recovery", "time_limit_seconds",
                                  "relative_gap", "max_nodes"});
      !r) {
    return r;
  }
  if (auto r = NumberParam(params, "samples", 20, 1, 1000, true); !r) return std::unexpected(r.error());
  if (params.contains("full_recovery") && !params["full_recovery"].is_boolean()) {
    return InvalidInput("params.full_recovery: expected true or false");
  }
  if (auto r = IdParam(params, "baseline_job"); !r) return r;
  return CheckSolveParams(params);
}

[[nodiscard]] Result<void> CheckCompareParams(const json& params) {
  if (auto r = CheckKeys(params, {"a_job", "b_job", "scenario_a", "scenario_b", "time_limit_seconds",
                                  "relative_gap", "seed", "max_nodes"});
      !r) {
    return r;
  }
  for (const std::string letter : {"a", "b"}) {
    if (params.contains(letter + "_job") == params.contains("scenario_" + letter)) {
      return InvalidInput("params: give either " + letter + "_job (a plan or replan job) or scenario_" +
                          letter + " (a scenario id) for side " + letter);
    }
    for (const std::string& key : {letter + "_job", "scenario_" + letter}) {
      if (auto r = IdParam(params, key.c_str()); !r) return r;
    }
  }
  return CheckSolveParams(params);
}

[[nodiscard]] Result<JobOutput> RunValidate(const JobContext& job) {
  if (auto r = CheckValidateParams(job.params); !r) return std::unexpected(r.error());
  job.report_progress(0.1, "reading scenario");
  auto scenario = ParseStored(*job.scenario);
  if (!scenario) return std::unexpected(scenario.error());
  std::string csv = "plant,line,max_cars_per_year_avg\n";
  const int months = scenario->horizon.num_months;
  for (int l = 0; l < static_cast<int>(scenario->lines.size()); ++l) {
    double total = 0;
    for (int t = 0; t < months; ++t) total += scenario->MaxLineCars(l, t);
    const auto& line = scenario->lines[l];
    csv += Csv(scenario->plants[line.plant].id) + "," + Csv(line.id) + "," +
           io::CsvNumber(std::round(months > 0 ? total * 12 / months : 0)) + "\n";
  }
  return JobOutput{.json = {{"name", scenario->name}, {"summary", ScenarioSummary(*scenario)}},
                   .csv = std::move(csv)};
}

// The solve parameters every solving job takes.
[[nodiscard]] Result<plan::PlanOptions> PlanOptionsFrom(const JobContext& job, double default_time_limit) {
  auto time_limit = NumberParam(job.params, "time_limit_seconds", default_time_limit, 0.1, 600);
  auto gap = NumberParam(job.params, "relative_gap", 1e-4, 0, 1);
  auto seed = NumberParam(job.params, "seed", 1, 0, 2147483647, true);
  auto nodes = NumberParam(job.params, "max_nodes", -1, -1, 1e12, true);
  for (const auto* r : {&time_limit, &gap, &seed, &nodes}) {
    if (!*r) return std::unexpected(r->error());
  }
  plan::PlanOptions options;
  options.solve.time_limit_seconds = *time_limit;
  options.solve.relative_gap = *gap;
  options.solve.seed = static_cast<int>(*seed);
  options.solve.max_nodes = static_cast<int64_t>(*nodes);
  // Cancelling the job stops the solve within a fraction of a second.
  options.solve.should_stop = [stop = job.stop] { return stop.stop_requested(); };
  return options;
}

[[nodiscard]] Result<JobOutput> RunPlan(const JobContext& job) {
  if (auto r = CheckPlanParams(job.params); !r) return std::unexpected(r.error());
  auto options = PlanOptionsFrom(job, 30);
  if (!options) return std::unexpected(options.error());
  job.report_progress(0.02, "reading scenario");
  auto scenario = ParseStored(*job.scenario);
  if (!scenario) return std::unexpected(scenario.error());
  if (job.params.contains("without_contract")) {
    // The deal's plan without the contract (as `cobuild plan
    // --without-contract`), for a deal job's plan_without_job.
    auto removed = app::ExcludeContract(*scenario, job.params["without_contract"].get<std::string>());
    if (!removed) return InvalidInput("params.without_contract: " + removed.error().message);
    plan::PlanOptions without = *options;
    without.solve.on_progress = SolveProgress(job, options->solve.time_limit_seconds, 0.05, 0.95);
    job.report_progress(0.05, "building the model");
    auto lock = LockSolver(job);
    auto plan = deal::SolveWithoutContract(removed->scenario, removed->contract, without);
    lock.Release();
    if (!plan) return std::unexpected(plan.error());
    if (!plan->HasSolution()) {
      return Internal("the plan without the contract found no solution: " + plan->stats.solver_message);
    }
    return JobOutput{.json = io::PlanResultJson(removed->scenario, *plan),
                     .csv = io::WriteProductionCsv(removed->scenario, *plan)};
  }
  auto solved = SolvedBaseline(job, *scenario, *options, 0.05, 0.95);
  if (!solved) return std::unexpected(solved.error());
  const plan::Plan& plan = solved->plan;
  json views = io::PlanResultJson(*scenario, plan);
  return JobOutput{.json = std::move(views), .csv = io::WriteProductionCsv(*scenario, plan)};
}

// The scenario's events (unless params.ignore_scenario_events, as the CLI's
// --ignore-scenario-events) plus params.events (command-line form).
[[nodiscard]] Result<std::vector<model::Event>> JobEvents(const JobContext& job,
                                                          const model::Scenario& scenario) {
  std::vector<model::Event> events;
  if (!job.params.value("ignore_scenario_events", false)) events = scenario.events;
  if (job.params.contains("events")) {
    const json& list = job.params["events"];
    if (!list.is_array()) return InvalidInput("params.events: expected a list of event strings");
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string origin = "params.events[" + std::to_string(i) + "]";
      if (!list[i].is_string()) return InvalidInput(origin + ": expected a string");
      auto event =
          io::ParseEventText(list[i].get<std::string>(), scenario, origin, "event-" + std::to_string(i + 1));
      if (!event) return std::unexpected(event.error());
      events.push_back(std::move(*event));
    }
  }
  if (events.empty()) {
    return InvalidInput(
        "params.events: no events; the scenario has none and none were given "
        "(for example \"outage plants=halewood from=2026-10-05 to=2026-11-08\")");
  }
  if (auto r = io::CheckEvents(scenario, events); !r) return std::unexpected(r.error());
  return events;
}

[[nodiscard]] Result<JobOutput> RunReplan(const JobContext& job) {
  if (auto r = CheckReplanParams(job.params); !r) return std::unexpected(r.error());
  auto scenario = ParseStored(*job.scenario);
  if (!scenario) return std::unexpected(scenario.error());
  auto options = PlanOptionsFrom(job, scenario->replan.time_limit_seconds);
  if (!options) return std::unexpected(options.error());
  auto events = JobEvents(job, *scenario);
  if (!events) return std::unexpected(events.error());
  auto baseline = JobBaseline(job, *scenario, "baseline_job", *options, 0.05, 0.3);
  if (!baseline) return std::unexpected(baseline.error());
  if (job.stop.stop_requested()) return Internal("stopped");

  replan::ReplanOptions replan_options;
  replan_options.plan = *options;
  replan_options.plan.solve.on_progress = SolveProgress(job, options->solve.time_limit_seconds, 0.35, 0.95);
  replan_options.use_scenario_time_limit = !job.params.contains("time_limit_seconds");
  job.report_progress(0.35, "replanning");
  auto lock = LockSolver(job);
  auto r = replan::Replan(*scenario, baseline->plan, *events, replan_options);
  lock.Release();
  if (!r) return std::unexpected(r.error());

  // One CSV row per company: the events' cost, like for like.
  std::string csv =
      "company,baseline_gbp,disrupted_gbp,recovered_gbp,disrupted_cost_gbp,recovered_cost_gbp\n";
  for (const auto& c : r->report.companies) {
    csv += Csv(scenario->companies[c.company].id) + "," + io::CsvNumber(c.baseline_gbp) + "," +
           io::CsvNumber(c.disrupted_gbp) + "," + io::CsvNumber(c.recovered_gbp) + "," +
           io::CsvNumber(c.DisruptedCost()) + "," + io::CsvNumber(c.RecoveredCost()) + "\n";
  }
  // The same document as `cobuild replan --format json` (io/replan_io.h).
  json out = io::ReplanResultJson(*scenario, *r);
  return JobOutput{.json = std::move(out), .csv = std::move(csv)};
}

[[nodiscard]] Result<JobOutput> RunRisk(const JobContext& job) {
  if (auto r = CheckRiskParams(job.params); !r) return std::unexpected(r.error());
  auto samples = NumberParam(job.params, "samples", 20, 1, 1000, true);
  if (!samples) return std::unexpected(samples.error());
  const json full_recovery = job.params.value("full_recovery", json(false));
  if (!full_recovery.is_boolean()) {
    return InvalidInput("params.full_recovery: expected true or false, got " + SafeDump(full_recovery));
  }
  auto scenario = ParseStored(*job.scenario);
  if (!scenario) return std::unexpected(scenario.error());
  if (scenario->risk.outages.empty() && scenario->risk.demand.empty()) {
    return InvalidInput("the scenario has no risk section (outage and demand distributions)");
  }
  auto options = PlanOptionsFrom(job, scenario->replan.time_limit_seconds);
  if (!options) return std::unexpected(options.error());
  auto baseline = JobBaseline(job, *scenario, "baseline_job", *options, 0.05, 0.3);
  if (!baseline) return std::unexpected(baseline.error());

  replan::RiskOptions risk_options;
  risk_options.samples = static_cast<int>(*samples);
  risk_options.seed = static_cast<uint64_t>(options->solve.seed);
  // In this process: forking worker processes from a threaded server is not
  // safe, and the solver lock keeps the solves apart.
  risk_options.workers = 1;
  risk_options.plan = *options;
  risk_options.full_recovery = full_recovery.get<bool>();
  risk_options.on_progress = [&job](int done, int total) {
    job.report_progress(0.3 + 0.65 * done / std::max(1, total),
                        std::to_string(done) + " of " + std::to_string(total) + " samples");
  };
  auto lock = LockSolver(job);
  auto r = replan::Risk(*scenario, baseline->plan, risk_options);
  lock.Release();
  if (!r) return std::unexpected(r.error());

  // One row per draw; the loss (baseline minus recovered contribution) and
  // each company's recovered contribution beside the totals.
  std::string csv =
      "sample,events,contribution_gbp,disrupted_contribution_gbp,units_lost,"
      "disrupted_units_lost,loss_gbp";
  for (const auto& c : scenario->companies) csv += "," + Csv(c.id + "_contribution_gbp");
  csv += ",error\n";
  for (const auto& sample : r->samples) {
    std::string events;
    for (const auto& e : sample.events)
      events += (events.empty() ? "" : "; ") + io::EventToText(*scenario, e);
    csv +=
        std::to_string(sample.index) + "," + Csv(events) + "," + io::CsvNumber(sample.contribution_gbp) +
        "," + io::CsvNumber(sample.disrupted_contribution_gbp) + "," + io::CsvNumber(sample.units_lost) +
        "," + io::CsvNumber(sample.disrupted_units_lost) + "," +
        (sample.error.empty() ? io::CsvNumber(r->baseline_contribution_gbp - sample.contribution_gbp) : "");
    for (size_t c = 0; c < scenario->companies.size(); ++c) {
      csv += "," + (c < sample.company_contribution_gbp.size()
                        ? io::CsvNumber(sample.company_contribution_gbp[c])
                        : std::string());
    }
    csv += "," + Csv(sample.error) + "\n";
  }
  // The same document as `cobuild risk --format json` (io/replan_io.h).
  json out = io::RiskJson(*scenario, *r);
  return JobOutput{.json = std::move(out), .csv = std::move(csv)};
}

// Side `letter` of a compare job: params.<letter>_job (a plan job's plan or a
// replan job's recovered plan, on its own scenario) or params.scenario_<letter>
// (planned here); `source` says which, for the result.
[[nodiscard]] Result<app::Baseline> CompareSideOf(const JobContext& job, const std::string& letter,
                                                  const plan::PlanOptions& options, double from, double to) {
  const std::string job_key = letter + "_job";
  const std::string scenario_key = "scenario_" + letter;
  std::optional<app::StoredJob> other;
  const std::string id_key = job.params.contains(scenario_key) ? scenario_key : job_key;
  if (id_key == job_key) {
    auto stored = StoredJobParam(job, job_key);
    if (!stored) return std::unexpected(stored.error());
    if (!stored->scenario_id) {
      return InvalidInput("params." + job_key + ": job " + std::to_string(stored->id) +
                          "'s scenario was deleted");
    }
    other = std::move(*stored);
  }
  const json& id = other ? json(*other->scenario_id) : job.params[scenario_key];
  if (!id.is_number_integer()) {
    return InvalidInput("params." + scenario_key + ": expected a scenario id, got " + SafeDump(id));
  }
  auto stored = job.load_scenario(id.get<int64_t>());
  if (!stored) return InvalidInput("params." + id_key + ": " + stored.error().message);
  auto scenario = ParseStored(*stored);
  if (!scenario) return std::unexpected(scenario.error());
  auto side = other ? app::ResolveBaseline(*scenario, app::JobPlan{.param = "params." + job_key,
                                                                   .job = std::move(*other),
                                                                   .replan_ok = true})
                    : SolvedBaseline(job, *scenario, options, from, to);
  if (!side) return std::unexpected(side.error());
  side->source = other ? side->source + " of " + stored->name
                       : "scenario " + std::to_string(stored->id) + ": " + stored->name + ", planned here";
  return side;
}

[[nodiscard]] Result<JobOutput> RunCompare(const JobContext& job) {
  if (auto r = CheckCompareParams(job.params); !r) return std::unexpected(r.error());
  auto options = PlanOptionsFrom(job, 30);
  if (!options) return std::unexpected(options.error());
  job.report_progress(0.02, "reading side A");
  auto a = CompareSideOf(job, "a", *options, 0.05, 0.5);
  if (!a) return std::unexpected(a.error());
  if (job.stop.stop_requested()) return Internal("stopped on request");
  job.report_progress(0.5, "reading side B");
  auto b = CompareSideOf(job, "b", *options, 0.5, 0.95);
  if (!b) return std::unexpected(b.error());
  const replan::Comparison c =
      replan::ComparePlans(a->planned_on, a->plan, b->planned_on, b->plan, a->request, b->request);
  json out = io::ComparisonJson(c);
  out["a_source"] = a->source;
  out["b_source"] = b->source;
  // Cars per plant and month of each side (the dashboard's difference
  // heatmap) and the plants' names, from the summaries the rows come from.
  out["plant_months"] =
      io::PlantMonthsSideBySideJson(a->planned_on, plan::Summarize(a->planned_on, a->plan, a->request),
                                    b->planned_on, plan::Summarize(b->planned_on, b->plan, b->request));
  std::string csv = "section,key,unit,a,b,change\n";
  for (const auto& row : c.rows) {
    csv += Csv(row.section) + "," + Csv(row.key) + "," + Csv(row.unit) + "," + io::CsvNumber(row.a) + "," +
           io::CsvNumber(row.b) + "," + io::CsvNumber(row.delta()) + "\n";
  }
  job.report_progress(1, "compared: " + std::to_string(c.rows.size()) + " rows");
  return JobOutput{.json = std::move(out), .csv = std::move(csv)};
}

}  // namespace

ScenarioCheck ValidateScenarioYaml(std::string_view yaml, std::string_view file_name) {
  io::ScenarioParse parsed = io::ParseScenarioDetailed(yaml, file_name);
  ScenarioCheck check;
  for (const auto& d : parsed.diagnostics) {
    if (d.omitted > 0) {  // the reader's count of what it did not list
      check.more_errors += d.omitted;
      continue;
    }
    check.errors.push_back(
        {.file = d.file, .line = d.line, .column = d.column, .path = d.path, .message = d.message});
  }
  if (parsed.scenario && check.ok()) {
    check.name = parsed.scenario->name;
    check.summary = ScenarioSummary(*parsed.scenario);
  } else if (check.ok()) {
    check.errors.push_back({.file = std::string(file_name),
                            .line = 0,
                            .column = 0,
                            .path = "",
                            .message = "the scenario could not be read"});
  }
  return check;
}

json ScenarioSummary(const model::Scenario& s) {
  json plants = json::array();
  for (const auto& p : s.plants) plants.push_back({{"id", p.id}, {"name", p.name}});
  // Lines a `sequence` job can take (those with stations), for the line day page.
  json sequencing_lines = json::array();
  for (const auto& l : s.lines) {
    if (!l.stations.empty()) sequencing_lines.push_back(l.id);
  }
  return {{"description", s.description},   {"first_month", model::ToString(s.horizon.first)},
          {"months", s.horizon.num_months}, {"companies", s.companies.size()},
          {"brands", s.brands.size()},      {"plants", plants},
          {"lines", s.lines.size()},        {"sequencing_lines", sequencing_lines},
          {"markets", s.markets.size()},    {"models", s.models.size()},
          {"variants", s.variants.size()},  {"contracts", s.contracts.size()}};
}

JobRegistry DefaultJobRegistry() {
  JobRegistry registry;
  registry.Register({.name = "validate",
                     .description = "re-read a stored scenario: summary and line capacity",
                     .needs_scenario = true,
                     .handler = RunValidate,
                     .check_params = CheckValidateParams});
  registry.Register({.name = "plan",
                     .description = "network plan: production, shifts, contribution per company",
                     .needs_scenario = true,
                     .handler = RunPlan,
                     .check_params = CheckPlanParams});
  registry.Register({.name = "replan",
                     .description = "disruption: baseline, disrupted and recovered plans side by side",
                     .needs_scenario = true,
                     .handler = RunReplan,
                     .check_params = CheckReplanParams});
  registry.Register({.name = "risk",
                     .description = "drawn outages and demand changes, replanned: outcome distributions",
                     .needs_scenario = true,
                     .handler = RunRisk,
                     .check_params = CheckRiskParams});
  registry.Register(
      {.name = "compare",
       .description = "two plans side by side: plan or replan jobs, or two scenarios planned here",
       .needs_scenario = false,
       .handler = RunCompare,
       .check_params = CheckCompareParams});
  RegisterSequenceJob(registry);
  RegisterDealJob(registry);
  return registry;
}

}  // namespace cobuild::server
