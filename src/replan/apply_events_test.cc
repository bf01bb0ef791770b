#include "replan/apply_events.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "io/event_reader.h"
#include "io/scenario_reader.h"

namespace cobuild::replan {
namespace {

using ::testing::HasSubstr;

class ApplyEventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = io::LoadScenario("tests/data/scenarios/small.yaml");
    ASSERT_TRUE(s) << s.error().message;
    scenario_ = std::move(*s);
  }
  model::Event Event(const std::string& text) {
    auto e = io::ParseEventText(text, scenario_, "--event", fmt::format("e{}", ++count_));
    EXPECT_TRUE(e) << e.error().message;
    return e.value_or(model::Event{});
  }
  double Availability(const AppliedEvents& a, const std::string& line, int month) const {
    return a.line_availability[static_cast<size_t>(scenario_.FindLine(line)) * 12 + month];
  }
  model::Scenario scenario_;
  int count_ = 0;
};

// overseas works 22 days every month; 2026-03-02 is a Monday.
TEST_F(ApplyEventsTest, OutageBecomesAvailabilityFromWeekdaysLost) {
  std::vector<model::Event> events = {Event("outage plants=overseas from=2026-03-02 to=2026-03-15")};
  auto a = ApplyEvents(scenario_, events);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_NEAR(Availability(*a, "overseas-1", 2), 12.0 / 22, 1e-12);  // 10 weekdays lost
  EXPECT_EQ(Availability(*a, "overseas-1", 3), 1.0);
  EXPECT_EQ(Availability(*a, "home-1", 2), 1.0);
  EXPECT_EQ(a->first_month, 2);
}

TEST_F(ApplyEventsTest, OverlappingOutagesLoseEachDayOnceAndRateReductionsMultiply) {
  std::vector<model::Event> events = {
      Event("outage plants=overseas from=2026-03-02 to=2026-03-13"),   // 10 weekdays
      Event("outage lines=overseas-1 from=2026-03-09 to=2026-03-20"),  // 5 more
      Event("rate-reduction lines=overseas-1 output_lost_share=0.5 from=2026-03-16 to=2026-03-27"),
      Event("rate-reduction plants=overseas output_lost_share=0.5 from=2026-03-23 to=2026-03-27")};
  auto a = ApplyEvents(scenario_, events);
  ASSERT_TRUE(a) << a.error().message;
  // 15 days stopped; 23-27 March at a quarter of the rate loses 3.75 more.
  EXPECT_NEAR(a->days_lost[static_cast<size_t>(scenario_.FindLine("overseas-1")) * 12 + 2], 18.75, 1e-12);
  EXPECT_NEAR(Availability(*a, "overseas-1", 2), 1 - 18.75 / 22, 1e-12);
}

TEST_F(ApplyEventsTest, OutageSpanningMonthsAndAShutdownNeverGoesBelowZero) {
  // home loses 5 weeks to its October shutdown already; an outage covering
  // all of October and part of November leaves October at zero.
  std::vector<model::Event> events = {Event("outage plants=home from=2026-10-01 to=2026-11-06")};
  auto a = ApplyEvents(scenario_, events);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(Availability(*a, "home-1", 9), scenario_.plants[0].calendar.working_days[9] > 0 ? 0.0 : 1.0);
  const double november = scenario_.plants[0].calendar.working_days[10];
  EXPECT_NEAR(Availability(*a, "home-1", 10), 1 - std::min(november, 5.0) / november, 1e-12);
}

TEST_F(ApplyEventsTest, SupplyCapCoversTheMonthsItTouches) {
  std::vector<model::Event> events = {Event("supply-cap units_per_month=700 from=2026-06-15 to=2026-07-02")};
  auto a = ApplyEvents(scenario_, events);
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_EQ(a->supply_caps.size(), 1u);
  const auto& cap = a->supply_caps[0];
  EXPECT_EQ(cap.units_per_month[5], 700);
  EXPECT_EQ(cap.units_per_month[6], 700);
  EXPECT_GT(cap.units_per_month[4], 1e9);
  EXPECT_EQ(cap.powertrains.size(), 3u);
  plan::PlanRequest request;
  a->AddTo(request);
  EXPECT_EQ(request.supply_caps.size(), 1u);
  EXPECT_EQ(request.line_availability.size(), scenario_.lines.size() * 12);
}

