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
    EXPECT_TRUE(j["percentiles"][key].is_null()) << key << " = " << j["percentiles"][key].dump();
  }
  EXPECT_EQ(j["draws"][0]["error"], "recovery solve: no plan within the limit");
}

TEST(RiskJsonTest, PercentilesOfTheDrawsThatSucceeded) {
  const model::Scenario s = plan::testing::MiniUk();
  const nlohmann::json j = RiskJson(s, Draws(1));
  EXPECT_EQ(j["failed_samples"], 1);
  ASSERT_TRUE(j["percentiles"]["contribution_gbp"].is_object());
  EXPECT_EQ(j["percentiles"]["contribution_gbp"]["p50"], 91.0);
  // The histogram has the draws that succeeded only.
  EXPECT_EQ(j["distributions"][0]["samples"].size(), 1u);
  EXPECT_FALSE(j["draws"][1].contains("error"));
}

// Hand-made losses: the JSON sums them by month, brand and market as the
// CLI's tables do, leaves rows of zero out, and gives GBP per lever.
TEST(ReplanReportJsonTest, LossesByMonthBrandAndMarketAndGbpPerLever) {
  replan::ReplanResult r;
  r.disrupted_scenario = plan::testing::MiniUk();
  replan::ReplanReport& rep = r.report;
  rep.disrupted_lost = {{.brand = 0, .market = 0, .month = 9, .units = 100},
                        {.brand = 1, .market = 0, .month = 9, .units = 40},
                        {.brand = 0, .market = 1, .month = 10, .units = 60}};
  rep.recovered_lost = {{.brand = 0, .market = 0, .month = 9, .units = 30},
                        {.brand = 0, .market = 0, .month = 11, .units = -30}};
  rep.short_months = {{9, 30}};
  rep.levers = {{.lever = "imports", .units = 50, .value_gbp = 1.5e6}};
  const nlohmann::json j = ReplanReportJson(r);
  const nlohmann::json& by_month = j["losses"]["by_month"];
  ASSERT_EQ(by_month.size(), 3u) << by_month.dump();
  EXPECT_EQ(by_month[0], (nlohmann::json{{"month", "2026-10"}, {"disrupted", 140.0}, {"recovered", 30.0}}));
  EXPECT_EQ(by_month[1]["month"], "2026-11");
  EXPECT_EQ(by_month[2], (nlohmann::json{{"month", "2026-12"}, {"disrupted", 0.0}, {"recovered", -30.0}}));
  const nlohmann::json& by_brand = j["losses"]["by_brand"];
  ASSERT_EQ(by_brand.size(), 2u);
  EXPECT_EQ(by_brand[0], (nlohmann::json{{"brand", "LR"}, {"disrupted", 160.0}, {"recovered", 0.0}}));
  EXPECT_EQ(by_brand[1], (nlohmann::json{{"brand", "OMODA"}, {"disrupted", 40.0}, {"recovered", 0.0}}));
  const nlohmann::json& by_market = j["losses"]["by_market"];
  ASSERT_EQ(by_market.size(), 2u);  // CN has none
  EXPECT_EQ(by_market[0]["market"], "UK");
  EXPECT_EQ(by_market[0]["disrupted"], 140.0);
  EXPECT_EQ(by_market[1]["market"], "EU");
  EXPECT_EQ(j["short_months"], (nlohmann::json::array({{{"month", "2026-10"}, {"units", 30.0}}})));
  EXPECT_EQ(j["recovered_by_lever_gbp"]["imports"], 1.5e6);
}

// Sales after the horizon (horizon_end_value: margin) are losses too: a
// month past the horizon gets its row, and the sums stay inside their
// arrays (it used to write past the end of the months).
TEST(ReplanReportJsonTest, LossesInMonthsAfterTheHorizon) {
  replan::ReplanResult r;
  r.disrupted_scenario = plan::testing::MiniUk();  // 12 months of 2026
  replan::ReplanReport& rep = r.report;
  rep.disrupted_lost = {{.brand = 0, .market = 0, .month = 9, .units = 100}};
  rep.recovered_lost = {{.brand = 0, .market = 0, .month = 13, .units = -1}};
  const nlohmann::json by_month = ReplanReportJson(r)["losses"]["by_month"];
  ASSERT_EQ(by_month.size(), 2u) << by_month.dump();
  EXPECT_EQ(by_month[1], (nlohmann::json{{"month", "2027-02"}, {"disrupted", 0.0}, {"recovered", -1.0}}));
}

}  // namespace
}  // namespace cobuild::io
