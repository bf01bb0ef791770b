#include "model/event.h"

#include <gtest/gtest.h>

#include "model/scenario.h"

namespace cobuild::model {
namespace {

TEST(DateTest, PrintsAndCountsDaysFromTheEpoch) {
  EXPECT_EQ(ToString(Date{2026, 10, 5}), "2026-10-05");
  EXPECT_EQ(DaysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(DaysFromCivil({1969, 12, 31}), -1);
  EXPECT_EQ(DaysFromCivil({2000, 3, 1}), 11017);
  EXPECT_EQ(DaysFromCivil({2026, 11, 8}) - DaysFromCivil({2026, 10, 5}), 34);
  for (int days = -800; days < 40'000; days += 37) {
    EXPECT_EQ(DaysFromCivil(CivilFromDays(days)), days);
  }
  EXPECT_EQ(CivilFromDays(DaysFromCivil({2028, 2, 29})), (Date{2028, 2, 29}));
}

TEST(DateTest, KnowsLeapYearsAndWeekdays) {
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(2026, 2), 28);
  EXPECT_EQ(DaysInMonth(2000, 2), 29);
  EXPECT_EQ(DaysInMonth(2100, 2), 28);
  EXPECT_EQ(DaysInMonth(2026, 4), 30);
  EXPECT_EQ(LastDay({2026, 12}), (Date{2026, 12, 31}));
  EXPECT_EQ(FirstDay({2027, 3}), (Date{2027, 3, 1}));
  EXPECT_EQ(MonthOf({2027, 3, 10}), (YearMonth{2027, 3}));
  EXPECT_TRUE(IsWeekday({2026, 10, 5}));    // a Monday
  EXPECT_TRUE(IsWeekday({2026, 10, 9}));    // a Friday
  EXPECT_FALSE(IsWeekday({2026, 10, 10}));  // a Saturday
  EXPECT_FALSE(IsWeekday({2026, 10, 11}));  // a Sunday
}

TEST(EventKindTest, NamesRoundTripAndAcceptUnderscoresAndCase) {
  for (EventKind kind : kAllEventKinds) EXPECT_EQ(ParseEventKind(ToString(kind)), kind);
  EXPECT_EQ(ParseEventKind("Rate_Reduction"), EventKind::kRateReduction);
  EXPECT_EQ(ParseEventKind("strike"), std::nullopt);
}

Scenario TwoPlants() {
  Scenario s;
  s.plants = {{.id = "halewood"}, {.id = "solihull"}};
  s.lines.resize(3);
  s.lines[0].plant = 0;
  s.lines[1].plant = 1;
  s.lines[2].plant = 0;
  s.markets = {{.id = "uk"}, {.id = "eu"}};
  s.contracts.resize(1);
  s.contracts[0].id = "omoda-at-halewood";
  return s;
}

TEST(AffectedLinesTest, UnitesPlantsAndLinesOnceInIndexOrder) {
  const Scenario s = TwoPlants();
  EXPECT_EQ(AffectedLines(s, Event{.plants = {0}}), (std::vector<int>{0, 2}));
  EXPECT_EQ(AffectedLines(s, Event{.plants = {0}, .lines = {2, 1}}), (std::vector<int>{0, 1, 2}));
  EXPECT_TRUE(AffectedLines(s, Event{}).empty());
}

TEST(FindEventConflictsTest, FlagsTwoRatesForOneRouteAndTwoChangesOfOneContractYear) {
  const Scenario s = TwoPlants();
  const std::vector<Event> events = {
      {.id = "a", .kind = EventKind::kTariffChange, .origin_country = "CN", .market = 0, .tariff_rate = 0.1},
      {.id = "b",
       .kind = EventKind::kTariffChange,
       .powertrains = {Powertrain::kBev},
       .origin_country = "CN",
       .market = 0,
       .tariff_rate = 0.2},
      {.id = "c", .kind = EventKind::kTariffChange, .origin_country = "CN", .market = 1, .tariff_rate = 0.2},
      {.id = "d", .kind = EventKind::kContractChange, .from = {2027, 1, 1}, .contract = 0},
      {.id = "e", .kind = EventKind::kContractChange, .from = {2027, 6, 1}, .contract = 0},
      {.id = "f", .kind = EventKind::kContractChange, .from = {2028, 1, 1}, .contract = 0},
      {.id = "g", .kind = EventKind::kOutage, .plants = {0}},
      {.id = "h", .kind = EventKind::kOutage, .plants = {0}},
  };
  const std::vector<EventConflict> conflicts = FindEventConflicts(s, events);
  ASSERT_EQ(conflicts.size(), 2u);
  EXPECT_EQ(conflicts[0].first, 0);
  EXPECT_EQ(conflicts[0].second, 1);
  EXPECT_NE(conflicts[0].message.find("\"a\" and \"b\""), std::string::npos) << conflicts[0].message;
  EXPECT_EQ(conflicts[1].first, 3);
  EXPECT_EQ(conflicts[1].second, 4);
  EXPECT_NE(conflicts[1].message.find("omoda-at-halewood"), std::string::npos) << conflicts[1].message;
}

TEST(FindEventConflictsTest, TariffsOnDisjointPowertrainsDoNotConflict) {
  const Scenario s = TwoPlants();
  const std::vector<Event> events = {
      {.id = "a",
       .kind = EventKind::kTariffChange,
       .powertrains = {Powertrain::kIce},
       .origin_country = "CN",
       .market = 0},
      {.id = "b",
       .kind = EventKind::kTariffChange,
       .powertrains = {Powertrain::kBev},
       .origin_country = "CN",
       .market = 0},
  };
  EXPECT_TRUE(FindEventConflicts(s, events).empty());
}

}  // namespace
}  // namespace cobuild::model
