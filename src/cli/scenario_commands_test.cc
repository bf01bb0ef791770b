// Runs the cobuild binary (COBUILD_BIN) as a user would: exit codes, what
// goes to stdout and stderr, and that invalid input writes no partial output.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_test_util.h"

namespace cobuild::cli {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

TEST(ScenarioCommandsTest, ValidateAcceptsTheDefaultScenario) {
  CliRun r = RunCobuild("validate scenarios/uk-2026.yaml");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("valid (3 companies, 7 brands, 5 plants"));
}

TEST(ScenarioCommandsTest, InfoShowsHalewoodAtAbout205000CarsAYear) {
  CliRun r = RunCobuild("info scenarios/uk-2026.yaml");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("(plant total)"));
  EXPECT_THAT(r.out, HasSubstr("204,930"));
  CliRun j = RunCobuild("info scenarios/uk-2026.yaml --format json");
  ASSERT_EQ(j.exit_code, 0) << j.err;
  const auto info = nlohmann::json::parse(j.out);
  bool found = false;
  for (const auto& plant : info["plants"]) {
    if (plant["id"] == "halewood") {
      found = true;
      EXPECT_NEAR(plant["capacity_cars_per_year"]["2027"].get<double>(), 205000, 2500);
    }
  }
  EXPECT_TRUE(found);
}

// Every number in the JSON: whole numbers print as integers, never as
// 10000.000000000002; capacities are whole cars.
void ExpectCleanNumbers(const nlohmann::json& j, const std::string& where) {
  if (j.is_object() || j.is_array()) {
    for (const auto& [key, value] : j.items()) ExpectCleanNumbers(value, where + "." + key);
  } else if (j.is_number_float()) {
    const double v = j.get<double>();
    EXPECT_NE(v, std::round(v)) << where << " is whole but printed as " << j.dump();
    EXPECT_NEAR(v * 1e4, std::round(v * 1e4), 1e-6 * std::max(1.0, std::abs(v * 1e4)))
        << where << " " << j.dump();
  }
}

TEST(ScenarioCommandsTest, InfoJsonPrintsCleanNumbersAndWholeCars) {
  CliRun j = RunCobuild("info scenarios/uk-2026.yaml --format json");
  ASSERT_EQ(j.exit_code, 0) << j.err;
  EXPECT_EQ(j.out.find("000000000"), std::string::npos);
  const auto info = nlohmann::json::parse(j.out);
  ExpectCleanNumbers(info, "info");
  for (const auto& plant : info["plants"]) {
    for (const auto& [year, cars] : plant["capacity_cars_per_year"].items()) {
      EXPECT_TRUE(cars.is_number_integer()) << plant["id"] << " " << year << " " << cars.dump();
    }
  }
}

TEST(ScenarioCommandsTest, ValidateAndInfoWarnAboutOverlappingContracts) {
  std::string text = SlurpFile("tests/data/scenarios/small.yaml");
  const auto at = text.find("  - id: ev-at-home");
  ASSERT_NE(at, std::string::npos);
  text.insert(
      at, "  - {id: ev-deal, host: host, partner: partner, brands: [partnerbrand], fee_per_car_gbp: 100}\n");
  const fs::path path = CliTempDir() / "overlap.yaml";
  {
    std::ofstream out(path);
    out << text;
  }
  CliRun validate = RunCobuild("validate " + path.string());
  EXPECT_EQ(validate.exit_code, 0) << validate.err;  // a warning, not an error
  EXPECT_THAT(validate.out, HasSubstr("valid"));
  EXPECT_THAT(validate.err, HasSubstr("warning: " + path.string() + ":"));
  EXPECT_THAT(validate.err, HasSubstr("overlaps contract \"ev-deal\""));
  CliRun json = RunCobuild("validate " + path.string() + " --format json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(nlohmann::json::parse(json.out)["warnings"].size(), 1u);
  CliRun info = RunCobuild("info " + path.string());
  EXPECT_EQ(info.exit_code, 0) << info.err;
  EXPECT_THAT(info.err, HasSubstr("overlaps contract"));
  CliRun clean = RunCobuild("validate tests/data/scenarios/small.yaml");
  EXPECT_EQ(clean.err, "");
}

TEST(ScenarioCommandsTest, EveryBrokenScenarioExitsWithCode2AndNoOutput) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator("tests/data/scenarios/broken")) {
    if (entry.path().extension() != ".yaml") continue;
    ++files;
    for (const char* command : {"validate", "info"}) {
      CliRun r = RunCobuild(std::string(command) + " " + entry.path().string());
      EXPECT_EQ(r.exit_code, 2) << command << " " << entry.path();
      EXPECT_EQ(r.out, "") << command << " " << entry.path();
      EXPECT_THAT(r.err, HasSubstr(entry.path().string() + ":")) << entry.path();
    }
  }
  EXPECT_GE(files, 20);
}

TEST(ScenarioCommandsTest, ValidateJsonListsStructuredErrors) {
  CliRun r = RunCobuild("validate tests/data/scenarios/broken/many-errors.yaml --format json");
  EXPECT_EQ(r.exit_code, 2);
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["valid"], false);
  ASSERT_GE(report["errors"].size(), 3u);
  EXPECT_GT(report["errors"][0]["line"].get<int>(), 0);
}

TEST(ScenarioCommandsTest, MissingFileAndBadUsage) {
  CliRun missing = RunCobuild("validate no/such/file.yaml");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("no/such/file.yaml: cannot open file"));
  CliRun no_args = RunCobuild("validate");
  EXPECT_EQ(no_args.exit_code, 2);
  CliRun bad_format = RunCobuild("info scenarios/uk-2026.yaml --format xml");
  EXPECT_EQ(bad_format.exit_code, 2);
  CliRun unknown = RunCobuild("frobnicate");
  EXPECT_EQ(unknown.exit_code, 2);
}

TEST(ScenarioCommandsTest, HelpAndVersion) {
  CliRun help = RunCobuild("--help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("validate"));
  EXPECT_THAT(help.out, HasSubstr("info"));
  CliRun info_help = RunCobuild("info --help");
  EXPECT_EQ(info_help.exit_code, 0);
  EXPECT_THAT(info_help.out, HasSubstr("--format"));
  CliRun version = RunCobuild("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.out, HasSubstr("cobuild "));
}

}  // namespace
}  // namespace cobuild::cli
