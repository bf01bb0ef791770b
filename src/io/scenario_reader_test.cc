#include "io/scenario_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "io/scenario_writer.h"

namespace cobuild::io {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ScenarioReaderTest, ReadsTheSmallScenario) {
  auto s = LoadScenario("tests/data/scenarios/small.yaml");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->name, "small");
  EXPECT_EQ(s->horizon.num_months, 12);
  ASSERT_EQ(s->lines.size(), 2u);
  const model::Line& home = s->lines[0];
  EXPECT_EQ(home.plant, s->FindPlant("home"));
  EXPECT_DOUBLE_EQ(home.CarsPerShift(), 30 * 8 * 0.9);
  ASSERT_EQ(home.retooling.size(), 1u);
  EXPECT_EQ(home.retooling[0].platform, s->FindPlatform("ev"));
  EXPECT_EQ(home.stations[0].max_cars, 2);
  EXPECT_EQ(home.stations[0].window_cars, 5);
  // Defaults: one shift of 8 hours at full availability.
  EXPECT_EQ(s->lines[1].hours_per_shift, 8);
  EXPECT_EQ(s->lines[1].availability, 1.0);
  // Five shutdown weeks from October: 22 days of October and 3 of November.
  const auto& days = s->plants[0].calendar.working_days;
  EXPECT_EQ(days[9], 0);
  EXPECT_EQ(days[10], kDefaultWorkingDays[10] - 3);
  EXPECT_EQ(days[0], kDefaultWorkingDays[0]);
  // Demand: 20,000 a year spread by the profile (weights sum to 13).
  const int v = s->FindVariant("suv1-phev");
  const int uk = s->FindMarket("UK");
  // Whole cars, by the largest remainder: every month within a car of the
  // profile's share and the year exactly 20,000.
  double year = 0;
  for (int t = 0; t < 12; ++t) {
    const double units = s->demand.at(v, uk, t);
    EXPECT_EQ(units, std::floor(units)) << t;
    year += units;
  }
  EXPECT_NEAR(s->demand.at(v, uk, 2), 20000.0 * 2 / 13, 1.0);
  EXPECT_EQ(year, 20000);
  EXPECT_EQ(s->demand.at(s->FindVariant("ev1-bev"), uk, 2), 900);
  EXPECT_EQ(s->variants[static_cast<size_t>(v)].price_gbp[static_cast<size_t>(uk)], 42000);
  EXPECT_EQ(s->settings.unmet_penalty_gbp_per_car, 4000);
  ASSERT_EQ(s->contracts.size(), 1u);
  EXPECT_EQ(s->contracts[0].host, s->FindCompany("host"));
}

TEST(ScenarioReaderTest, WarnsWhereTwoContractsCoverTheSameCars) {
  std::string text = ReadFile("tests/data/scenarios/small.yaml");
  const auto at = text.find("  - id: ev-at-home");
  ASSERT_NE(at, std::string::npos);
  text.insert(at,
              "  - id: ev-deal\n    host: host\n    partner: partner\n    brands: [partnerbrand]\n"
              "    fee_per_car_gbp: 100\n    max_units_per_year: 500\n");
  const ScenarioParse parse = ParseScenarioDetailed(text, "overlap.yaml");
  ASSERT_TRUE(parse.scenario.has_value()) << JoinDiagnostics(parse.diagnostics);
  ASSERT_EQ(parse.warnings.size(), 1u);
  EXPECT_THAT(parse.warnings[0].ToString(), HasSubstr("overlap.yaml:"));
  EXPECT_THAT(parse.warnings[0].message, HasSubstr("overlaps contract \"ev-deal\""));
  EXPECT_THAT(parse.warnings[0].message, HasSubstr("pays both fees"));
  // The small scenario alone has one contract and no warning.
  EXPECT_TRUE(LoadScenarioDetailed("tests/data/scenarios/small.yaml").warnings.empty());
}

