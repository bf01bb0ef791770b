#include "replan/risk.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>

#include "model/random.h"
#include "plan/cbc_backend.h"
#include "plan/model_builder.h"
#include "plan/warm_start.h"
#include "replan/replan.h"
#include "scale/worker_processes.h"

namespace cobuild::replan {
namespace {

double Triangular(double u, double lo, double mode, double hi) {
  if (hi <= lo) return lo;
  const double f = (mode - lo) / (hi - lo);
  if (u < f) return lo + std::sqrt(u * (hi - lo) * (mode - lo));
  return hi - std::sqrt((1 - u) * (hi - lo) * (hi - mode));
}

double TotalContribution(const plan::Plan& p) {
  double total = 0;
  for (const auto& c : p.contributions) total += c.contribution_gbp;
  return total;
}

std::vector<double> CompanyContributions(const model::Scenario& s, const plan::Plan& p) {
  std::vector<double> out(s.companies.size(), 0.0);
  for (const auto& c : p.contributions) {
    if (c.company >= 0 && static_cast<size_t>(c.company) < out.size())
      out[static_cast<size_t>(c.company)] += c.contribution_gbp;
  }
  return out;
}

double UnitsSold(const plan::Plan& p) {
  double total = 0;
  for (const auto& e : p.shipments) total += e.units;
  return total;
}

}  // namespace

std::string EncodeRiskSample(const RiskSample& s) {
  std::string error = s.error;
  std::replace_if(
      error.begin(), error.end(), [](char c) { return c == '\n' || c == '\t'; }, ' ');
  return fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", s.index, s.contribution_gbp,
                     s.disrupted_contribution_gbp, s.units_lost, s.disrupted_units_lost, s.solve_seconds,
                     s.time_limited ? 1 : 0, s.objective_gbp, fmt::join(s.company_contribution_gbp, ","),
                     error);
}

