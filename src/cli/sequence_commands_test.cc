// Runs the cobuild binary (COBUILD_BIN) on the sequencing commands and
// checks exit codes and the output contract.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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
  EXPECT_EQ(Cobuild("evaluate " + kData + "tiny_roadef " + kData + "broken/solution_repeat.txt").exit_code, 2);
  EXPECT_EQ(Cobuild("bound --csplib " + kData + "broken/csplib_truncated.txt").exit_code, 2);
  EXPECT_EQ(Cobuild("sequence " + kData + "does_not_exist --time-limit 1").exit_code, 2);
  EXPECT_EQ(Cobuild("sequence " + kData + "tiny_roadef --threads 0").exit_code, 2);
  EXPECT_EQ(Cobuild("evaluate").exit_code, 2);
}

TEST(SequenceCommandsTest, SequenceWritesAnOrderThatEvaluateReadsBack) {
  const std::filesystem::path out = std::filesystem::temp_directory_path() / "cobuild_sequence_cli_test.txt";
  CommandRun run = Cobuild("sequence " + kData + "tiny_roadef --max-evals 100000 --time-limit 30 --seed 3 --quiet --out " +
                    out.string() + " --format json");
  ASSERT_EQ(run.exit_code, 0);
  auto j = nlohmann::json::parse(run.out);
  for (const char* key : {"instance", "cars", "input_score", "score", "criteria", "lower_bound", "gap",
                          "rank1_optimal", "seconds", "move_evals", "move_evals_per_s", "seed", "snapshots"}) {
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
  CommandRun run = Cobuild("sequence --csplib " + kData + "4_72.txt --max-evals 20000000 --time-limit 50 --quiet --format json");
  ASSERT_EQ(run.exit_code, 0);
  auto j = nlohmann::json::parse(run.out);
  EXPECT_EQ(j["criteria"]["violations"], 0);
  EXPECT_EQ(j["score"], 0);
}

}  // namespace
