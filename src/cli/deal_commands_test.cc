// `cobuild deal` and `cobuild plan --compare-without-contract` and
// `--without-contract`, run as a user would, on the hand-worked deal
// (tests/data/deal/README.md).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli_test_util.h"

namespace cobuild::cli {
namespace {

using ::testing::HasSubstr;

constexpr char kScenario[] = "tests/data/deal/host-partner.yaml";

constexpr char kSweepScenario[] = "tests/data/scale/small-risk.yaml";

// The JSON report without its timings (seconds and solve_seconds fields).
std::string WithoutTimings(const std::string& json_text) {
  std::istringstream in(json_text);
  std::string kept;
  for (std::string line; std::getline(in, line);) {
    if (line.find("\"seconds\"") == std::string::npos && line.find("\"solve_seconds\"") == std::string::npos)
      kept += line + "\n";
  }
  return kept;
}

// The sweeps' points in worker processes give the report they give one
// after another in this process, byte for byte (timings aside). The node
// limit makes every solve work-limited; the time limits, the sweep points'
// included, are far enough out to stay a safety net on a sanitizer build
// under load.
TEST(DealCommandTest, SweepsInTwoWorkerProcessesGiveTheSameReportAsInOne) {
  const std::string args = std::string("deal ") + kSweepScenario +
                           " --contract ev-at-home --fees 0:3000:4 --sweep --max-nodes 200 --time-limit 60 "
                           "--sweep-time-limit 60 "
                           "--format json --no-progress --jobs ";
  const CliRun one = RunCobuild(args + "1");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const CliRun two = RunCobuild(args + "2");
  ASSERT_EQ(two.exit_code, 0) << two.err;
  const auto j = nlohmann::json::parse(one.out);
  ASSERT_EQ(j["fee_sweep"]["points"].size(), 4u);
  ASSERT_EQ(j["tariff_sweep"]["points"].size(), 5u);
  EXPECT_EQ(WithoutTimings(one.out), WithoutTimings(two.out));
}

// A worker process killed while it solves a fee point fails the run with
// an error naming it and the point, exit 1, and no worker is left running.
TEST(DealCommandTest, AWorkerKilledMidSweepFailsTheRunAndLeavesNoProcess) {
  const char* bin = std::getenv("COBUILD_BIN");
  ASSERT_NE(bin, nullptr) << "COBUILD_BIN is not set; run through ctest";
  const auto dir = CliTempDir() / "deal-kill";
  std::filesystem::create_directories(dir);
  // 101 fee points keep two workers busy for a second or more; one of them is killed
  // 0.3 s after the workers appear, the other is recorded to check it ends.
  const std::string script =
      std::string(bin) + " deal " + kSweepScenario +
      " --contract ev-at-home --fees 0:3000:101 --max-nodes 200 --time-limit 60 --no-progress --jobs 2 >" +
      (dir / "out").string() + " 2>" + (dir / "err").string() +
      " & p=$!; kids=''; for i in $(seq 1 3000); do kids=$(cat /proc/$p/task/*/children 2>/dev/null); "
      "[ -n \"$kids\" ] && break; sleep 0.01; done; sleep 0.3; kids=$(cat /proc/$p/task/*/children "
      "2>/dev/null); set -- $kids; kill -9 $1; wait $p; code=$?; echo \"$code $kids\" >" +
      (dir / "status").string();
  ASSERT_EQ(std::system(("bash -c '" + script + "'").c_str()), 0);
  std::istringstream status(SlurpFile(dir / "status"));
  int exit_code = -1;
  status >> exit_code;
  std::vector<int> workers;
  for (int pid; status >> pid;) workers.push_back(pid);
  ASSERT_EQ(workers.size(), 2u) << "expected two worker processes to kill one of";
  EXPECT_EQ(exit_code, 1);
  const std::string err = SlurpFile(dir / "err");
  EXPECT_THAT(err, HasSubstr("was killed by signal 9"));
  EXPECT_THAT(err, HasSubstr("while solving item"));
  // The other worker was killed and reaped by cobuild before it exited.
  for (int pid : workers) {
    EXPECT_FALSE(std::filesystem::exists("/proc/" + std::to_string(pid))) << "worker " << pid << " left";
  }
}

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

// `plan --without-contract` plans as the deal plans its plan without the
// contract: a plan file check-plan accepts, whose basis names the contract
// left out, with the deal's objective without it (the hand-worked GBP
// 175.8m + 61.5m; both solves are optimal).
TEST(DealCommandTest, PlanWithoutContractWritesThePlanTheDealSolvesWithoutIt) {
  const auto dir = CliTempDir() / "plan-without-contract";
  const CliRun plan =
      RunCobuild(std::string("plan ") + kScenario +
                 " --without-contract host-builds-partner --no-progress --out " + dir.string());
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_THAT(plan.out, HasSubstr("Without contract host-builds-partner"));
  const CliRun check =
      RunCobuild(std::string("check-plan ") + kScenario + " " + (dir / "plan.json").string());
  EXPECT_EQ(check.exit_code, 0) << check.err;
  const auto written = nlohmann::json::parse(SlurpFile(dir / "plan.json"));
  EXPECT_EQ(written["basis"]["excluded_contracts"], nlohmann::json::array({"host-builds-partner"}));
  EXPECT_NEAR(written["objective_gbp"].get<double>(), 237.3e6, 1);
  const CliRun deal =
      RunCobuild(std::string("deal ") + kScenario + " --contract host-builds-partner --format json");
  ASSERT_EQ(deal.exit_code, 0) << deal.err;
  EXPECT_EQ(nlohmann::json::parse(deal.out)["plans"]["without"]["objective_gbp"], written["objective_gbp"]);

  const CliRun bad = RunCobuild(std::string("plan ") + kScenario + " --without-contract host-builds-partnr");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--without-contract: contract: expected a contract"));
  EXPECT_THAT(bad.err, HasSubstr("did you mean 'host-builds-partner'"));
  const CliRun both = RunCobuild(std::string("plan ") + kScenario +
                                 " --without-contract host-builds-partner --exclude-brand hostbrand");
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_THAT(both.err, HasSubstr("--without-contract and --exclude-brand"));
}

// `plan` and `plan --without-contract` into `dir`/with and `dir`/without,
// each given a looser bound than a solve proves (status feasible, bound GBP
// 100,000 above the objective): a report that shows those bounds took the
// files and solved neither plan again.
void WriteLooseDealPlans(const std::filesystem::path& dir, const std::string& scenario) {
  for (const auto& [name, option] : {std::pair{"with", ""}, std::pair{"without",
                                                                      " --without-contract "
                                                                      "host-builds-partner"}}) {
    const CliRun plan = RunCobuild("plan " + scenario + std::string(option) + " --no-progress --out " +
                                   (dir / name).string());
    ASSERT_EQ(plan.exit_code, 0) << plan.err;
    auto given = nlohmann::json::parse(SlurpFile(dir / name / "plan.json"));
    ASSERT_EQ(given["status"], "optimal");
    const double objective = given["objective_gbp"].get<double>();
    given["status"] = "feasible";
    given["bound_gbp"] = objective + 100000;
    given["gap"] = 100000 / objective;
    std::ofstream(dir / (std::string(name) + ".json")) << given.dump();
  }
}

// `--plan` and `--plan-without` (make demo): the report's two plans are the
// files' own, objective and bound exactly, marked as not solved, and the fee
// terms the hand-worked ones; a deal that solves them says it did.
TEST(DealCommandTest, PlanAndPlanWithoutFilesStandForBothPlansWithoutASolve) {
  const auto dir = CliTempDir() / "deal-plan-and-without";
  WriteLooseDealPlans(dir, kScenario);
  const CliRun r = RunCobuild(std::string("deal ") + kScenario + " --contract host-builds-partner --plan " +
                              (dir / "with.json").string() + " --plan-without " +
                              (dir / "without.json").string() + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* side : {"with", "without"}) {
    SCOPED_TRACE(side);
    const auto file = nlohmann::json::parse(SlurpFile(dir / (std::string(side) + ".json")));
    const auto& plan = j["plans"][side];
    EXPECT_EQ(plan["objective_gbp"].get<double>(), file["objective_gbp"].get<double>());
    EXPECT_EQ(plan["bound_gbp"].get<double>(), file["bound_gbp"].get<double>());
    EXPECT_EQ(plan["status"], "feasible");
    EXPECT_EQ(plan["solved"], false);
    EXPECT_TRUE(plan["checker_violations"].empty());
  }
  EXPECT_NEAR(j["terms"]["host_break_even_fee_gbp"].get<double>(), 125, 0.01);
  EXPECT_NEAR(j["terms"]["partner_max_fee_gbp"].get<double>(), 2675, 0.01);

  const CliRun table =
      RunCobuild(std::string("deal ") + kScenario + " --contract host-builds-partner --plan " +
                 (dir / "with.json").string() + " --plan-without " + (dir / "without.json").string());
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("passes the plan checker (" + (dir / "without.json").string() + ")"));

