#include "sequence/lower_bound.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "sequence/evaluator.h"
#include "sequence/solver.h"
#include "sequence/test_instances.h"

namespace cobuild::sequence {
namespace {

Car MakeCar(int colour, uint64_t options) {
  return {.date = "D", .seq_rank = 0, .ident = "", .colour = colour, .options = options};
}

// The best value of each criterion over every permutation (colour changes
// over the orders that keep the paint batch limit).
Criteria BestOverAllOrders(const Instance& inst) {
  std::vector<int> order = InputOrder(inst);
  std::sort(order.begin(), order.end());
  Criteria best;
  best.hprc = best.lprc = best.colour_changes = int64_t{1} << 40;
  do {
    auto c = Evaluate(inst, order);
    EXPECT_TRUE(c.has_value());
    if (!c) break;
    best.hprc = std::min(best.hprc, c->hprc);
    best.lprc = std::min(best.lprc, c->lprc);
    if (c->batch_limit_ok) best.colour_changes = std::min(best.colour_changes, c->colour_changes);
  } while (std::next_permutation(order.begin(), order.end()));
  return best;
}

TEST(LowerBoundTest, BoundsHoldOnEveryPermutationOfASmallInstance) {
  Instance inst;
  inst.previous_day = {MakeCar(1, 1), MakeCar(2, 3)};
  inst.cars = {MakeCar(1, 1), MakeCar(2, 3), MakeCar(2, 2), MakeCar(1, 1),
               MakeCar(3, 0), MakeCar(2, 1), MakeCar(1, 3)};
  inst.ratios = {{.max_cars = 1, .window = 3, .high_priority = true, .name = "H"},
                 {.max_cars = 1, .window = 2, .high_priority = false, .name = "L"}};
  inst.paint_batch_limit = 2;
  inst.objective_order = {Criterion::kHighPriorityRatios, Criterion::kLowPriorityRatios,
                          Criterion::kColourChanges};
  const LowerBound lb = ComputeLowerBound(inst);
  std::vector<int> order = InputOrder(inst);
  Criteria best;
  best.hprc = best.lprc = best.colour_changes = 1 << 20;
  do {
    auto c = Evaluate(inst, order);
    ASSERT_TRUE(c.has_value());
    best.hprc = std::min(best.hprc, c->hprc);
    best.lprc = std::min(best.lprc, c->lprc);
    if (c->batch_limit_ok) best.colour_changes = std::min(best.colour_changes, c->colour_changes);
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_LE(lb.criteria.hprc, best.hprc);
  EXPECT_LE(lb.criteria.lprc, best.lprc);
  EXPECT_LE(lb.criteria.colour_changes, best.colour_changes);
  EXPECT_GT(lb.criteria.hprc + lb.criteria.lprc, 0);  // The bound is not trivial here.
}

TEST(LowerBoundTest, CsplibBoundIsExactOnAnOverfullInstance) {
  Instance inst;
  inst.kind = ProblemKind::kCsplib;
  for (int i = 0; i < 6; ++i) inst.cars.push_back(MakeCar(0, i < 4 ? 1 : 0));
  inst.ratios = {{.max_cars = 1, .window = 2, .high_priority = true, .name = "o"}};
  std::vector<int> order = InputOrder(inst);
  int64_t best = 1 << 20;
  do {
    best = std::min(best, Evaluate(inst, order)->violations());
  } while (std::next_permutation(order.begin(), order.end()));
  const int64_t lb = ComputeLowerBound(inst).criteria.hprc;
  EXPECT_LE(lb, best);
  EXPECT_EQ(lb, 1);  // 1 0 1 0 1 1 is best: one window over.
  EXPECT_EQ(best, 1);
}

TEST(LowerBoundTest, NeverExceedsTheOptimumOnRandomSmallInstances) {
  int nontrivial = 0;
  for (uint64_t seed = 1; seed <= 25; ++seed) {
    const Instance inst = RandomInstance(seed, 7);
    const LowerBound lb = ComputeLowerBound(inst);
    const Criteria best = BestOverAllOrders(inst);
    EXPECT_LE(lb.criteria.hprc, best.hprc) << inst.name;
    EXPECT_LE(lb.criteria.lprc, best.lprc) << inst.name;
    EXPECT_LE(lb.criteria.colour_changes, best.colour_changes) << inst.name;
    EXPECT_EQ(lb.score, Score(inst, lb.criteria)) << inst.name;
    nontrivial += lb.criteria.hprc + lb.criteria.lprc + lb.criteria.colour_changes > 0;
  }
  EXPECT_GT(nontrivial, 10);  // the bounds are not all zero
}

TEST(LowerBoundTest, ColourBoundCountsBatchesAndTheFreeFirstBatch) {
  Instance inst;
  inst.paint_batch_limit = 2;
  inst.objective_order = {Criterion::kColourChanges};
  // Colour 1: 5 cars (3 batches of at most 2), colour 2: 1 car (1 batch).
  for (int i = 0; i < 5; ++i) inst.cars.push_back(MakeCar(1, 0));
  inst.cars.push_back(MakeCar(2, 0));
  EXPECT_EQ(ColourChangeLowerBound(inst), 3);  // no D-1: the first batch is free
  inst.previous_day = {MakeCar(2, 0)};
  EXPECT_EQ(ColourChangeLowerBound(inst), 3);  // continues D-1's colour 2
  inst.previous_day = {MakeCar(7, 0)};
  EXPECT_EQ(ColourChangeLowerBound(inst), 4);  // every batch is a change
  inst.kind = ProblemKind::kCsplib;
  EXPECT_EQ(ColourChangeLowerBound(inst), 0);
}

TEST(LowerBoundTest, RatioBoundCountsExcessFixedInThePreviousDay) {
  Instance inst;
  inst.objective_order = {Criterion::kHighPriorityRatios};
  inst.ratios = {{.max_cars = 1, .window = 3, .high_priority = true, .name = "H"}};
  // D-1 ends with two option cars: the window over them and the first day-D
  // car already holds 2 > 1 whatever comes next.
  inst.previous_day = {MakeCar(0, 1), MakeCar(0, 1)};
  inst.cars = {MakeCar(0, 0), MakeCar(0, 0), MakeCar(0, 0)};
  EXPECT_EQ(RatioLowerBound(inst, 0), BestOverAllOrders(inst).hprc);
  EXPECT_EQ(RatioLowerBound(inst, 0), 1);
}

TEST(LowerBoundTest, Rank1OptimalComparesTheFirstRankedCriterion) {
  Instance inst;
  inst.objective_order = {Criterion::kColourChanges, Criterion::kHighPriorityRatios};
  LowerBound lb;
  lb.criteria = {.hprc = 2, .lprc = 0, .colour_changes = 5};
  EXPECT_TRUE(Rank1Optimal(inst, {.hprc = 9, .lprc = 3, .colour_changes = 5}, lb));
  EXPECT_FALSE(Rank1Optimal(inst, {.hprc = 2, .lprc = 0, .colour_changes = 6}, lb));
  inst.kind = ProblemKind::kCsplib;  // the total excess
  EXPECT_TRUE(Rank1Optimal(inst, {.hprc = 1, .lprc = 1, .colour_changes = 40}, lb));
  EXPECT_FALSE(Rank1Optimal(inst, {.hprc = 3, .lprc = 0, .colour_changes = 5}, lb));
}

TEST(LowerBoundTest, GapIsRelativeToTheScore) {
  EXPECT_DOUBLE_EQ(Gap(200, 150), 0.25);
  EXPECT_DOUBLE_EQ(Gap(150, 150), 0);
  EXPECT_DOUBLE_EQ(Gap(0, 0), 0);
}

TEST(LowerBoundTest, TheSolverReturnsTheInstancesBound) {
  const Instance inst = RandomInstance(4, 30);
  auto solved = Solve(inst, InputOrder(inst), {.max_evals = 20'000, .time_limit_s = 0});
  ASSERT_TRUE(solved.has_value()) << solved.error().message;
  const LowerBound lb = ComputeLowerBound(inst);
  EXPECT_EQ(solved->bound.criteria, lb.criteria);
  EXPECT_EQ(solved->bound.score, lb.score);
  EXPECT_LE(solved->bound.score, solved->score);
}

}  // namespace
}  // namespace cobuild::sequence
