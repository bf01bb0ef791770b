#include "io/plan_io.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "io/plan_views.h"
#include "io/scenario_reader.h"
#include "plan/plan_checker.h"
#include "plan/planner.h"
#include "plan/test_scenarios.h"

namespace cobuild::io {
namespace {

class PlanIoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scenario_ = new model::Scenario(plan::testing::MiniUk());
    plan::PlanRequest request;
    request.options.solve.time_limit_seconds = 30;
    auto p = plan::SolvePlan(*scenario_, request);
    ASSERT_TRUE(p.has_value());
    plan_ = new plan::Plan(*p);
  }
  static void TearDownTestSuite() {
    delete scenario_;
    delete plan_;
  }
  static model::Scenario* scenario_;
  static plan::Plan* plan_;
};
model::Scenario* PlanIoTest::scenario_ = nullptr;
plan::Plan* PlanIoTest::plan_ = nullptr;

TEST_F(PlanIoTest, JsonRoundTripKeepsThePlanAndPassesTheChecker) {
  auto back = ParsePlanJson(WritePlanJson(*scenario_, *plan_), "plan.json", *scenario_);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->production, plan_->production);
  EXPECT_EQ(back->shifts, plan_->shifts);
  EXPECT_EQ(back->shipments, plan_->shipments);
  EXPECT_EQ(back->unmet, plan_->unmet);
  EXPECT_EQ(back->contributions, plan_->contributions);
  EXPECT_TRUE(plan::CheckPlan(*scenario_, *back).ok());
}

// `cobuild plan --format json` and the API's plan job give the result
// document; read as a plan file, its "plan" is read.
TEST_F(PlanIoTest, ResultDocumentReadsAsItsPlan) {
  const std::string document = PlanResultJson(*scenario_, *plan_).dump();
  auto back = ParsePlanJson(document, "result.json", *scenario_);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->production, plan_->production);
  EXPECT_EQ(back->contributions, plan_->contributions);
  EXPECT_TRUE(plan::CheckPlan(*scenario_, *back).ok());
}

TEST_F(PlanIoTest, CsvRoundTripPassesTheChecker) {
  auto back = ParsePlanCsv(WritePlanCsv(*scenario_, *plan_), "plan.csv", *scenario_);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->production, plan_->production);
  EXPECT_EQ(back->retooling, plan_->retooling);
  const plan::CheckReport report = plan::CheckPlan(*scenario_, *back);
  for (const auto& v : report.violations) ADD_FAILURE() << v;
}

// Lever use and the basis (levers, excluded brands and contracts, events, frozen months,
// stability penalty) survive both formats.
TEST_F(PlanIoTest, LeverFieldsAndTheBasisRoundTrip) {
  plan::Plan p = *plan_;
  ASSERT_FALSE(p.shifts.empty());
  p.shifts.front().extra_shifts_per_day = 1;
  p.shifts.back().weekend_days = 3;
  p.basis.levers = {.extra_shifts_per_day = 1,
                    .extra_shift_premium = 0.5,
                    .weekend_days_per_month = 4,
                    .weekend_premium = 1,
                    .backlog = {.max_months = 2, .delay_cost_gbp_per_car_month = 250}};
  p.basis.excluded_brands = {1};
  p.basis.excluded_contracts = {0};
  model::Event outage{
      .id = "stop", .kind = model::EventKind::kOutage, .from = {2026, 3, 2}, .to = {2026, 3, 27}};
  outage.plants = {0, 1};
  p.basis.events = {outage};
  p.basis.frozen_months = 2;
  p.basis.stability_penalty_gbp_per_car = 300;
  p.basis.stability_penalty_gbp = 1234.5;
  for (const bool csv : {false, true}) {
    auto back = csv ? ParsePlanCsv(WritePlanCsv(*scenario_, p), "plan.csv", *scenario_)
                    : ParsePlanJson(WritePlanJson(*scenario_, p), "plan.json", *scenario_);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(back->shifts, p.shifts) << csv;
    EXPECT_EQ(back->basis, p.basis) << csv;
  }
}

