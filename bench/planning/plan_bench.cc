// Network planning benchmark on generated networks of the sizes in
// docs/benchmarks.md ("Network plan"): S, M, L, plus sweeps over one
// dimension at a time. Each run solves once and reports model-building time,
// solve time, final gap, model size and peak memory as counters, and checks
// the plan with the independent checker inside the loop.
//
//   build-bench/bench/planning/plan_bench --benchmark_filter='BM_Plan/M'
//   COBUILD_PLAN_PROGRESS=1 ...   prints progress lines to stderr
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "model/network_generator.h"
#include "plan/plan_checker.h"
#include "plan/planner.h"

namespace cobuild::plan {
namespace {

using model::GenerateNetwork;
using model::GeneratorParams;

struct Size {
  const char* name;
  GeneratorParams params;
  double time_limit_seconds;
  double gap;
};

// Sizes and targets of issue "Network plan".
const Size kSizes[] = {
    {"S", {.plants = 4, .lines = 8, .variants = 30, .markets = 4, .months = 36, .seed = 1}, 10, 1e-4},
    {"M", {.plants = 10, .lines = 20, .variants = 100, .markets = 6, .months = 36, .seed = 1}, 10, 0.01},
    {"L", {.plants = 30, .lines = 60, .variants = 300, .markets = 8, .months = 36, .seed = 1}, 120, 0.02},
};

double PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

void RunPlan(benchmark::State& state, const GeneratorParams& params, double time_limit, double gap) {
  const Result<model::Scenario> scenario = GenerateNetwork(params);
  if (!scenario) {
    state.SkipWithError(scenario.error().message.c_str());
    return;
  }
  PlanRequest request;
  request.options.solve.time_limit_seconds = time_limit;
  request.options.solve.relative_gap = gap;
  if (std::getenv("COBUILD_PLAN_PROGRESS") != nullptr) {
    request.options.solve.on_progress = [](const Progress& p) {
      std::fprintf(stderr, "%-5s %7.2fs incumbent %.6g bound %.6g gap %.3f%%\n", p.phase.c_str(),
                   p.elapsed_seconds, p.incumbent_gbp, p.bound_gbp, 100 * p.gap);
    };
  }
  Plan plan;
  for (auto _ : state) {
    Result<Plan> result = SolvePlan(*scenario, request);
    if (!result || !result->HasSolution()) {
      state.SkipWithError(result ? "no plan within the time limit" : result.error().message.c_str());
      return;
    }
    const CheckReport check = CheckPlan(*scenario, *result, request);
    if (!check.ok()) {
      state.SkipWithError(("checker: " + check.violations.front()).c_str());
      return;
    }
    plan = std::move(*result);
  }
  state.counters["build_s"] = plan.stats.build_seconds;
  state.counters["solve_s"] = plan.stats.solve_seconds;
  state.counters["gap_pct"] = 100 * plan.gap;
  state.counters["optimal"] = plan.status == SolveStatus::kOptimal ? 1 : 0;
  state.counters["cols"] = plan.stats.columns;
  state.counters["rows"] = plan.stats.rows;
  state.counters["int_cols"] = plan.stats.integer_columns;
  state.counters["nodes"] = static_cast<double>(plan.stats.nodes);
  state.counters["start_gap_pct"] = 100 * RelativeGap(plan.stats.starting_plan_objective_gbp, plan.bound_gbp);
  state.counters["peak_mb"] = PeakRssMb();
  state.counters["lp_bound_gap_pct"] = 100 * RelativeGap(plan.objective_gbp, plan.stats.lp_bound_gbp);
}

void BM_Plan(benchmark::State& state, Size size) {
  RunPlan(state, size.params, size.time_limit_seconds, size.gap);
}

// One dimension at a time around M, to see how time grows with each.
void BM_PlanSweep(benchmark::State& state, int dimension) {
  GeneratorParams params = kSizes[1].params;
  const int value = static_cast<int>(state.range(0));
  switch (dimension) {
    case 0:
      params.plants = value;
      params.lines = 2 * value;
      break;
    case 1:
      params.variants = value;
      break;
    case 2:
      params.markets = value;
      break;
    case 3:
      params.months = value;
      break;
  }
  RunPlan(state, params, 30, 0.01);
}

void Register() {
  for (const Size& size : kSizes) {
    benchmark::RegisterBenchmark((std::string("BM_Plan/") + size.name).c_str(), BM_Plan, size)
        ->Iterations(1)
        ->Unit(benchmark::kSecond)
        ->UseRealTime();
  }
  const char* names[] = {"plants", "variants", "markets", "months"};
  const std::vector<std::vector<int64_t>> values = {{5, 10, 20}, {50, 100, 200}, {3, 6, 12}, {12, 24, 36}};
  for (int d = 0; d < 4; ++d) {
    auto* b =
        benchmark::RegisterBenchmark((std::string("BM_PlanSweep/") + names[d]).c_str(), BM_PlanSweep, d);
    for (int64_t v : values[d]) b->Arg(v);
    b->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();
  }
}

}  // namespace
}  // namespace cobuild::plan

int main(int argc, char** argv) {
  cobuild::plan::Register();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
