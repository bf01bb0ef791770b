// `cobuild check-plan` on plan files edited by hand: lever use the
// scenario's lines cannot work is refused by name, with exit code 2.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_test_util.h"

namespace cobuild::cli {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

// tests/data/golden/README.md, "shift-cap.yaml": line-a works three
// 7.5-hour shifts, line-b two 8-hour shifts; the lever allows two extra.
constexpr const char* kShiftCap = "tests/data/golden/shift-cap.yaml";

// A fourth shift of 7.5 hours (30 hours a day) in a JSON plan file.
TEST(CheckPlanTest, RefusesAFourthShiftInAJsonPlanFile) {
  const fs::path dir = CliTempDir() / "shift-cap-json";
  CliRun plan = RunCobuild(std::string("plan ") + kShiftCap + " --out " + dir.string());
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  ASSERT_EQ(RunCobuild(std::string("check-plan ") + kShiftCap + " " + (dir / "plan.json").string()).exit_code,
            0);
  nlohmann::json edited = nlohmann::json::parse(SlurpFile(dir / "plan.json"));
  bool found = false;
  for (auto& e : edited["shifts"]) {
    if (e["line"] == "line-a") {
      EXPECT_FALSE(e.contains("extra_shifts_per_day"));  // the plan itself uses none
      e["extra_shifts_per_day"] = 1;
      found = true;
    }
  }
  ASSERT_TRUE(found);
  const fs::path bad = dir / "fourth-shift.json";
  std::ofstream(bad) << edited.dump();
  CliRun r = RunCobuild(std::string("check-plan ") + kShiftCap + " " + bad.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err,
              HasSubstr(bad.string() +
                        ": line line-a month 2027-01: 1 extra shifts a day, at most 0 fit: 3 shifts of "
                        "7.5 h and 1 more make 30 h, beyond the 24 hours of a day"));
  EXPECT_THAT(r.err, HasSubstr("plan violates the scenario"));
  EXPECT_EQ(r.out, "");
}

// Two extra shifts on line-b (32 hours a day) in a CSV plan file: within
// the scenario's lever of two, beyond the one that fits the day.
TEST(CheckPlanTest, RefusesExtraShiftsBeyondTheDayInACsvPlanFile) {
  const fs::path dir = CliTempDir() / "shift-cap-csv";
  CliRun plan = RunCobuild(std::string("plan ") + kShiftCap + " --out " + dir.string());
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  std::string csv = SlurpFile(dir / "plan.csv");
  const std::string line = "extra_shifts,line-b,alpha,,,2027-01,,,,1,";
  const size_t at = csv.find(line);
  ASSERT_NE(at, std::string::npos) << csv;
  csv.replace(at, line.size(), "extra_shifts,line-b,alpha,,,2027-01,,,,2,");
  const fs::path bad = dir / "two-extra.csv";
  std::ofstream(bad) << csv;
  CliRun r = RunCobuild(std::string("check-plan ") + kShiftCap + " " + bad.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err,
              HasSubstr("line line-b month 2027-01: 2 extra shifts a day, at most 1 fit: 2 shifts of 8 "
                        "h and 2 more make 32 h, beyond the 24 hours of a day"));
}

}  // namespace
}  // namespace cobuild::cli
