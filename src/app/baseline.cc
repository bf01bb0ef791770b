#include "app/baseline.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "io/plan_io.h"
#include "plan/plan_checker.h"
#include "plan/planner.h"
#include "replan/apply_events.h"

namespace cobuild::app {
namespace {

using nlohmann::json;

// Entries of a plan with events in its basis resolve on the scenario with
// those events applied (a contract change adds contracts).
io::PlannedOn EventsApplied(const model::Scenario& scenario) {
  return [&scenario](const plan::PlanBasis& basis) {
    return replan::ScenarioWithEvents(scenario, basis.events);
  };
}

// A plan read from a file or a job, with its context: checked for what its
// basis says it was made for. `where` starts every message.
[[nodiscard]] Result<Baseline> Checked(const model::Scenario& scenario, plan::Plan plan,
                                       replan::PlanContext context, const std::string& where,
                                       std::string source) {
  const plan::CheckReport check = plan::CheckPlan(context.scenario, plan, context.request);
  if (!check.ok()) {
    return InvalidInput(
        fmt::format("{}: the plan violates scenario {}: {}", where, scenario.name, check.violations.front()));
  }
  return Baseline{.plan = std::move(plan),
                  .planned_on = std::move(context.scenario),
                  .request = std::move(context.request),
                  .source = std::move(source)};
}

[[nodiscard]] Result<replan::PlanContext> ContextOf(const model::Scenario& scenario, const plan::Plan& plan,
                                                    const std::string& where) {
  auto context = replan::ContextOf(scenario, plan);
  if (!context) return InvalidInput(where + ": " + context.error().message);
  return context;
}

[[nodiscard]] Result<Baseline> FromJob(const model::Scenario& scenario, const JobPlan& source) {
  const StoredJob& job = source.job;
  const std::string name = "job " + std::to_string(job.id);
  const std::string where = source.param + ": " + name;
  const char* expected = source.replan_ok ? "a plan or replan job" : "a plan job";
  if (job.kind != "plan" && !(source.replan_ok && job.kind == "replan")) {
    return InvalidInput(
        fmt::format("{}: expected {}, got {}, a {} job", source.param, expected, name, job.kind));
  }
  if (source.scenario_id && job.scenario_id != source.scenario_id) {
    return InvalidInput(fmt::format("{}: expected {} of scenario {}, got {}, which planned another scenario",
                                    source.param, expected, *source.scenario_id, name));
  }
  if (job.status != "succeeded") {
    return InvalidInput(fmt::format("{} is {}, not finished with a plan", where, job.status));
  }
  const json result = json::parse(job.result_json, nullptr, /*allow_exceptions=*/false);
  // A replan job's plans: the recovered one is the plan it leads to.
  const bool recovered = job.kind == "replan";
  const json* holder = &result;
  if (recovered) holder = result.is_object() && result.contains("recovered") ? &result["recovered"] : nullptr;
  if (holder == nullptr || !holder->is_object() || !holder->contains("plan")) {
    return InvalidInput(where + "'s result holds no plan file");
  }
  auto plan =
      io::ParsePlanJson((*holder)["plan"].dump(), name + " result", scenario, EventsApplied(scenario));
  if (!plan) return InvalidInput(source.param + ": " + plan.error().message);
  auto context = ContextOf(scenario, *plan, where);
  if (!context) return std::unexpected(context.error());
  return Checked(scenario, std::move(*plan), std::move(*context), where,
                 name + (recovered ? ": recovered plan" : ": plan"));
}

[[nodiscard]] Result<Baseline> BySolving(const model::Scenario& scenario, const Solve& solve) {
  auto plan = plan::SolvePlan(scenario, solve.request);
  if (!plan) return std::unexpected(plan.error());
  if (plan->stats.stopped) return Internal("stopped on request");
  if (!plan->HasSolution()) {
    const std::string why = fmt::format(
        "the plan solve of {} ended {} without a plan{}", scenario.name, plan::ToString(plan->status),
        plan->stats.solver_message.empty() ? "" : " (" + plan->stats.solver_message + ")");
    if (plan->status == plan::SolveStatus::kInfeasible) return InvalidInput(why);
    return Internal(why);
  }
  // The solver's plan passes the checker unless the planner has a bug.
  plan::PlanRequest request = solve.request;
  request.options.solve.on_progress = nullptr;
  request.options.solve.should_stop = nullptr;
  const plan::CheckReport check = plan::CheckPlan(scenario, *plan, request);
  if (!check.ok()) {
    return Internal(fmt::format("the solved plan of {} fails the plan checker: {}", scenario.name,
                                check.violations.front()));
  }
  return Baseline{.plan = std::move(*plan),
                  .planned_on = scenario,
                  .request = std::move(request),
                  .source = "solved here"};
}

}  // namespace

Result<PlanWithContext> ReadPlanFile(const model::Scenario& scenario, const std::string& path) {
  auto plan = io::LoadPlan(path, scenario, EventsApplied(scenario));
  if (!plan) return std::unexpected(plan.error());
  auto context = ContextOf(scenario, *plan, path);
  if (!context) return std::unexpected(context.error());
  return PlanWithContext{.plan = std::move(*plan), .context = std::move(*context)};
}

namespace {

[[nodiscard]] Result<Baseline> FromFile(const model::Scenario& scenario, const PlanFile& file) {
  auto read = ReadPlanFile(scenario, file.path);
  if (!read) return std::unexpected(read.error());
  return Checked(scenario, std::move(read->plan), std::move(read->context), file.path,
                 "plan file " + file.path);
}

}  // namespace

Result<Baseline> ResolveBaseline(const model::Scenario& scenario, const BaselineSource& source) {
  if (const auto* file = std::get_if<PlanFile>(&source)) return FromFile(scenario, *file);
  if (const auto* job = std::get_if<JobPlan>(&source)) return FromJob(scenario, *job);
  return BySolving(scenario, std::get<Solve>(source));
}

}  // namespace cobuild::app
