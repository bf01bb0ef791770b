// Runs the cobuild binary (COBUILD_BIN) on the sequencing commands and
// checks exit codes and the output contract.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_test_util.h"

namespace {

struct CommandRun {
  int exit_code = -1;
  std::string out;
};

CommandRun Cobuild(const std::string& args) {
  const char* bin = std::getenv("COBUILD_BIN");
  EXPECT_NE(bin, nullptr) << "COBUILD_BIN not set";
  CommandRun run;
  if (bin == nullptr) return run;
  FILE* pipe = popen((std::string(bin) + " " + args + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  size_t got;
  while ((got = fread(buffer, 1, sizeof buffer, pipe)) > 0) run.out.append(buffer, got);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

const std::string kData = "tests/data/carseq/";

TEST(SequenceCommandsTest, EvaluateScoresTheInputOrderAndASolution) {
  CommandRun run = Cobuild("evaluate " + kData + "tiny_roadef --format json");
  ASSERT_EQ(run.exit_code, 0);
  auto j = nlohmann::json::parse(run.out);
  EXPECT_EQ(j["score"], 1003002);
  run = Cobuild("evaluate " + kData + "tiny_roadef " + kData + "tiny_roadef_solution.txt --format json");
  ASSERT_EQ(run.exit_code, 0);
  j = nlohmann::json::parse(run.out);
  EXPECT_EQ(j["score"], 5002);
  EXPECT_EQ(j["criteria"]["colour_changes"], 5);
  EXPECT_EQ(j["lower_bound"]["score"], 3000);
}

TEST(SequenceCommandsTest, BadInputExitsWithTwo) {
  EXPECT_EQ(Cobuild("evaluate " + kData + "broken/bad_flag").exit_code, 2);
  EXPECT_EQ(Cobuild("evaluate " + kData + "tiny_roadef " + kData + "broken/solution_repeat.txt").exit_code,
            2);
  EXPECT_EQ(Cobuild("bound --csplib " + kData + "broken/csplib_truncated.txt").exit_code, 2);
  EXPECT_EQ(Cobuild("sequence " + kData + "does_not_exist --time-limit 1").exit_code, 2);
  EXPECT_EQ(Cobuild("sequence " + kData + "tiny_roadef --threads 0").exit_code, 2);
  EXPECT_EQ(Cobuild("evaluate").exit_code, 2);
}

TEST(SequenceCommandsTest, SequenceWritesAnOrderThatEvaluateReadsBack) {
  const std::filesystem::path out = std::filesystem::temp_directory_path() / "cobuild_sequence_cli_test.txt";
  CommandRun run =
      Cobuild("sequence " + kData + "tiny_roadef --max-evals 100000 --time-limit 30 --seed 3 --quiet --out " +
              out.string() + " --format json");
  ASSERT_EQ(run.exit_code, 0);
  auto j = nlohmann::json::parse(run.out);
  for (const char* key :
       {"instance", "cars", "input_score", "score", "criteria", "lower_bound", "gap", "rank1_optimal",
        "seconds", "move_evals", "move_evals_per_s", "seed", "snapshots"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["score"], 3000);  // The optimum, equal to the lower bound.
  EXPECT_TRUE(j["rank1_optimal"]);
  CommandRun check = Cobuild("evaluate " + kData + "tiny_roadef " + out.string() + " --format json");
  std::filesystem::remove(out);
  ASSERT_EQ(check.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(check.out)["score"], j["score"]);
}

TEST(SequenceCommandsTest, CsplibRunReportsViolations) {
  CommandRun run = Cobuild("sequence --csplib " + kData +
                           "4_72.txt --max-evals 20000000 --time-limit 50 --quiet --format json");
  ASSERT_EQ(run.exit_code, 0);
  auto j = nlohmann::json::parse(run.out);
  EXPECT_EQ(j["criteria"]["violations"], 0);
  EXPECT_EQ(j["score"], 0);
}

TEST(SequenceCommandsTest, EvaluateTakesASolutionBesideCsplib) {
  const std::string order = (cobuild::cli::CliTempDir() / "csplib_order.txt").string();
  CommandRun run =
      Cobuild("sequence --csplib " + kData + "4_72.txt --max-evals 20000 --time-limit 30 --quiet --out " +
              order + " --format json");
  ASSERT_EQ(run.exit_code, 0);
  CommandRun check = Cobuild("evaluate --csplib " + kData + "4_72.txt " + order + " --format json");
  ASSERT_EQ(check.exit_code, 0) << check.out;
  EXPECT_EQ(nlohmann::json::parse(check.out)["score"], nlohmann::json::parse(run.out)["score"]);
  EXPECT_EQ(nlohmann::json::parse(check.out)["solution"], order);
}

// The plan form: --scenario FILE --plan PLAN --line LINE --date YYYY-MM-DD.
class PlanDayCommandTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // The line day is taken from a plan that passes the plan checker (every
    // plan a command starts from is re-checked): the default scenario's
    // plan at the root (no branching), about ten seconds.
    auto plan = cobuild::cli::RunCobuild("plan scenarios/uk-2026.yaml --max-nodes 0 --time-limit 300 --out " +
                                         (cobuild::cli::CliTempDir() / "uk").string());
    ASSERT_EQ(plan.exit_code, 0) << plan.err;
    auto small = cobuild::cli::RunCobuild("plan tests/data/scenarios/small.yaml --time-limit 300 --out " +
                                          (cobuild::cli::CliTempDir() / "small").string());
    ASSERT_EQ(small.exit_code, 0) << small.err;
  }
  static std::string UkPlan() { return (cobuild::cli::CliTempDir() / "uk" / "plan.json").string(); }
  static std::string SmallPlan() { return (cobuild::cli::CliTempDir() / "small" / "plan.json").string(); }
  static std::string Uk(const std::string& rest) {
    return "sequence --scenario scenarios/uk-2026.yaml --plan " + UkPlan() + " --quiet " + rest;
  }
};

TEST_F(PlanDayCommandTest, PrintsTheDaysCarsCriteriaAndWindows) {
  const std::string csv = (cobuild::cli::CliTempDir() / "day.csv").string();
  auto run = cobuild::cli::RunCobuild(Uk(
      "--line halewood-2 --date 2027-03-10 --max-evals 200000 --time-limit 30 --format json --out " + csv));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = nlohmann::json::parse(run.out);
  EXPECT_EQ(j["line"], "halewood-2");
  EXPECT_EQ(j["previous_date"], "2027-03-09");
  EXPECT_EQ(j["previous_day_tail"].size(), 4u);
  ASSERT_EQ(j["cars"].size(), j["day_cars"].get<size_t>());
  EXPECT_GT(j["day_cars"].get<int>(), 300);
  for (const auto& car : j["cars"]) {
    for (const char* key : {"position", "variant", "brand", "paint", "options"})
      ASSERT_TRUE(car.contains(key)) << key;
  }
  EXPECT_LE(j["bound"].get<int64_t>(), j["score"].get<int64_t>());
  for (const char* key : {"hprc", "lprc", "colour_changes"}) EXPECT_TRUE(j["criteria"].contains(key)) << key;
  int64_t excess = 0;
  for (const auto& w : j["overloaded_windows"]) {
    EXPECT_GE(w["start"].get<int>(), 0);
    EXPECT_LT(w["start"].get<int>(), w["end"].get<int>());
    EXPECT_LE(w["end"].get<int>(), j["day_cars"].get<int>());
    // A window spans at most its station's P cars, D-1 cars included.
    EXPECT_LE(w["end"].get<int>() - w["start"].get<int>() + w["previous_day_cars"].get<int>(), 5);
    excess += w["excess"].get<int64_t>();
  }
  EXPECT_EQ(excess, j["criteria"]["hprc"].get<int64_t>() + j["criteria"]["lprc"].get<int64_t>());
  // Per station: the day's option cars and the excess no order avoids (at most the achieved one).
  EXPECT_EQ(j["stations"][0]["id"], "battery-marriage");
  EXPECT_LE(j["stations"][0]["min_excess"].get<int64_t>(), j["criteria"]["hprc"].get<int64_t>());
  EXPECT_GT(j["stations"][0]["option_cars"].get<int>(), 0);
  const std::string written = cobuild::cli::SlurpFile(csv);
  EXPECT_EQ(written.rfind("position,variant,brand,paint,options\n1,", 0), 0u) << written.substr(0, 80);
  EXPECT_EQ(std::count(written.begin(), written.end(), '\n'), j["day_cars"].get<int>() + 1);

  // Same seed and work limit: the same day, car for car.
  auto again = cobuild::cli::RunCobuild(
      Uk("--line halewood-2 --date 2027-03-10 --max-evals 200000 --time-limit 30 --format json"));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(nlohmann::json::parse(again.out)["cars"], j["cars"]);

  auto table =
      cobuild::cli::RunCobuild(Uk("--line halewood-1 --date 2027-03-10 --max-evals 100000 --time-limit 30"));
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out,
              ::testing::HasSubstr("line halewood-1 (halewood) on 2027-03-10, working day 8 of 21"));
  EXPECT_THAT(table.out, ::testing::HasSubstr("overloaded station windows: "));
  EXPECT_THAT(table.out, ::testing::HasSubstr("excess at least"));
  // The day's cars, one row each (which variants run that day depends on
  // the default scenario's plan, which every model feature moves).
  EXPECT_THAT(table.out, ::testing::HasSubstr("position  variant"));
  EXPECT_THAT(table.out, ::testing::ContainsRegex("\n +1  [a-z0-9-]+ "));
}

TEST_F(PlanDayCommandTest, BrokenRequestsExitWithTwoAndSayWhy) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {Uk("--line halewod-2 --date 2027-03-10"),
       "line: expected a line of scenario uk-2026 (halewood-1, halewood-2, "},
      {Uk("--line halewod-2 --date 2027-03-10"), "got \"halewod-2\" (did you mean 'halewood-2'?)"},
      {Uk("--line solihull-1 --date 2027-03-10"), "line solihull-1: expected stations"},
      {Uk("--line halewood-2 --date 2027-03-14"), "got 2027-03-14, a Sunday"},
      {Uk("--line halewood-2 --date 2030-01-07"),
       "date: expected a date in the horizon 2026-01 to 2028-12, got 2030-01-07"},
      {Uk("--line halewood-2 --date 10/03/2027"), "date: expected a date as YYYY-MM-DD, got \"10/03/2027\""},
      {"sequence --scenario scenarios/uk-2026.yaml --plan " + SmallPlan() +
           " --line halewood-2 --date 2027-03-10",
       "plan: expected a plan of scenario \"uk-2026\", got one of \"small\""},
      {"sequence --scenario scenarios/uk-2026.yaml --line halewood-2 --date 2027-03-10",
       "--plan: expected a plan file"},
      {"sequence --plan " + UkPlan() + " --line halewood-2 --date 2027-03-10",
       "--plan: expected --scenario FILE beside it"},
      {Uk("--line halewood-2"), "--date: expected a working day as YYYY-MM-DD, got none"},
      {Uk(kData + "tiny_roadef --line halewood-2 --date 2027-03-10"),
       "INSTANCE_DIR: expected none with --scenario"},
      {"sequence --scenario scenarios/uk-2026.yaml --plan /nonexistent/plan.json --line halewood-2 --date "
       "2027-03-10",
       "cannot open the plan file"},
  };
  for (const auto& [args, message] : cases) {
    auto run = cobuild::cli::RunCobuild(args);
    EXPECT_EQ(run.exit_code, 2) << args << "\n" << run.err;
    EXPECT_THAT(run.err, ::testing::HasSubstr(message)) << args;
    EXPECT_THAT(run.err, ::testing::StartsWith("error: ")) << args;
  }
}

