#include "deal/deal_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "deal/sweep.h"
#include "io/deal_sweep_io.h"
#include "io/plan_io.h"
#include "io/scenario_reader.h"
#include "io/scenario_writer.h"
#include "plan/plan_checker.h"
#include "plan/planner.h"
#include "plan/test_scenarios.h"
#include "replan/apply_events.h"

namespace cobuild::deal {
namespace {

using ::testing::HasSubstr;

model::Scenario Participation() {
  auto s = io::LoadScenario("tests/data/deal/participation.yaml");
  EXPECT_TRUE(s) << s.error().message;
  return s ? *s : model::Scenario{};
}

plan::PlanRequest Quick() { return plan::testing::QuickRequest(); }

// Partner cars built at the host's plants, counted from the shipments
// without the deal code or the economics.
double Hosted(const model::Scenario& s, const plan::Plan& p) {
  double cars = 0;
  for (const auto& e : p.shipments) {
    if (s.plants[e.plant].company == s.FindCompany("host") &&
        s.VariantOwner(e.variant) == s.FindCompany("partner")) {
      cars += e.units;
    }
  }
  return cars;
}

double OwnAtHome(const model::Scenario& s, const plan::Plan& p) {
  double cars = 0;
  for (const auto& e : p.production) {
    if (s.lines[e.line].plant == s.FindPlant("home") && s.VariantOwner(e.variant) == s.FindCompany("host")) {
      cars += e.units;
    }
  }
  return cars;
}

double Contribution(const plan::Plan& p, int company) { return p.contributions[company].contribution_pv_gbp; }

model::Scenario AtFee(model::Scenario s, double fee) {
  s.contracts[0].fee_per_car_gbp = fee;
  return s;
}

// tests/data/deal/README.md, "Participation worked by hand".
TEST(DealRulesTest, AFeeBelowTheHostsBreakEvenMakesTheHostRefuseSomeHosting) {
  const DealRules rules{.contract = 0, .participation = true};
  const int host = 0;
  const int partner = 1;
  for (const auto& [fee, hosted, host_gain, partner_gain] :
       {std::tuple{10.0, 6000.0, 60e3, 15.84e6}, std::tuple{30.0, 8000.0, 40e3, 21.06e6},
        std::tuple{500.0, 12000.0, 5.4e6, 26.1e6}}) {
    const model::Scenario s = AtFee(Participation(), fee);
    auto r = SolveWithDealRules(s, Quick(), rules);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_NEAR(Contribution(r->without, host), 175.8e6, 1);
    EXPECT_NEAR(Contribution(r->without, partner), 61.5e6, 1);
    EXPECT_NEAR(Hosted(s, r->plan), hosted, 1e-6) << "fee " << fee;
    EXPECT_NEAR(Contribution(r->plan, host) - 175.8e6, host_gain, 1) << "fee " << fee;
    EXPECT_NEAR(Contribution(r->plan, partner) - 61.5e6, partner_gain, 1) << "fee " << fee;
    const auto check = plan::CheckPlan(s, r->plan);
    EXPECT_TRUE(check.ok()) << check.violations.front();
    ASSERT_EQ(r->plan.basis.deal_floors.contribution_pv_gbp.size(), 2u);
    EXPECT_NEAR(r->plan.basis.deal_floors.contribution_pv_gbp[host], 175.8e6, 1);
  }
}

TEST(DealRulesTest, WithoutRulesTheFeeDoesNotChangeThePlan) {
  for (double fee : {10.0, 500.0}) {
    const model::Scenario s = AtFee(Participation(), fee);
    auto p = plan::SolvePlan(s, Quick());
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_NEAR(Hosted(s, *p), 12000, 1e-6);
  }
}

TEST(DealRulesTest, CheckerRefusesAPlanBelowItsParticipationFloors) {
  // The central plan at GBP 10 a car loses the host 480,000: recorded with
  // the floors, the checker names the host.
  const model::Scenario s = AtFee(Participation(), 10);
  auto central = plan::SolvePlan(s, Quick());
  ASSERT_TRUE(central) << central.error().message;
  auto r = SolveWithDealRules(s, Quick(), {.contract = 0, .participation = true});
  ASSERT_TRUE(r) << r.error().message;
  central->basis.deal_floors = r->plan.basis.deal_floors;
  const auto check = plan::CheckPlan(s, *central);
  ASSERT_FALSE(check.ok());
  EXPECT_THAT(check.violations.front(), HasSubstr("participation (host-builds-partner): company host"));
}

// The host-first variant of README.md: one shift at home and a host car of
// GBP 800 margin, which the central plan gives up for partner cars.
model::Scenario HostFirstVariant() {
  model::Scenario s = Participation();
  s.lines[s.FindLine("home-1")].max_shifts_per_day = 1;
  s.variants[s.FindVariant("hostcar-ice")].price_gbp[0] = 21000;
  return s;
}

TEST(DealRulesTest, HostFirstKeepsTheHostsOwnOutputAtItsNoDealLevel) {
  const model::Scenario s = HostFirstVariant();
  auto central = plan::SolvePlan(s, Quick());
  ASSERT_TRUE(central) << central.error().message;
  EXPECT_NEAR(OwnAtHome(s, *central), 12000, 1e-6);
  EXPECT_NEAR(Hosted(s, *central), 12000, 1e-6);

  auto r = SolveWithDealRules(s, Quick(), {.contract = 0, .host_first = true});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->plan.basis.deal_floors.host_output.size(), 1u);
  EXPECT_EQ(r->plan.basis.deal_floors.host_output[0].year, 2027);
  EXPECT_NEAR(r->plan.basis.deal_floors.host_output[0].units, 18000, 1e-6);
  EXPECT_NEAR(OwnAtHome(s, r->plan), 18000, 1e-6);
  EXPECT_NEAR(Hosted(s, r->plan), 6000, 1e-6);
  const auto check = plan::CheckPlan(s, r->plan);
  EXPECT_TRUE(check.ok()) << check.violations.front();

