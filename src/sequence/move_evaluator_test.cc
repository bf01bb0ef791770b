#include "sequence/move_evaluator.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "model/random.h"
#include "sequence/evaluator.h"
#include "sequence/lower_bound.h"
#include "sequence/solver.h"
#include "sequence/test_instances.h"

namespace cobuild::sequence {
namespace {

Move RandomMove(model::Random& rng, int n) {
  Move move{.kind = static_cast<MoveKind>(rng.UniformInt(0, 2)),
            .i = rng.UniformInt(0, n - 1),
            .j = rng.UniformInt(0, n - 1)};
  if (rng.Bernoulli(0.5)) {  // Half of the moves local, where windows overlap.
    const int span = rng.UniformInt(1, 12);
    move.j = std::clamp(move.i + (rng.Bernoulli(0.5) ? span : -span), 0, n - 1);
  }
  return move;
}

// Applies `num_moves` random moves that keep the paint batch limit, and
// checks every delta, decision and resulting state against Evaluate().
void CrossCheck(const Instance& inst, int num_moves, uint64_t seed, std::vector<int> order) {
  auto before = Evaluate(inst, order);
  ASSERT_TRUE(before.has_value());
  ASSERT_TRUE(before->batch_limit_ok) << inst.name;
  MoveEvaluator ev(inst, order);
  ASSERT_EQ(ev.criteria(), *before) << inst.name;
  // Decide's shortcuts for criteria at their bound must not change decisions.
  ev.SetLowerBounds(ComputeLowerBound(inst).criteria);
  model::Random rng(seed);
  const int n = static_cast<int>(inst.cars.size());
  int applied = 0;
  for (int t = 0; t < num_moves; ++t) {
    const Move move = RandomMove(rng, n);
    const MoveDelta delta = ev.Evaluate(move);
    // The same move done by hand on a copy of the order, scored from scratch.
    std::vector<int> next = order;
    const int lo = std::min(move.i, move.j), hi = std::max(move.i, move.j);
    if (move.kind == MoveKind::kSwap) {
      std::swap(next[move.i], next[move.j]);
    } else if (move.kind == MoveKind::kReverse) {
      std::reverse(next.begin() + lo, next.begin() + hi + 1);
    } else {
      const int car = next[move.i];
      next.erase(next.begin() + move.i);
      next.insert(next.begin() + move.j, car);
    }
    auto after = Evaluate(inst, next);
    ASSERT_TRUE(after.has_value());
    ASSERT_EQ(delta.by_group[kGroupHprc], after->hprc - before->hprc) << inst.name << " move " << t;
    ASSERT_EQ(delta.by_group[kGroupLprc], after->lprc - before->lprc) << inst.name << " move " << t;
    ASSERT_EQ(delta.by_group[kGroupColour], after->colour_changes - before->colour_changes)
        << inst.name << " move " << t;
    ASSERT_EQ(delta.feasible, after->batch_limit_ok) << inst.name << " move " << t;
    const int decision = ev.Decide(move, 3);
    ASSERT_EQ(decision, ev.LexCompare(delta)) << inst.name << " move " << t;
    // Rank 1 alone (the solver's first phase and its perturbation).
    const int64_t rank1 =
        delta.by_group[inst.kind == ProblemKind::kCsplib                           ? kGroupHprc
                       : inst.objective_order[0] == Criterion::kHighPriorityRatios ? kGroupHprc
                       : inst.objective_order[0] == Criterion::kLowPriorityRatios  ? kGroupLprc
                                                                                   : kGroupColour];
    const int decision1 = !delta.feasible ? 1 : rank1 < 0 ? -1 : rank1 > 0 ? 1 : 0;
    ASSERT_EQ(ev.Decide(move, 1), decision1) << inst.name << " move " << t;
    if (delta.feasible && (decision <= 0 || rng.UniformInt(0, 2) == 0)) {
      ev.Apply(move);
      order = next;
      before = after;
      ++applied;
      ASSERT_EQ(ev.Order(), order);
      ASSERT_EQ(ev.criteria(), *after) << inst.name << " move " << t;
    }
  }
  EXPECT_GT(applied, 0);
}

void CrossCheck(const Instance& inst, int num_moves, uint64_t seed) {
  CrossCheck(inst, num_moves, seed, InputOrder(inst));
}

TEST(MoveEvaluatorTest, MatchesFromScratchOnRandomSmallInstances) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    const Instance inst = RandomInstance(seed, /*num_cars=*/5 + static_cast<int>(seed % 30));
    CrossCheck(inst, 400, seed);
    if (HasFailure()) return;
  }
}

TEST(MoveEvaluatorTest, MatchesFromScratchOnCsplib) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    Instance inst = RandomInstance(seed, 30);
    inst.kind = ProblemKind::kCsplib;
    inst.previous_day.clear();
    inst.paint_batch_limit = 0;
    for (Car& car : inst.cars) car.colour = 0;
    for (RatioConstraint& r : inst.ratios) r.high_priority = true;
    CrossCheck(inst, 400, seed);
    if (HasFailure()) return;
  }
}

TEST(MoveEvaluatorTest, MatchesFromScratchOnRoadefInstances) {
  const std::vector<Instance> instances = SharedRoadefInstances(
      {"Instances_set_A/024_38_3_EP_RAF_ENP", "Instances_set_B/035_ch1_RAF_EP_ENP_S22_J3",
       "Instances_set_X/655_CH2_EP_RAF_ENP_S52_J1_J2_S01_J1", "Instances_set_X/035_CH1_RAF_EP_S50_J4",
       "Instances_set_B/048_ch1_EP_ENP_RAF_S22_J3"});
  if (instances.empty()) GTEST_SKIP() << "COBUILD_SHARED_DATA/carseq/roadef2005 not available";
  for (const Instance& inst : instances) {
    CrossCheck(inst, 1500, 7);
    if (HasFailure()) return;
  }
}

// Near a local optimum most criteria sit at or near their bounds, where
// Decide stops at the first rising constraint: cross-check from orders the
// solver found.
TEST(MoveEvaluatorTest, MatchesFromScratchFromSolvedOrders) {
  const std::vector<Instance> instances =
      SharedRoadefInstances({"Instances_set_X/024_EP_RAF_ENP_S49_J2", "Instances_set_A/024_38_5_EP_ENP_RAF",
                             "Instances_set_B/048_ch1_EP_ENP_RAF_S22_J3"});
  if (instances.empty()) GTEST_SKIP() << "COBUILD_SHARED_DATA/carseq/roadef2005 not available";
  for (const Instance& inst : instances) {
    SolveParams params;
    params.max_evals = 200'000;
    params.time_limit_s = 50;
    auto solved = Solve(inst, InputOrder(inst), params);
    ASSERT_TRUE(solved.has_value()) << solved.error().message;
    CrossCheck(inst, 600, 11, solved->order);
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace cobuild::sequence
