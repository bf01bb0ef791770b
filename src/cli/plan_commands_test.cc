// `cobuild plan`'s report: cars on regular shifts and on levers and the
// spare regular capacity per plant and year, on the hand-worked scenario of
// tests/data/golden/README.md ("levers-split.yaml").
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli_test_util.h"

namespace cobuild::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The report's line for plant `plant` and `year`, or "" when there is none.
std::string PlantYearRow(const std::string& report, const std::string& plant, const std::string& year) {
  std::istringstream in(report);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(plant + " ") && line.find(" " + year + " ") != std::string::npos) return line;
  }
  return "";
}

// line-a builds 320 cars on weekend days in January while line-b leaves
// 1,200 cars of regular capacity unused: the plant-year shows 320 on levers
// and 4,000 spare (summed over line-months), not a netted 3,680.
TEST(PlanCommandsTest, ReportShowsCarsOnLeversBesideSpareRegularCapacity) {
  const CliRun r = RunCobuild("plan tests/data/golden/levers-split.yaml --no-progress");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string row = PlantYearRow(r.out, "alpha", "2027");
  ASSERT_FALSE(row.empty()) << r.out;
  std::istringstream cells(row);
  std::vector<std::string> c;
  for (std::string cell; cells >> cell;) c.push_back(cell);
  // plant, year, built, host's own, partners', on regular shifts, on levers,
  // regular capacity, spare, utilization, with levers
  ASSERT_EQ(c.size(), 11u) << row;
  EXPECT_EQ(c[2], "9,120");
  EXPECT_EQ(c[5], "8,800");
  EXPECT_EQ(c[6], "320");
  EXPECT_EQ(c[7], "12,800");
  EXPECT_EQ(c[8], "4,000");
  EXPECT_THAT(c[9], ::testing::AnyOf("71.2%", "71.3%"));  // 71.25%
  EXPECT_EQ(c[10], "59.4%");
  EXPECT_THAT(r.out, HasSubstr("on levers"));
  EXPECT_THAT(r.out, HasSubstr("never negative"));
  EXPECT_THAT(row, Not(HasSubstr("-")));
}

}  // namespace
}  // namespace cobuild::cli
