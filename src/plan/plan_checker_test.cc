#include "plan/plan_checker.h"

#include <gtest/gtest.h>

#include "plan/planner.h"
#include "plan/test_scenarios.h"

namespace cobuild::plan {
namespace {

class PlanCheckerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scenario_ = new model::Scenario(testing::MiniUk());
    PlanRequest request;
    request.options.solve.time_limit_seconds = 30;
    auto plan = SolvePlan(*scenario_, request);
    ASSERT_TRUE(plan.has_value());
    plan_ = new Plan(*plan);
  }
  static void TearDownTestSuite() {
    delete scenario_;
    delete plan_;
  }
  static bool Mentions(const CheckReport& report, const std::string& text) {
    for (const auto& v : report.violations) {
      if (v.find(text) != std::string::npos) return true;
    }
    return false;
  }
  static model::Scenario* scenario_;
  static Plan* plan_;
};
model::Scenario* PlanCheckerTest::scenario_ = nullptr;
Plan* PlanCheckerTest::plan_ = nullptr;

TEST_F(PlanCheckerTest, AcceptsTheSolvedPlan) { EXPECT_TRUE(CheckPlan(*scenario_, *plan_).ok()); }

TEST_F(PlanCheckerTest, FlagsProductionBeyondShifts) {
  Plan plan = *plan_;
  for (auto& s : plan.shifts) s.shifts_per_day = 0;
  EXPECT_TRUE(Mentions(CheckPlan(*scenario_, plan), "exceed"));
}

TEST_F(PlanCheckerTest, FlagsTooManyShifts) {
  Plan plan = *plan_;
  plan.shifts[0].shifts_per_day = 7;
  EXPECT_TRUE(Mentions(CheckPlan(*scenario_, plan), "shifts a day"));
}

TEST_F(PlanCheckerTest, FlagsDemandNotAccountedFor) {
  Plan plan = *plan_;
  ASSERT_FALSE(plan.unmet.empty());
  plan.unmet.pop_back();
  EXPECT_TRUE(Mentions(CheckPlan(*scenario_, plan), "demanded"));
}

TEST_F(PlanCheckerTest, FlagsShipmentsThatDoNotMatchProduction) {
  Plan plan = *plan_;
  ASSERT_FALSE(plan.shipments.empty());
  plan.shipments[0].units += 100;
  EXPECT_TRUE(Mentions(CheckPlan(*scenario_, plan), "shipped"));
}

TEST_F(PlanCheckerTest, FlagsAPlatformTheLineCannotBuild) {
  Plan plan = *plan_;
  plan.retooling.clear();
  EXPECT_TRUE(Mentions(CheckPlan(*scenario_, plan), "no retooling is ready"));
}

TEST_F(PlanCheckerTest, FlagsAWrongContribution) {
  Plan plan = *plan_;
  plan.contributions[1].contribution_gbp += 1e6;
  EXPECT_TRUE(Mentions(CheckPlan(*scenario_, plan), "contribution"));
}

TEST_F(PlanCheckerTest, FlagsOutOfRangeIndicesWithoutCrashing) {
  Plan plan = *plan_;
  plan.production.push_back({.line = 99, .variant = -1, .month = 400, .units = -5});
  EXPECT_TRUE(Mentions(CheckPlan(*scenario_, plan), "out of range"));
}

TEST_F(PlanCheckerTest, FlagsAWrongArrivalMonth) {
  Plan plan = *plan_;
  for (auto& s : plan.shipments) {
    if (s.plant == 1 && s.market == 0) {
      s.arrival_month = s.month;
      break;
    }
  }
  EXPECT_TRUE(Mentions(CheckPlan(*scenario_, plan), "arrives"));
}

}  // namespace
}  // namespace cobuild::plan