TEST_F(PlanDayCommandTest, SmallScenarioDayRuns) {
  auto run = cobuild::cli::RunCobuild(
      "sequence --scenario tests/data/scenarios/small.yaml --plan " + SmallPlan() +
      " --line home-1 --date 2026-03-02 --max-evals 50000 --time-limit 30 --quiet --format json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = nlohmann::json::parse(run.out);
  EXPECT_EQ(j["previous_date"], "2026-02-27");
  EXPECT_LE(j["previous_day_tail"].size(), 4u);  // at most P - 1 of the 2-in-5 station
  // Every suv1-phev needs the soft battery station (2 in 5): the bound says how much excess is unavoidable.
  EXPECT_EQ(j["criteria"]["hprc"], 0);
  EXPECT_GT(j["criteria"]["lprc"].get<int64_t>(), 0);
  EXPECT_EQ(j["criteria"]["lprc"], j["lower_bound"]["lprc"]);
}

std::string SmallMonth(const std::string& rest) {
  return "sequence-month --scenario tests/data/scenarios/small.yaml --plan " +
         (cobuild::cli::CliTempDir() / "small" / "plan.json").string() + " " + rest;
}

TEST_F(PlanDayCommandTest, SequenceMonthWritesEveryDayAndATablePerLine) {
  const std::filesystem::path out = cobuild::cli::CliTempDir() / "month";
  auto run = cobuild::cli::RunCobuild(SmallMonth(
      "--month 2026-03 --seed 2 --max-evals 20000 --threads 2 --out " + out.string() + " --format json"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = nlohmann::json::parse(run.out);
  EXPECT_EQ(j, nlohmann::json::parse(cobuild::cli::SlurpFile(out / "summary.json")));
  ASSERT_EQ(j["lines"].size(), 1u);  // home-1; overseas-1 has no stations
  const auto& line = j["lines"][0];
  EXPECT_EQ(line["line"], "home-1");
  int sequenced = 0;
  for (const auto& day : line["days"]) {
    if (day["cars"].get<int>() == 0) continue;
    ++sequenced;
    const std::string csv =
        cobuild::cli::SlurpFile(out / "home-1" / (day["date"].get<std::string>() + ".csv"));
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), day["cars"].get<int>() + 1) << day["date"];
    EXPECT_FALSE(day.contains("csv"));
  }
  EXPECT_EQ(line["totals"]["sequenced_days"], sequenced);
  EXPECT_GE(sequenced, 15);
  // The same month again, one thread: the same summary (seed and work limit only).
  auto again =
      cobuild::cli::RunCobuild(SmallMonth("--month 2026-03 --seed 2 --max-evals 20000 --format json"));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, run.out);
  auto table = cobuild::cli::RunCobuild(SmallMonth("--month 2026-03 --lines home-1 --max-evals 20000"));
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, ::testing::HasSubstr("line home-1 (home) in 2026-03"));
  EXPECT_THAT(table.out, ::testing::HasSubstr("unavoidable excess"));
  EXPECT_THAT(table.out, ::testing::HasSubstr("proved optimal"));
}