// A variant whose battery take rate alone exceeds a high-priority station's
// 2 in 5 can only be built mixed with others: a warning naming the file,
// line, variant and option. A line that can build only such variants can
// build nothing: an error.
TEST(ScenarioReaderTest, StationRatiosAgainstTheVariantsALineCanBuild) {
  const std::string text = ReadFile("tests/data/golden/station-ratio.yaml");
  const ScenarioParse parse = ParseScenarioDetailed(text, "ratio.yaml");
  ASSERT_TRUE(parse.scenario.has_value()) << JoinDiagnostics(parse.diagnostics);
  ASSERT_EQ(parse.warnings.size(), 1u);
  EXPECT_THAT(parse.warnings[0].ToString(), HasSubstr("ratio.yaml:"));
  EXPECT_THAT(parse.warnings[0].ToString(), HasSubstr("lines[0].stations[0]"));
  EXPECT_THAT(parse.warnings[0].message,
              HasSubstr("line alpha-1: variants m1-bev (100%) carry traction_battery above the station's 2 "
                        "in 5 cars (40%)"));

  // `text` with the first `from` replaced by `to`.
  auto replaced = [&](std::string_view from, std::string_view to) {
    std::string out = text;
    const auto at = out.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) out.replace(at, from.size(), to);
    return out;
  };
  const ScenarioParse bad =
      ParseScenarioDetailed(replaced("powertrains: [ICE, BEV]", "powertrains: [BEV]"), "bev-only.yaml");
  EXPECT_FALSE(bad.scenario.has_value());
  EXPECT_THAT(JoinDiagnostics(bad.diagnostics),
              HasSubstr("line alpha-1: expected a variant the line can build within its high-priority "
                        "stations battery (2 in 5 cars with traction_battery), got none"));

  // A low-priority station does not limit the plan: no warning.
  const std::string soft = replaced("high_priority: true", "high_priority: false");
  EXPECT_TRUE(ParseScenarioDetailed(soft, "soft.yaml").warnings.empty());
}

TEST(ScenarioReaderTest, WriterOutputReadsBackEqual) {
  auto s = LoadScenario("tests/data/scenarios/small.yaml");
  ASSERT_TRUE(s) << s.error().message;
  const std::string yaml = WriteScenarioYaml(*s);
  auto again = ParseScenario(yaml, "written.yaml");
  ASSERT_TRUE(again) << again.error().message << "\n" << yaml;
  // Names default to ids on reading, and the writer writes them out, so the
  // two scenarios are equal field by field.
  EXPECT_EQ(*again, *s);
}

// A joint venture's owners and a contract's tooling_paid_by, read and
// written back (docs/scenario-format.md, docs/deal.md).
TEST(ScenarioReaderTest, OwnersAndToolingPaidByReadAndWriteBack) {
  std::string text = ReadFile("tests/data/scenarios/small.yaml");
  const auto companies_end = text.find("brands:");
  ASSERT_NE(companies_end, std::string::npos);
  text.insert(companies_end,
              "  - {id: jv, owners: [{company: host, share: 0.5}, {company: partner, share: 0.5}]}\n");
  const auto fee = text.find("    fee_per_car_gbp: 900\n");
  ASSERT_NE(fee, std::string::npos);
  text.insert(fee, "    tooling_paid_by: partner\n");
  auto s = ParseScenario(text, "jv.yaml");
  ASSERT_TRUE(s) << s.error().message;
  const model::Company& jv = s->companies[static_cast<size_t>(s->FindCompany("jv"))];
  ASSERT_EQ(jv.owners.size(), 2u);
  EXPECT_EQ(jv.owners[0].company, s->FindCompany("host"));
  EXPECT_EQ(jv.owners[1].share, 0.5);
  EXPECT_EQ(s->contracts[0].tooling_partner_share, 1);
  auto again = ParseScenario(WriteScenarioYaml(*s), "written.yaml");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, *s);
  for (const auto& [paid_by, share] : {std::pair{"host", 0.0}, {"0.25", 0.25}}) {
    std::string other = text;
    other.replace(other.find("tooling_paid_by: partner"), 24, std::string("tooling_paid_by: ") + paid_by);
    auto read = ParseScenario(other, "jv.yaml");
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read->contracts[0].tooling_partner_share, share) << paid_by;
  }
}

