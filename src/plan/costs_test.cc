// Costs by plant, kits, present value and tooling life
// (docs/planning-model.md, "Costs by plant and kits" and "Present value and
// tooling life") on the two small scenarios of tests/data/costs/, whose
// money is worked by hand in the comments below (and in the README there):
// the planner's figures exactly, and the independent checker's.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "io/plan_io.h"
#include "io/scenario_reader.h"
#include "plan/economics.h"
#include "plan/plan_checker.h"
#include "plan/plan_summary.h"
#include "plan/planner.h"

namespace cobuild::plan {
namespace {

model::Scenario Load(const std::string& file) {
  auto scenario = io::LoadScenario(file);
  if (!scenario) {
    ADD_FAILURE() << scenario.error().message;
    return {};
  }
  return *scenario;
}

Plan SolveChecked(const model::Scenario& scenario) {
  PlanRequest request;
  request.options.solve.time_limit_seconds = 60;
  request.options.solve.relative_gap = 1e-9;
  auto plan = SolvePlan(scenario, request);
  if (!plan) {
    ADD_FAILURE() << plan.error().message;
    return {};
  }
  EXPECT_EQ(plan->status, SolveStatus::kOptimal) << plan->stats.solver_message;
  const CheckReport report = CheckPlan(scenario, *plan, request);
  for (const std::string& v : report.violations) ADD_FAILURE() << v;
  EXPECT_NEAR(report.objective_gbp, plan->objective_gbp, 0.01);
  return *plan;
}

// tests/data/costs/kits.yaml. car-a is assembled at the host from a kit of
// 6,000 with 500 freight; the kit pays the UK's 10% on goods from China:
// 0.10 * (6,000 + 500) = 650. Its cost is 6,000 + 4,000 = 10,000 and its
// landed cost 10,000 + 500 + 650 = 11,150. Local content 4,000 / 10,000 =
// 0.4, below the UK-EU rule's 0.55 (the variant's own 0.6 no longer holds),
// so the EU charges 10% on landed cost plus freight: 0.10 * (11,150 + 300)
// = 1,145. car-b costs the host's 11,000 instead of 10,000.
//   car-a UK: 20,000 - 10,000 - (100 + 500) - 650           = 8,750 a car
//   car-a EU: 20,000 - 10,000 - (300 + 500) - (650 + 1,145) = 7,405 a car
//   car-b UK: 20,000 - 11,000 - 100                         = 8,900 a car
// 100 of each on one shift (20 days * 10,000 = 200,000):
// 875,000 + 740,500 + 890,000 - 200,000 = 2,305,500.
TEST(CostsTest, KitAndPlantCostWorkedByHand) {
  const model::Scenario scenario = Load("tests/data/costs/kits.yaml");
  ASSERT_EQ(scenario.kits.size(), 1u);
  const int host = scenario.FindPlant("host");
  const int car_a = scenario.FindVariant("car-a");
  const int car_b = scenario.FindVariant("car-b");
  const PlantCostTerms kit = CostAt(scenario, host, car_a, 0);
  EXPECT_TRUE(kit.from_kit);
  EXPECT_DOUBLE_EQ(kit.variable_cost_gbp, 10'000);
  EXPECT_DOUBLE_EQ(kit.kit_freight_gbp, 500);
  EXPECT_NEAR(kit.kit_duty_gbp, 650, 1e-9);
  EXPECT_DOUBLE_EQ(LocalContentShare(scenario, host, car_a), 0.4);
  EXPECT_DOUBLE_EQ(CostAt(scenario, host, car_b, 0).variable_cost_gbp, 11'000);
  EXPECT_DOUBLE_EQ(CostAt(scenario, scenario.FindPlant("home"), car_b, 0).variable_cost_gbp, 10'000);

  const Plan plan = SolveChecked(scenario);
  EXPECT_NEAR(plan.objective_gbp, 2'305'500, 0.01);
  const CompanyContribution& partner = plan.contributions[scenario.FindCompany("partco")];
  EXPECT_NEAR(partner.revenue_gbp, 6'000'000, 0.01);
  EXPECT_NEAR(partner.variable_cost_gbp, 3'100'000, 0.01);  // 100 * (10,000 + 10,000 + 11,000)
  EXPECT_NEAR(partner.freight_gbp, 150'000, 0.01);          // 100 * (600 + 800 + 100)
  EXPECT_NEAR(partner.duty_gbp, 244'500, 0.01);             // 100 * (650 + 650 + 1,145)
  EXPECT_NEAR(partner.fee_paid_gbp, 300'000, 0.01);
  EXPECT_NEAR(partner.contribution_gbp, 2'205'500, 0.01);
  const CompanyContribution& hostco = plan.contributions[scenario.FindCompany("hostco")];
  EXPECT_NEAR(hostco.contribution_gbp, 100'000, 0.01);  // fees 300,000 - shift 200,000
  // No discount rate: present value is the nominal money.
  EXPECT_EQ(partner.contribution_pv_gbp, partner.contribution_gbp);
}

// The summary's cost per car by plant: the partner's 300 cars at the host,
// 200 kit-built at a landed 11,150 and 100 at 11,000, 11,100 a car against
// the variants' own 10,000.
TEST(CostsTest, SummaryListsTheCostPerCarByPlant) {
  const model::Scenario scenario = Load("tests/data/costs/kits.yaml");
  const Plan plan = SolveChecked(scenario);
  const PlanSummary summary = Summarize(scenario, plan);
  ASSERT_EQ(summary.cost_by_plant.size(), 1u);
  const CompanyPlantCost& row = summary.cost_by_plant[0];
  EXPECT_EQ(row.company, scenario.FindCompany("partco"));
  EXPECT_EQ(row.plant, scenario.FindPlant("host"));
  EXPECT_NEAR(row.units, 300, 1e-9);
  EXPECT_NEAR(row.kit_units, 200, 1e-9);
  EXPECT_NEAR(row.CostPerCar(), 11'100, 1e-6);
  EXPECT_NEAR(row.DefaultCostPerCar(), 10'000, 1e-6);
  // The kit's duty is paid into the host's market (UK), the car's into the EU.
  EXPECT_NEAR(summary.markets[scenario.FindMarket("UK")].duty_paid_gbp, 130'000, 0.01);
  EXPECT_NEAR(summary.markets[scenario.FindMarket("EU")].duty_paid_gbp, 114'500, 0.01);
}

// Without the kit, car-a is built at the host at its own cost and local
// content (0.6: duty-free into the EU): 9,900 + 9,700 + 8,900 a car less
// the shift, 2,650,000.
TEST(CostsTest, WithoutTheKitTheCarIsBuiltAtItsOwnCostAndContent) {
  model::Scenario scenario = Load("tests/data/costs/kits.yaml");
  scenario.kits.clear();
  const Plan plan = SolveChecked(scenario);
  EXPECT_NEAR(plan.objective_gbp, 2'650'000, 0.01);
}

// A plan that books the kit-built car at the variant's own cost is refused
// figure by figure.
TEST(CostsTest, CheckerRecomputesKitMoney) {
  const model::Scenario scenario = Load("tests/data/costs/kits.yaml");
  const Plan plan = SolveChecked(scenario);
  model::Scenario no_kits = scenario;
  no_kits.kits.clear();
  const CheckReport report = CheckPlan(no_kits, plan);
  ASSERT_FALSE(report.ok());
  bool duty = false;
  for (const std::string& v : report.violations)
    duty |= v.find("partco: plan says duty") != std::string::npos;
  EXPECT_TRUE(duty);
}

// tests/data/costs/present-value.yaml, at 10% a year: month 12's cash is
// worth 1 / 1.1 of month 0's. Month 0: 1,600 cars (one shift's capacity)
// of 2,000 demanded, 1,600 * 10,000 - 200,000 = 15,800,000, and 400 unmet
// at 1,000 (a penalty: never discounted). Month 12: 1,000 v1 and 500 v2
// after retooling for p2, 15,000,000 - 200,000 = 14,800,000 less the
// tooling: decided in month 12 (lead time 0), it serves one month of its
// 24 inside the horizon, 1,200,000 / 24 = 50,000 (any earlier month costs
// more share and less discount). Nominal contribution 15,800,000 +
// 14,750,000 = 30,550,000; in present value 15,800,000 + 14,750,000 / 1.1
// = 29,209,090.91; objective 29,209,090.91 - 400,000 = 28,809,090.91.
TEST(CostsTest, PresentValueAndToolingLifeWorkedByHand) {
  const model::Scenario scenario = Load("tests/data/costs/present-value.yaml");
  EXPECT_DOUBLE_EQ(DiscountFactor(scenario, 0), 1.0);
  EXPECT_NEAR(DiscountFactor(scenario, 12), 1 / 1.1, 1e-15);
  const Plan plan = SolveChecked(scenario);
  ASSERT_EQ(plan.retooling.size(), 1u);
  EXPECT_EQ(plan.retooling[0].month, 12);
  const CompanyContribution& solo = plan.contributions[0];
  EXPECT_NEAR(solo.retooling_cost_gbp, 50'000, 0.01);
  EXPECT_NEAR(solo.contribution_gbp, 30'550'000, 0.01);
  EXPECT_NEAR(solo.contribution_pv_gbp, 29'209'090.91, 0.01);
  EXPECT_NEAR(plan.penalties_gbp, 400'000, 0.01);
  EXPECT_NEAR(plan.objective_gbp, 28'809'090.91, 0.01);
  // The checker recomputes the present value: a plan stating the nominal
  // figure there is refused.
  Plan nominal = plan;
  nominal.contributions[0].contribution_pv_gbp = nominal.contributions[0].contribution_gbp;
  const CheckReport report = CheckPlan(scenario, nominal);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.violations.front().find("contribution (present value)"), std::string::npos)
      << report.violations.front();
}

// Without the discount rate and the tooling life (the keys absent), money
// is nominal and the retooling is charged in full: 15,800,000 + 15,000,000
// - 200,000 - 1,200,000 - 400,000 = 29,000,000.
TEST(CostsTest, WithoutDiscountingTheToolingIsChargedInFull) {
  model::Scenario scenario = Load("tests/data/costs/present-value.yaml");
  scenario.settings.discount_rate_per_year = 0;
  scenario.lines[0].retooling[0].tooling_life_years = 0;
  const Plan plan = SolveChecked(scenario);
  EXPECT_NEAR(plan.contributions[0].retooling_cost_gbp, 1'200'000, 0.01);
  EXPECT_NEAR(plan.objective_gbp, 29'000'000, 0.01);
  EXPECT_EQ(plan.contributions[0].contribution_pv_gbp, plan.contributions[0].contribution_gbp);
}

// The charged share of a tooling life: used months from the month the line
// is ready to the horizon's end, at most the whole cost.
TEST(CostsTest, RetoolingChargesTheShareOfTheLifeUsed) {
  model::Scenario scenario = Load("tests/data/costs/present-value.yaml");
  model::Retooling option = scenario.lines[0].retooling[0];
  EXPECT_NEAR(RetoolingCost(scenario, option, 0), 1'200'000 * 13.0 / 24, 1e-6);
  option.lead_time_months = 5;
  EXPECT_NEAR(RetoolingCost(scenario, option, 2), 1'200'000 * 6.0 / 24, 1e-6);
  option.tooling_life_years = 0.5;  // shorter than the horizon: the whole cost
  EXPECT_NEAR(RetoolingCost(scenario, option, 0), 1'200'000, 1e-6);
}

}  // namespace
}  // namespace cobuild::plan