  // The central plan breaks the floor: the checker says where.
  central->basis.deal_floors = r->plan.basis.deal_floors;
  const auto refused = plan::CheckPlan(s, *central);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.violations.front(), HasSubstr("host-first (host-builds-partner)"));
  EXPECT_THAT(refused.violations.front(), HasSubstr("12000.00 of its own cars at home in 2027"));
}

TEST(DealRulesTest, FloorsSurviveThePlanFilesAndTheChecker) {
  const model::Scenario s = AtFee(Participation(), 30);
  auto r = SolveWithDealRules(s, Quick(), {.contract = 0, .participation = true, .host_first = true});
  ASSERT_TRUE(r) << r.error().message;
  auto json = io::ParsePlanJson(io::WritePlanJson(s, r->plan), "plan.json", s);
  ASSERT_TRUE(json) << json.error().message;
  EXPECT_EQ(json->basis.deal_floors, r->plan.basis.deal_floors);
  auto csv = io::ParsePlanCsv(io::WritePlanCsv(s, r->plan), "plan.csv", s);
  ASSERT_TRUE(csv) << csv.error().message;
  EXPECT_EQ(csv->basis.deal_floors.contract, 0);
  EXPECT_EQ(csv->basis.deal_floors.host_output, r->plan.basis.deal_floors.host_output);
  ASSERT_EQ(csv->basis.deal_floors.contribution_pv_gbp.size(), 2u);
  EXPECT_NEAR(csv->basis.deal_floors.contribution_pv_gbp[0], 175.8e6, 0.01);
  EXPECT_TRUE(plan::CheckPlan(s, *json).ok());
  // The plan without the contract checks against the scenario without it.
  const int removed[] = {0};
  EXPECT_TRUE(plan::CheckPlan(replan::WithoutContracts(s, removed), r->without).ok());
}