TEST(ScenarioReaderTest, BadOwnersAndToolingPaidByNameTheField) {
  const std::string base = ReadFile("tests/data/scenarios/small.yaml");
  const auto companies_end = base.find("brands:");
  ASSERT_NE(companies_end, std::string::npos);
  const std::pair<std::string, std::string> cases[] = {
      {"  - {id: jv, owners: [{company: host, share: 0.7}, {company: partner, share: 0.5}]}\n",
       "companies[2].owners: shares add up to 1.2, more than 1"},
      {"  - {id: jv, owners: [{company: jv, share: 0.5}]}\n",
       "companies[2].owners[0].company: a company cannot own itself"},
      {"  - {id: jv, owners: [{company: host, share: 0}]}\n", "companies[2].owners[0].share: must be > 0"},
      {"  - {id: jv, owners: [{company: hots, share: 0.5}]}\n", "companies[2].owners[0].company:"},
      {"  - {id: jv, owners: [{company: host, share: 0.5}]}\n  - {id: jv2, owners: [{company: jv, share: "
       "1}]}\n",
       "owner \"jv\" has owners itself"},
  };
  for (const auto& [insert, message] : cases) {
    std::string text = base;
    text.insert(companies_end, insert);
    auto s = ParseScenario(text, "jv.yaml");
    ASSERT_FALSE(s) << insert;
    EXPECT_THAT(s.error().message, HasSubstr("jv.yaml:")) << insert;
    EXPECT_THAT(s.error().message, HasSubstr(message)) << insert;
  }
  std::string text = base;
  text.insert(text.find("    fee_per_car_gbp: 900\n"), "    tooling_paid_by: everyone\n");
  auto s = ParseScenario(text, "deal.yaml");
  ASSERT_FALSE(s);
  EXPECT_THAT(s.error().message,
              HasSubstr("contracts[0].tooling_paid_by: expected host, partner or the partner's share"));
  text = base;
  text.insert(text.find("    fee_per_car_gbp: 900\n"), "    tooling_paid_by: 1.5\n");
  EXPECT_FALSE(ParseScenario(text, "deal.yaml"));
}

// settings.transit_rule and the initial pipeline (docs/scenario-format.md).
TEST(ScenarioReaderTest, TransitRuleAndPipelineReadAndWriteBack) {
  auto s = LoadScenario("tests/data/golden/transit-days.yaml");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->settings.transit_rule, model::TransitRule::kMidMonth);
  ASSERT_EQ(s->pipeline.size(), 1u);
  EXPECT_EQ(s->pipeline[0],
            (model::PipelineArrival{.variant = 0, .market = s->FindMarket("EU"), .month = 0, .units = 300}));
  auto again = ParseScenario(WriteScenarioYaml(*s), "written.yaml");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, *s);
  // Without the key, transit days round up to whole months.
  auto small = LoadScenario("tests/data/scenarios/small.yaml");
  ASSERT_TRUE(small) << small.error().message;
  EXPECT_EQ(small->settings.transit_rule, model::TransitRule::kWholeMonths);
  EXPECT_TRUE(small->pipeline.empty());
}

// Plant costs, kits, the discount rate and tooling lives
// (docs/scenario-format.md) read and write back.
TEST(ScenarioReaderTest, PlantCostsKitsAndPresentValueReadAndWriteBack) {
  for (const char* file : {"tests/data/costs/kits.yaml", "tests/data/costs/present-value.yaml"}) {
    SCOPED_TRACE(file);
    auto s = LoadScenario(file);
    ASSERT_TRUE(s) << s.error().message;
    auto again = ParseScenario(WriteScenarioYaml(*s), "written.yaml");
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(*again, *s);
  }
  auto kits = LoadScenario("tests/data/costs/kits.yaml");
  ASSERT_TRUE(kits) << kits.error().message;
  ASSERT_EQ(kits->kits.size(), 1u);
  EXPECT_EQ(kits->kits[0], (model::Kit{.variant = kits->FindVariant("car-a"),
                                       .host_plant = kits->FindPlant("host"),
                                       .from_plant = kits->FindPlant("home"),
                                       .kit_cost_gbp = 6000,
                                       .freight_per_kit_gbp = 500,
                                       .assembly_cost_gbp = 4000}));
  const model::Variant& car_b = kits->variants[kits->FindVariant("car-b")];
  ASSERT_EQ(car_b.plant_costs.size(), 1u);
  EXPECT_EQ(car_b.plant_costs[0],
            (model::PlantCost{.plant = kits->FindPlant("host"), .unit_variable_cost_gbp = 11000}));
  EXPECT_EQ(kits->settings.discount_rate_per_year, 0);
  auto pv = LoadScenario("tests/data/costs/present-value.yaml");
  ASSERT_TRUE(pv) << pv.error().message;
  EXPECT_DOUBLE_EQ(pv->settings.discount_rate_per_year, 0.10);
  EXPECT_DOUBLE_EQ(pv->lines[0].retooling[0].tooling_life_years, 2);
}

