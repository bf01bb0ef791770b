// Bad options and hostile files at the command line: each is refused with
// exit code 2 and a message naming the option or file, quickly, never with a
// crash or an internal error (issue 13, "The CLI").
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_test_util.h"

namespace cobuild::cli {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

constexpr const char* kScenario = "scenarios/uk-2026.yaml";

TEST(InputLimitsTest, DurationsAreCheckedBeforeAnyConversion) {
  for (const std::string value : {"nan", "inf", "0", "1e-300", "1e10", "-1", "abc"}) {
    CliRun plan = RunCobuild(std::string("plan ") + kScenario + " --time-limit " + value);
    EXPECT_EQ(plan.exit_code, 2) << value << ": " << plan.err;
    EXPECT_THAT(plan.err, HasSubstr("--time-limit")) << value;
    CliRun risk =
        RunCobuild(std::string("risk ") + kScenario + " --samples 1 --seed 1 --draw-time-limit " + value);
    EXPECT_EQ(risk.exit_code, 2) << value << ": " << risk.err;
    EXPECT_THAT(risk.err, HasSubstr("--draw-time-limit")) << value;
  }
  CliRun sequence = RunCobuild("sequence --csplib tests/data/carseq/4_72.txt --time-limit nan");
  EXPECT_EQ(sequence.exit_code, 2) << sequence.err;
}

TEST(InputLimitsTest, EndlessFilesAreRefusedQuickly) {
  const auto start = std::chrono::steady_clock::now();
  CliRun csplib = RunCobuild("evaluate --csplib /dev/zero");
  EXPECT_EQ(csplib.exit_code, 2) << csplib.err;
  EXPECT_THAT(csplib.err, HasSubstr("larger than 64 MiB"));
  CliRun plan = RunCobuild(std::string("check-plan ") + kScenario + " /dev/zero");
  EXPECT_EQ(plan.exit_code, 2) << plan.err;
  CliRun yaml = RunCobuild("validate /dev/zero");
  EXPECT_EQ(yaml.exit_code, 2) << yaml.err;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
}

TEST(InputLimitsTest, GenerateHasUpperBounds) {
  CliRun r = RunCobuild("generate --plants 2 --lines 2 --models 1000000 --markets 2 --months 12 --seed 1");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("--models"));
}

TEST(InputLimitsTest, UnwritableOutputIsAUserError) {
  const fs::path file = CliTempDir() / "not-a-folder";
  std::ofstream(file) << "x";
  CliRun plan = RunCobuild(std::string("plan ") + kScenario + " --out " + file.string());
  EXPECT_EQ(plan.exit_code, 2) << plan.err;
  EXPECT_THAT(plan.err, HasSubstr(file.string()));
  CliRun generate = RunCobuild(
      "generate --plants 1 --lines 1 --models 1 --markets 1 --months 12 --seed 1 "
      "--out /proc/cobuild-none/x.yaml");
  EXPECT_EQ(generate.exit_code, 2) << generate.err;
  EXPECT_THAT(generate.err, HasSubstr("/proc/cobuild-none/x.yaml: cannot write ("));
}

TEST(InputLimitsTest, PlanNumberBeyondDoubleRangeIsInvalidInput) {
  const fs::path path = CliTempDir() / "overflow.json";
  std::ofstream(path) << R"({"scenario": "uk-2026", "objective_gbp": 1e999})";
  CliRun r = RunCobuild(std::string("check-plan ") + kScenario + " " + path.string());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("not valid JSON"));
}

TEST(InputLimitsTest, PlanFieldOfTheWrongTypeIsInvalidInput) {
  const fs::path path = CliTempDir() / "wrong-type.json";
  std::ofstream(path) << R"({"scenario": ["uk-2026"], "objective_gbp": "a lot"})";
  CliRun r = RunCobuild(std::string("check-plan ") + kScenario + " " + path.string());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("wrong type"));
}

TEST(InputLimitsTest, DiagnosticsAreCappedWithACount) {
  // The default scenario with 5,000 bad demand rows.
  std::string yaml = SlurpFile(kScenario);
  std::string rows;
  for (int i = 0; i < 5000; ++i) rows += "  - {variant: nope, market: UK, units_per_year: {2026: -1}}\n";
  yaml.insert(yaml.find("\ndemand:\n") + 9, rows);
  const fs::path path = CliTempDir() / "many-errors.yaml";
  std::ofstream(path) << yaml;
  CliRun r = RunCobuild("validate " + path.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err + r.out, HasSubstr("more problem(s) not listed (only the first 100 are)"));
  EXPECT_LT((r.err + r.out).size(), 40000u);
}

TEST(InputLimitsTest, NonUtf8FileNamesInJsonOutput) {
  const fs::path path = CliTempDir() / "caf\xe9.yaml";
  std::ofstream(path) << "name: x\n";
  CliRun r = RunCobuild("validate '" + path.string() + "' --format json");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_FALSE(nlohmann::json::parse(r.out, nullptr, false).is_discarded()) << r.out;
}

TEST(InputLimitsTest, ServeRefusesBadOptionsBeforeListening) {
  for (const std::string options :
       {"--max-queued -1", "--max-body-mb -5", "--max-body-mb 0", "--web-dir /nonexistent-cobuild-web",
        "--token-file /nonexistent-token", "--token-file /dev/zero", "--db /proc/cobuild-none/x.db"}) {
    CliRun r = RunCobuild("serve --port 0 --db " + (CliTempDir() / "serve.db").string() + " " + options);
    EXPECT_EQ(r.exit_code, 2) << options << ": " << r.err;
  }
}

}  // namespace
}  // namespace cobuild::cli