TEST_F(PlanDayCommandTest, SequenceMonthBadInputExitsWithTwoAndSaysWhy) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {SmallMonth("--month 2026-13"), "--month: expected a month as YYYY-MM"},
      {SmallMonth("--month 2030-01"),
       "--month: expected a month of the horizon 2026-01 to 2026-12, got 2030-01"},
      {SmallMonth("--month 2026-03 --lines home-2"), "--lines: line: expected a line of scenario small"},
      {SmallMonth("--month 2026-03 --lines overseas-1"), "expected lines with stations"},
      {SmallMonth("--month 2026-03 --max-evals 0"), "--max-evals"},
      {SmallMonth("--month 2026-03 --out /proc/no-such-dir"), "--out"},
      {"sequence-month --scenario tests/data/scenarios/small.yaml --month 2026-03",
       "--plan: expected a plan file"},
      {"sequence-month --plan x.json --month 2026-03", "--scenario: expected a scenario file"},
      {"sequence-month --scenario scenarios/uk-2026.yaml --plan " +
           (cobuild::cli::CliTempDir() / "small" / "plan.json").string() + " --month 2027-03",
       "expected a plan of scenario \"uk-2026\""},
  };
  for (const auto& [args, message] : cases) {
    auto run = cobuild::cli::RunCobuild(args);
    EXPECT_EQ(run.exit_code, 2) << args << "\n" << run.err;
    EXPECT_THAT(run.err, ::testing::HasSubstr(message)) << args;
  }
}

}  // namespace