// Retooling downtime and ramp-up, and a variant's launch
// (docs/scenario-format.md), read and written back.
TEST(ScenarioReaderTest, RampUpAndLaunchReadAndWriteBack) {
  auto s = LoadScenario("tests/data/golden/retooling-ramp.yaml");
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->lines[0].retooling.size(), 1u);
  EXPECT_EQ(s->lines[0].retooling[0].downtime_weeks, 2);
  EXPECT_EQ(s->lines[0].retooling[0].ramp_up, (std::vector<double>{0.25, 0.5}));
  auto launch = LoadScenario("tests/data/golden/launch-ramp.yaml");
  ASSERT_TRUE(launch) << launch.error().message;
  EXPECT_TRUE(launch->variants[0].has_launch);
  EXPECT_EQ(launch->variants[0].launch_month, 1);
  EXPECT_EQ(launch->variants[0].launch_ramp_up, (std::vector<double>{0.25}));
  for (const model::Scenario* scenario : {&*s, &*launch}) {
    auto again = ParseScenario(WriteScenarioYaml(*scenario), "written.yaml");
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(*again, *scenario);
  }
}

// `workforce:` of a plant is its lines' default; a line's own keys win and
// the rest come from the plant (docs/scenario-format.md).
TEST(ScenarioReaderTest, WorkforceRuleInheritsFromThePlantAndWritesBack) {
  auto s = LoadScenario("scenarios/uk-2026.yaml");
  ASSERT_TRUE(s) << s.error().message;
  const model::Line& halewood = s->lines[s->FindLine("halewood-1")];
  ASSERT_TRUE(halewood.shift_changes.has_value());
  EXPECT_EQ(*halewood.shift_changes,
            (model::ShiftChangeRule{.added_cost_gbp = 3.2e6, .removed_cost_gbp = 4e6, .min_months = 3}));
  const model::Line& type00 = s->lines[s->FindLine("solihull-2")];
  ASSERT_TRUE(type00.shift_changes.has_value());
  EXPECT_EQ(*type00.shift_changes,
            (model::ShiftChangeRule{.added_cost_gbp = 1.2e6, .removed_cost_gbp = 1.5e6, .min_months = 3}));
  EXPECT_FALSE(s->lines[s->FindLine("wuhu-1")].shift_changes.has_value());
  auto again = ParseScenario(WriteScenarioYaml(*s), "written.yaml");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, *s);
}

