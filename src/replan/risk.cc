#include "replan/risk.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string_view>
#include <thread>

#include "model/random.h"
#include "plan/cbc_backend.h"
#include "replan/replan.h"
#include "scale/heap.h"

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

namespace {

// Runs samples k, k + workers, ... in worker process k and hands each
// finished sample to `store` in the parent. Processes rather than threads:
// CBC's CbcMain0/CbcMain1 keep global state and are not safe to run
// concurrently in one process (coin-or/Cbc issue #332); a separate process
// per worker also makes each sample's result independent of the others
// solved before it in the same process, whatever the worker count.
// When `stop_requested` turns true the workers are killed and the samples
// not delivered yet are left unsolved.
template <typename Run, typename Store, typename Stop>
void RunInWorkerProcesses(int workers, int samples, Run run_sample, Store store, Stop stop_requested) {
  // Fork only while no other thread of this process is inside a CBC solve
  // (the one-solve-per-process rule, plan/cbc_backend.h).
  const plan::CbcSolveLock cbc_lock;
  std::fflush(stdout);
  std::fflush(stderr);
  struct Worker {
    pid_t pid = -1;
    int fd = -1;
    std::string buffer;
  };
  std::vector<Worker> pool;
  for (int k = 0; k < workers; ++k) {
    int fds[2];
    if (pipe(fds) != 0) break;
    const pid_t pid = fork();
    if (pid < 0) {
      close(fds[0]);
      close(fds[1]);
      break;
    }
    if (pid == 0) {
      scale::KeepFreedHeapMemory();
      close(fds[0]);
      for (const auto& w : pool) close(w.fd);
      for (int i = k; i < samples; i += workers) {
        const std::string line = EncodeRiskSample(run_sample(i));
        size_t written = 0;
        while (written < line.size()) {
          const ssize_t n = write(fds[1], line.data() + written, line.size() - written);
          if (n <= 0) _exit(1);
          written += static_cast<size_t>(n);
        }
      }
      close(fds[1]);
      _exit(0);
    }
    close(fds[1]);
    pool.push_back({.pid = pid, .fd = fds[0], .buffer = {}});
  }
  std::vector<bool> done(static_cast<size_t>(samples), false);
  std::vector<pollfd> fds;
  for (const auto& w : pool) fds.push_back({.fd = w.fd, .events = POLLIN, .revents = 0});
  size_t open = pool.size();
  char chunk[4096];
  while (open > 0) {
    if (stop_requested()) {
      for (const auto& w : pool) kill(w.pid, SIGKILL);
      for (const auto& f : fds) {
        if (f.fd >= 0) close(f.fd);
      }
      for (const auto& w : pool) waitpid(w.pid, nullptr, 0);
      return;
    }
    if (poll(fds.data(), fds.size(), 100) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (size_t k = 0; k < fds.size(); ++k) {
      if (fds[k].fd < 0 || fds[k].revents == 0) continue;
      const ssize_t n = read(fds[k].fd, chunk, sizeof chunk);
      if (n <= 0) {
        close(fds[k].fd);
        fds[k].fd = -1;
        --open;
        continue;
      }
      std::string& buffer = pool[k].buffer;
      buffer.append(chunk, static_cast<size_t>(n));
      for (size_t eol = buffer.find('\n'); eol != std::string::npos; eol = buffer.find('\n')) {
        RiskSample sample;
        if (DecodeRiskSample(std::string_view(buffer).substr(0, eol), sample) && sample.index >= 0 &&
            sample.index < samples && !done[static_cast<size_t>(sample.index)]) {
          done[static_cast<size_t>(sample.index)] = true;
          store(std::move(sample));
        }
        buffer.erase(0, eol + 1);
      }
    }
  }
  for (const auto& w : pool) waitpid(w.pid, nullptr, 0);
  // Samples no worker delivered (a worker that could not start or died) are
  // solved here, so the result never depends on the worker count.
  for (int i = 0; i < samples; ++i) {
    if (!done[static_cast<size_t>(i)]) store(run_sample(i));
  }
}

}  // namespace

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

Result<RiskDraws> RiskDraws::Prepare(const model::Scenario& scenario, const plan::Plan& baseline,
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
  // (the LP failed) each draw starts cold, as before.
  if (options.warm_start) {
    if (Result<plan::LpWarmStart> solved = BaselineWarmStart(scenario, baseline, replan_options.plan)) {
      state->warm_start = std::move(*solved);
      replan_options.warm_start = &*state->warm_start;
    }
  }
  RiskDraws draws;
  draws.state_ = std::move(state);
  return draws;
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
  auto draws = RiskDraws::Prepare(scenario, baseline, options);
  if (!draws) return std::unexpected(draws.error());
  RiskResult result;
  result.samples.resize(static_cast<size_t>(options.samples));
  result.baseline_contribution_gbp = draws->baseline_contribution_gbp();
  result.baseline_company_gbp = CompanyContributions(scenario, baseline);
  auto run_sample = [&draws](int i) { return draws->Solve(i); };

  int workers = options.workers > 0 ? options.workers : static_cast<int>(std::thread::hardware_concurrency());
  workers = std::clamp(workers, 1, options.samples);
  int finished = 0;
  auto store = [&](RiskSample sample) {
    const size_t i = static_cast<size_t>(sample.index);
    // Worker processes send numbers only; the draw is redone here.
    if (sample.events.empty()) sample.events = DrawEvents(scenario, options.seed, sample.index);
    result.samples[i] = std::move(sample);
    ++finished;
    // run_elsewhere reports progress as the other processes finish.
    if (options.on_progress && !options.run_elsewhere) options.on_progress(finished, options.samples);
  };
  // A stop request (options.plan.solve.should_stop) ends the run between
  // samples; the solve of the current sample stops at once too.
  const auto& should_stop = options.plan.solve.should_stop;
  auto stop_requested = [&should_stop] { return should_stop && should_stop(); };
  if (options.run_elsewhere) {
    auto texts = options.run_elsewhere(options.samples,
                                       [&run_sample](int i) { return EncodeRiskSample(run_sample(i)); });
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
  } else if (workers == 1) {
    for (int i = 0; i < options.samples && !stop_requested(); ++i) store(run_sample(i));
  } else {
    RunInWorkerProcesses(workers, options.samples, run_sample, store, stop_requested);
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
