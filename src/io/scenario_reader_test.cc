#include "io/scenario_reader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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
  EXPECT_NEAR(s->demand.at(v, uk, 2), 20000.0 * 2 / 13, 1e-9);
  double year = 0;
  for (int t = 0; t < 12; ++t) year += s->demand.at(v, uk, t);
  EXPECT_NEAR(year, 20000, 1e-6);
  EXPECT_EQ(s->demand.at(s->FindVariant("ev1-bev"), uk, 2), 900);
  EXPECT_EQ(s->variants[static_cast<size_t>(v)].price_gbp[static_cast<size_t>(uk)], 42000);
  EXPECT_EQ(s->settings.unmet_penalty_gbp_per_car, 4000);
  ASSERT_EQ(s->contracts.size(), 1u);
  EXPECT_EQ(s->contracts[0].host, s->FindCompany("host"));
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
  EXPECT_THAT(messages, ::testing::Contains(HasSubstr(
                            "lines[1].plant: unknown plant \"oversea\" (did you mean 'overseas'?)")));
  EXPECT_THAT(messages, ::testing::Contains(HasSubstr(
                            "models[1].variants[0].unit_variable_cost: unknown key (did you mean "
                            "'unit_variable_cost_gbp'?)")));
  EXPECT_THAT(messages, ::testing::Contains(HasSubstr(
                            "models[1].variants[0].unit_variable_cost_gbp: required field is missing")));
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

TEST(ParseYearMonthTest, AcceptsAndRejects) {
  EXPECT_EQ(ParseYearMonth("2026-03"), (model::YearMonth{2026, 3}));
  EXPECT_EQ(ParseYearMonth("2026-3"), (model::YearMonth{2026, 3}));
  EXPECT_FALSE(ParseYearMonth("2026-13"));
  EXPECT_FALSE(ParseYearMonth("26-03"));
  EXPECT_FALSE(ParseYearMonth("2026-03x"));
}

}  // namespace
}  // namespace cobuild::io
