#include "io/event_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "io/scenario_reader.h"
#include "io/scenario_writer.h"

namespace cobuild::io {
namespace {

using model::EventKind;
using model::Powertrain;
using ::testing::HasSubstr;

std::string SmallYaml() {
  std::ifstream in("tests/data/scenarios/small.yaml");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// small.yaml with `extra` appended at the top level.
Result<model::Scenario> WithSections(const std::string& extra) {
  return ParseScenario(SmallYaml() + extra, "events.yaml");
}

constexpr const char* kEveryKind = R"(
events:
  - {id: fire, kind: outage, plants: [home], from: 2026-03-02, to: 2026-03-13, source: "test"}
  - {kind: rate-reduction, lines: [overseas-1], output_lost_share: 0.25, from: 2026-04, to: 2026-05}
  - {id: packs, kind: supply-cap, units_per_month: 1500, from: 2026-06, to: 2026-08}
  - {id: duty, kind: tariff-change, origin: CN, market: EU, powertrains: [BEV], rate: 0.45, from: 2026-07}
  - {id: slump, kind: demand-change, brands: [partnerbrand], markets: [UK], factor: 0.8, from: 2026-09-01}
  - {id: more, kind: contract-change, contract: ev-at-home, min_units_per_year: 2000, from: 2026}
replan: {stability_penalty_gbp_per_car: 40, backlog_max_months: 2, backlog_delay_cost_gbp_per_car_month: 150,
         extra_shifts_per_day: 1, weekend_days_per_month: 4, assumption: true, note: "test weights"}
risk:
  outages:
    - {plants: [home], probability_per_year: 0.2, min_weeks: 1, max_weeks: 6}
  demand:
    - {brands: [partnerbrand], min_factor: 0.7, mode_factor: 1.0, max_factor: 1.2}
)";

TEST(EventReaderTest, ReadsEveryEventKindAndTheReplanAndRiskSections) {
  auto s = WithSections(kEveryKind);
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->events.size(), 6u);
  const auto& outage = s->events[0];
  EXPECT_EQ(outage.kind, EventKind::kOutage);
  EXPECT_EQ(outage.plants, std::vector<int>{s->FindPlant("home")});
  EXPECT_EQ(outage.from, (model::Date{2026, 3, 2}));
  EXPECT_EQ(outage.to, (model::Date{2026, 3, 13}));
  const auto& rate = s->events[1];
  EXPECT_EQ(rate.id, "event-2");
  EXPECT_EQ(rate.lines, std::vector<int>{s->FindLine("overseas-1")});
  EXPECT_DOUBLE_EQ(rate.output_lost_share, 0.25);
  EXPECT_EQ(rate.from, (model::Date{2026, 4, 1}));
  EXPECT_EQ(rate.to, (model::Date{2026, 5, 31}));
  const auto& cap = s->events[2];
  EXPECT_EQ(cap.powertrains,
            (std::vector<Powertrain>{Powertrain::kPhev, Powertrain::kBev, Powertrain::kErev}));
  EXPECT_DOUBLE_EQ(cap.units_per_month, 1500);
  const auto& duty = s->events[3];
  EXPECT_EQ(duty.origin_country, "CN");
  EXPECT_EQ(duty.market, s->FindMarket("EU"));
  EXPECT_DOUBLE_EQ(duty.tariff_rate, 0.45);
  EXPECT_EQ(duty.to, (model::Date{2026, 12, 31}));
  const auto& slump = s->events[4];
  EXPECT_EQ(slump.brands, std::vector<int>{s->FindBrand("partnerbrand")});
  EXPECT_DOUBLE_EQ(slump.demand_factor, 0.8);
  EXPECT_EQ(slump.to, (model::Date{2026, 12, 31}));
  const auto& more = s->events[5];
  EXPECT_EQ(more.contract, 0);
  EXPECT_DOUBLE_EQ(more.min_units_per_year, 2000);
  EXPECT_DOUBLE_EQ(more.max_units_per_year, -1);
  EXPECT_DOUBLE_EQ(s->replan.stability_penalty_gbp_per_car, 40);
  EXPECT_EQ(s->replan.backlog_max_months, 2);
  EXPECT_EQ(s->replan.weekend_days_per_month, 4);
  ASSERT_EQ(s->risk.outages.size(), 1u);
  EXPECT_DOUBLE_EQ(s->risk.outages[0].max_weeks, 6);
  ASSERT_EQ(s->risk.demand.size(), 1u);
  EXPECT_DOUBLE_EQ(s->risk.demand[0].min_factor, 0.7);
}

TEST(EventReaderTest, WriterOutputWithEventsReadsBackEqual) {
  auto s = WithSections(kEveryKind);
  ASSERT_TRUE(s) << s.error().message;
  const std::string yaml = WriteScenarioYaml(*s);
  auto again = ParseScenario(yaml, "written.yaml");
  ASSERT_TRUE(again) << again.error().message << "\n" << yaml;
  EXPECT_EQ(*again, *s);
}

TEST(EventReaderTest, CommandLineFormReadsLikeTheFileForm) {
  auto s = WithSections(kEveryKind);
  ASSERT_TRUE(s) << s.error().message;
  auto e = ParseEventText("outage plant=home from=2026-03-02 to=2026-03-13 id=fire", *s, "--event 1", "x");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->plants, s->events[0].plants);
  EXPECT_EQ(e->from, s->events[0].from);
  EXPECT_EQ(e->to, s->events[0].to);
  for (const auto& event : s->events) {
    const std::string text = EventToText(*s, event);
    auto back = ParseEventText(text, *s, "--event", "x");
    ASSERT_TRUE(back) << text << ": " << back.error().message;
    EXPECT_EQ(*back, event) << text;
  }
}