TEST_F(PlanIoTest, BrokenJsonNamesTheLine) {
  auto back = ParsePlanJson("{\n \"status\": \"optimal\",\n oops\n}", "bad.json", *scenario_);
  ASSERT_FALSE(back.has_value());
  EXPECT_EQ(back.error().kind, ErrorKind::kInvalidInput);
  EXPECT_NE(back.error().message.find("bad.json:3"), std::string::npos) << back.error().message;
}

TEST_F(PlanIoTest, UnknownIdInJsonNamesTheField) {
  std::string text = WritePlanJson(*scenario_, *plan_);
  const auto at = text.find("\"HW-1\"");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 6, "\"XX-9\"");
  auto back = ParsePlanJson(text, "p.json", *scenario_);
  ASSERT_FALSE(back.has_value());
  EXPECT_NE(back.error().message.find("unknown line id 'XX-9'"), std::string::npos) << back.error().message;
}

TEST_F(PlanIoTest, BrokenCsvNamesFileLineAndField) {
  const std::string header =
      "record,line,plant,variant,market,month,arrival_month,platform,company,units,value_gbp\n";
  auto bad_number =
      ParsePlanCsv(header + "production,HW-1,HW,DS-ICE,,2026-02,,,,12x,\n", "p.csv", *scenario_);
  ASSERT_FALSE(bad_number.has_value());
  EXPECT_NE(bad_number.error().message.find("p.csv:2: units: expected a number, found '12x'"),
            std::string::npos)
      << bad_number.error().message;
  auto bad_month = ParsePlanCsv(header + "shift,HW-1,HW,,,2031-02,,,,1,\n", "p.csv", *scenario_);
  ASSERT_FALSE(bad_month.has_value());
  EXPECT_NE(bad_month.error().message.find("p.csv:2: month"), std::string::npos);
  EXPECT_FALSE(ParsePlanCsv("a,b\n", "p.csv", *scenario_).has_value());
  EXPECT_FALSE(ParsePlanCsv(header + "shift,HW-1\n", "p.csv", *scenario_).has_value());
  EXPECT_FALSE(ParsePlanCsv(header, "p.csv", *scenario_).has_value());  // no objective record
  EXPECT_FALSE(ParsePlanCsv("", "p.csv", *scenario_).has_value());
}

TEST_F(PlanIoTest, MissingFileIsNotFound) {
  auto back = LoadPlan("/nonexistent/plan.json", *scenario_);
  ASSERT_FALSE(back.has_value());
  EXPECT_EQ(back.error().kind, ErrorKind::kNotFound);
}

// tests/data/costs/present-value.yaml (src/plan/costs_test.cc works it by
// hand): the plan file carries the present values (JSON and CSV) and reads back to
// a plan the checker accepts; the JSON states the nominal objective beside
// it (30,550,000 - 400,000).
TEST(PlanFilePresentValueTest, JsonAndCsvCarryPresentValues) {
  auto loaded = LoadScenario("tests/data/costs/present-value.yaml");
  ASSERT_TRUE(loaded) << loaded.error().message;
  const model::Scenario& scenario = *loaded;
  plan::PlanRequest request;
  request.options.solve.relative_gap = 1e-9;
  auto solved = plan::SolvePlan(scenario, request);
  ASSERT_TRUE(solved && solved->HasSolution());
  const plan::Plan& plan = *solved;
  const std::string json = WritePlanJson(scenario, plan);
  const auto j = nlohmann::json::parse(json);
  EXPECT_NEAR(j["objective_nominal_gbp"].get<double>(), 30'150'000, 0.01);
  EXPECT_NEAR(j["contributions"][0]["contribution_pv_gbp"].get<double>(), 29'209'090.91, 0.01);
  for (const auto& read : {ParsePlanJson(json, "plan.json", scenario),
                           ParsePlanCsv(WritePlanCsv(scenario, plan), "plan.csv", scenario)}) {
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_NEAR(read->contributions[0].contribution_pv_gbp, 29'209'090.91, 0.01);
    EXPECT_TRUE(plan::CheckPlan(scenario, *read).ok());
  }
}

}  // namespace
}  // namespace cobuild::io
