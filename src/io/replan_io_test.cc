#include "io/replan_io.h"

#include <gtest/gtest.h>

#include "plan/test_scenarios.h"

namespace cobuild::io {
namespace {

// Two draws, `failed` of them with an error; percentiles as Risk() leaves
// them (over the draws that succeeded).
replan::RiskResult Draws(int failed) {
  replan::RiskResult r;
  r.baseline_contribution_gbp = 100;
  for (int i = 0; i < 2; ++i) {
    replan::RiskSample s{.index = i, .contribution_gbp = 90.0 + i};
    if (i < failed) s.error = "recovery solve: no plan within the limit";
    r.samples.push_back(s);
  }
  r.failed_samples = failed;
  if (failed < 2) r.contribution_gbp = {.p10 = 91, .p50 = 91, .p90 = 91};
  return r;
}

TEST(RiskJsonTest, NoPercentilesWhenEveryDrawFailed) {
  const model::Scenario s = plan::testing::MiniUk();
  const nlohmann::json j = RiskJson(s, Draws(2));
  EXPECT_EQ(j["failed_samples"], 2);
  for (const char* key :
       {"contribution_gbp", "disrupted_contribution_gbp", "units_lost", "disrupted_units_lost"}) {
    EXPECT_TRUE(j[key].is_null()) << key << " = " << j[key].dump();
  }
  EXPECT_EQ(j["draws"][0]["error"], "recovery solve: no plan within the limit");
}

TEST(RiskJsonTest, PercentilesOfTheDrawsThatSucceeded) {
  const model::Scenario s = plan::testing::MiniUk();
  const nlohmann::json j = RiskJson(s, Draws(1));
  EXPECT_EQ(j["failed_samples"], 1);
  ASSERT_TRUE(j["contribution_gbp"].is_object());
  EXPECT_EQ(j["contribution_gbp"]["p50"], 91.0);
  EXPECT_FALSE(j["draws"][1].contains("error"));
}

}  // namespace
}  // namespace cobuild::io