TEST(EventReaderTest, UnknownPlantIsAnErrorWithPositionAndSuggestion) {
  auto s = WithSections("events:\n  - {kind: outage, plants: [hom], from: 2026-03-02, to: 2026-03-13}\n");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(s.error().message, HasSubstr("events.yaml:"));
  EXPECT_THAT(s.error().message,
              HasSubstr("events[0].plants[0]: unknown plant \"hom\" (did you mean 'home'?)"));
}

TEST(EventReaderTest, EventOutsideTheHorizonIsAnError) {
  auto s = WithSections("events:\n  - {kind: outage, plants: [home], from: 2026-12-20, to: 2027-01-10}\n");
  ASSERT_FALSE(s);
  EXPECT_THAT(s.error().message,
              HasSubstr("events[0].to: 2027-01-10 is outside the horizon 2026-01-01 to 2026-12-31"));
  auto cli = ParseEventText("outage plants=home from=2025-12-01 to=2026-01-10",
                            *LoadScenario("tests/data/scenarios/small.yaml"), "--event 1", "e");
  ASSERT_FALSE(cli);
  EXPECT_THAT(cli.error().message, HasSubstr("--event 1: from: 2025-12-01 is outside the horizon"));
}

TEST(EventReaderTest, BadDatesSayWhatIsWrongWithThem) {
  auto s = WithSections(R"(events:
  - {kind: outage, plants: [home], from: 2026-02-30, to: 2026-03-13}
  - {kind: outage, plants: [home], from: 2026-3-2, to: 2026-03-13}
  - {kind: outage, plants: [home], from: 2026-03-02, to: 2026-13}
  - {kind: outage, plants: [home], from: 26, to: 2026-03-13}
)");
  ASSERT_FALSE(s);
  EXPECT_THAT(s.error().message,
              HasSubstr("events[0].from: expected a date as YYYY-MM-DD, got \"2026-02-30\" (February 2026 "
                        "has 28 days)"));
  EXPECT_THAT(s.error().message,
              HasSubstr("events[1].from: expected a date as YYYY-MM-DD, got \"2026-3-2\""));
  EXPECT_THAT(s.error().message,
              HasSubstr("events[2].to: expected a month as YYYY-MM, got \"2026-13\" (there is no month 13)"));
  EXPECT_THAT(s.error().message,
              HasSubstr("events[3].from: expected a date as YYYY-MM-DD (or a month YYYY-MM, or a year YYYY), "
                        "got \"26\""));
  // A month or a year stands for its first or last day.
  auto whole = WithSections("events:\n  - {kind: outage, plants: [home], from: 2026, to: 2026-02}\n");
  ASSERT_TRUE(whole) << whole.error().message;
  EXPECT_EQ(whole->events[0].from, (model::Date{2026, 1, 1}));
  EXPECT_EQ(whole->events[0].to, (model::Date{2026, 2, 28}));
}

