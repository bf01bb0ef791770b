// Runs `cobuild replan`, `compare` and `risk` as a user would: exit codes,
// error messages, JSON output.
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

constexpr const char* kSmall = "tests/data/scenarios/small.yaml";

TEST(ReplanCommandsTest, ReplanSolvesTheBaselineFirstAndReportsJson) {
  CliRun r = RunCobuild(std::string("replan ") + kSmall +
                        " --event 'outage plants=home from=2026-03-02 to=2026-03-27' --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("no --baseline given: solving the baseline plan of small first"));
  // The replan job's result document: the three plans' views and the report.
  const auto result = nlohmann::json::parse(r.out);
  const auto& report = result["report"];
  EXPECT_EQ(report["replanned_from"], "2026-03");
  EXPECT_GT(report["units_lost"]["disrupted"].get<double>(), 100);
  EXPECT_EQ(result["events"][0], "outage id=cli-1 from=2026-03-02 to=2026-03-27 plants=home");
  EXPECT_FALSE(report["losses"]["by_month"].empty());
  for (const char* plan : {"baseline", "disrupted", "recovered"}) {
    EXPECT_TRUE(result[plan]["utilization"].contains("share")) << plan;
    EXPECT_TRUE(result[plan]["plan"].contains("production")) << plan;
  }
}

TEST(ReplanCommandsTest, ReplanFromAPlanFileWritesThreePlans) {
  const fs::path dir = CliTempDir() / "plans";
  CliRun plan = RunCobuild(std::string("plan ") + kSmall + " --out " + dir.string());
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  CliRun r =
      RunCobuild(std::string("replan ") + kSmall + " --baseline " + (dir / "plan.json").string() +
                 " --event 'rate-reduction plant=overseas output_lost_share=0.5 from=2026-05 to=2026-06'" +
                 " --out " + (dir / "replan").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Three plans side by side"));
  EXPECT_THAT(r.out,
              HasSubstr("Disrupted plan passes the plan checker; recovered plan passes the plan checker."));
  for (const char* file : {"baseline.json", "disrupted.json", "recovered.json", "report.json"}) {
    EXPECT_TRUE(fs::exists(dir / "replan" / file)) << file;
  }
  // The baseline written back is the plan file read in: check-plan accepts it.
  CliRun check =
      RunCobuild(std::string("check-plan ") + kSmall + " " + (dir / "replan" / "baseline.json").string());
  EXPECT_EQ(check.exit_code, 0) << check.err;
}

// The demo's path on the default scenario, whose Halewood line has a binding
// high-priority station: the plan file's rounded units, frozen before the
// cyber-attack, must still make a feasible recovery.
TEST(ReplanCommandsTest, DefaultScenarioCyberAttackFromAPlanFile) {
  const std::string scenario = "scenarios/uk-2026.yaml";
  const fs::path dir = CliTempDir() / "default";
  CliRun plan = RunCobuild("plan " + scenario + " --time-limit 30 --max-nodes 0 --out " + dir.string());
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  CliRun r = RunCobuild("replan " + scenario + " --baseline " + (dir / "plan.json").string() + " --out " +
                        (dir / "replan").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("recovered plan passes the plan checker"));
}

// Every plan file cobuild writes is read and checked by every command that
// reads plans: check-plan, compare and replan --baseline, for a baseline
// (JSON and CSV), a plan without a brand, the three plans of a replan, and
// the replan of a recovered plan (its lever use and events in the file).
TEST(ReplanCommandsTest, EveryPlanFileRoundTripsThroughEveryCommand) {
  const std::string scenario = "scenarios/uk-2026.yaml";
  const fs::path dir = CliTempDir() / "round-trip";
  const std::string base = (dir / "base").string();
  const std::string without = (dir / "without").string();
  ASSERT_EQ(RunCobuild("plan " + scenario + " --max-nodes 0 --out " + base).exit_code, 0);
  CliRun plan = RunCobuild("plan " + scenario + " --max-nodes 0 --exclude-brand omoda --out " + without);
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  CliRun r =
      RunCobuild("replan " + scenario + " --baseline " + base + "/plan.json --out " + (dir / "r1").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Cost of the events per company, like for like"));
  // A second replan on top of the recovery, from files.
  CliRun again = RunCobuild("replan " + scenario + " --baseline " + (dir / "r1" / "recovered.json").string() +
                            " --event 'outage plants=halewood from=2027-03-01 to=2027-03-12' --out " +
                            (dir / "r2").string());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("months before 2027-03 frozen at the baseline"));
  EXPECT_THAT(again.out, HasSubstr("recovered plan passes the plan checker"));
  CliRun excluded = RunCobuild("replan " + scenario + " --baseline " + without + "/plan.json --out " +
                               (dir / "r3").string());
  ASSERT_EQ(excluded.exit_code, 0) << excluded.err;
  // A contract change splits the contract (a new one from 2028): the plan
  // file's shortfall names it, and readers resolve it with the events applied.
  // A minimum beyond every UK line's capacity makes the shortfall certain.
  CliRun contract =
      RunCobuild("replan " + scenario + " --baseline " + base + "/plan.json --ignore-scenario-events" +
                 " --event 'contract-change contract=jlr-builds-chery min_units_per_year=1000000 "
                 "max_units_per_year=1000000 from=2028'" +
                 " --out " + (dir / "r4").string());
  ASSERT_EQ(contract.exit_code, 0) << contract.err;
  EXPECT_THAT(SlurpFile(dir / "r4" / "recovered.json"), HasSubstr("jlr-builds-chery-from-2028"));
  const nlohmann::json recovered = nlohmann::json::parse(SlurpFile(dir / "r1" / "recovered.json"));
  EXPECT_EQ(recovered["basis"]["events"].size(), 1u);
  EXPECT_EQ(recovered["basis"]["frozen_before"], "2026-10");
  EXPECT_EQ(nlohmann::json::parse(SlurpFile(dir / "r2" / "recovered.json"))["basis"]["events"].size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(SlurpFile(fs::path(without) / "plan.json"))["basis"]["excluded_brands"][0],
            "omoda");
  for (const fs::path& file :
       {fs::path(base) / "plan.json", fs::path(base) / "plan.csv", fs::path(without) / "plan.json",
        fs::path(without) / "plan.csv", dir / "r1" / "baseline.json", dir / "r1" / "disrupted.json",
        dir / "r1" / "recovered.json", dir / "r2" / "recovered.json", dir / "r3" / "recovered.json",
        dir / "r4" / "recovered.json"}) {
    CliRun check = RunCobuild("check-plan " + scenario + " " + file.string());
    EXPECT_EQ(check.exit_code, 0) << file << ": " << check.err;
    CliRun compare = RunCobuild("compare " + (fs::path(base) / "plan.json").string() + " " + file.string() +
                                " --scenario " + scenario);
    EXPECT_EQ(compare.exit_code, 0) << file << ": " << compare.err;
  }
  // Lever use beyond the scenario's limits is refused by name.
  nlohmann::json over = recovered;
  for (auto& e : over["shifts"]) e["weekend_days"] = 9;
  const fs::path bad = dir / "over.json";
  std::ofstream(bad) << over.dump();
  CliRun refused = RunCobuild("check-plan " + scenario + " " + bad.string());
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("9 weekend days, the scenario's levers allow 0..4"));
  // A plan made with other levers than the scenario's is refused.
  nlohmann::json other = recovered;
  other["basis"]["levers"]["extra_shifts_per_day"] = 2;
  const fs::path bad_levers = dir / "levers.json";
  std::ofstream(bad_levers) << other.dump();
  CliRun mismatch = RunCobuild("check-plan " + scenario + " " + bad_levers.string());
  EXPECT_EQ(mismatch.exit_code, 2);
  EXPECT_THAT(mismatch.err, HasSubstr("the plan was made with levers extra_shifts_per_day=2"));
}

TEST(ReplanCommandsTest, UnknownPlantIsExitTwoWithASuggestion) {
  CliRun r = RunCobuild(std::string("replan ") + kSmall +
                        " --event 'outage plants=hom from=2026-03-02 to=2026-03-27'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--event 1: plants[0]: unknown plant \"hom\" (did you mean 'home'?)"));
  EXPECT_EQ(r.out, "");
}

