#include "server/job_baseline.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>

#include "io/csv.h"
#include "io/table.h"
#include "server/request_guard.h"
#include "server/storage.h"

namespace cobuild::server {

plan::CbcSolveLock LockSolver(const JobContext& job) {
  return plan::CbcSolveLock(
      [&job] { job.report_progress(0.02, "waiting for another job's solve to finish"); });
}

std::function<void(const plan::Progress&)> SolveProgress(const JobContext& job, double limit, double from,
                                                         double to) {
  auto reached = std::make_shared<double>(from);
  return [&job, limit, from, to, reached](const plan::Progress& p) {
    std::string message = p.phase;
    if (p.has_incumbent) {
      message += ": best GBP " + io::FormatThousands(p.incumbent_gbp) + ", gap " +
                 io::CsvNumber(std::round(p.gap * 10000) / 100) + "%";
    }
    *reached = std::max(*reached, std::min(to, from + (to - from) * p.elapsed_seconds / limit));
    job.report_progress(*reached, message);
  };
}

Result<app::Baseline> SolvedBaseline(const JobContext& job, const model::Scenario& scenario,
                                     const plan::PlanOptions& options, double from, double to) {
  app::Solve solve;
  solve.request.options = options;
  solve.request.options.solve.on_progress = SolveProgress(job, options.solve.time_limit_seconds, from, to);
  job.report_progress(from, "building the model");
  auto lock = LockSolver(job);
  return app::ResolveBaseline(scenario, solve);
}

Result<app::StoredJob> StoredJobParam(const JobContext& job, const std::string& key) {
  const nlohmann::json& id = job.params[key];
  if (!id.is_number_integer())
    return InvalidInput("params." + key + ": expected a job id, got " + SafeDump(id));
  auto other = job.load_job_result(id.get<int64_t>());
  if (!other) return InvalidInput("params." + key + ": " + other.error().message);
  return app::StoredJob{.id = other->first.id,
                        .kind = other->first.kind,
                        .status = std::string(ToString(other->first.status)),
                        .scenario_id = other->first.scenario_id,
                        .result_json = std::move(other->second.json)};
}

Result<app::Baseline> JobBaseline(const JobContext& job, const model::Scenario& scenario,
                                  const std::string& key, const plan::PlanOptions& options, double from,
                                  double to) {
  if (!job.params.contains(key)) return SolvedBaseline(job, scenario, options, from, to);
  auto stored = StoredJobParam(job, key);
  if (!stored) return std::unexpected(stored.error());
  return app::ResolveBaseline(
      scenario, app::JobPlan{.param = "params." + key,
                             .job = std::move(*stored),
                             .scenario_id = job.scenario ? std::optional(job.scenario->id) : std::nullopt});
}

Result<double> ReadNumber(const nlohmann::json& params, const NumberSpec& spec) {
  if (!params.contains(spec.key)) return spec.fallback;
  const nlohmann::json& v = params[spec.key];
  const bool ok = v.is_number() && v.get<double>() >= spec.lo && v.get<double>() <= spec.hi &&
                  (!spec.whole || v.is_number_integer());
  if (!ok) {
    return InvalidInput("params." + std::string(spec.key) + ": expected " +
                        (spec.whole ? "a whole number" : "a number") + " from " +
                        nlohmann::json(spec.lo).dump() + " to " + nlohmann::json(spec.hi).dump() + ", got " +
                        SafeDump(v));
  }
  return v.get<double>();
}

}  // namespace cobuild::server