TEST(EventReaderTest, BadFieldsAreReportedTogether) {
  auto s = WithSections(R"(
events:
  - {kind: outage, from: 2026-03-13, to: 2026-03-02}
  - {kind: rate-reduction, plants: [home], output_lost_share: 1.5, from: 2026-03-02, to: 2026-03-13}
  - {kind: blackout, plants: [home]}
  - {kind: contract-change, contract: ev-at-home, max_units_per_year: 10, min_units_per_year: 20, from: 2026}
  - {kind: supply-cap, units_per_month: 10, form: 2026-03}
)");
  ASSERT_FALSE(s);
  const std::string& m = s.error().message;
  EXPECT_THAT(m, HasSubstr("events[0].to: must not be before `from` (2026-03-13), got 2026-03-02"));
  EXPECT_THAT(m, HasSubstr("events[0]: name the `plants` or `lines` the event stops"));
  EXPECT_THAT(m, HasSubstr("events[1].output_lost_share: must be"));
  EXPECT_THAT(m, HasSubstr("events[2].kind: expected one of outage"));
  EXPECT_THAT(m, HasSubstr("events[3]: the changed contract would allow at most 10 cars a year"));
  EXPECT_THAT(m, HasSubstr("events[4].form: unknown key"));
}

TEST(EventReaderTest, ConflictingTariffChangesAreAnError) {
  auto s = WithSections(R"(
events:
  - {id: a, kind: tariff-change, origin: CN, market: EU, rate: 0.2, from: 2026-03}
  - {id: b, kind: tariff-change, origin: CN, market: EU, powertrains: [BEV], rate: 0.4, from: 2026-06}
)");
  ASSERT_FALSE(s);
  EXPECT_THAT(s.error().message, HasSubstr("events[1]: tariff changes \"a\" and \"b\" both set the rate"));
}

TEST(EventReaderTest, OverlappingOutagesAreAccepted) {
  auto s = WithSections(R"(
events:
  - {kind: outage, plants: [home], from: 2026-03-02, to: 2026-03-20}
  - {kind: outage, lines: [home-1], from: 2026-03-09, to: 2026-03-27}
)");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->events.size(), 2u);
}

TEST(EventReaderTest, CommandLineRejectsMalformedText) {
  auto s = LoadScenario("tests/data/scenarios/small.yaml");
  ASSERT_TRUE(s);
  EXPECT_THAT(ParseEventText("", *s, "--event 1", "e").error().message, HasSubstr("empty event"));
  EXPECT_THAT(ParseEventText("outage plants", *s, "--event 1", "e").error().message,
              HasSubstr("expected key=value, got \"plants\""));
  EXPECT_THAT(ParseEventText("outage plants=home,{x: 1}", *s, "--event 1", "e").error().message,
              HasSubstr("values are letters"));
  EXPECT_THAT(
      ParseEventText("outage plants=home plant=home from=2026-03-02 to=2026-03-03", *s, "--event 1", "e")
          .error()
          .message,
      HasSubstr("plants given twice"));
  EXPECT_THAT(ParseEventText("outage plants=nowhere from=2026-03-02 to=2026-03-03", *s, "--event 2", "e")
                  .error()
                  .message,
              HasSubstr("--event 2: plants[0]: unknown plant \"nowhere\""));
}

}  // namespace
}  // namespace cobuild::io