// A plant's `stock:` block and settings.horizon_end_value
// (docs/scenario-format.md, "Finished-goods stock").
TEST(ScenarioReaderTest, StockBlockReadsAndWritesBack) {
  auto s = LoadScenario("tests/data/golden/stock.yaml");
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->stock.size(), 1u);
  const model::PlantStock& stock = s->stock[0];
  EXPECT_EQ(stock.plant, s->FindPlant("alpha"));
  EXPECT_EQ(stock.holding_cost_gbp_per_car_month, 100);
  EXPECT_EQ(stock.max_cars, 1000);
  EXPECT_TRUE(std::isinf(stock.max_cars_per_variant));
  EXPECT_EQ(stock.safety_stock_cars, 300);
  EXPECT_EQ(stock.safety_stock_penalty_gbp_per_car_month, 50);
  ASSERT_EQ(stock.initial.size(), 1u);
  EXPECT_EQ(stock.initial[0], (model::InitialStock{.variant = 0, .units = 200}));
  EXPECT_EQ(s->StockAt(0), &s->stock[0]);
  EXPECT_EQ(s->settings.horizon_end_value, model::HorizonEndValue::kNone);
  s->settings.horizon_end_value = model::HorizonEndValue::kMargin;
  auto again = ParseScenario(WriteScenarioYaml(*s), "written.yaml");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, *s);
  // Without a block the plant holds no stock.
  auto small = LoadScenario("tests/data/scenarios/small.yaml");
  ASSERT_TRUE(small) << small.error().message;
  EXPECT_TRUE(small->stock.empty());
  EXPECT_EQ(small->StockAt(0), nullptr);
}

TEST(ScenarioReaderTest, MissingFileIsNotFound) {
  auto s = LoadScenario("tests/data/scenarios/does-not-exist.yaml");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, ErrorKind::kNotFound);
  EXPECT_THAT(s.error().message, HasSubstr("cannot open file"));
}

TEST(ScenarioReaderTest, DirectoryIsInvalidInput) {
  auto s = LoadScenario("tests/data/scenarios");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, ErrorKind::kInvalidInput);
}

TEST(ScenarioReaderTest, ReportsEveryErrorAtOnce) {
  std::string text = ReadFile("tests/data/scenarios/small.yaml");
  auto replace = [&text](const std::string& from, const std::string& to) {
    const size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  };
  replace("rate_jph: 30", "rate_jph: -5");
  replace("plant: overseas", "plant: oversea");
  replace("unit_variable_cost_gbp: 18000", "unit_variable_cost: 18000");
  auto parse = ParseScenarioDetailed(text, "small.yaml");
  EXPECT_FALSE(parse.scenario);
  std::vector<std::string> messages;
  for (const auto& d : parse.diagnostics) messages.push_back(d.ToString());
  EXPECT_THAT(messages, ::testing::Contains("small.yaml:31:15: lines[0].rate_jph: must be > 0, got -5"));
  EXPECT_THAT(
      messages,
      ::testing::Contains(HasSubstr("lines[1].plant: unknown plant \"oversea\" (did you mean 'overseas'?)")));
  EXPECT_THAT(messages, ::testing::Contains(
                            HasSubstr("models[1].variants[0].unit_variable_cost: unknown key (did you mean "
                                      "'unit_variable_cost_gbp'?)")));
  EXPECT_THAT(messages, ::testing::Contains(HasSubstr(
                            "models[1].variants[0].unit_variable_cost_gbp: required field is missing")));
}

// A root error is reported once: with the horizon broken the plants are not
// read (their calendars need it), and the lines, routes and contracts that
// name plants must not add an "unknown plant" each. The default scenario
// has over 30 such references; a real typo elsewhere still shows.
TEST(ScenarioReaderTest, ABrokenHorizonIsOneErrorNotACascade) {
  std::string text = ReadFile("scenarios/uk-2026.yaml");
  const size_t at = text.find("months: 36");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 10, "months: -36");
  auto parse = ParseScenarioDetailed(text, "uk-2026.yaml");
  EXPECT_FALSE(parse.scenario);
  std::vector<std::string> messages;
  for (const auto& d : parse.diagnostics) messages.push_back(d.ToString());
  ASSERT_EQ(messages.size(), 1u) << ::testing::PrintToString(messages);
  EXPECT_THAT(messages[0], HasSubstr("horizon.months: must be between 1 and"));
  EXPECT_THAT(messages[0], HasSubstr("got -36"));

  // With a real typo in a brand reference too, both show, and nothing else.
  const size_t brand = text.find("brand: land-rover");
  ASSERT_NE(brand, std::string::npos);
  text.replace(brand, 17, "brand: land-rovr");
  parse = ParseScenarioDetailed(text, "uk-2026.yaml");
  messages.clear();
  for (const auto& d : parse.diagnostics) messages.push_back(d.ToString());
  ASSERT_EQ(messages.size(), 2u) << ::testing::PrintToString(messages);
  EXPECT_THAT(messages[1], HasSubstr("unknown brand \"land-rovr\" (did you mean 'land-rover'?)"));
}

