#include "server/sequence_job.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "app/line_day.h"
#include "app/scenario_ids.h"
#include "io/line_day_io.h"
#include "io/scenario_reader.h"
#include "model/calendar.h"
#include "sequence/plan_day.h"
#include "server/job_baseline.h"
#include "server/request_guard.h"

namespace cobuild::server {
namespace {

using nlohmann::json;

constexpr std::array kNumbers = {
    NumberSpec{"plan_job", -1, 1, 9.0e15, true},
    NumberSpec{"seed", 1, 0, 9.0e15, true},
    NumberSpec{"time_limit_seconds", 5, 0.1, 60, false},
    NumberSpec{"max_evals", 0, 0, 1.0e12, true},
    NumberSpec{"plan_time_limit_seconds", 30, 0.1, 600, false},
    NumberSpec{"baseline_job", -1, 1, 9.0e15, true},
};
constexpr std::array<std::string_view, 2> kStrings = {"line", "date"};

struct Params {
  std::string line;
  std::string date;
  int64_t plan_job = -1;
  uint64_t seed = 1;
  double time_limit_s = 5;
  int64_t max_evals = 0;
  double plan_time_limit_s = 30;
};

[[nodiscard]] Result<Params> ReadParams(const json& params) {
  for (const auto& [key, value] : params.items()) {
    const bool known = std::ranges::any_of(kNumbers, [&](const NumberSpec& s) { return s.key == key; }) ||
                       std::ranges::find(kStrings, key) != kStrings.end();
    if (!known) {
      return InvalidInput("params." + key +
                          ": unknown parameter (expected line, date, plan_job, seed, time_limit_seconds, "
                          "max_evals, plan_time_limit_seconds, baseline_job)");
    }
  }
  Params out;
  for (std::string_view key : kStrings) {
    const std::string name(key);
    if (!params.contains(name) || !params[name].is_string() || params[name].get<std::string>().empty()) {
      return InvalidInput(
          "params." + name + ": expected " +
          (key == "line" ? "a line id such as \"halewood-2\"" : "a working day as \"YYYY-MM-DD\"") +
          ", got " + (params.contains(name) ? SafeDump(params[name]) : "nothing"));
    }
    (key == "line" ? out.line : out.date) = params[name].get<std::string>();
  }
  std::array<double, kNumbers.size()> values{};
  for (size_t i = 0; i < kNumbers.size(); ++i) {
    auto v = ReadNumber(params, kNumbers[i]);
    if (!v) return std::unexpected(v.error());
    values[i] = *v;
  }
  out.plan_job = static_cast<int64_t>(values[0]);
  out.seed = static_cast<uint64_t>(values[1]);
  out.time_limit_s = values[2];
  out.max_evals = static_cast<int64_t>(values[3]);
  out.plan_time_limit_s = values[4];
  // baseline_job, as the replan and risk jobs name their plan job, is
  // taken for plan_job, so a dashboard can offer plan jobs the same way.
  if (values[5] >= 0) {
    if (out.plan_job >= 0) return InvalidInput("params.baseline_job: expected it or plan_job, got both");
    out.plan_job = static_cast<int64_t>(values[5]);
  }
  return out;
}

// The line's days with cars under `plan`, for the dashboard's date picker
// and its previous/next-day buttons: per horizon month with cars,
// {month, cars, days: [{date, cars}]} (the days the sequence job takes,
// sequence/plan_day.h), and the next such day after `date` (null at the end).
json LineCalendarJson(const model::Scenario& s, const plan::Plan& plan, int line, model::Date date) {
  json months = json::array();
  json next = nullptr;
  for (int t = 0; t < s.horizon.num_months; ++t) {
    const std::vector<int> counts = sequence::DailyCarCounts(s, plan, line, t);
    const std::vector<int> days = sequence::LineDaysOfMonth(s, plan, line, t);
    const model::YearMonth ym = s.horizon.MonthAt(t);
    json list = json::array();
    int total = 0;
    for (size_t i = 0; i < days.size() && i < counts.size(); ++i) {
      if (counts[i] <= 0) continue;
      const model::Date d{ym.year, ym.month, days[i]};
      list.push_back({{"date", model::ToString(d)}, {"cars", counts[i]}});
      total += counts[i];
      if (next.is_null() && d > date) next = model::ToString(d);
    }
    if (total > 0) months.push_back({{"month", model::ToString(ym)}, {"cars", total}, {"days", list}});
  }
  return {{"months", months}, {"next_date", next}};
}

Result<JobOutput> RunSequence(const JobContext& job) {
  auto params = ReadParams(job.params);
  if (!params) return std::unexpected(params.error());
  job.report_progress(0.02, "reading scenario");
  auto scenario = io::ParseScenario(job.scenario->yaml, job.scenario->file_name);
  if (!scenario) return std::unexpected(scenario.error());
  // Check the line first: a typo should not wait for a plan solve.
  if (auto line = app::ResolveLine(*scenario, params->line); !line) return std::unexpected(line.error());
  if (auto date = model::ParseDate(params->date); !date) return InvalidInput("date: " + date.error().message);

  plan::PlanOptions options;
  options.solve.time_limit_seconds = params->plan_time_limit_s;
  options.solve.seed = static_cast<int>(params->seed % 2147483648ULL);
  options.solve.should_stop = [stop = job.stop] { return stop.stop_requested(); };
  // The plan job as the params name it (plan_job, or baseline_job as the
  // replan and risk jobs say); without either, a plan solved here.
  const std::string key = job.params.contains("baseline_job") ? "baseline_job" : "plan_job";
  auto source = JobBaseline(job, *scenario, key, options, 0.05, 0.4);
  if (!source) return std::unexpected(source.error());
  if (job.stop.stop_requested()) return Internal("stopped");

  sequence::SolveParams solve;
  solve.seed = params->seed;
  solve.time_limit_s = params->time_limit_s;
  solve.max_evals = params->max_evals;
  solve.snapshot_seconds.clear();
  solve.should_stop = [stop = job.stop] { return stop.stop_requested(); };
  const double limit = params->time_limit_s;
  solve.progress = [&job, limit](double seconds, int64_t best) {
    job.report_progress(std::min(0.95, 0.45 + 0.5 * seconds / limit),
                        "sequencing: best score " + std::to_string(best));
  };
  job.report_progress(0.42, "building the day's cars");
  auto seq = app::RunLineDay(*scenario, source->plan, params->line, params->date, solve);
  if (!seq) return std::unexpected(seq.error());
  if (job.stop.stop_requested()) return Internal("stopped");
  json out = io::LineDayToJson(*scenario, *seq);
  const json calendar = LineCalendarJson(*scenario, source->plan, seq->day.line, seq->day.date);
  out["line_days"] = calendar["months"];
  out["next_date"] = calendar["next_date"];
  out["plan_job"] = params->plan_job >= 0 ? json(params->plan_job) : json(nullptr);
  out["plan_status"] = plan::ToString(source->plan.status);
  return JobOutput{.json = std::move(out), .csv = io::LineDayCsv(*scenario, *seq)};
}

}  // namespace

void RegisterSequenceJob(JobRegistry& registry) {
  registry.Register(
      {.name = "sequence",
       .description = "one line's day from a plan as a car sequence: stations, paint, overloaded windows",
       .needs_scenario = true,
       .handler = RunSequence,
       .check_params = [](const json& params) -> Result<void> {
         if (auto r = ReadParams(params); !r) return std::unexpected(r.error());
         return {};
       }});
}

}  // namespace cobuild::server