TEST(DealRulesTest, SettingsNameTheRulesAndACheckRefusesAPlanMadeWithoutThem) {
  model::Scenario s = Participation();
  s.settings.participation_contract = 0;
  s.settings.host_first_contract = 0;
  const DealRules rules = RulesOf(s);
  EXPECT_EQ(rules.contract, 0);
  EXPECT_TRUE(rules.participation);
  EXPECT_TRUE(rules.host_first);
  // Written and read back.
  auto back = io::ParseScenario(io::WriteScenarioYaml(s), "back.yaml");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->settings, s.settings);
  // A plan made without the rules.
  auto p = plan::SolvePlan(s, Quick());
  ASSERT_TRUE(p) << p.error().message;
  const auto check = plan::CheckPlan(s, *p);
  ASSERT_FALSE(check.ok());
  EXPECT_THAT(check.violations.front(),
              HasSubstr("settings.participation names contract host-builds-partner"));
  // The scenario without the contract drops its rules.
  const int removed[] = {0};
  EXPECT_EQ(replan::WithoutContracts(s, removed).settings.participation_contract, -1);
}

TEST(DealRulesTest, ReaderNamesAnUnknownOrAMismatchedContract) {
  const std::string base = io::WriteScenarioYaml(Participation());
  auto with_settings = [&](const std::string& extra) {
    std::string text = base;
    const size_t at = text.find("settings: {");
    text.insert(at + std::string("settings: {").size(), extra);
    return io::ParseScenario(text, "s.yaml");
  };
  auto unknown = with_settings("participation: host-builds-partnr, ");
  ASSERT_FALSE(unknown);
  EXPECT_THAT(unknown.error().message, HasSubstr("settings.participation: unknown contract"));
  EXPECT_THAT(unknown.error().message, HasSubstr("did you mean"));
  auto good = with_settings("participation: host-builds-partner, host_first: host-builds-partner, ");
  ASSERT_TRUE(good) << good.error().message;
  EXPECT_EQ(good->settings.host_first_contract, 0);
}

TEST(DealSweepTest, HostingRisesWithTheFeeUpToTheZoneAndGainsStayAtLeastZero) {
  const model::Scenario s = Participation();
  DealOptions options;
  options.plan = Quick().options;
  auto report = AnalyzeDeal(s, 0, options);
  ASSERT_TRUE(report) << report.error().message;
  const FeeTerms pv = PresentValueTerms(s, *report);
  EXPECT_NEAR(pv.host_break_even_fee_gbp, 50, 1e-6);  // no discount rate: as the nominal terms
  EXPECT_NEAR(pv.partner_max_fee_gbp, 2675, 1e-6);
  SweepOptions sweep_options{.plan = options.plan};
  auto start = SolveSweepStart(s, *report, false, options.plan);
  ASSERT_TRUE(start) << start.error().message;
  auto sweep = SweepFees(s, *report, *start, {2700, 10, 30, 500, 2600}, false, sweep_options);
  ASSERT_TRUE(sweep) << sweep.error().message;
  // The start: solved at the zone's middle, (50 + 2675) / 2 rounded, where
  // the central plan meets every floor, so it hosts all 12,000 cars and
  // its own zone is the central plan's.
  EXPECT_EQ(sweep->start.fee_gbp, 1363);
  EXPECT_NEAR(sweep->start.cars_hosted, 12000, 1e-6);
  EXPECT_NEAR(sweep->start.from_fee_gbp, 50, 1e-6);
  EXPECT_NEAR(sweep->start.to_fee_gbp, 2675, 1e-6);
  ASSERT_EQ(sweep->points.size(), 5u);
  const double expected_cars[] = {6000, 8000, 12000, 12000, 0};
  for (size_t i = 0; i < 5; ++i) {
    const FeePoint& p = sweep->points[i];
    EXPECT_TRUE(p.violations.empty()) << p.violations.front();
    EXPECT_NEAR(p.cars_hosted, expected_cars[i], 1e-6) << "fee " << p.fee_gbp;
    EXPECT_GE(p.host_gain_pv_gbp, -1) << "fee " << p.fee_gbp;
    EXPECT_GE(p.partner_gain_pv_gbp, -1) << "fee " << p.fee_gbp;
    ASSERT_EQ(p.cars_by_plant.size(), 1u);
    EXPECT_NEAR(p.cars_by_plant[0], p.cars_hosted, 1e-6);
  }
  EXPECT_EQ(sweep->points[0].fee_gbp, 10);
  // At GBP 2,600 the central plan still pays the partner: 12,000 x 50 + 300,000.
  EXPECT_NEAR(sweep->points[3].partner_gain_pv_gbp, 0.9e6, 1);
}