  const CliRun solved =
      RunCobuild(std::string("deal ") + kScenario + " --contract host-builds-partner --format json");
  ASSERT_EQ(solved.exit_code, 0) << solved.err;
  const auto k = nlohmann::json::parse(solved.out);
  EXPECT_EQ(k["plans"]["with"]["solved"], true);
  EXPECT_EQ(k["plans"]["without"]["solved"], true);
}

// A file that is not the plan without this contract is refused, exit 2,
// naming the file and what differs: the plan with the contract, a plan
// without another contract, a file that does not parse.
TEST(DealCommandTest, PlanWithoutFileNotMadeWithoutTheContractExitsTwo) {
  const auto dir = CliTempDir() / "deal-plan-without-refused";
  WriteLooseDealPlans(dir, kScenario);
  const std::string deal = std::string("deal ") + kScenario + " --contract host-builds-partner";
  const std::string with = (dir / "with.json").string();
  const CliRun made_with = RunCobuild(deal + " --plan-without " + with);
  EXPECT_EQ(made_with.exit_code, 2);
  EXPECT_THAT(made_with.err, HasSubstr("--plan-without " + with +
                                       ": the plan given as the plan without contract host-builds-partner "
                                       "was made with it"));

  // A second contract (the partner building the host's cars at its own
  // plant) and a plan without it instead.
  const auto two = dir / "two-contracts.yaml";
  std::ofstream(two) << SlurpFile(kScenario)
                     << "  - {id: partner-builds-host, host: partner, partner: host, brands: [hostbrand], "
                        "plants: [away], fee_per_car_gbp: 500}\n";
  const CliRun other = RunCobuild("plan " + two.string() + " --without-contract partner-builds-host --out " +
                                  (dir / "other").string() + " --no-progress");
  ASSERT_EQ(other.exit_code, 0) << other.err;
  const std::string other_file = (dir / "other" / "plan.json").string();
  const CliRun wrong =
      RunCobuild("deal " + two.string() + " --contract host-builds-partner --plan-without " + other_file);
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_THAT(wrong.err, HasSubstr("--plan-without " + other_file +
                                   ": the plan given as the plan without contract host-builds-partner was "
                                   "made without contract partner-builds-host"));

  const auto broken = dir / "broken.json";
  std::ofstream(broken) << SlurpFile(dir / "without.json").substr(0, 200);
  const CliRun cut = RunCobuild(deal + " --plan-without " + broken.string());
  EXPECT_EQ(cut.exit_code, 2);
  EXPECT_THAT(cut.err, HasSubstr("--plan-without " + broken.string()));
  EXPECT_THAT(cut.err, HasSubstr("not valid JSON"));
  const CliRun missing = RunCobuild(deal + " --plan-without /nonexistent-without.json");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("/nonexistent-without.json"));
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