// Every file in tests/data/scenarios/broken/ comes with a .expect file
// listing, one per line, texts that must appear among its diagnostics.
TEST(ScenarioReaderTest, BrokenCorpusGivesTheExpectedMessages) {
  int checked = 0;
  for (const auto& entry : fs::directory_iterator("tests/data/scenarios/broken")) {
    if (entry.path().extension() != ".yaml") continue;
    fs::path expect_path = entry.path();
    expect_path.replace_extension(".expect");
    ASSERT_TRUE(fs::exists(expect_path)) << "no .expect for " << entry.path();
    auto parse = LoadScenarioDetailed(entry.path().string());
    EXPECT_FALSE(parse.scenario) << entry.path();
    const std::string all = JoinDiagnostics(parse.diagnostics);
    std::istringstream expected(ReadFile(expect_path));
    std::string line;
    int lines = 0;
    while (std::getline(expected, line)) {
      if (line.empty()) continue;
      ++lines;
      EXPECT_THAT(all, HasSubstr(line)) << entry.path();
    }
    EXPECT_GT(lines, 0) << expect_path << " lists nothing";
    ++checked;
  }
  EXPECT_GE(checked, 20);
}

TEST(ScenarioReaderTest, GeneratedHostileInputsNeverCrash) {
  const std::vector<std::string> inputs = {
      "",
      "\n\n",
      "---\n...\n",
      std::string(1000, '{'),
      std::string("\xff\xfe\x00\x01", 4),
      "name: [" + std::string(5000, ',') + "]",
      "horizon: {start: 2026-13, months: 1e400}",
      "companies: *undefined_alias",
      "a: &x [*x]",
      "- - - - - - - - - - - -\n",
      "name: x\nhorizon: {start: 2026-01, months: 99999999999999999999999}\n",
  };
  for (const std::string& input : inputs) {
    auto parse = ParseScenarioDetailed(input, "hostile.yaml");
    EXPECT_FALSE(parse.scenario);
    EXPECT_FALSE(parse.diagnostics.empty());
  }
}

TEST(ScenarioReaderTest, BadMonthSaysWhatIsWrongWithIt) {
  const std::string text = ReadFile("tests/data/scenarios/small.yaml");
  const size_t at = text.find("start: 2026-01");
  ASSERT_NE(at, std::string::npos);
  for (const auto& [month, why] :
       {std::pair{"2026-13", "expected a month as YYYY-MM, got \"2026-13\" (there is no month 13)"},
        std::pair{"2026-3", "expected a month as YYYY-MM, got \"2026-3\""}}) {
    std::string bad = text;
    bad.replace(at, 14, std::string("start: ") + month);
    auto s = ParseScenario(bad, "small.yaml");
    ASSERT_FALSE(s) << month;
    EXPECT_THAT(s.error().message, HasSubstr(std::string("horizon.start: ") + why));
  }
}

}  // namespace
}  // namespace cobuild::io

