#include "sequence/instance.h"

#include <gtest/gtest.h>

namespace cobuild::sequence {
namespace {

Instance Valid() {
  Instance inst;
  inst.name = "day";
  inst.ratios = {{.max_cars = 1, .window = 2, .high_priority = true, .name = "H"},
                 {.max_cars = 2, .window = 5, .high_priority = false, .name = "L"}};
  inst.cars = {{.ident = "1", .colour = 1, .options = 0b01}, {.ident = "2", .colour = 2, .options = 0b10}};
  inst.previous_day = {{.ident = "0", .colour = 1, .options = 0b11}};
  inst.paint_batch_limit = 3;
  inst.objective_order = {Criterion::kHighPriorityRatios, Criterion::kColourChanges};
  return inst;
}

void ExpectInvalid(const Instance& inst, const std::string& what) {
  auto ok = ValidateInstance(inst);
  ASSERT_FALSE(ok.has_value()) << what;
  EXPECT_EQ(ok.error().kind, ErrorKind::kInvalidInput);
  EXPECT_NE(ok.error().message.find(what), std::string::npos) << ok.error().message;
  EXPECT_EQ(ok.error().message.rfind("day: ", 0), 0u) << ok.error().message;
}

TEST(InstanceTest, NamesAndWeightsCriteria) {
  EXPECT_EQ(CriterionName(Criterion::kHighPriorityRatios), "hprc");
  EXPECT_EQ(CriterionName(Criterion::kLowPriorityRatios), "lprc");
  EXPECT_EQ(CriterionName(Criterion::kColourChanges), "colour_changes");
  EXPECT_EQ(RankWeight(0), 1'000'000);
  EXPECT_EQ(RankWeight(1), 1'000);
  EXPECT_EQ(RankWeight(2), 1);
}

TEST(InstanceTest, AcceptsAValidInstance) { EXPECT_TRUE(ValidateInstance(Valid()).has_value()); }

TEST(InstanceTest, RejectsBadRatios) {
  Instance inst = Valid();
  inst.ratios[1].window = 0;
  ExpectInvalid(inst, "ratios[1] (L): need N >= 0 and P >= 1, got 2/0");
  inst = Valid();
  inst.ratios[0].max_cars = -1;
  ExpectInvalid(inst, "ratios[0] (H)");
  inst = Valid();
  inst.ratios.resize(kMaxRatios + 1, inst.ratios[0]);
  ExpectInvalid(inst, "65 ratio constraints, at most 64");
}

TEST(InstanceTest, RejectsOptionsWithoutAConstraintAndNegativeColours) {
  Instance inst = Valid();
  inst.cars[1].options = 0b100;
  ExpectInvalid(inst, "cars[1].options");
  inst = Valid();
  inst.previous_day[0].colour = -2;
  ExpectInvalid(inst, "previous_day[0].colour");
  inst = Valid();
  inst.paint_batch_limit = -1;
  ExpectInvalid(inst, "paint_batch_limit");
}

TEST(InstanceTest, RoadefNeedsOneToThreeDistinctRankedCriteria) {
  Instance inst = Valid();
  inst.objective_order.clear();
  ExpectInvalid(inst, "objective_order: needs 1 to 3 criteria");
  inst.objective_order = {Criterion::kColourChanges, Criterion::kColourChanges};
  ExpectInvalid(inst, "colour_changes is ranked twice");
  inst.kind = ProblemKind::kCsplib;  // CSPLib ignores the order
  EXPECT_TRUE(ValidateInstance(inst).has_value());
}

TEST(InstanceTest, SixtyFourConstraintsUseEveryOptionBit) {
  Instance inst = Valid();
  inst.ratios.resize(kMaxRatios, inst.ratios[0]);
  inst.cars[0].options = ~uint64_t{0};
  EXPECT_TRUE(ValidateInstance(inst).has_value());
}

}  // namespace
}  // namespace cobuild::sequence
