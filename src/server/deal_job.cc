#include "server/deal_job.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "app/baseline.h"
#include "app/scenario_ids.h"
#include "deal/deal.h"
#include "deal/sweep.h"
#include "io/deal_io.h"
#include "io/deal_sweep_io.h"
#include "io/scenario_reader.h"
#include "server/job_baseline.h"
#include "server/request_guard.h"

namespace cobuild::server {
namespace {

using nlohmann::json;

constexpr std::array kNumbers = {
    NumberSpec{"time_limit_seconds", 20, 0.1, 600, false},
    NumberSpec{"sweep_time_limit_seconds", 2, 0.1, 600, false},
    NumberSpec{"relative_gap", 1e-3, 0, 1, false},
    NumberSpec{"seed", 1, 0, 2147483647, true},
    NumberSpec{"max_nodes", -1, -1, 1e12, true},
    NumberSpec{"jobs", 0, 0, 256, true},
};
constexpr std::array<std::string_view, 3> kStrings = {"contract", "fees", "tariff"};
constexpr std::array<std::string_view, 2> kFlags = {"sweep", "host_first"};

struct Params {
  std::string contract;
  std::string fees;
  std::string tariff;
  bool sweep = false;
  bool host_first = false;
  std::array<double, kNumbers.size()> numbers{};
};

[[nodiscard]] Result<Params> ReadParams(const json& params) {
  if (!params.is_object()) return InvalidInput("params: expected an object");
  for (const auto& [key, value] : params.items()) {
    const bool known = std::ranges::any_of(kNumbers, [&](const NumberSpec& s) { return s.key == key; }) ||
                       std::ranges::find(kStrings, key) != kStrings.end() ||
                       std::ranges::find(kFlags, key) != kFlags.end() || key == "plan_job" ||
                       key == "plan_without_job";
    if (!known) {
      return InvalidInput(
          "params." + key +
          ": unknown parameter (expected contract, plan_job, plan_without_job, sweep, fees, tariff, "
          "host_first, "
          "time_limit_seconds, sweep_time_limit_seconds, relative_gap, seed, max_nodes, jobs)");
    }
  }
  for (const char* key : {"plan_job", "plan_without_job"}) {
    if (params.contains(key) && !params[key].is_number_integer()) {
      return InvalidInput(std::string("params.") + key + ": expected a job id, got " + SafeDump(params[key]));
    }
  }
  Params out;
  if (!params.contains("contract") || !params["contract"].is_string() ||
      params["contract"].get<std::string>().empty()) {
    return InvalidInput(
        "params.contract: expected a contract id such as \"jlr-builds-chery\", got " +
        (params.contains("contract") ? SafeDump(params["contract"]) : std::string("nothing")));
  }
  out.contract = params["contract"].get<std::string>();
  for (std::string_view key : {std::string_view("fees"), std::string_view("tariff")}) {
    const std::string name(key);
    if (!params.contains(name)) continue;
    if (!params[name].is_string() || params[name].get<std::string>().empty() ||
        params[name].get<std::string>().size() > 200) {
      return InvalidInput("params." + name + ": expected " +
                          (key == "fees" ? std::string("\"FROM:TO:POINTS\" such as \"0:3000:11\"")
                                         : std::string("\"MARKET:ORIGIN[:POWERTRAIN][:RATES]\" such as "
                                                       "\"UK:CN:0,0.1,0.2\"")) +
                          ", got " + SafeDump(params[name]));
    }
    (key == "fees" ? out.fees : out.tariff) = params[name].get<std::string>();
  }
  for (std::string_view key : kFlags) {
    const std::string name(key);
    if (!params.contains(name)) continue;
    if (!params[name].is_boolean())
      return InvalidInput("params." + name + ": expected true or false, got " + SafeDump(params[name]));
    (key == "sweep" ? out.sweep : out.host_first) = params[name].get<bool>();
  }
  if (!out.fees.empty()) {
    if (auto fees = io::ParseFees(out.fees); !fees)
      return InvalidInput("params." + fees.error().message.substr(2));
  }
  for (size_t i = 0; i < kNumbers.size(); ++i) {
    auto v = ReadNumber(params, kNumbers[i]);
    if (!v) return std::unexpected(v.error());
    out.numbers[i] = *v;
  }
  return out;
}

Result<JobOutput> RunDeal(const JobContext& job) {
  auto params = ReadParams(job.params);
  if (!params) return std::unexpected(params.error());
  job.report_progress(0.02, "reading scenario");
  auto scenario = io::ParseScenario(job.scenario->yaml, job.scenario->file_name);
  if (!scenario) return std::unexpected(scenario.error());
  auto contract = app::ResolveContract(*scenario, params->contract);
  if (!contract) return InvalidInput("params.contract: " + contract.error().message);
  std::optional<std::vector<double>> fees;
  if (!params->fees.empty()) {
    auto parsed = io::ParseFees(params->fees);
    if (!parsed) return std::unexpected(parsed.error());
    fees = std::move(*parsed);
  }
  std::optional<deal::TariffLever> lever;
  if (!params->tariff.empty()) {
    auto parsed = io::ParseTariffLever(*scenario, params->tariff);
    if (!parsed) return InvalidInput("params.tariff: " + parsed.error().message.substr(10));
    lever = std::move(*parsed);
  } else if (params->sweep) {
    lever = deal::DefaultTariffLever(*scenario, *contract);
  }

  // Finished plan jobs of this scenario stand for the plan with the contract
  // (plan_job, as `cobuild deal --plan`) and the plan without it
  // (plan_without_job: a plan job with `without_contract`, as `--plan-without`):
  // re-checked, and refused when made for other settings
  // (deal::CheckWithPlan, deal::CheckWithoutPlan).
  std::optional<app::Baseline> with_plan;
  std::optional<app::Baseline> without_plan;
  for (auto [key, plan, without] :
       {std::tuple{"plan_job", &with_plan, -1}, std::tuple{"plan_without_job", &without_plan, *contract}}) {
    if (!job.params.contains(key)) continue;
    auto stored = StoredJobParam(job, key);
    if (!stored) return std::unexpected(stored.error());
    auto resolved = app::ResolveBaseline(
        *scenario,
        app::JobPlan{.param = std::string("params.") + key,
                     .job = std::move(*stored),
                     .scenario_id = job.scenario ? std::optional(job.scenario->id) : std::nullopt});
    if (!resolved) return std::unexpected(resolved.error());
    auto usable = without < 0 ? deal::CheckWithPlan(*scenario, resolved->plan)
                              : deal::CheckWithoutPlan(*scenario, without, resolved->plan);
    if (!usable) return InvalidInput(std::string("params.") + key + ": " + usable.error().message);
    *plan = std::move(*resolved);
  }
  deal::DealOptions options;
  if (with_plan) options.with_plan = &with_plan->plan;
  if (without_plan) options.without_plan = &without_plan->plan;
  plan::SolveParams& solve = options.plan.solve;
  solve.time_limit_seconds = params->numbers[0];
  solve.relative_gap = params->numbers[2];
  solve.seed = static_cast<int>(params->numbers[3]);
  solve.max_nodes = static_cast<int64_t>(params->numbers[4]);
  solve.should_stop = [stop = job.stop] { return stop.stop_requested(); };
  const bool sweeping = fees || params->sweep || lever;
  const double plans_end = sweeping ? 0.35 : 0.95;
  solve.on_progress = SolveProgress(job, 2 * solve.time_limit_seconds, 0.05, plans_end);
  auto lock = LockSolver(job);
  job.report_progress(0.05, "planning with and without the contract");
  auto report = deal::AnalyzeDeal(*scenario, *contract, options);
  if (!report) return std::unexpected(report.error());
  if (job.stop.stop_requested()) return Internal("stopped");

  deal::SweepOptions sweep_options{.plan = options.plan};
  sweep_options.plan.solve.time_limit_seconds = params->numbers[1];
  sweep_options.plan.solve.on_progress = nullptr;
  sweep_options.should_stop = [stop = job.stop] { return stop.stop_requested(); };
  // Sweep points side by side in worker processes when the job has a
  // process of its own; on the server's threads one after another.
  sweep_options.processes = job.own_process ? static_cast<int>(params->numbers[5]) : 1;
  std::optional<deal::FeeSweep> fee_sweep;
  std::optional<deal::TariffSweep> tariff_sweep;
  const bool both = (fees || params->sweep) && lever;
  if (fees || params->sweep) {
    const double to = both ? 0.7 : 0.95;
    sweep_options.on_point = [&job, plans_end, to](int done, int total) {
      job.report_progress(plans_end + (to - plans_end) * done / std::max(1, total),
                          "fee sweep: " + std::to_string(done) + " of " + std::to_string(total) + " fees");
    };
    // The plan every point starts from, with the report plans' time limit.
    job.report_progress(plans_end, "fee sweep: its start plan");
    plan::PlanOptions start_options = options.plan;
    start_options.solve.on_progress = nullptr;
    auto start = deal::SolveSweepStart(*scenario, *report, params->host_first, start_options);
    if (!start) return std::unexpected(start.error());
    auto swept =
        deal::SweepFees(*scenario, *report, *start,
                        fees ? *fees : deal::DefaultFees(deal::PresentValueTerms(*scenario, *report), 11),
                        params->host_first, sweep_options);
    if (!swept) return std::unexpected(swept.error());
    fee_sweep = std::move(*swept);
  }
  if (lever) {
    const double from = both ? 0.7 : plans_end;
    sweep_options.on_point = [&job, from](int done, int total) {
      job.report_progress(
          from + (0.95 - from) * done / std::max(1, total),
          "tariff sweep: " + std::to_string(done) + " of " + std::to_string(total) + " rates");
    };
    auto swept = deal::SweepTariff(*scenario, *report, *lever, sweep_options);
    if (!swept) return std::unexpected(swept.error());
    tariff_sweep = std::move(*swept);
  }
  lock.Release();
  if (job.stop.stop_requested()) return Internal("stopped");
  json out = io::DealResultJson(*scenario, *report, fee_sweep ? &*fee_sweep : nullptr,
                                tariff_sweep ? &*tariff_sweep : nullptr);
  std::string csv = io::DealCsv(*scenario, *report) +
                    io::DealSweepsCsv(*scenario, *report, fee_sweep ? &*fee_sweep : nullptr,
                                      tariff_sweep ? &*tariff_sweep : nullptr);
  job.report_progress(1, "deal report ready");
  return JobOutput{.json = std::move(out), .csv = std::move(csv)};
}

}  // namespace

void RegisterDealJob(JobRegistry& registry) {
  registry.Register(
      {.name = "deal",
       .description = "is a contract worth it for each company, and at what fee: accounts, zone, sweeps",
       .needs_scenario = true,
       .handler = RunDeal,
       .check_params = [](const json& params) -> Result<void> {
         if (auto r = ReadParams(params); !r) return std::unexpected(r.error());
         return {};
       }});
}

}  // namespace cobuild::server