namespace cobuild::io {
namespace {

constexpr char kDefaultScenario[] = "scenarios/uk-2026.yaml";

TEST(DefaultScenarioTest, LoadsAndHalewoodBuildsAbout205000CarsAYear) {
  auto s = LoadScenario(kDefaultScenario);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->horizon.first, (model::YearMonth{2026, 1}));
  EXPECT_EQ(s->horizon.num_months, 36);
  const int halewood = s->FindPlant("halewood");
  ASSERT_GE(halewood, 0);
  for (int year : {2026, 2027, 2028}) {
    double cars = 0;
    for (size_t l = 0; l < s->lines.size(); ++l) {
      if (s->lines[l].plant == halewood) cars += s->MaxLineCarsInYear(static_cast<int>(l), year);
    }
    EXPECT_NEAR(cars, 205000, 2500) << year;
  }
  for (const char* plant : {"solihull", "castle-bromwich", "changshu", "wuhu"}) {
    EXPECT_GE(s->FindPlant(plant), 0) << plant;
  }
  for (const char* brand :
       {"land-rover", "range-rover", "jaguar", "chery", "omoda", "jaecoo", "freelander"}) {
    EXPECT_GE(s->FindBrand(brand), 0) << brand;
  }
  for (const char* market : {"UK", "EU", "CN", "ROW"}) EXPECT_GE(s->FindMarket(market), 0);
}

// The reported 2025 UK sales are the demand baselines (grown by the assumed
// 15% for 2026).
TEST(DefaultScenarioTest, UkDemandStartsFromReported2025Sales) {
  auto s = LoadScenario(kDefaultScenario);
  ASSERT_TRUE(s) << s.error().message;
  const int uk = s->FindMarket("UK");
  auto brand_units_2026 = [&](std::string_view brand) {
    double total = 0;
    for (int v = 0; v < s->demand.num_variants; ++v) {
      const auto& model = s->models[static_cast<size_t>(s->variants[static_cast<size_t>(v)].model)];
      if (s->brands[static_cast<size_t>(model.brand)].id != brand) continue;
      for (int t = 0; t < 12; ++t) total += s->demand.at(v, uk, t);
    }
    return total;
  };
  EXPECT_NEAR(brand_units_2026("chery"), 5517 * 1.15, 15);
  EXPECT_NEAR(brand_units_2026("omoda"), 19855 * 1.15, 15);
  EXPECT_NEAR(brand_units_2026("jaecoo"), 28232 * 1.15, 15);
}

// Every object that carries numbers says where they come from: a `source`
// for reported figures or `assumption: true` with a note.
void CheckProvenance(const YAML::Node& node, const std::string& path, bool covered,
                     std::vector<std::string>* missing) {
  auto is_number = [](const YAML::Node& n) {
    if (!n.IsScalar() || n.Tag() != "?") return false;
    char* end = nullptr;
    std::strtod(n.Scalar().c_str(), &end);
    return !n.Scalar().empty() && *end == '\0';
  };
  if (node.IsMap()) {
    covered = covered || node["source"].IsDefined() || node["assumption"].IsDefined();
    bool has_numbers = false;
    for (const auto& entry : node) {
      const YAML::Node& value = entry.second;
      const std::string child = path + "." + entry.first.Scalar();
      if (is_number(value)) has_numbers = true;
      if (value.IsSequence() && value.size() > 0 && is_number(value[0])) has_numbers = true;
      if (value.IsMap() || value.IsSequence()) CheckProvenance(value, child, covered, missing);
    }
    if (has_numbers && !covered) missing->push_back(path);
  } else if (node.IsSequence()) {
    for (size_t i = 0; i < node.size(); ++i) {
      // Items of a top-level list answer for themselves (covered is false
      // there); items nested in an item share its note.
      CheckProvenance(node[i], path + "[" + std::to_string(i) + "]", covered, missing);
    }
  }
}

TEST(DefaultScenarioTest, EveryNumberHasASourceOrAnAssumption) {
  auto root = LoadYamlFile(kDefaultScenario);
  ASSERT_TRUE(root) << root.error().ToString();
  std::vector<std::string> missing;
  for (const auto& entry : *root) {
    const std::string key = entry.first.Scalar();
    if (key == "horizon") continue;  // the planning window, not a figure
    CheckProvenance(entry.second, key, false, &missing);
  }
  EXPECT_THAT(missing, ::testing::IsEmpty());
}

TEST(ScenarioFormatDocTest, WorkedExampleIsValid) {
  const std::string doc = ReadFile("docs/scenario-format.md");
  const size_t start = doc.find("```yaml\n");
  ASSERT_NE(start, std::string::npos);
  const size_t end = doc.find("```\n", start + 8);
  ASSERT_NE(end, std::string::npos);
  auto s = ParseScenario(doc.substr(start + 8, end - start - 8), "scenario-format.md");
  EXPECT_TRUE(s) << s.error().message;
}

}  // namespace
}  // namespace cobuild::io