TEST_F(ApplyEventsTest, TariffChangeReplacesTheMatchingRuleAndSplitsBroaderOnes) {
  const int eu = scenario_.FindMarket("EU");
  const int uk = scenario_.FindMarket("UK");
  std::vector<model::Event> events = {
      Event("tariff-change origin=CN market=EU powertrains=BEV rate=0.5 from=2026-07"),
      Event("tariff-change origin=CN market=UK powertrains=BEV rate=0.2 from=2026-07")};
  auto a = ApplyEvents(scenario_, events);
  ASSERT_TRUE(a) << a.error().message;
  // The EU rule holds at 30% to June and at 50% from July (month 6).
  int eu_rules = 0;
  for (const auto& t : a->scenario.tariffs) {
    if (t.market == eu) {
      ++eu_rules;
      EXPECT_DOUBLE_EQ(t.rate, t.first_month == 0 ? 0.3 : 0.5);
      EXPECT_EQ(t.last_month, t.first_month == 0 ? 5 : -1);
      EXPECT_EQ(t.first_month == 0 || t.first_month == 6, true);
    }
  }
  EXPECT_EQ(eu_rules, 2);
  // UK had one general 10% rule: it stays for the other powertrains, and a
  // BEV rule at 20% is added.
  bool general = false, bev = false;
  for (const auto& t : a->scenario.tariffs) {
    if (t.market != uk) continue;
    if (t.powertrains.empty()) general = t.rate == 0.10;
    if (t.powertrains == std::vector<model::Powertrain>{model::Powertrain::kBev}) {
      bev = t.rate == 0.2 && t.first_month == 6;
    }
  }
  EXPECT_TRUE(general);
  EXPECT_TRUE(bev);
}

TEST_F(ApplyEventsTest, DemandChangeScalesProRataAndOverlapsMultiply) {
  const int v = scenario_.FindVariant("suv1-phev");
  const int uk = scenario_.FindMarket("UK");
  std::vector<model::Event> events = {
      Event("demand-change brands=hostbrand markets=UK factor=0.5 from=2026-04-16 to=2026-05-31"),
      Event("demand-change powertrains=PHEV factor=2 from=2026-05-01 to=2026-05-31")};
  auto a = ApplyEvents(scenario_, events);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_NEAR(a->scenario.demand.at(v, uk, 3), scenario_.demand.at(v, uk, 3) * 0.75, 1e-9);  // half of April
  EXPECT_NEAR(a->scenario.demand.at(v, uk, 4), scenario_.demand.at(v, uk, 4) * 1.0, 1e-9);   // 0.5 * 2
  EXPECT_NEAR(a->scenario.demand.at(v, uk, 6), scenario_.demand.at(v, uk, 6), 1e-9);
  const int eu = scenario_.FindMarket("EU");
  EXPECT_NEAR(a->scenario.demand.at(v, eu, 4), scenario_.demand.at(v, eu, 4) * 2, 1e-9);
}

TEST_F(ApplyEventsTest, ContractChangeAtTheStartChangesTheContractInPlace) {
  std::vector<model::Event> events = {
      Event("contract-change contract=ev-at-home min_units_per_year=1000 max_units_per_year=5000 from=2026")};
  auto a = ApplyEvents(scenario_, events);
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_EQ(a->scenario.contracts.size(), 1u);
  EXPECT_EQ(a->scenario.contracts[0].min_units_per_year, 1000);
  EXPECT_EQ(a->scenario.contracts[0].max_units_per_year, 5000);
}

TEST_F(ApplyEventsTest, ContractChangeLaterSplitsTheContract) {
  model::Scenario longer = scenario_;
  longer.horizon.num_months = 24;
  for (auto& plant : longer.plants) {
    plant.calendar.working_days.resize(24, 20.0);
    plant.calendar.base_working_days.resize(24, 20.0);
  }
  longer.demand.Resize(static_cast<int>(longer.variants.size()), static_cast<int>(longer.markets.size()), 24);
  model::Event e;
  e.id = "c";
  e.kind = model::EventKind::kContractChange;
  e.contract = 0;
  e.min_units_per_year = 3000;
  e.from = {2027, 1, 1};
  e.to = {2027, 12, 31};
  std::vector<model::Event> events = {e};
  auto a = ApplyEvents(longer, events);
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_EQ(a->scenario.contracts.size(), 2u);
  EXPECT_EQ(a->scenario.contracts[0].last_year, 2026);
  EXPECT_EQ(a->scenario.contracts[0].min_units_per_year, 0);
  EXPECT_EQ(a->scenario.contracts[1].id, "ev-at-home-from-2027");
  EXPECT_EQ(a->scenario.contracts[1].first_year, 2027);
  EXPECT_EQ(a->scenario.contracts[1].min_units_per_year, 3000);
  EXPECT_EQ(a->scenario.contracts[1].max_units_per_year, 30000);
}

TEST_F(ApplyEventsTest, ConflictingEventsAreInvalidInput) {
  std::vector<model::Event> events = {Event("tariff-change origin=CN market=UK rate=0.2 from=2026-03"),
                                      Event("tariff-change origin=CN market=UK rate=0.3 from=2026-09")};
  auto a = ApplyEvents(scenario_, events);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(a.error().message, HasSubstr("both set the rate"));
}

}  // namespace
}  // namespace cobuild::replan
