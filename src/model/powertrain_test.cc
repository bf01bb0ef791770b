#include "model/powertrain.h"

#include <gtest/gtest.h>

namespace cobuild::model {
namespace {

TEST(PowertrainTest, NamesRoundTrip) {
  for (Powertrain p : kAllPowertrains) EXPECT_EQ(ParsePowertrain(ToString(p)), p) << ToString(p);
  EXPECT_EQ(ToString(Powertrain::kErev), "EREV");
  EXPECT_EQ(ToString(Powertrain::kPhev), "PHEV");
}

TEST(PowertrainTest, ParsesCaseInsensitivelyAndRejectsUnknownNames) {
  EXPECT_EQ(ParsePowertrain("bev"), Powertrain::kBev);
  EXPECT_EQ(ParsePowertrain("Hev"), Powertrain::kHev);
  EXPECT_EQ(ParsePowertrain("diesel"), std::nullopt);
  EXPECT_EQ(ParsePowertrain(""), std::nullopt);
  EXPECT_EQ(ParsePowertrain("BEV "), std::nullopt);
}

TEST(PowertrainTest, TractionBatteryExcludesIceAndHybrids) {
  EXPECT_FALSE(HasTractionBattery(Powertrain::kIce));
  EXPECT_FALSE(HasTractionBattery(Powertrain::kHev));
  EXPECT_TRUE(HasTractionBattery(Powertrain::kPhev));
  EXPECT_TRUE(HasTractionBattery(Powertrain::kBev));
  EXPECT_TRUE(HasTractionBattery(Powertrain::kErev));
}

}  // namespace
}  // namespace cobuild::model