TEST(ReplanCommandsTest, EventOutsideTheHorizonIsExitTwo) {
  CliRun r = RunCobuild(std::string("replan ") + kSmall +
                        " --event 'outage plants=home from=2027-03-02 to=2027-03-27'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("from: 2027-03-02 is outside the horizon 2026-01-01 to 2026-12-31"));
}

TEST(ReplanCommandsTest, NoEventsIsExitTwo) {
  CliRun r = RunCobuild(std::string("replan ") + kSmall);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("no events to replan for"));
}

TEST(ReplanCommandsTest, ConflictingEventsAreExitTwo) {
  CliRun r = RunCobuild(std::string("replan ") + kSmall +
                        " --event 'tariff-change origin=CN market=UK rate=0.2 from=2026-03'"
                        " --event 'tariff-change origin=CN market=UK rate=0.3 from=2026-06'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("both set the rate on cars from CN into UK"));
}

TEST(ReplanCommandsTest, CompareAPlanWithItselfShowsNoChange) {
  const fs::path dir = CliTempDir() / "compare";
  ASSERT_EQ(RunCobuild(std::string("plan ") + kSmall + " --out " + dir.string()).exit_code, 0);
  const std::string plan = (dir / "plan.json").string();
  CliRun r = RunCobuild("compare " + plan + " " + plan + " --scenario " + kSmall + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto c = nlohmann::json::parse(r.out);
  ASSERT_FALSE(c["rows"].empty());
  for (const auto& row : c["rows"]) EXPECT_EQ(row["change"].get<double>(), 0) << row.dump();
  // The API compare job's keys: each side's source and cars per plant and month.
  EXPECT_EQ(c["a_source"], plan);
  EXPECT_EQ(c["plant_months"]["a_built"], c["plant_months"]["b_built"]);
  EXPECT_FALSE(c["plant_months"]["plants"].empty());
  CliRun missing = RunCobuild("compare " + plan + " " + plan);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("a plan file needs its scenario"));
}

TEST(ReplanCommandsTest, RiskWithoutDistributionsIsExitTwo) {
  CliRun r = RunCobuild(std::string("risk ") + kSmall + " --samples 3");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("no `risk:` distributions"));
}

// `plan --format json` is the plan job's result document (the summary the
// table shows, with the plan file under "plan"): check-plan reads it back as
// a plan.
TEST(PlanCommandTest, JsonIsThePlanResultDocument) {
  CliRun plan = RunCobuild(std::string("plan ") + kSmall + " --time-limit 30 --format json");
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  const auto j = nlohmann::json::parse(plan.out);
  EXPECT_EQ(j["plant_years"].size(), 2u);  // two plants, one year
  EXPECT_EQ(j["markets"].size(), 2u);
  EXPECT_TRUE(j["utilization"].contains("share"));
  EXPECT_TRUE(j["plan"].contains("production"));
  const fs::path file = CliTempDir() / "plan-result.json";
  std::ofstream(file) << plan.out;
  CliRun check = RunCobuild(std::string("check-plan ") + kSmall + " " + file.string());
  EXPECT_EQ(check.exit_code, 0) << check.err;
}

}  // namespace
}  // namespace cobuild::cli
