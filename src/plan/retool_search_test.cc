#include "plan/retool_search.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <thread>
#include <vector>

#include "plan/planner.h"
#include "plan/test_scenarios.h"

namespace cobuild::plan {
namespace {

using Clock = std::chrono::steady_clock;

// MiniUk's LP relaxation retools Halewood 2 for T1X fractionally.
model::Scenario Retooling() { return testing::MiniUk(); }

struct Fixture {
  BuiltModel built;
  std::vector<RetoolOption> options;
  LpSolution root;
};

Fixture Build(const model::Scenario& scenario) {
  PlanRequest request;
  auto built = BuildPlanModel(scenario, request, {});
  EXPECT_TRUE(built.has_value()) << built.error().message;
  Fixture f{.built = std::move(*built), .options = {}, .root = {}};
  f.options = RetoolOptions(f.built);
  return f;
}

TEST(RetoolSearchTest, OptionsHoldTheirColumnsInMonthOrder) {
  const Fixture f = Build(Retooling());
  ASSERT_FALSE(f.options.empty());
  int columns = 0;
  for (const RetoolOption& o : f.options) {
    ASSERT_GE(o.once_row, 0);
    for (size_t k = 1; k < o.columns.size(); ++k) {
      EXPECT_LT(f.built.columns[o.columns[k - 1]].month, f.built.columns[o.columns[k]].month);
    }
    columns += static_cast<int>(o.columns.size());
  }
  int retool = 0;
  for (const ColumnInfo& c : f.built.columns) retool += c.kind == ColumnKind::kRetool;
  EXPECT_EQ(columns, retool);
}

// Run to the end, the search's bound is the optimum of the model with only
// the retooling columns integral (solved by CBC), which lies between the
// whole MIP's optimum and the LP bound.
TEST(RetoolSearchTest, ASearchRunToTheEndIsTheRetoolingOnlyOptimum) {
  Fixture f = Build(Retooling());
  MipSolver solver(f.built.lp);
  const LpSolution root = solver.SolveRelaxation(60);
  ASSERT_EQ(root.status, LpStatus::kOptimal);
  ASSERT_TRUE(AnyRetoolingFractional(f.options, root.values)) << "the fixture must retool fractionally";
  const RetoolSearch search =
      SearchRetooling(solver, f.built, f.options, root.objective, Clock::now() + std::chrono::seconds(60),
                      std::numeric_limits<int>::max());
  ASSERT_TRUE(search.proven);
  EXPECT_GT(search.lps, 2);
  ASSERT_EQ(search.point.status, LpStatus::kOptimal);
  EXPECT_FALSE(AnyRetoolingFractional(f.options, search.point.values));  // the best leaf
  EXPECT_NEAR(search.point.objective, search.bound, 1e-9 * std::abs(search.bound));

  LinearProgram retooling_only = f.built.lp;
  for (size_t j = 0; j < retooling_only.is_integer.size(); ++j) {
    retooling_only.is_integer[j] = f.built.columns[j].kind == ColumnKind::kRetool ? 1 : 0;
  }
  MipSolver cbc(retooling_only);
  const MipSolution optimum = cbc.SolveMip({.time_limit_seconds = 60, .relative_gap = 1e-9}, {});
  ASSERT_EQ(optimum.status, SolveStatus::kOptimal);
  const double tolerance = 1e-6 * std::abs(optimum.objective);
  EXPECT_NEAR(search.bound, optimum.objective, tolerance);
  EXPECT_LT(search.bound, root.objective - tolerance) << "the search must tighten the LP bound here";

  MipSolver whole(f.built.lp);
  const MipSolution mip = whole.SolveMip({.time_limit_seconds = 60, .relative_gap = 1e-9}, {});
  ASSERT_EQ(mip.status, SolveStatus::kOptimal);
  EXPECT_GE(search.bound, mip.objective - tolerance);

  // The solver's bounds are restored: its relaxation is the root's again.
  EXPECT_NEAR(solver.SolveRelaxation(60).objective, root.objective, tolerance);
}

// Stopped early, at any node count, the bound still holds; with a node
// limit and no deadline the search repeats exactly (each run in a fresh
// solver, as each plan solve has one).
TEST(RetoolSearchTest, AStoppedSearchStillBoundsAndANodeLimitRepeats) {
  const Fixture f = Build(Retooling());
  const auto far = Clock::now() + std::chrono::seconds(60);
  double root_objective = 0;
  auto search = [&](int max_lps, Clock::time_point deadline) {
    MipSolver solver(f.built.lp);
    const LpSolution root = solver.SolveRelaxation(60);
    EXPECT_EQ(root.status, LpStatus::kOptimal);
    root_objective = root.objective;
    return SearchRetooling(solver, f.built, f.options, root.objective, deadline, max_lps);
  };
  const RetoolSearch full = search(1 << 30, far);
  ASSERT_TRUE(full.proven);
  const double tolerance = 1e-6 * std::abs(full.bound);
  double last = root_objective;
  for (int lps = 1; lps <= full.lps; ++lps) {
    const RetoolSearch a = search(lps, far);
    const RetoolSearch b = search(lps, far);
    EXPECT_EQ(a.lps, lps);
    EXPECT_EQ(a.bound, b.bound) << lps;
    EXPECT_EQ(a.point.values, b.point.values) << lps;
    EXPECT_GE(a.bound, full.bound - tolerance) << lps;
    EXPECT_LE(a.bound, last + tolerance) << lps;  // never looser with more nodes
    last = a.bound;
  }
  EXPECT_NEAR(last, full.bound, tolerance);
  // No time: no node solved, and the bound is the root's.
  const RetoolSearch none = search(1 << 30, Clock::now());
  EXPECT_EQ(none.lps, 0);
  EXPECT_FALSE(none.proven);
  EXPECT_EQ(none.bound, root_objective);
}

// A search resumed in pieces (as the planner runs it: a first share, then
// the rest after the primal improvement) solves the same nodes in the same
// order as one run: the same bound, best point and node count; between
// runs the solver is the model's own (its relaxation is the root's).
TEST(RetoolSearchTest, AResumedSearchEndsWhereOneRunEnds) {
  const Fixture f = Build(Retooling());
  const auto far = Clock::now() + std::chrono::seconds(60);
  MipSolver one(f.built.lp);
  const LpSolution root = one.SolveRelaxation(60);
  ASSERT_EQ(root.status, LpStatus::kOptimal);
  const RetoolSearch whole = SearchRetooling(one, f.built, f.options, root.objective, far, 1 << 30);
  ASSERT_TRUE(whole.proven);
  ASSERT_GT(whole.lps, 3);

  MipSolver solver(f.built.lp);
  ASSERT_EQ(solver.SolveRelaxation(60).status, LpStatus::kOptimal);
  RetoolSearcher searcher(solver, f.built, f.options, root.objective);
  EXPECT_FALSE(searcher.Finished());
  EXPECT_EQ(searcher.Result().bound, root.objective);  // nothing run yet: the root's bound
  const double tolerance = 1e-6 * std::abs(root.objective);
  int runs = 0;
  double last = root.objective;
  while (!searcher.Finished()) {
    searcher.Run(solver, far, 2, RetoolBranching::kFractional);
    ++runs;
    EXPECT_LE(searcher.Result().bound, last + tolerance);
    last = searcher.Result().bound;
    EXPECT_NEAR(solver.SolveRelaxation(60).objective, root.objective, tolerance);
    ASSERT_LE(runs, whole.lps) << "each run must solve a node";
  }
  EXPECT_GT(runs, 1);
  const RetoolSearch& resumed = searcher.Result();
  EXPECT_TRUE(resumed.proven);
  EXPECT_EQ(resumed.lps, whole.lps);
  EXPECT_NEAR(resumed.bound, whole.bound, tolerance);
  EXPECT_NEAR(resumed.point.objective, whole.point.objective, tolerance);
  // A finished search runs no more nodes.
  searcher.Run(solver, far, 10, RetoolBranching::kFractional);
  EXPECT_EQ(searcher.Result().lps, whole.lps);
}

// The bound a run publishes as it goes (what the planner reads of a search
// on a thread of its own) starts at the root's value, never rises, and ends
// at the run's result; a run on a thread of its own, beside branch and cut
// in another solver on this one, solves the same nodes as a run here.
TEST(RetoolSearchTest, ARunPublishesItsFallingBoundAndRunsTheSameOnAThreadOfItsOwn) {
  const Fixture f = Build(Retooling());
  const auto far = Clock::now() + std::chrono::seconds(60);
  auto run = [&](std::vector<double>* published) {
    MipSolver solver(f.built.lp);
    const LpSolution root = solver.SolveRelaxation(60);
    EXPECT_EQ(root.status, LpStatus::kOptimal);
    RetoolSearcher searcher(solver, f.built, f.options, root.objective);
    searcher.Run(solver, far, 1 << 30, RetoolBranching::kPseudoCost,
                 [&](double bound) { published->push_back(bound); });
    EXPECT_FALSE(published->empty());
    if (!published->empty()) {
      EXPECT_EQ(published->front(), root.objective);
      EXPECT_EQ(published->back(), searcher.Result().bound);
    }
    for (size_t k = 1; k < published->size(); ++k) EXPECT_LE((*published)[k], (*published)[k - 1]) << k;
    EXPECT_GE(static_cast<int>(published->size()), searcher.Result().lps);
    return searcher.Result();
  };
  std::vector<double> here_bounds;
  const RetoolSearch here = run(&here_bounds);
  ASSERT_TRUE(here.proven);
  EXPECT_LT(here.bound, here_bounds.front());

  std::vector<double> beside_bounds;
  RetoolSearch beside;
  std::thread thread([&] { beside = run(&beside_bounds); });
  MipSolver mip(f.built.lp);
  const MipSolution solved = mip.SolveMip({.time_limit_seconds = 60, .relative_gap = 1e-9}, {});
  thread.join();
  EXPECT_EQ(solved.status, SolveStatus::kOptimal);
  EXPECT_TRUE(beside.proven);
  EXPECT_EQ(beside.lps, here.lps);
  EXPECT_EQ(beside.bound, here.bound);
  EXPECT_EQ(beside.point.values, here.point.values);
  EXPECT_EQ(beside_bounds, here_bounds);
}

// Either branching rule, and a switch from one to the other between runs
// (as the planner's first run and rest), with or without a restart from the
// root between them, proves the same retooling-only optimum: the rule and
// the restart order the nodes, they do not change what is bounded; and a
// restart does not give back the bound already reached.
TEST(RetoolSearchTest, EitherBranchingRuleProvesTheSameOptimum) {
  const Fixture f = Build(Retooling());
  const auto far = Clock::now() + std::chrono::seconds(60);
  MipSolver solver(f.built.lp);
  const LpSolution root = solver.SolveRelaxation(60);
  ASSERT_EQ(root.status, LpStatus::kOptimal);
  const double tolerance = 1e-6 * std::abs(root.objective);
  const RetoolSearch fractional = SearchRetooling(solver, f.built, f.options, root.objective, far, 1 << 30);
  ASSERT_TRUE(fractional.proven);
  for (const int first_lps : {0, 2}) {
    for (const bool restart : {false, true}) {
      SCOPED_TRACE(::testing::Message() << first_lps << " LPs first, restart " << restart);
      RetoolSearcher searcher(solver, f.built, f.options, root.objective);
      searcher.Run(solver, far, first_lps, RetoolBranching::kFractional);
      const double before = searcher.Result().bound;
      if (restart) searcher.Restart();
      searcher.Run(solver, far, 1, RetoolBranching::kPseudoCost);
      EXPECT_LE(searcher.Result().bound, before);
      searcher.Run(solver, far, 1 << 30, RetoolBranching::kPseudoCost);
      ASSERT_TRUE(searcher.Finished());
      const RetoolSearch& mixed = searcher.Result();
      EXPECT_TRUE(mixed.proven);
      EXPECT_NEAR(mixed.bound, fractional.bound, tolerance);
      EXPECT_NEAR(mixed.point.objective, fractional.point.objective, tolerance);
      if (restart && first_lps > 0) {
        EXPECT_GT(mixed.lps, first_lps + 1) << "the root solved again";
      }
    }
  }
}

// Rounds of cuts at the root (MipSolver::AddCutRounds, as the planner adds
// them to the search's LP) keep every integer plan: the LP with them lies
// between the whole MIP's optimum and the LP bound, the optimum's integers
// fixed still give the optimum, and the search over that LP still bounds
// the MIP, no looser than the search without them.
TEST(RetoolSearchTest, CutRoundsKeepTheOptimumAndTheSearchStillBounds) {
  const Fixture f = Build(Retooling());
  const auto far = Clock::now() + std::chrono::seconds(60);
  MipSolver whole(f.built.lp);
  const MipSolution mip = whole.SolveMip({.time_limit_seconds = 60, .relative_gap = 1e-9}, {});
  ASSERT_EQ(mip.status, SolveStatus::kOptimal);

  MipSolver plain(f.built.lp);
  const LpSolution root = plain.SolveRelaxation(60);
  ASSERT_EQ(root.status, LpStatus::kOptimal);
  const RetoolSearch without = SearchRetooling(plain, f.built, f.options, root.objective, far, 1 << 30);
  ASSERT_TRUE(without.proven);

  MipSolver solver(f.built.lp);
  ASSERT_EQ(solver.SolveRelaxation(60).status, LpStatus::kOptimal);
  const CutRounds cut = solver.AddCutRounds(5, 60);
  ASSERT_EQ(cut.relaxation.status, LpStatus::kOptimal);
  EXPECT_GT(cut.rounds, 0);
  EXPECT_GT(cut.cuts, 0);
  EXPECT_EQ(cut.relaxation.row_duals.size(), static_cast<size_t>(f.built.lp.num_rows() + cut.cuts));
  const double tolerance = 1e-6 * std::abs(mip.objective);
  EXPECT_LT(cut.relaxation.objective, root.objective - tolerance) << "the cuts must tighten the LP here";
  EXPECT_GE(cut.relaxation.objective, mip.objective - tolerance);

  const RetoolSearch with =
      SearchRetooling(solver, f.built, f.options, cut.relaxation.objective, far, 1 << 30);
  ASSERT_TRUE(with.proven);
  EXPECT_GE(with.bound, mip.objective - tolerance);
  EXPECT_LE(with.bound, without.bound + tolerance);

  // The optimum's integer decisions, fixed: the LP with the cuts keeps it.
  for (int j = 0; j < f.built.lp.num_cols(); ++j) {
    if (f.built.lp.is_integer[j]) {
      const double v = std::round(mip.values[j]);
      solver.SetColumnBounds(j, v, v);
    }
  }
  const LpSolution fixed = solver.SolveRelaxation(60);
  ASSERT_EQ(fixed.status, LpStatus::kOptimal);
  EXPECT_NEAR(fixed.objective, mip.objective, tolerance);
}

// A copy of the solver with the cuts (what the planner's search beside the
// improvement solves in, MipSolver::Copy) holds the cuts and the basis: its
// relaxation is the original's with no simplex iteration to speak of, and a
// search in it runs as in the original, node for node.
TEST(RetoolSearchTest, ACopyOfTheSolverWithCutsSearchesAsTheOriginal) {
  const Fixture f = Build(Retooling());
  const auto far = Clock::now() + std::chrono::seconds(60);
  MipSolver solver(f.built.lp);
  ASSERT_EQ(solver.SolveRelaxation(60).status, LpStatus::kOptimal);
  const CutRounds cut = solver.AddCutRounds(5, 60);
  ASSERT_EQ(cut.relaxation.status, LpStatus::kOptimal);
  ASSERT_GT(cut.cuts, 0);
  const std::unique_ptr<MipSolver> copy = solver.Copy();
  EXPECT_EQ(copy->Basis().rows, solver.Basis().rows);
  const LpSolution again = copy->SolveRelaxation(60);
  ASSERT_EQ(again.status, LpStatus::kOptimal);
  EXPECT_NEAR(again.objective, cut.relaxation.objective, 1e-9 * std::abs(cut.relaxation.objective));
  EXPECT_EQ(again.row_duals.size(), static_cast<size_t>(f.built.lp.num_rows() + cut.cuts));

  const RetoolSearch in_copy =
      SearchRetooling(*copy, f.built, f.options, cut.relaxation.objective, far, 1 << 30);
  const RetoolSearch in_original =
      SearchRetooling(solver, f.built, f.options, cut.relaxation.objective, far, 1 << 30);
  ASSERT_TRUE(in_original.proven);
  EXPECT_TRUE(in_copy.proven);
  EXPECT_EQ(in_copy.lps, in_original.lps);
  EXPECT_NEAR(in_copy.bound, in_original.bound, 1e-9 * std::abs(in_original.bound));
}

// A round of cuts cut short (here by a stop request) keeps none of its rows,
// and the LP goes back to the last optimum (the root's here) at its basis:
// before, it was left at the aborted re-solve's basis, which the search
// would have started its nodes from.
TEST(RetoolSearchTest, CutRoundsCutShortKeepTheLastOptimum) {
  const Fixture f = Build(Retooling());
  MipSolver solver(f.built.lp);
  const LpSolution root = solver.SolveRelaxation(60);
  ASSERT_EQ(root.status, LpStatus::kOptimal);
  const LpBasis basis = solver.Basis();
  bool stop = false;
  solver.SetStopCheck([&stop] { return stop; });
  stop = true;
  const CutRounds cut = solver.AddCutRounds(5, 60);
  EXPECT_EQ(cut.rounds, 0);
  EXPECT_EQ(cut.cuts, 0);
  ASSERT_EQ(cut.relaxation.status, LpStatus::kOptimal)
      << "the root's basis is optimal: its re-solve needs no iteration";
  EXPECT_NEAR(cut.relaxation.objective, root.objective, 1e-9 * std::abs(root.objective));
  const LpBasis after = solver.Basis();
  EXPECT_EQ(after.rows.size(), basis.rows.size()) << "the cut-short round's rows are gone";
  EXPECT_EQ(after.columns, basis.columns);
  EXPECT_EQ(after.rows, basis.rows);
}

// The months' local search from a leaf moved away from the retooling-only
// optimum's month climbs back: it gains, keeps every option whole, never
// passes the retooling-only optimum, stops at its work limit and restores
// the solver; from the optimum's own leaf it finds no move.
TEST(RetoolSearchTest, AClimbFromAWorseMonthGainsAndStopsAtTheBest) {
  const Fixture f = Build(Retooling());
  const auto far = Clock::now() + std::chrono::seconds(60);
  MipSolver solver(f.built.lp);
  const LpSolution root = solver.SolveRelaxation(60);
  ASSERT_EQ(root.status, LpStatus::kOptimal);
  const RetoolSearch search = SearchRetooling(solver, f.built, f.options, root.objective, far, 1 << 30);
  ASSERT_TRUE(search.proven);
  const double tolerance = 1e-6 * std::abs(search.bound);

  // The best leaf's retooled option, moved to its last month.
  size_t moved = f.options.size();
  std::vector<double> fixed(f.built.lp.num_cols(), -1);
  for (size_t i = 0; i < f.options.size(); ++i) {
    const std::vector<int>& columns = f.options[i].columns;
    bool retooled = false;
    for (int j : columns) retooled = retooled || search.point.values[j] > 0.5;
    for (int j : columns) fixed[j] = search.point.values[j] > 0.5 ? 1 : 0;
    if (retooled && moved == f.options.size() && search.point.values[columns.back()] < 0.5) {
      moved = i;
      for (int j : columns) fixed[j] = 0;
      fixed[columns.back()] = 1;
    }
  }
  ASSERT_LT(moved, f.options.size()) << "the fixture's best leaf must retool before its last month";
  for (int j = 0; j < f.built.lp.num_cols(); ++j) {
    if (fixed[j] >= 0) solver.SetColumnBounds(j, fixed[j], fixed[j]);
  }
  const LpSolution worse = solver.SolveRelaxation(60);
  ASSERT_EQ(worse.status, LpStatus::kOptimal);
  for (int j = 0; j < f.built.lp.num_cols(); ++j) {
    solver.SetColumnBounds(j, f.built.lp.col_lower[j], f.built.lp.col_upper[j]);
  }
  ASSERT_LT(worse.objective, search.bound - tolerance) << "the last month must be worse here";

  const RetoolClimb climb = ClimbRetooling(solver, f.built, f.options, worse, far, 1 << 30);
  EXPECT_GT(climb.moves, 0);
  EXPECT_GT(climb.lps, climb.moves);  // the last move's step back or on was tried and failed
  ASSERT_EQ(climb.point.status, LpStatus::kOptimal);
  EXPECT_GT(climb.point.objective, worse.objective + tolerance);
  EXPECT_LE(climb.point.objective, search.bound + tolerance);
  EXPECT_NEAR(climb.point.objective, search.bound, tolerance) << "MiniUk's months climb to the optimum";
  EXPECT_FALSE(AnyRetoolingFractional(f.options, climb.point.values));
  EXPECT_NEAR(solver.SolveRelaxation(60).objective, root.objective, tolerance);  // restored

  const RetoolClimb one = ClimbRetooling(solver, f.built, f.options, worse, far, 1);
  EXPECT_EQ(one.lps, 1);
  const RetoolClimb at_best = ClimbRetooling(solver, f.built, f.options, search.point, far, 1 << 30);
  EXPECT_EQ(at_best.moves, 0);
  EXPECT_GT(at_best.lps, 0);
  EXPECT_EQ(at_best.point.objective, search.point.objective);
  // No LP point (a search that solved no node): nothing to climb.
  const RetoolClimb none = ClimbRetooling(solver, f.built, f.options, LpSolution{}, far, 1 << 30);
  EXPECT_EQ(none.lps, 0);
  EXPECT_EQ(none.point.status, LpStatus::kError);
}

}  // namespace
}  // namespace cobuild::plan
