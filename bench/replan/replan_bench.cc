// Disruption and risk benchmark on the default scenario (docs/benchmarks.md,
// "Disruption and risk"): replanning its cyber-attack case, and risk
// analyses over its `risk:` distributions. The baseline is solved once (or
// read from COBUILD_BASELINE, a plan file of scenarios/uk-2026.yaml); every
// replan is checked with the independent plan checker inside the loop.
//
//   build-bench/bench/replan/replan_bench --benchmark_filter=BM_ReplanCyberAttack
//   COBUILD_RISK_SAMPLES=1000 build-bench/bench/replan/replan_bench --benchmark_filter=BM_Risk
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include "io/plan_io.h"
#include "io/scenario_reader.h"
#include "plan/plan_checker.h"
#include "plan/planner.h"
#include "replan/replan.h"
#include "replan/risk.h"

namespace cobuild::replan {
namespace {

struct Default {
  model::Scenario scenario;
  plan::Plan baseline;
};

const Default& LoadDefault() {
  static const Default d = [] {
    Default out;
    auto s = io::LoadScenario(std::string(COBUILD_SOURCE_DIR) + "/scenarios/uk-2026.yaml");
    if (!s) {
      std::fprintf(stderr, "%s\n", s.error().message.c_str());
      std::exit(1);
    }
    out.scenario = std::move(*s);
    if (const char* path = std::getenv("COBUILD_BASELINE")) {
      auto p = io::LoadPlan(path, out.scenario);
      if (!p) {
        std::fprintf(stderr, "%s\n", p.error().message.c_str());
        std::exit(1);
      }
      out.baseline = std::move(*p);
    } else {
      plan::PlanRequest request;
      request.options.solve.time_limit_seconds = 60;
      auto p = plan::SolvePlan(out.scenario, request);
      if (!p || !p->HasSolution()) {
        std::fprintf(stderr, "baseline solve failed\n");
        std::exit(1);
      }
      out.baseline = std::move(*p);
    }
    return out;
  }();
  return d;
}

void BM_ReplanCyberAttack(benchmark::State& state) {
  const Default& d = LoadDefault();
  ReplanResult last;
  for (auto _ : state) {
    auto r = Replan(d.scenario, d.baseline, d.scenario.events, {});
    if (!r) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    const plan::CheckReport check =
        plan::CheckPlan(r->disrupted_scenario, r->recovered, r->RecoveryRequest());
    if (!check.ok()) {
      state.SkipWithError(check.violations.front().c_str());
      return;
    }
    last = std::move(*r);
  }
  const ReplanReport& rep = last.report;
  state.counters["units_lost_no_action"] = rep.baseline_units_sold - rep.disrupted_units_sold;
  state.counters["units_lost_recovered"] = rep.baseline_units_sold - rep.recovered_units_sold;
  state.counters["recovery_solve_s"] =
      last.recovered.stats.build_seconds + last.recovered.stats.solve_seconds;
  state.counters["gap"] = last.recovered.gap;
}
BENCHMARK(BM_ReplanCyberAttack)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_Risk(benchmark::State& state) {
  const Default& d = LoadDefault();
  RiskOptions options;
  options.samples = static_cast<int>(state.range(0));
  if (const char* n = std::getenv("COBUILD_RISK_SAMPLES")) options.samples = std::atoi(n);
  options.seed = 1;
  options.workers = 2;
  if (const char* w = std::getenv("COBUILD_RISK_WORKERS")) options.workers = std::atoi(w);
  options.plan.solve.max_nodes = 200;
  options.plan.solve.time_limit_seconds = 600;  // a safety net, as in `cobuild risk`
  // COBUILD_RISK_FULL=1: each recovery as the full MIP (the approximation's yardstick).
  options.full_recovery = std::getenv("COBUILD_RISK_FULL") != nullptr;
  RiskResult last;
  double cpu_seconds = 0;
  for (auto _ : state) {
    const std::clock_t cpu_start = std::clock();
    auto r = Risk(d.scenario, d.baseline, options);
    if (!r) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    // std::clock counts this process only; the workers' CPU comes back
    // through their solve times.
    cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    last = std::move(*r);
  }
  double solve_seconds = 0;
  for (const auto& sample : last.samples) solve_seconds += sample.solve_seconds;
  state.counters["samples"] = options.samples;
  state.counters["with_events"] = last.samples_with_events;
  state.counters["failed"] = last.failed_samples;
  state.counters["time_limited"] = last.time_limited_samples;
  state.counters["solve_s_per_sample"] = solve_seconds / options.samples;
  state.counters["parent_cpu_s"] = cpu_seconds;
  state.counters["lost_p10"] = last.units_lost.p10;
  state.counters["lost_p50"] = last.units_lost.p50;
  state.counters["lost_p90"] = last.units_lost.p90;
  state.counters["contribution_p10"] = last.contribution_gbp.p10;
  state.counters["contribution_p50"] = last.contribution_gbp.p50;
  state.counters["contribution_p90"] = last.contribution_gbp.p90;
  if (const char* path = std::getenv("COBUILD_RISK_SAMPLES_CSV")) {
    if (std::FILE* f = std::fopen(path, "w")) {
      std::fprintf(f, "index,events,contribution_gbp,units_lost,solve_seconds,time_limited,error\n");
      for (const auto& x : last.samples) {
        std::fprintf(f, "%d,%zu,%.2f,%.3f,%.3f,%d,\"%s\"\n", x.index, x.events.size(), x.contribution_gbp,
                     x.units_lost, x.solve_seconds, x.time_limited ? 1 : 0, x.error.c_str());
      }
      std::fclose(f);
    }
  }
}
BENCHMARK(BM_Risk)->Arg(20)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
}  // namespace cobuild::replan

BENCHMARK_MAIN();
