// `cobuild deal` and `cobuild plan --compare-without-contract`, run as a
// user would, on the hand-worked deal (tests/data/deal/README.md).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
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

// `--plan` takes the plan `cobuild plan` wrote as the plan with the contract
// (make demo) without solving it again: given with a looser bound than a
// solve proves (optimal, gap 0), the report shows that bound, and its fee
// terms are the hand-worked ones.
TEST(DealCommandTest, PlanFileStandsForThePlanWithTheContract) {
  const auto dir = CliTempDir() / "deal-plan";
  const CliRun plan =
      RunCobuild(std::string("plan ") + kScenario + " --out " + dir.string() + " --no-progress");
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  auto given = nlohmann::json::parse(SlurpFile(dir / "plan.json"));
  ASSERT_EQ(given["status"], "optimal");
  const double objective = given["objective_gbp"].get<double>();
  given["status"] = "feasible";
  given["bound_gbp"] = objective + 100000;
  given["gap"] = 100000 / objective;
  const auto path = dir / "given.json";
  std::ofstream(path) << given.dump();
  const CliRun r = RunCobuild(std::string("deal ") + kScenario + " --contract host-builds-partner --plan " +
                              path.string() + " --format json --out " + (dir / "deal").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["terms"]["host_break_even_fee_gbp"].get<double>(), 125, 0.01);
  EXPECT_NEAR(j["terms"]["partner_max_fee_gbp"].get<double>(), 2675, 0.01);
  const auto with = nlohmann::json::parse(SlurpFile(dir / "deal" / "with.json"));
  EXPECT_EQ(with["status"], "feasible");
  EXPECT_DOUBLE_EQ(with["bound_gbp"].get<double>(), objective + 100000);
  EXPECT_EQ(with["shifts"], given["shifts"]);
}

// The plan without the contract is no plan with it: exit 2, saying why.
TEST(DealCommandTest, PlanFileMadeWithoutTheContractExitsTwo) {
  const auto dir = CliTempDir() / "deal-plan-without";
  const CliRun first =
      RunCobuild(std::string("deal ") + kScenario + " --contract host-builds-partner --out " + dir.string());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const std::string without = (dir / "without.json").string();
  const CliRun r =
      RunCobuild(std::string("deal ") + kScenario + " --contract host-builds-partner --plan " + without);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--plan " + without +
                               ": the plan given as the plan with the contract was made "
                               "without contract host-builds-partner"));
  const CliRun missing = RunCobuild(std::string("deal ") + kScenario +
                                    " --contract host-builds-partner --plan /nonexistent.json");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("/nonexistent.json"));
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