TEST(DealSweepTest, ParsesFeesAndTariffLevers) {
  auto fees = io::ParseFees("0:3000:4");
  ASSERT_TRUE(fees) << fees.error().message;
  EXPECT_EQ(*fees, (std::vector<double>{0, 1000, 2000, 3000}));
  EXPECT_FALSE(io::ParseFees("3000:0:4"));
  EXPECT_FALSE(io::ParseFees("0:3000:1"));
  EXPECT_FALSE(io::ParseFees("0:x:4"));
  const model::Scenario s = Participation();
  auto lever = io::ParseTariffLever(s, "UK:CN:0,0.2,0.1");
  ASSERT_TRUE(lever) << lever.error().message;
  EXPECT_EQ(lever->rates, (std::vector<double>{0, 0.1, 0.2}));
  EXPECT_FALSE(lever->powertrain);
  auto bev = io::ParseTariffLever(s, "UK:CN:BEV");
  ASSERT_TRUE(bev) << bev.error().message;
  EXPECT_EQ(bev->rates.size(), 5u);
  auto bad_market = io::ParseTariffLever(s, "EU:CN:0.1");
  ASSERT_FALSE(bad_market);
  EXPECT_THAT(bad_market.error().message, HasSubstr("unknown market \"EU\""));
  EXPECT_FALSE(io::ParseTariffLever(s, "UK:China:0.1"));
  EXPECT_FALSE(io::ParseTariffLever(s, "UK:CN:-0.1"));
  auto fallback = DefaultTariffLever(s, 0);
  ASSERT_TRUE(fallback);
  EXPECT_EQ(fallback->origin, "CN");
  EXPECT_EQ(fallback->rates, (std::vector<double>{0, 0.1, 0.2, 0.3, 0.4}));
  EXPECT_NEAR(CurrentRate(WithTariff(s, *lever, 0.25), *lever), 0.25, 1e-12);
}

// Worked by hand: importing costs the partner 10% duty on 13,500 a car;
// at 0% the partner gains 1,350 a car less from hosting than at 10%, so its
// gain at the contract's fee falls by 12,000 x 1,350 = 16.2m, and the host's
// does not move (the central plan hosts all 12,000 either way).
TEST(DealSweepTest, TariffSweepMovesThePartnersHighestFeeByTheDuty) {
  const model::Scenario s = Participation();
  DealOptions options;
  options.plan = Quick().options;
  auto report = AnalyzeDeal(s, 0, options);
  ASSERT_TRUE(report) << report.error().message;
  auto lever = io::ParseTariffLever(s, "UK:CN:0,0.1,0.2");
  ASSERT_TRUE(lever);
  auto sweep = SweepTariff(s, *report, *lever, {.plan = options.plan});
  ASSERT_TRUE(sweep) << sweep.error().message;
  ASSERT_EQ(sweep->points.size(), 3u);
  for (const auto& p : sweep->points) EXPECT_TRUE(p.violations.empty()) << p.violations.front();
  EXPECT_NEAR(sweep->points[1].terms.partner_gain_gbp, 26.1e6, 1);
  EXPECT_NEAR(sweep->points[0].terms.partner_gain_gbp, 26.1e6 - 16.2e6, 1);
  EXPECT_NEAR(sweep->points[0].terms.partner_max_fee_gbp, 2675 - 1350, 1e-6);
  EXPECT_NEAR(sweep->points[2].terms.partner_max_fee_gbp, 2675 + 1350, 1e-6);
  for (const auto& p : sweep->points) EXPECT_NEAR(p.terms.host_break_even_fee_gbp, 50, 1e-6);
  EXPECT_TRUE(sweep->crossings.empty());
}

}  // namespace
}  // namespace cobuild::deal
