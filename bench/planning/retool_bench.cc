// The retooling search's bound against its work (docs/planning-model.md,
// Tightening 7): on a scenario's model with the planner's root cuts, the
// search runs in steps of node LPs and prints, after each, the LPs solved,
// the bound, its gap to a reference plan value, the LP value of its best
// point (its best leaf, else its best node) and the seconds taken. The
// LP counts are a work limit, so the bounds repeat exactly run to run; the
// seconds are the machine's.
//
//   build/bench/planning/retool_bench scenarios/uk-2026.yaml 19203.9 1600 50
//
// The reference (GBP m) is a plan's objective, e.g. the best known plan of
// the scenario; the gap shown is (bound - reference) / reference. The last
// argument is the LPs run with RetoolBranching::kFractional before a restart
// from the root and the rest with kPseudoCost, as the planner's first run
// and rest (0: kPseudoCost alone; at least the LP limit: kFractional alone).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "io/scenario_reader.h"
#include "plan/cbc_backend.h"
#include "plan/model_builder.h"
#include "plan/planner.h"
#include "plan/retool_search.h"

namespace cobuild::plan {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

int Run(const std::string& path, double reference_m, int max_lps, int fractional_lps) {
  const Result<model::Scenario> scenario = io::LoadScenario(path);
  if (!scenario) {
    std::fprintf(stderr, "%s\n", scenario.error().message.c_str());
    return 2;
  }
  PlanRequest request;
  const Result<BuiltModel> built = BuildSolvedModel(*scenario, request);
  if (!built) {
    std::fprintf(stderr, "%s\n", built.error().message.c_str());
    return 2;
  }
  const auto start = Clock::now();
  MipSolver solver(built->lp);
  const LpSolution root = solver.SolveRelaxation(600);
  if (root.status != LpStatus::kOptimal) {
    std::fprintf(stderr, "root LP not solved\n");
    return 1;
  }
  // The planner's root cuts, without its time share.
  MipSolver cut_solver(built->lp);
  cut_solver.SetBasis(solver.Basis());
  const CutRounds cut = cut_solver.AddCutRounds(kRetoolCutRounds, 600);
  if (cut.relaxation.status != LpStatus::kOptimal) {
    std::fprintf(stderr, "root cuts failed\n");
    return 1;
  }
  const double reference = reference_m * 1e6;
  auto gap = [&](double bound) { return 100 * (bound - reference) / reference; };
  std::printf("root LP %.1fm (%.3f%%), with %d cuts %.1fm (%.3f%%), %.2f s\n", root.objective / 1e6,
              gap(root.objective), cut.cuts, cut.relaxation.objective / 1e6, gap(cut.relaxation.objective),
              Seconds(start));
  const std::vector<RetoolOption> options = RetoolOptions(*built);
  RetoolSearcher searcher(cut_solver, *built, options, cut.relaxation.objective);
  const auto never = Clock::now() + std::chrono::hours(24);
  const auto search_start = Clock::now();
  std::printf("%8s %12s %8s %12s %8s\n", "lps", "bound_m", "gap_pct", "point_m", "seconds");
  for (int step = 25; !searcher.Finished() && searcher.Result().lps < max_lps; step *= 2) {
    const int lps = searcher.Result().lps;
    const RetoolBranching branching =
        lps < fractional_lps ? RetoolBranching::kFractional : RetoolBranching::kPseudoCost;
    if (lps < fractional_lps) step = std::min(step, fractional_lps);
    if (lps == fractional_lps && lps > 0) searcher.Restart();  // as the planner's rest
    searcher.Run(cut_solver, never, std::min(step, max_lps) - lps, branching);
    const RetoolSearch& result = searcher.Result();
    std::printf("%8d %12.1f %8.3f %12.1f %8.2f%s\n", result.lps, result.bound / 1e6, gap(result.bound),
                result.point.objective / 1e6, Seconds(search_start), result.proven ? " proven" : "");
  }
  return 0;
}

}  // namespace
}  // namespace cobuild::plan

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: retool_bench SCENARIO REFERENCE_GBP_M [MAX_LPS [FRACTIONAL_LPS]]\n");
    return 2;
  }
  const int max_lps = argc > 3 ? std::atoi(argv[3]) : 1600;
  return cobuild::plan::Run(argv[1], std::atof(argv[2]), max_lps, argc > 4 ? std::atoi(argv[4]) : 50);
}
