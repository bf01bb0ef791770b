// `cobuild deal` and `cobuild plan --compare-without-contract`, run as a
// user would, on the hand-worked deal (tests/data/deal/README.md).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_test_util.h"

namespace cobuild::cli {
namespace {

using ::testing::HasSubstr;

constexpr char kScenario[] = "tests/data/deal/host-partner.yaml";

TEST(DealCommandTest, JsonGivesTheWorkedOutZoneAndProposedFee) {
  const CliRun r =
      RunCobuild(std::string("deal ") + kScenario + " --contract host-builds-partner --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["terms"]["host_break_even_fee_gbp"].get<double>(), 125, 0.01);
  EXPECT_NEAR(j["terms"]["partner_max_fee_gbp"].get<double>(), 2675, 0.01);
  EXPECT_NEAR(j["terms"]["proposed_fee_gbp"].get<double>(), 1400, 0.01);
  EXPECT_TRUE(j["plans"]["without"]["checker_violations"].empty());
}

TEST(DealCommandTest, TableNamesTheZoneAndTheRule) {
  const CliRun r = RunCobuild(std::string("deal ") + kScenario + " --contract host-builds-partner");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("bargaining zone: GBP 125 to GBP 2,675 a car"));
  EXPECT_THAT(r.out, HasSubstr("rule: equal split of the joint gain"));
  EXPECT_THAT(r.out, HasSubstr("passes the plan checker"));
}

// Both plan files pass check-plan: the one without the deal records the
// removed contract, and the checker removes it again.
TEST(DealCommandTest, OutWritesPlansThatCheckPlanAccepts) {
  const auto dir = CliTempDir() / "deal-out";
  const CliRun r = RunCobuild(std::string("deal ") + kScenario +
                              " --contract host-builds-partner --format csv --out " + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("terms,host-builds-partner,partner_max_fee_gbp,2675"));
  for (const char* file : {"with.json", "without.json"}) {
    const CliRun check = RunCobuild(std::string("check-plan ") + kScenario + " " + (dir / file).string());
    EXPECT_EQ(check.exit_code, 0) << file << ": " << check.err;
  }
  const auto without = nlohmann::json::parse(SlurpFile(dir / "without.json"));
  EXPECT_EQ(without["basis"]["excluded_contracts"][0], "host-builds-partner");
  EXPECT_FALSE(SlurpFile(dir / "deal.json").empty());
  EXPECT_FALSE(SlurpFile(dir / "deal.csv").empty());
}

TEST(DealCommandTest, UnknownContractExitsTwoWithDidYouMean) {
  const CliRun r = RunCobuild(std::string("deal ") + kScenario + " --contract host-builds-partnr");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--contract: contract: expected a contract of scenario deal-host-partner"));
  EXPECT_THAT(r.err, HasSubstr("did you mean 'host-builds-partner'"));
}

TEST(DealCommandTest, PlanComparesWithoutTheContractNotWithoutThePartner) {
  const CliRun r =
      RunCobuild(std::string("plan ") + kScenario + " --compare-without-contract host-builds-partner");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Utilization with and without contract host-builds-partner"));
  // Without the contract the partner still sells its 12,000 cars (imported):
  // 175,800,000 for the host, 61,500,000 for the partner.
  EXPECT_THAT(r.out, HasSubstr("175,800,000"));
  EXPECT_THAT(r.out, HasSubstr("61,500,000"));
  const CliRun bad = RunCobuild(std::string("plan ") + kScenario + " --compare-without-contract nope");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--compare-without-contract: contract: expected a contract"));
}

}  // namespace
}  // namespace cobuild::cli
