#include "model/event.h"

#include <gtest/gtest.h>

#include "model/scenario.h"

namespace cobuild::model {
namespace {

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
