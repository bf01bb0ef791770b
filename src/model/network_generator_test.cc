#include "model/network_generator.h"

#include <gtest/gtest.h>

namespace cobuild::model {
namespace {

TEST(NetworkGeneratorTest, SameSeedSameScenario) {
  const GeneratorParams params{
      .plants = 4, .lines = 8, .variants = 30, .markets = 4, .months = 36, .seed = 9};
  EXPECT_EQ(*GenerateNetwork(params), *GenerateNetwork(params));
  GeneratorParams other = params;
  other.seed = 10;
  EXPECT_NE(*GenerateNetwork(params), *GenerateNetwork(other));
}

TEST(NetworkGeneratorTest, HasTheRequestedShape) {
  const auto s =
      GenerateNetwork({.plants = 10, .lines = 20, .variants = 100, .markets = 6, .months = 36, .seed = 1});
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->plants.size(), 10u);
  EXPECT_EQ(s->lines.size(), 20u);
  EXPECT_EQ(s->variants.size(), 100u);
  EXPECT_EQ(s->markets.size(), 6u);
  EXPECT_EQ(s->horizon.num_months, 36);
  for (const auto& line : s->lines) {
    EXPECT_GE(line.platforms.size(), 2u);
    EXPECT_LE(line.platforms.size(), 5u);
  }
  EXPECT_EQ(s->demand.units.size(), 100u * 6 * 36);
}

TEST(NetworkGeneratorTest, RejectsBadParameters) {
  EXPECT_FALSE(GenerateNetwork({.plants = 3, .lines = 2}).has_value());
  EXPECT_FALSE(GenerateNetwork({.months = 0}).has_value());
}

}  // namespace
}  // namespace cobuild::model
