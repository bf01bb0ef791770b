#include "plan/economics.h"

#include <gtest/gtest.h>

#include <cmath>

#include "plan/test_scenarios.h"

namespace cobuild::plan {
namespace {

TEST(EconomicsTest, TransitMonthsRoundsDaysUpToMonths) {
  model::Scenario s;
  s.settings.transit_rule = model::TransitRule::kWholeMonths;
  model::Route r;
  for (const auto& [days, months] : {std::pair{0, 0}, {1, 1}, {30, 1}, {31, 2}, {42, 2}, {60, 2}, {61, 3}}) {
    r.transit_days = days;
    EXPECT_EQ(TransitMonths(s, r), months) << days << " days";
  }
}

// Mid-month: the average car of a month leaves on its 15th day and sells in
// the month it arrives, floor((15 + days) / 30) months later.
TEST(EconomicsTest, TransitMonthsMidMonthSellsWhereTheAverageCarArrives) {
  model::Scenario s;
  s.settings.transit_rule = model::TransitRule::kMidMonth;
  model::Route r;
  for (const auto& [days, months] :
       {std::pair{0, 0}, {2, 0}, {7, 0}, {14, 0}, {15, 1}, {35, 1}, {42, 1}, {44, 1}, {45, 2}, {75, 3}}) {
    r.transit_days = days;
    EXPECT_EQ(TransitMonths(s, r), months) << days << " days";
  }
}

// The objective's shift and lever coefficients (docs/planning-model.md,
// "Objective"), on MiniUk's HW-1: GBP 60,000 a shift, 2 shifts at most,
// 20 working days in January.
TEST(EconomicsTest, ShiftAndLeverCoefficients) {
  const model::Scenario s = testing::MiniUk();
  Levers levers;
  levers.extra_shift_premium = 0.5;
  levers.weekend_premium = 1.0;
  levers.backlog.delay_cost_gbp_per_car_month = 150;
  EXPECT_DOUBLE_EQ(ShiftCostPerMonth(s, 0, 0), 60'000.0 * 20);
  EXPECT_DOUBLE_EQ(ShiftCostPerMonth(s, 0, 7), 60'000.0 * 10);  // August shutdown weeks
  EXPECT_DOUBLE_EQ(ExtraShiftCostPerMonth(s, levers, 0, 0), 1.5 * 60'000 * 20);
  EXPECT_DOUBLE_EQ(WeekendDayCost(s, levers, 0), 2.0 * 60'000 * 2);
  EXPECT_DOUBLE_EQ(BacklogCostPerCarMonth(levers), 150);
  EXPECT_DOUBLE_EQ(UnmetPenaltyPerCar(s), s.settings.unmet_penalty_gbp_per_car);
  EXPECT_DOUBLE_EQ(ShortfallPenaltyPerCar(s), s.settings.unmet_penalty_gbp_per_car);
  PlanRequest request;
  request.stability_penalty_gbp_per_car = 25;
  EXPECT_DOUBLE_EQ(StabilityPenaltyPerCar(request), 25);
  // A month's shift entry costs its columns' coefficients times their values.
  const ShiftEntry entry{
      .line = 0, .month = 0, .shifts_per_day = 2, .extra_shifts_per_day = 1, .weekend_days = 3};
  EXPECT_DOUBLE_EQ(ShiftCost(s, levers, entry), 2 * ShiftCostPerMonth(s, 0, 0) +
                                                    ExtraShiftCostPerMonth(s, levers, 0, 0) +
                                                    3 * WeekendDayCost(s, levers, 0));
}

// tests/data/golden/README.md lists these terms.
TEST(EconomicsTest, UnitTermsOfTheGoldenScenario) {
  const model::Scenario s = testing::GoldenOneLine();
  const RouteTable routes(s);
  const int alpha = s.FindPlant("alpha");
  const int uk = s.FindMarket("UK");
  const int eu = s.FindMarket("EU");
  ASSERT_GE(routes.Find(alpha, uk), 0);
  ASSERT_GE(routes.Find(alpha, eu), 0);
  const UnitTerms home = TermsOf(s, s.routes[routes.Find(alpha, uk)], 0, 0);
  EXPECT_DOUBLE_EQ(home.price_gbp, 15'000);
  EXPECT_DOUBLE_EQ(home.variable_cost_gbp, 10'000);
  EXPECT_DOUBLE_EQ(home.freight_gbp, 500);
  EXPECT_DOUBLE_EQ(home.duty_gbp, 0);  // GB lies in the UK market
  EXPECT_DOUBLE_EQ(home.Margin(), 4'500);
  EXPECT_DOUBLE_EQ(DutyRate(s, alpha, 0, eu, 0), 0.10);
  const UnitTerms away = TermsOf(s, s.routes[routes.Find(alpha, eu)], 0, 1);
  EXPECT_DOUBLE_EQ(away.duty_gbp, 1'100);  // 10% of cost plus freight
  EXPECT_DOUBLE_EQ(away.Margin(), 3'900);
}

TEST(EconomicsTest, RouteTableKeepsTheCheapestOfDuplicateRoutes) {
  model::Scenario s = testing::GoldenOneLine();
  model::Route dearer = s.routes[0];
  dearer.freight_cost_per_car_gbp += 100;
  model::Route cheaper = s.routes[0];
  cheaper.freight_cost_per_car_gbp -= 100;
  cheaper.transit_days = 20;
  s.routes.push_back(dearer);
  s.routes.push_back(cheaper);
  const RouteTable routes(s);
  EXPECT_EQ(routes.Find(s.routes[0].plant, s.routes[0].market), 3);
}

TEST(EconomicsTest, ContractsDecideWhoMayBuildAPartnersBrand) {
  const model::Scenario s = testing::MiniUk();
  const int halewood = s.FindPlant("HW");
  ASSERT_GE(halewood, 0);
  ASSERT_FALSE(s.contracts.empty());
  const int year = s.horizon.first.year;
  int own = -1, partner = -1;
  for (size_t v = 0; v < s.variants.size(); ++v) {
    if (s.VariantOwner(static_cast<int>(v)) == s.plants[halewood].company) {
      own = static_cast<int>(v);
    } else {
      partner = static_cast<int>(v);
    }
  }
  ASSERT_GE(own, 0);
  ASSERT_GE(partner, 0);
  // Halewood builds its own brand without a contract and Omoda under HW-OMODA
  // (fee GBP 1,800, 5,000 to 40,000 cars a year); Wuhu may not build JLR's.
  EXPECT_TRUE(MayBuild(s, halewood, own, year));
  EXPECT_DOUBLE_EQ(FeePerCar(s, halewood, own, year), 0);
  EXPECT_FALSE(ContractCovers(s, 0, halewood, own, year));
  EXPECT_TRUE(ContractCovers(s, 0, halewood, partner, year));
  EXPECT_TRUE(MayBuild(s, halewood, partner, year));
  EXPECT_DOUBLE_EQ(FeePerCar(s, halewood, partner, year), 1'800);
  EXPECT_FALSE(MayBuild(s, s.FindPlant("WH"), own, year));
  const YearLimits limits = ContractLimits(s, 0, year);
  EXPECT_TRUE(limits.covered);
  EXPECT_DOUBLE_EQ(limits.min_units, 5'000);  // the whole year is in the horizon
  EXPECT_DOUBLE_EQ(limits.max_units, 40'000);
  EXPECT_FALSE(ContractLimits(s, 0, year + 50).covered);
}

}  // namespace
}  // namespace cobuild::plan
