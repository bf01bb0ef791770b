// Runs the cobuild binary (COBUILD_BIN) as a user would: exit codes, what
// goes to stdout and stderr, and that invalid input writes no partial output.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace cobuild::cli {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

CliRun Cobuild(const std::string& args) {
  const char* bin = std::getenv("COBUILD_BIN");
  EXPECT_NE(bin, nullptr) << "COBUILD_BIN is not set; run through ctest";
  if (bin == nullptr) return {};
  const fs::path dir = fs::temp_directory_path() / ("cobuild-cli-test-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string command = std::string(bin) + " " + args + " >" + (dir / "out").string() +
                              " 2>" + (dir / "err").string();
  const int status = std::system(command.c_str());
  CliRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = Slurp(dir / "out");
  run.err = Slurp(dir / "err");
  fs::remove_all(dir);
  return run;
}

TEST(ScenarioCommandsTest, ValidateAcceptsTheDefaultScenario) {
  CliRun r = Cobuild("validate scenarios/uk-2026.yaml");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("valid (3 companies, 7 brands, 5 plants"));
}

TEST(ScenarioCommandsTest, InfoShowsHalewoodAtAbout205000CarsAYear) {
  CliRun r = Cobuild("info scenarios/uk-2026.yaml");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("(plant total)"));
  EXPECT_THAT(r.out, HasSubstr("204,930"));
  CliRun j = Cobuild("info scenarios/uk-2026.yaml --format json");
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

TEST(ScenarioCommandsTest, EveryBrokenScenarioExitsWithCode2AndNoOutput) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator("tests/data/scenarios/broken")) {
    if (entry.path().extension() != ".yaml") continue;
    ++files;
    for (const char* command : {"validate", "info"}) {
      CliRun r = Cobuild(std::string(command) + " " + entry.path().string());
      EXPECT_EQ(r.exit_code, 2) << command << " " << entry.path();
      EXPECT_EQ(r.out, "") << command << " " << entry.path();
      EXPECT_THAT(r.err, HasSubstr(entry.path().string() + ":")) << entry.path();
    }
  }
  EXPECT_GE(files, 20);
}

TEST(ScenarioCommandsTest, ValidateJsonListsStructuredErrors) {
  CliRun r = Cobuild("validate tests/data/scenarios/broken/many-errors.yaml --format json");
  EXPECT_EQ(r.exit_code, 2);
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["valid"], false);
  ASSERT_GE(report["errors"].size(), 3u);
  EXPECT_GT(report["errors"][0]["line"].get<int>(), 0);
}

TEST(ScenarioCommandsTest, MissingFileAndBadUsage) {
  CliRun missing = Cobuild("validate no/such/file.yaml");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("no/such/file.yaml: cannot open file"));
  CliRun no_args = Cobuild("validate");
  EXPECT_EQ(no_args.exit_code, 2);
  CliRun bad_format = Cobuild("info scenarios/uk-2026.yaml --format xml");
  EXPECT_EQ(bad_format.exit_code, 2);
  CliRun unknown = Cobuild("frobnicate");
  EXPECT_EQ(unknown.exit_code, 2);
}

TEST(ScenarioCommandsTest, HelpAndVersion) {
  CliRun help = Cobuild("--help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("validate"));
  EXPECT_THAT(help.out, HasSubstr("info"));
  CliRun info_help = Cobuild("info --help");
  EXPECT_EQ(info_help.exit_code, 0);
  EXPECT_THAT(info_help.out, HasSubstr("--format"));
  CliRun version = Cobuild("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.out, HasSubstr("cobuild "));
}

}  // namespace
}  // namespace cobuild::cli
