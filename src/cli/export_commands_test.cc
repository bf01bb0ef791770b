// `--xlsx FILE` on plan, replan, deal and risk, run as a user would: the
// workbook's sheets, a number read back against the command's own JSON, and
// an unwritable path refused before any solve.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_test_util.h"
#include "io/zip_test_util.h"

namespace cobuild::cli {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

constexpr const char* kSmall = "tests/data/scenarios/small.yaml";

std::string Sheets(const fs::path& xlsx) { return io::UnzipMember(xlsx, "xl/workbook.xml"); }

TEST(ExportCommandsTest, PlanWorkbookHoldsTheJsonNumbers) {
  const fs::path xlsx = CliTempDir() / "plan.xlsx";
  CliRun r = RunCobuild(std::string("plan ") + kSmall + " --format json --xlsx " + xlsx.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string sheets = Sheets(xlsx);
  for (const char* name :
       {"Summary", "Plant years", "Line months", "Production", "Markets", "Contributions"}) {
    EXPECT_THAT(sheets, HasSubstr(std::string("name=\"") + name + "\"")) << name;
  }
  // Sheet 2, "Plant years": each plant year's cars as the whole number the
  // JSON holds.
  const auto j = nlohmann::json::parse(r.out);
  const std::string plant_years = io::UnzipMember(xlsx, "xl/worksheets/sheet2.xml");
  ASSERT_FALSE(j["plant_years"].empty());
  for (const auto& py : j["plant_years"]) {
    const auto built = static_cast<long long>(std::llround(py["built"].get<double>()));
    EXPECT_THAT(plant_years, HasSubstr("<v>" + std::to_string(built) + "</v>")) << py.dump();
  }
  EXPECT_THAT(io::UnzipMember(xlsx, "xl/sharedStrings.xml"), HasSubstr("host's own"));
}

TEST(ExportCommandsTest, ReplanDealAndRiskWriteTheirWorkbooks) {
  struct Case {
    std::string args;
    const char* sheet;
  };
  const std::vector<Case> cases = {
      {std::string("replan ") + kSmall + " --event 'outage plants=home from=2026-03-02 to=2026-03-27'",
       "Losses by month"},
      {"deal tests/data/deal/host-partner.yaml --contract host-builds-partner", "Companies"},
      {"risk tests/data/scale/small-risk.yaml --samples 3 --threads 1", "Percentiles"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const fs::path xlsx = CliTempDir() / ("result-" + std::to_string(i) + ".xlsx");
    CliRun r = RunCobuild(cases[i].args + " --xlsx " + xlsx.string());
    ASSERT_EQ(r.exit_code, 0) << cases[i].args << "\n" << r.err;
    EXPECT_THAT(Sheets(xlsx), HasSubstr(std::string("name=\"") + cases[i].sheet + "\"")) << cases[i].args;
  }
}

TEST(ExportCommandsTest, UnwritablePathExitsTwoBeforeSolving) {
  const std::string path = (CliTempDir() / "no-such-dir" / "plan.xlsx").string();
  for (const std::string& command :
       {std::string("plan ") + kSmall,
        std::string("deal tests/data/deal/host-partner.yaml --contract host-builds-partner"),
        std::string("replan ") + kSmall + " --event 'outage plants=home from=2026-03-02 to=2026-03-27'",
        std::string("risk tests/data/scale/small-risk.yaml --samples 2")}) {
    CliRun r = RunCobuild(command + " --xlsx " + path);
    EXPECT_EQ(r.exit_code, 2) << command;
    EXPECT_THAT(r.err, HasSubstr("--xlsx " + path + ": cannot write the workbook: No such file or directory"))
        << command;
    // Refused up front: no baseline was solved.
    EXPECT_THAT(r.err, ::testing::Not(HasSubstr("solving the baseline"))) << command;
    EXPECT_EQ(r.out, "") << command;
  }
}

}  // namespace
}  // namespace cobuild::cli