bool DecodeRiskSample(std::string_view line, RiskSample& s) {
  std::vector<std::string_view> fields;
  size_t begin = 0;
  for (int f = 0; f < 9; ++f) {
    const size_t tab = line.find('\t', begin);
    if (tab == std::string_view::npos) return false;
    fields.push_back(line.substr(begin, tab - begin));
    begin = tab + 1;
  }
  auto number = [](std::string_view text, auto& out) {
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && ptr == text.data() + text.size();
  };
  s.error = std::string(line.substr(begin));
  int time_limited = 0;
  const bool ok = number(fields[0], s.index) && number(fields[1], s.contribution_gbp) &&
                  number(fields[2], s.disrupted_contribution_gbp) && number(fields[3], s.units_lost) &&
                  number(fields[4], s.disrupted_units_lost) && number(fields[5], s.solve_seconds) &&
                  number(fields[6], time_limited) && number(fields[7], s.objective_gbp);
  s.time_limited = time_limited != 0;
  s.company_contribution_gbp.clear();
  bool companies_ok = true;
  for (std::string_view rest = fields[8]; !rest.empty();) {
    const size_t comma = rest.find(',');
    double value = 0;
    companies_ok = companies_ok && number(rest.substr(0, comma), value);
    s.company_contribution_gbp.push_back(value);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return ok && companies_ok;
}

std::vector<model::Event> DrawEvents(const model::Scenario& s, uint64_t seed, int index) {
  // Each sample's stream starts at a well-mixed state of (seed, index), so
  // streams of neighbouring samples do not overlap.
  const uint64_t base = model::MixSeed(seed);
  model::Random rng(model::MixSeed(base ^ (static_cast<uint64_t>(index) * 0xd1b54a32d192ed03ULL)));
  std::vector<model::Event> events;
  const model::Date horizon_start = model::FirstDay(s.horizon.first);
  const model::Date horizon_end = model::LastDay(s.horizon.MonthAt(s.horizon.num_months - 1));
  for (size_t r = 0; r < s.risk.outages.size(); ++r) {
    const auto& risk = s.risk.outages[r];
    for (int year : s.horizon.Years()) {
      const model::Date first = std::max(horizon_start, model::Date{year, 1, 1});
      const model::Date last = std::min(horizon_end, model::Date{year, 12, 31});
      const int first_day = model::DaysFromCivil(first);
      const int days = model::DaysFromCivil(last) - first_day + 1;
      const double happens = rng.Uniform01();
      const double weeks_u = rng.Uniform01();
      const double start_u = rng.Uniform01();
      if (happens >= risk.probability_per_year * days / 365.0) continue;
      const double weeks = risk.min_weeks + weeks_u * (risk.max_weeks - risk.min_weeks);
      const int length = std::max(1, static_cast<int>(std::lround(weeks * 7)));
      const int start = first_day + std::min(days - 1, static_cast<int>(start_u * days));
      const int end = std::min(model::DaysFromCivil(horizon_end), start + length - 1);
      model::Event e;
      e.id = fmt::format("outage-{}-{}", r + 1, year);
      e.kind = model::EventKind::kOutage;
      e.reason = "drawn from risk.outages";
      e.plants = risk.plants;
      e.from = model::CivilFromDays(start);
      e.to = model::CivilFromDays(end);
      events.push_back(std::move(e));
    }
  }
  for (size_t r = 0; r < s.risk.demand.size(); ++r) {
    const auto& risk = s.risk.demand[r];
    const double factor = Triangular(rng.Uniform01(), risk.min_factor, risk.mode_factor, risk.max_factor);
    if (std::abs(factor - 1.0) < 1e-9) continue;
    model::Event e;
    e.id = fmt::format("demand-{}", r + 1);
    e.kind = model::EventKind::kDemandChange;
    e.reason = "drawn from risk.demand";
    e.brands = risk.brands;
    e.markets = risk.markets;
    e.powertrains = risk.powertrains;
    e.demand_factor = factor;
    e.from = horizon_start;
    e.to = horizon_end;
    events.push_back(std::move(e));
  }
  return events;
}

Percentiles PercentilesOf(std::vector<double> values) {
  if (values.empty()) return {};
  std::sort(values.begin(), values.end());
  auto at = [&](double q) {
    const double pos = q * static_cast<double>(values.size() - 1);
    const size_t lo = static_cast<size_t>(std::floor(pos));
    const size_t hi = std::min(values.size() - 1, lo + 1);
    return values[lo] + (pos - static_cast<double>(lo)) * (values[hi] - values[lo]);
  };
  return {.p10 = at(0.1), .p50 = at(0.5), .p90 = at(0.9)};
}

struct RiskDraws::State {
  const model::Scenario* scenario = nullptr;
  const plan::Plan* baseline = nullptr;
  uint64_t seed = 1;
  double baseline_contribution_gbp = 0;
  std::vector<double> baseline_company_gbp;
  double baseline_sold = 0;
  ReplanOptions replan_options;
  std::optional<plan::LpWarmStart> warm_start;
};

namespace {

// What every risk run needs before its first draw: at least one sample,
// distributions to draw from, a baseline with the scenario's levers.
Result<void> CheckRiskRun(const model::Scenario& scenario, const plan::Plan& baseline,
                          const RiskOptions& options) {
  if (options.samples < 1) return InvalidInput(fmt::format("samples must be >= 1, got {}", options.samples));
  if (scenario.risk.outages.empty() && scenario.risk.demand.empty()) {
    return InvalidInput(
        "the scenario declares no risk distributions; add a `risk:` section (docs/scenario-format.md)");
  }
  // Like for like: the baseline must have the levers every draw's plans get.
  if (baseline.basis.levers != plan::ScenarioLevers(scenario)) {
    return InvalidInput(
        "the baseline plan was made with other levers (extra shifts, weekend days, backlog) than "
        "the scenario's `replan:` keys give; plan the baseline again with this scenario");
  }
  return {};
}

constexpr std::string_view kColdSetup = "cold";

// The baseline's model as BaselineWarmStart builds it, for its basis to be
// read from (SetupText) or rebuilt on (Prepare with a setup).
Result<plan::BuiltModel> WarmStartModel(const model::Scenario& scenario, const plan::Plan& baseline,
                                        const plan::PlanOptions& options) {
  const plan::PlanRequest request = BaselineWarmStartRequest(scenario, baseline, options);
  return plan::BuildPlanModel(scenario, request, {.shift_cover_cuts = request.options.shift_cover_cuts});
}

// SetupText's digits back into a warm start on `built`.
Result<plan::LpWarmStart> WarmStartFromText(const plan::BuiltModel& built, std::string_view text) {
  const size_t slash = text.find('/');
  const std::string_view columns = text.substr(0, slash);
  const std::string_view rows = slash == std::string_view::npos ? std::string_view() : text.substr(slash + 1);
  if (slash == std::string_view::npos || columns.size() != built.columns.size() ||
      rows.size() != built.rows.size()) {
    return InvalidInput(fmt::format(
        "risk set-up: expected a warm start of {} columns and {} rows (digits 0-3, '/' between), got {} "
        "characters",
        built.columns.size(), built.rows.size(), text.size()));
  }
  auto statuses = [](std::string_view digits, std::vector<plan::BasisStatus>& out) {
    out.reserve(digits.size());
    for (const char c : digits) {
      if (c < '0' || c > '3') return false;
      out.push_back(static_cast<plan::BasisStatus>(c - '0'));
    }
    return true;
  };
  plan::LpBasis basis;
  if (!statuses(columns, basis.columns) || !statuses(rows, basis.rows)) {
    return InvalidInput("risk set-up: a warm start's basis status is not a digit 0-3");
  }
  return plan::LpWarmStart(built, basis);
}

}  // namespace

Result<RiskDraws> RiskDraws::Prepare(const model::Scenario& scenario, const plan::Plan& baseline,
                                     const RiskOptions& options, std::optional<std::string_view> setup) {
  if (auto checked = CheckRiskRun(scenario, baseline, options); !checked) {
    return std::unexpected(checked.error());
  }
  auto state = std::make_shared<State>();
  state->scenario = &scenario;
  state->baseline = &baseline;
  state->seed = options.seed;
  state->baseline_contribution_gbp = TotalContribution(baseline);
  state->baseline_company_gbp = CompanyContributions(scenario, baseline);
  state->baseline_sold = UnitsSold(baseline);
  ReplanOptions& replan_options = state->replan_options;
  replan_options.plan = options.plan;
  replan_options.plan.solve.threads = 1;
  replan_options.plan.solve.on_progress = nullptr;
  replan_options.plan.explain = false;
  replan_options.fix_integers_outside_window = !options.full_recovery;
  // The caller's wall-clock limit, not the scenario's: replan.time_limit_seconds
  // is sized for one interactive replan, and a loaded machine stretches
  // wall-clock time until draws stop on it and depend on the machine.
  replan_options.use_scenario_time_limit = false;
  replan_options.plan.solve.relative_gap = scenario.replan.relative_gap;
  // Every draw's root LP starts from the baseline's basis, solved once here
  // before any worker starts, so each draw starts from the same point
  // whatever the number of workers and the order of the draws. Without it
  // (the LP failed) each draw starts cold, as before. Another process's
  // set-up gives the same basis without the LP: its statuses rebuilt on
  // the same model make the same warm start (LpWarmStart keys every column
  // and row by what it means, and the model is the same).
  if (options.warm_start && setup && *setup != kColdSetup) {
    auto built = WarmStartModel(scenario, baseline, replan_options.plan);
    if (!built) return std::unexpected(built.error());
    auto warm = WarmStartFromText(*built, *setup);
    if (!warm) return std::unexpected(warm.error());
    state->warm_start = std::move(*warm);
    replan_options.warm_start = &*state->warm_start;
  } else if (options.warm_start && !setup) {
    if (Result<plan::LpWarmStart> solved = BaselineWarmStart(scenario, baseline, replan_options.plan)) {
      state->warm_start = std::move(*solved);
      replan_options.warm_start = &*state->warm_start;
    }
  }
  RiskDraws draws;
  draws.state_ = std::move(state);
  return draws;
}

Result<std::string> RiskDraws::SetupText() const {
  const State& st = *state_;
  if (!st.warm_start) return std::string(kColdSetup);
  auto built = WarmStartModel(*st.scenario, *st.baseline, st.replan_options.plan);
  if (!built) return std::unexpected(built.error());
  const plan::LpBasis basis = st.warm_start->For(*built);
  std::string text;
  text.reserve(basis.columns.size() + basis.rows.size() + 1);
  for (const plan::BasisStatus b : basis.columns)
    text.push_back(static_cast<char>('0' + static_cast<int>(b)));
  text.push_back('/');
  for (const plan::BasisStatus b : basis.rows) text.push_back(static_cast<char>('0' + static_cast<int>(b)));
  return text;
}

double ExpectedDrawCost(const model::Scenario& scenario, const std::vector<model::Event>& events) {
  if (events.empty()) return 0;
  double cost = 1;
  for (const model::Event& e : events) {
    if (e.kind != model::EventKind::kOutage) continue;
    const int days = model::DaysFromCivil(e.to) - model::DaysFromCivil(e.from) + 1;
    cost += 1000 + static_cast<double>(days) * static_cast<double>(model::AffectedLines(scenario, e).size());
  }
  return cost;
}

std::vector<int> RiskDrawOrder(const model::Scenario& scenario, uint64_t seed, int samples) {
  std::vector<std::pair<double, int>> costs;
  costs.reserve(static_cast<size_t>(std::max(0, samples)));
  for (int i = 0; i < samples; ++i)
    costs.emplace_back(ExpectedDrawCost(scenario, DrawEvents(scenario, seed, i)), i);
  std::stable_sort(costs.begin(), costs.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<int> order;
  order.reserve(costs.size());
  for (const auto& [cost, i] : costs) order.push_back(i);
  return order;
}

double RiskDraws::baseline_contribution_gbp() const { return state_->baseline_contribution_gbp; }

RiskSample RiskDraws::Solve(int i) const {
  const State& st = *state_;
  RiskSample sample;
  sample.index = i;
  sample.events = DrawEvents(*st.scenario, st.seed, i);
  if (sample.events.empty()) {
    sample.contribution_gbp = sample.disrupted_contribution_gbp = st.baseline_contribution_gbp;
    sample.objective_gbp = st.baseline->objective_gbp;
    sample.company_contribution_gbp = st.baseline_company_gbp;
    return sample;
  }
  auto r = Replan(*st.scenario, *st.baseline, sample.events, st.replan_options);
  if (!r) {
    sample.error = r.error().message;
    return sample;
  }
  const plan::SolveStats& stats = r->recovered.stats;
  sample.solve_seconds = stats.build_seconds + stats.solve_seconds;
  sample.time_limited = sample.solve_seconds >= 0.9 * st.replan_options.plan.solve.time_limit_seconds;
  sample.contribution_gbp = TotalContribution(r->recovered);
  sample.objective_gbp = r->recovered.objective_gbp;
  sample.disrupted_contribution_gbp = TotalContribution(r->disrupted);
  sample.company_contribution_gbp = CompanyContributions(*st.scenario, r->recovered);
  // Sales beyond the baseline do not offset a loss (ReplanReport::won_back_units).
  sample.units_lost = st.baseline_sold - r->report.disrupted_units_sold - r->report.won_back_units;
  sample.disrupted_units_lost = st.baseline_sold - r->report.disrupted_units_sold;
  return sample;
}

Result<RiskResult> Risk(const model::Scenario& scenario, const plan::Plan& baseline,
                        const RiskOptions& options) {
  // The draws are prepared (the warm start solved) only when they are
  // solved in this process or its worker processes; run_elsewhere's
  // processes prepare their own.
  std::optional<RiskDraws> draws;
  if (options.run_elsewhere) {
    if (auto checked = CheckRiskRun(scenario, baseline, options); !checked) {
      return std::unexpected(checked.error());
    }
  } else {
    auto prepared = RiskDraws::Prepare(scenario, baseline, options);
    if (!prepared) return std::unexpected(prepared.error());
    draws = std::move(*prepared);
  }
  RiskResult result;
  result.samples.resize(static_cast<size_t>(options.samples));
  result.baseline_contribution_gbp = TotalContribution(baseline);
  result.baseline_company_gbp = CompanyContributions(scenario, baseline);
  const int workers = scale::WorkerCount(options.workers, options.samples);
  int finished = 0;
  auto store = [&](RiskSample sample) {
    const size_t i = static_cast<size_t>(sample.index);
    // Other processes send numbers only; the draw is redone here.
    if (sample.events.empty()) sample.events = DrawEvents(scenario, options.seed, sample.index);
    result.samples[i] = std::move(sample);
    ++finished;
  };
  // A stop request (options.plan.solve.should_stop) ends the run between
  // samples; the solve of the current sample stops at once too.
  const auto& should_stop = options.plan.solve.should_stop;
  auto stop_requested = [&should_stop] { return should_stop && should_stop(); };
  if (options.run_elsewhere || workers > 1) {
    // Worker processes (or another process's ranks) send each sample as
    // EncodeRiskSample's line; they report progress as they finish.
    Result<std::vector<std::string>> texts;
    if (options.run_elsewhere) {
      texts = options.run_elsewhere(options.samples, RiskDrawOrder(scenario, options.seed, options.samples));
    } else {
      // Fork only while no other thread of this process is inside a CBC
      // solve (the one-solve-per-process rule, plan/cbc_backend.h).
      const plan::CbcSolveLock cbc_lock;
      texts = scale::RunInWorkerProcesses(options.samples,
                                          [&](int i) { return EncodeRiskSample(draws->Solve(i)); },
                                          {.workers = workers,
                                           .order = RiskDrawOrder(scenario, options.seed, options.samples),
                                           .on_progress = options.on_progress,
                                           .should_stop = stop_requested});
    }
    if (!texts) return std::unexpected(texts.error());
    for (int i = 0; i < options.samples; ++i) {
      RiskSample sample;
      std::string_view text = (*texts)[static_cast<size_t>(i)];
      if (text.ends_with('\n')) text.remove_suffix(1);
      if (!DecodeRiskSample(text, sample) || sample.index != i) {
        return Internal(fmt::format("risk: sample {} came back unreadable from another process", i));
      }
      store(std::move(sample));
    }
  } else {
    for (int i = 0; i < options.samples && !stop_requested(); ++i) {
      store(draws->Solve(i));
      if (options.on_progress) options.on_progress(finished, options.samples);
    }
  }
  if (stop_requested()) {
    return Internal(fmt::format("stopped on request after {} of {} samples", finished, options.samples));
  }
  std::vector<double> contribution, disrupted_contribution, lost, disrupted_lost, loss;
  std::vector<std::vector<double>> company_loss(scenario.companies.size());
  for (const auto& sample : result.samples) {
    if (!sample.error.empty()) {
      ++result.failed_samples;
      continue;
    }
    loss.push_back(result.baseline_contribution_gbp - sample.contribution_gbp);
    for (size_t c = 0; c < company_loss.size() && c < sample.company_contribution_gbp.size(); ++c) {
      company_loss[c].push_back(result.baseline_company_gbp[c] - sample.company_contribution_gbp[c]);
    }
    result.samples_with_events += !sample.events.empty();
    result.time_limited_samples += sample.time_limited;
    contribution.push_back(sample.contribution_gbp);
    disrupted_contribution.push_back(sample.disrupted_contribution_gbp);
    lost.push_back(sample.units_lost);
    disrupted_lost.push_back(sample.disrupted_units_lost);
  }
  if (!options.full_recovery) {
    result.approximation =
        "each draw's recovery re-solved with shifts and retooling fixed at the baseline outside the recovery "
        "windows of its outages (each from its first month to replan.recovery_months after its last), so an "
        "LP "
        "where a draw has only demand changes";
  }
  result.contribution_gbp = PercentilesOf(contribution);
  result.disrupted_contribution_gbp = PercentilesOf(disrupted_contribution);
  result.units_lost = PercentilesOf(lost);
  result.disrupted_units_lost = PercentilesOf(disrupted_lost);
  result.loss_gbp = PercentilesOf(loss);
  for (auto& values : company_loss) result.company_loss_gbp.push_back(PercentilesOf(std::move(values)));
  return result;
}

}  // namespace cobuild::replan
