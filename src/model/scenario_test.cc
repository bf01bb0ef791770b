#include "model/scenario.h"

#include <gtest/gtest.h>

namespace cobuild::model {
namespace {

// Two companies, a plant with one line, a brand and model per company.
Scenario Tiny() {
  Scenario s;
  s.horizon = {.first = {2026, 11}, .num_months = 3};
  s.companies = {{.id = "jlr"}, {.id = "chery"}};
  s.brands = {{.id = "jaguar", .company = 0}, {.id = "omoda", .company = 1}};
  s.platforms = {{.id = "emp"}};
  Plant plant{.id = "halewood", .company = 0, .country = "GB"};
  plant.calendar.base_working_days = {20, 15, 21};
  plant.calendar.working_days = {20, 15, 21};
  s.plants = {plant};
  Line line;
  line.id = "halewood-1";
  line.plant = 0;
  line.rate_jph = 30;
  line.hours_per_shift = 8;
  line.availability = 0.9;
  line.max_shifts_per_day = 2;
  s.lines = {line};
  s.models = {{.id = "i-pace", .brand = 0, .platform = 0}, {.id = "omoda-5", .brand = 1, .platform = 0}};
  s.variants = {{.id = "i-pace-bev", .model = 0}, {.id = "omoda-5-ice", .model = 1}};
  return s;
}

TEST(ScenarioTest, FindsByIdOrReturnsMinusOne) {
  const Scenario s = Tiny();
  EXPECT_EQ(s.FindCompany("chery"), 1);
  EXPECT_EQ(s.FindBrand("jaguar"), 0);
  EXPECT_EQ(s.FindPlatform("emp"), 0);
  EXPECT_EQ(s.FindPlant("halewood"), 0);
  EXPECT_EQ(s.FindLine("halewood-1"), 0);
  EXPECT_EQ(s.FindModel("omoda-5"), 1);
  EXPECT_EQ(s.FindVariant("omoda-5-ice"), 1);
  EXPECT_EQ(s.FindVariant("Omoda-5-ice"), -1);  // ids are case-sensitive
  EXPECT_EQ(s.FindPlant("wuhu"), -1);
  EXPECT_EQ(s.FindMarket("uk"), -1);
}

TEST(ScenarioTest, VariantOwnerFollowsModelAndBrand) {
  const Scenario s = Tiny();
  EXPECT_EQ(s.VariantOwner(0), 0);
  EXPECT_EQ(s.VariantOwner(1), 1);
}

TEST(ScenarioTest, MaxLineCarsIsRateHoursAvailabilityShiftsAndDays) {
  const Scenario s = Tiny();
  // 30 jph x 8 h x 0.9 = 216 cars a shift; x 2 shifts x 20 days.
  EXPECT_DOUBLE_EQ(s.lines[0].CarsPerShift(), 216);
  EXPECT_DOUBLE_EQ(s.MaxLineCars(0, 0), 216 * 2 * 20);
  EXPECT_DOUBLE_EQ(s.MaxLineCars(0, 1), 216 * 2 * 15);
  // 2026 holds November and December only; 2027 January.
  EXPECT_DOUBLE_EQ(s.MaxLineCarsInYear(0, 2026), 216 * 2 * 35);
  EXPECT_DOUBLE_EQ(s.MaxLineCarsInYear(0, 2027), 216 * 2 * 21);
  EXPECT_DOUBLE_EQ(s.MaxLineCarsInYear(0, 2028), 0);
}

}  // namespace
}  // namespace cobuild::model
