#include "sequence/solver.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "io/csplib_reader.h"
#include "io/roadef_reader.h"
#include "sequence/evaluator.h"
#include "sequence/lower_bound.h"
#include "sequence/test_instances.h"

namespace cobuild::sequence {
namespace {

// Re-scores a solver result from scratch: a permutation, the batch limit
// kept, the reported criteria and score those of the order.
void ExpectRescores(const Instance& inst, const SolveResult& r) {
  ASSERT_TRUE(CheckPermutation(inst, r.order).has_value());
  auto c = Evaluate(inst, r.order);
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->batch_limit_ok);
  EXPECT_EQ(*c, r.criteria);
  EXPECT_EQ(Score(inst, *c), r.score);
  EXPECT_LE(r.score, r.initial_score);
  EXPECT_GE(r.score, ComputeLowerBound(inst).score);
}

SolveParams WorkLimited(int64_t evals, uint64_t seed = 1) {
  SolveParams params;
  params.seed = seed;
  params.max_evals = evals;
  params.time_limit_s = 50;
  return params;
}

TEST(SolverTest, ResultsRescoreFromScratchOnRandomInstances) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const Instance inst = RandomInstance(seed, 10 + static_cast<int>(seed));
    auto r = Solve(inst, InputOrder(inst), WorkLimited(20'000, seed));
    ASSERT_TRUE(r.has_value()) << r.error().message;
    ExpectRescores(inst, *r);
  }
}

// The lexicographic optimum of a 6-car instance, by enumeration.
TEST(SolverTest, FindsTheOptimumOfTheTinyGoldenInstance) {
  auto inst = io::ReadRoadefInstance("tests/data/carseq/tiny_roadef");
  ASSERT_TRUE(inst.has_value());
  std::vector<int> order = InputOrder(*inst);
  int64_t best = Score(*inst, *Evaluate(*inst, order));
  do {
    auto c = Evaluate(*inst, order);
    if (c->batch_limit_ok) best = std::min(best, Score(*inst, *c));
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_EQ(best, 3'000);  // hprc 0, 3 colour changes, lprc 0: the lower bound.
  EXPECT_EQ(ComputeLowerBound(*inst).score, best);
  auto r = Solve(*inst, InputOrder(*inst), WorkLimited(200'000));
  ASSERT_TRUE(r.has_value());
  ExpectRescores(*inst, *r);
  EXPECT_EQ(r->score, best);
}

// A stop request ends a long search at once with a valid best order.
TEST(SolverTest, ShouldStopEndsTheSearchWithItsBestOrder) {
  const Instance inst = RandomInstance(7, 300);
  SolveParams params;
  params.time_limit_s = 60;
  int polls = 0;
  params.should_stop = [&polls] { return ++polls > 3; };
  auto r = Solve(inst, InputOrder(inst), params);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_TRUE(r->stopped);
  EXPECT_LT(r->seconds, 10);
  ExpectRescores(inst, *r);
  auto free_run = Solve(inst, InputOrder(inst), WorkLimited(1'000));
  ASSERT_TRUE(free_run.has_value());
  EXPECT_FALSE(free_run->stopped);
}

TEST(SolverTest, SameSeedAndWorkLimitGiveTheSameOrder) {
  const Instance inst = RandomInstance(3, 40);
  auto a = Solve(inst, InputOrder(inst), WorkLimited(30'000, 9));
  auto b = Solve(inst, InputOrder(inst), WorkLimited(30'000, 9));
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_EQ(a->order, b->order);
  SolveParams threaded = WorkLimited(30'000, 9);
  threaded.threads = 3;
  auto c = Solve(inst, InputOrder(inst), threaded);
  auto d = Solve(inst, InputOrder(inst), threaded);
  ASSERT_TRUE(c.has_value() && d.has_value());
  EXPECT_EQ(c->order, d->order);
  EXPECT_LE(c->score, a->score);  // Thread 0 runs the single-thread search.
  ExpectRescores(inst, *c);
}

// Satisfiable CSPLib instances (CSPLib prob001 results): 0 violations.
TEST(SolverTest, SolvesSatisfiableCsplibInstances) {
  for (const char* name : {"4_72", "60-01"}) {
    auto inst = io::ReadCsplibInstance(std::string("tests/data/carseq/") + name + ".txt");
    ASSERT_TRUE(inst.has_value());
    auto r = Solve(*inst, InputOrder(*inst), WorkLimited(20'000'000));
    ASSERT_TRUE(r.has_value());
    ExpectRescores(*inst, *r);
    EXPECT_EQ(r->score, 0) << name;
  }
}

TEST(SolverTest, InfeasibleCsplibInstanceStaysAboveItsBound) {
  auto inst = io::ReadCsplibInstance("tests/data/carseq/19_71.txt");
  ASSERT_TRUE(inst.has_value());
  auto r = Solve(*inst, InputOrder(*inst), WorkLimited(300'000));
  ASSERT_TRUE(r.has_value());
  ExpectRescores(*inst, *r);
  EXPECT_GT(r->score, 0);
}

TEST(SolverTest, RepairsAStartOrderThatBreaksTheBatchLimit) {
  Instance inst = RandomInstance(5, 30);
  std::vector<int> order = InputOrder(inst);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return inst.cars[a].colour < inst.cars[b].colour; });
  inst.paint_batch_limit = 3;
  ASSERT_FALSE(Evaluate(inst, order)->batch_limit_ok);
  auto repaired = MakeBatchFeasible(inst, order);
  ASSERT_TRUE(repaired.has_value()) << repaired.error().message;
  EXPECT_TRUE(Evaluate(inst, *repaired)->batch_limit_ok);
  auto r = Solve(inst, order, WorkLimited(20'000));
  ASSERT_TRUE(r.has_value());
  ExpectRescores(inst, *r);
}

TEST(SolverTest, ReportsAnImpossibleBatchLimit) {
  Instance inst = RandomInstance(6, 10);
  for (Car& car : inst.cars) car.colour = 1;
  inst.paint_batch_limit = 3;
  auto r = Solve(inst, InputOrder(inst), WorkLimited(1'000));
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("paint batch limit 3"), std::string::npos) << r.error().message;
}

TEST(SolverTest, ImprovesRoadefInstancesAndRescores) {
  const std::vector<Instance> instances =
      SharedRoadefInstances({"Instances_set_A/022_3_4_EP_RAF_ENP", "Instances_set_X/035_CH1_RAF_EP_S50_J4"});
  if (instances.empty()) GTEST_SKIP() << "COBUILD_SHARED_DATA/carseq/roadef2005 not available";
  for (const Instance& inst : instances) {
    auto r = Solve(inst, InputOrder(inst), WorkLimited(400'000));
    ASSERT_TRUE(r.has_value()) << r.error().message;
    ExpectRescores(inst, *r);
    EXPECT_LT(r->score, r->initial_score) << inst.name;
  }
}

}  // namespace
}  // namespace cobuild::sequence
