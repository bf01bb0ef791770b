#include "sequence/evaluator.h"

#include <gtest/gtest.h>

namespace cobuild::sequence {
namespace {

Car MakeCar(int colour, uint64_t options) {
  return {.date = "D", .seq_rank = 0, .ident = "", .colour = colour, .options = options};
}

// D-1 = [A(1,opt) B(2,-)], D = three cars; one 1/2 high-priority constraint.
Instance TinyRoadef() {
  Instance inst;
  inst.name = "tiny";
  inst.previous_day = {MakeCar(1, 1), MakeCar(2, 0)};
  inst.cars = {MakeCar(2, 1), MakeCar(2, 1), MakeCar(3, 0)};
  inst.ratios = {{.max_cars = 1, .window = 2, .high_priority = true, .name = "H"}};
  inst.paint_batch_limit = 2;
  inst.objective_order = {Criterion::kHighPriorityRatios, Criterion::kColourChanges};
  return inst;
}

TEST(EvaluatorTest, CountsWindowsIntoPreviousDayAndTruncatedEnd) {
  const Instance inst = TinyRoadef();
  // Full sequence: A1* B2 C2* D2* E3 (star = option). Windows of 2 starting
  // at 1..4: [B,C]=1, [C,D]=2 -> 1, [D,E]=1, [E]=0 (truncated). HPRC 1.
  auto c = Evaluate(inst, std::vector<int>{0, 1, 2});
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->hprc, 1);
  EXPECT_EQ(c->lprc, 0);
  // Colours 1 2 | 2 2 3: only 2->3 inside D counts.
  EXPECT_EQ(c->colour_changes, 1);
  EXPECT_EQ(c->longest_batch, 2);
  EXPECT_TRUE(c->batch_limit_ok);
  EXPECT_EQ(Score(inst, *c), 1'000'000 + 1'000);
}

TEST(EvaluatorTest, TruncatedLastWindowKeepsAllowanceN) {
  Instance inst = TinyRoadef();
  inst.previous_day = {MakeCar(1, 0)};
  inst.cars = {MakeCar(1, 0), MakeCar(1, 1), MakeCar(1, 1)};
  inst.ratios[0] = {.max_cars = 1, .window = 3, .high_priority = false, .name = "L"};
  inst.paint_batch_limit = 5;
  // Sequence 0 0 1 1: windows from 0: [0,0,1]=1, [0,1,1]=2->1, [1,1]=2->1, [1]=0.
  auto c = Evaluate(inst, std::vector<int>{0, 1, 2});
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->lprc, 2);
  EXPECT_EQ(c->colour_changes, 0);
}

TEST(EvaluatorTest, ColourChangeAtDayBoundaryCounts) {
  Instance inst = TinyRoadef();
  auto c = Evaluate(inst, std::vector<int>{2, 0, 1});
  ASSERT_TRUE(c.has_value());
  // 1 2 | 3 2 2: 2->3 and 3->2.
  EXPECT_EQ(c->colour_changes, 2);
}

TEST(EvaluatorTest, BatchLimitIsCountedInsideDayDOnly) {
  Instance inst = TinyRoadef();
  inst.paint_batch_limit = 1;
  auto c = Evaluate(inst, std::vector<int>{0, 2, 1});
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->batch_limit_ok);  // D-1's last car is colour 2 too: not counted.
  c = Evaluate(inst, std::vector<int>{0, 1, 2});
  ASSERT_TRUE(c.has_value());
  EXPECT_FALSE(c->batch_limit_ok);
  EXPECT_EQ(c->longest_batch, 2);
}

TEST(EvaluatorTest, CsplibCountsFullWindowsOnly) {
  Instance inst;
  inst.kind = ProblemKind::kCsplib;
  inst.cars = {MakeCar(0, 1), MakeCar(0, 1), MakeCar(0, 0), MakeCar(0, 1), MakeCar(0, 1)};
  inst.ratios = {{.max_cars = 1, .window = 2, .high_priority = true, .name = "o"}};
  // Windows [0,1]=2, [1,2]=1, [2,3]=1, [3,4]=2: excess 2.
  auto c = Evaluate(inst, InputOrder(inst));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->violations(), 2);
  EXPECT_EQ(Score(inst, *c), 2);
}

TEST(EvaluatorTest, RejectsNonPermutations) {
  const Instance inst = TinyRoadef();
  EXPECT_FALSE(Evaluate(inst, std::vector<int>{0, 1}).has_value());
  EXPECT_FALSE(Evaluate(inst, std::vector<int>{0, 1, 1}).has_value());
  EXPECT_FALSE(Evaluate(inst, std::vector<int>{0, 1, 3}).has_value());
}

}  // namespace
}  // namespace cobuild::sequence
