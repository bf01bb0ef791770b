#include "deal/deal.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "deal/sweep.h"
#include "io/plan_io.h"
#include "io/scenario_reader.h"
#include "plan/plan_checker.h"
#include "plan/planner.h"
#include "plan/test_scenarios.h"
#include "replan/apply_events.h"

namespace cobuild::deal {
namespace {

using ::testing::HasSubstr;

model::Scenario HostPartner() {
  auto s = io::LoadScenario("tests/data/deal/host-partner.yaml");
  EXPECT_TRUE(s) << s.error().message;
  return s ? *s : model::Scenario{};
}

DealOptions Quick() {
  DealOptions options;
  options.plan = plan::testing::QuickRequest().options;
  return options;
}

// Cars shipped from plants of `host` of brands owned by `partner`, with no
// help from the deal code or the economics: in these scenarios every such
// car is built under the one contract.
double PartnerCarsAtHost(const model::Scenario& s, const plan::Plan& p, int host, int partner) {
  double cars = 0;
  for (const auto& e : p.shipments) {
    const int brand = s.models[s.variants[e.variant].model].brand;
    if (s.plants[e.plant].company == host && s.brands[brand].company == partner) cars += e.units;
  }
  return cars;
}

// tests/data/deal/README.md works every figure out by hand.
TEST(DealTest, HandWorkedScenarioGivesTheWorkedOutAccountsAndFees) {
  const model::Scenario s = HostPartner();
  auto r = AnalyzeDeal(s, 0, Quick());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->with_violations.empty()) << r->with_violations.front();
  EXPECT_TRUE(r->without_violations.empty()) << r->without_violations.front();
  const int host = s.FindCompany("host");
  const int partner = s.FindCompany("partner");
  EXPECT_NEAR(r->companies[host].with.contribution_gbp, 178.8e6, 1);
  EXPECT_NEAR(r->companies[host].without.contribution_gbp, 175.8e6, 1);
  EXPECT_NEAR(r->companies[partner].with.contribution_gbp, 78.9e6, 1);
  EXPECT_NEAR(r->companies[partner].without.contribution_gbp, 61.5e6, 1);
  const Account host_change = r->companies[host].change();
  EXPECT_NEAR(host_change.fee_income_gbp, 4e6, 1);
  EXPECT_NEAR(host_change.shift_cost_gbp, 0.4e6, 1);
  EXPECT_NEAR(host_change.retooling_cost_gbp, 0.6e6, 1);
  EXPECT_NEAR(r->companies[partner].change().duty_gbp, -8000 * 1350.0, 1);

  const FeeTerms& t = r->terms;
  EXPECT_NEAR(t.cars, 8000, 1e-6);
  EXPECT_NEAR(t.host_gain_gbp, 3.0e6, 1);
  EXPECT_NEAR(t.partner_gain_gbp, 17.4e6, 1);
  EXPECT_NEAR(t.host_break_even_fee_gbp, 125, 1e-3);
  EXPECT_NEAR(t.partner_max_fee_gbp, 2675, 1e-3);
  EXPECT_TRUE(t.zone_exists());
  EXPECT_NEAR(t.proposed_fee_gbp, 1400, 1e-3);
  EXPECT_NEAR(t.host_gain_at_proposed_gbp, 10.2e6, 1);
  EXPECT_NEAR(t.partner_gain_at_proposed_gbp, 10.2e6, 1);

  ASSERT_EQ(r->host_plants.size(), 1u);
  EXPECT_EQ(r->host_plants[0].plant, s.FindPlant("home"));
  EXPECT_NEAR(r->host_plants[0].cars_hosted, 8000, 1e-6);
  EXPECT_NEAR(r->host_plants[0].break_even_fee_gbp, 125, 1e-3);
  ASSERT_EQ(r->hosted.size(), 1u);
  EXPECT_EQ(r->hosted[0].year, 2027);
  EXPECT_NEAR(r->hosted[0].units, 8000, 1e-6);
  ASSERT_FALSE(r->findings.empty());
  EXPECT_THAT(r->findings[0], HasSubstr("Host Motors gains GBP 3.0m"));
}

// The break-even fee and the zone re-derived from the two plans alone: the
// cars counted from the shipments, the gains from the plans' company
// figures, and the with-plan re-priced by the plan checker at each end of
// the zone, where the host (at the break-even) and the partner (at the
// highest fee) earn exactly what they earn without the deal.
TEST(DealTest, BreakEvenAndZoneMatchTheTwoPlansRepricedByTheChecker) {
  for (const model::Scenario& s : {HostPartner(), plan::testing::MiniUk()}) {
    SCOPED_TRACE(s.name);
    auto r = AnalyzeDeal(s, 0, Quick());
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_TRUE(r->with_violations.empty()) << r->with_violations.front();
    ASSERT_TRUE(r->without_violations.empty()) << r->without_violations.front();
    const model::Contract& k = s.contracts[0];
    const double cars = PartnerCarsAtHost(s, r->with, k.host, k.partner);
    ASSERT_GT(cars, 0);
    EXPECT_NEAR(r->terms.cars, cars, 1e-6);
    auto contribution = [](const plan::Plan& p, int company) {
      return p.contributions[static_cast<size_t>(company)].contribution_gbp;
    };
    const double host_gain = contribution(r->with, k.host) - contribution(r->without, k.host);
    const double partner_gain = contribution(r->with, k.partner) - contribution(r->without, k.partner);
    EXPECT_NEAR(r->terms.host_break_even_fee_gbp, k.fee_per_car_gbp - host_gain / cars, 1e-6);
    EXPECT_NEAR(r->terms.partner_max_fee_gbp, k.fee_per_car_gbp + partner_gain / cars, 1e-6);

    model::Scenario at_break_even = s;
    at_break_even.contracts[0].fee_per_car_gbp = r->terms.host_break_even_fee_gbp;
    const plan::CheckReport host_side = plan::CheckPlan(at_break_even, r->with);
    EXPECT_NEAR(host_side.contributions[k.host].contribution_gbp, contribution(r->without, k.host), 1.0);
    model::Scenario at_max = s;
    at_max.contracts[0].fee_per_car_gbp = r->terms.partner_max_fee_gbp;
    const plan::CheckReport partner_side = plan::CheckPlan(at_max, r->with);
    EXPECT_NEAR(partner_side.contributions[k.partner].contribution_gbp, contribution(r->without, k.partner),
                1.0);
  }
}

// A company's plant accounts add up to its company account when all its
// cars are built at its own plants and it pays no fees (both sides of the
// hand-worked deal's host).
TEST(DealTest, HostPlantAccountIsTheHostsAccountWhenItHasOnePlant) {
  const model::Scenario s = HostPartner();
  auto r = AnalyzeDeal(s, 0, Quick());
  ASSERT_TRUE(r) << r.error().message;
  const int home = s.FindPlant("home");
  const int host = s.FindCompany("host");
  EXPECT_NEAR(PlantAccount(s, r->with, home).contribution_gbp, r->companies[host].with.contribution_gbp, 1);
  EXPECT_NEAR(PlantAccount(r->without_scenario, r->without, home).contribution_gbp,
              r->companies[host].without.contribution_gbp, 1);
}

// A plant's account pays its lines' shift changes at their workforce rule
// (docs/planning-model.md, "Workforce"): 1, 2, 1 shifts a day over the three
// months are one shift added and one removed.
TEST(DealTest, PlantAccountPaysItsLinesShiftChanges) {
  model::Scenario s = HostPartner();
  const int line = s.FindLine("home-1");
  s.lines[line].shift_changes =
      model::ShiftChangeRule{.added_cost_gbp = 300'000, .removed_cost_gbp = 100'000, .min_months = 1};
  plan::Plan p;
  for (int t = 0; t < 3; ++t)
    p.shifts.push_back({.line = line, .month = t, .shifts_per_day = t == 1 ? 2 : 1});
  const Account home = PlantAccount(s, p, s.FindPlant("home"));
  EXPECT_DOUBLE_EQ(home.shift_change_cost_gbp, 400'000);
  EXPECT_GT(home.shift_cost_gbp, 0);
  EXPECT_DOUBLE_EQ(home.contribution_gbp, -home.shift_cost_gbp - 400'000);
  EXPECT_EQ(PlantAccount(s, p, s.FindPlant("away")), Account{});
}

// A plant's account pays the holding cost of its own company's cars in its
// stock; the partner's cars in the host's stock are the partner's cost
// (docs/deal.md, "Accounts").
TEST(DealTest, PlantAccountPaysTheStockHoldingOfItsOwnCarsOnly) {
  model::Scenario s = HostPartner();
  const int home = s.FindPlant("home");
  s.stock.push_back({.plant = home, .holding_cost_gbp_per_car_month = 50});
  plan::Plan p;
  p.stock.push_back({.plant = home, .variant = s.FindVariant("hostcar-ice"), .month = 0, .units = 100});
  p.stock.push_back({.plant = home, .variant = s.FindVariant("partnercar-ice"), .month = 1, .units = 40});
  const Account account = PlantAccount(s, p, home);
  EXPECT_DOUBLE_EQ(account.holding_cost_gbp, 5'000);
  EXPECT_DOUBLE_EQ(account.contribution_gbp, -5'000);
  EXPECT_EQ(PlantAccount(s, p, s.FindPlant("away")), Account{});
}

TEST(DealTest, APlantWhereHostingLosesMoneyAtTheFeeIsNamed) {
  model::Scenario s = HostPartner();
  s.contracts[0].fee_per_car_gbp = 0;
  auto r = AnalyzeDeal(s, 0, Quick());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_NEAR(r->terms.host_gain_gbp, -1.0e6, 1);
  EXPECT_NEAR(r->terms.host_break_even_fee_gbp, 125, 1e-3);
  bool named = false;
  for (const std::string& f : r->findings)
    named |= f.find(
                 "Hosting at home loses GBP 1.0m at the contract's fee (8,000 cars; break-even there "
                 "GBP 125 a car)") != std::string::npos;
  EXPECT_TRUE(named) << ::testing::PrintToString(r->findings);
}

// The plan without the deal records the removed contract, and read back
// from its file it passes the checker against the scenario with the
// contract (which the basis removes again).
TEST(DealTest, PlanWithoutTheContractRoundTripsThroughItsFile) {
  const model::Scenario s = HostPartner();
  auto r = AnalyzeDeal(s, 0, Quick());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->without.basis.excluded_contracts, std::vector<int>{0});
  auto back = io::ParsePlanJson(io::WritePlanJson(s, r->without), "without.json", s);
  ASSERT_TRUE(back) << back.error().message;
  auto context = replan::ContextOf(s, *back);
  ASSERT_TRUE(context) << context.error().message;
  const plan::CheckReport check = plan::CheckPlan(context->scenario, *back, context->request);
  EXPECT_TRUE(check.ok()) << check.violations.front();
  // Against the scenario with the contract the same plan is another plan:
  // the checker must see that it was made without it.
  EXPECT_TRUE(plan::CheckPlan(s, r->with).ok());
}

// The plan with the contract as `cobuild plan` solves it.
Result<plan::Plan> SolvedWith(const model::Scenario& s) {
  plan::PlanRequest request;
  request.options = Quick().plan;
  return plan::SolvePlan(s, request);
}

// A plan the caller has (`cobuild deal --plan`) stands for the plan with the
// contract: nothing is solved for it, and the report is the one a solve of
// it gives (the hand-worked accounts of the first test).
TEST(DealTest, AGivenPlanWithTheContractIsUsedAsItIs) {
  const model::Scenario s = HostPartner();
  auto with = SolvedWith(s);
  ASSERT_TRUE(with) << with.error().message;
  auto read = io::ParsePlanJson(io::WritePlanJson(s, *with), "plan.json", s);
  ASSERT_TRUE(read) << read.error().message;
  // A mark no solve sets: the report must carry the given plan itself.
  read->stats.solver_message = "given by the caller";
  DealOptions options = Quick();
  options.with_plan = &*read;
  auto r = AnalyzeDeal(s, 0, options);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->with.stats.solver_message, "given by the caller");
  EXPECT_TRUE(r->with_violations.empty());
  EXPECT_TRUE(r->without_violations.empty());
  EXPECT_NEAR(r->terms.host_break_even_fee_gbp, 125, 1e-3);
  EXPECT_NEAR(r->terms.partner_max_fee_gbp, 2675, 1e-3);
}

// A plan made for something else than the scenario as it is cannot stand
// for the plan with the contract; the error says what differs.
TEST(DealTest, AGivenPlanOfOtherSettingsIsRefusedSayingWhatDiffers) {
  const model::Scenario s = HostPartner();
  auto with = SolvedWith(s);
  ASSERT_TRUE(with) << with.error().message;
  ASSERT_TRUE(CheckWithPlan(s, *with));

  plan::Plan without_contract = *with;
  without_contract.basis.excluded_contracts = {0};
  auto e = CheckWithPlan(s, without_contract);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(e.error().message, HasSubstr("was made without contract host-builds-partner"));

  plan::Plan frozen = *with;
  frozen.basis.frozen_months = 2;
  EXPECT_THAT(CheckWithPlan(s, frozen).error().message, HasSubstr("keeps 2 month(s) frozen"));

  plan::Plan levers = *with;
  levers.basis.levers.weekend_days_per_month += 1;
  EXPECT_THAT(CheckWithPlan(s, levers).error().message, HasSubstr("other levers"));

  plan::Plan other = *with;
  other.scenario_name = "another";
  EXPECT_THAT(CheckWithPlan(s, other).error().message, HasSubstr("is a plan of scenario \"another\""));

  // Money the scenario does not give: the checker recomputes every
  // company's contribution and refuses it.
  plan::Plan edited = *with;
  edited.contributions[0].contribution_gbp += 1e6;
  auto changed = CheckWithPlan(s, edited);
  ASSERT_FALSE(changed);
  EXPECT_THAT(changed.error().message, HasSubstr("fails the plan checker"));

  DealOptions options = Quick();
  options.with_plan = &frozen;
  auto r = AnalyzeDeal(s, 0, options);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalidInput);
}

// A plan without the contract the caller has (`cobuild deal
// --plan-without`, made by `cobuild plan --without-contract`) stands for the
// plan without it, not solved again; a plan made for anything else is
// refused by the rules a plan with the contract is, saying what differs.
TEST(DealTest, AGivenPlanWithoutTheContractIsUsedAsItIsOrRefused) {
  const model::Scenario s = HostPartner();
  const int removed[] = {0};
  auto without = SolveWithoutContract(replan::WithoutContracts(s, removed), 0, Quick().plan);
  ASSERT_TRUE(without) << without.error().message;
  EXPECT_EQ(without->basis.excluded_contracts, std::vector<int>{0});
  ASSERT_TRUE(CheckWithoutPlan(s, 0, *without));

  // A mark no solve sets: the report must carry the given plan itself.
  plan::Plan given = *without;
  given.stats.solver_message = "given by the caller";
  DealOptions options = Quick();
  options.without_plan = &given;
  auto r = AnalyzeDeal(s, 0, options);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->without.stats.solver_message, "given by the caller");
  EXPECT_TRUE(r->without_given);
  EXPECT_FALSE(r->with_given);
  EXPECT_TRUE(r->without_violations.empty());
  EXPECT_NEAR(r->terms.host_break_even_fee_gbp, 125, 1e-3);
  EXPECT_NEAR(r->terms.partner_max_fee_gbp, 2675, 1e-3);

  auto with = SolvedWith(s);
  ASSERT_TRUE(with) << with.error().message;
  EXPECT_THAT(CheckWithoutPlan(s, 0, *with).error().message, HasSubstr("was made with it"));
  plan::Plan brand = *without;
  brand.basis.excluded_brands = {0};
  EXPECT_THAT(CheckWithoutPlan(s, 0, brand).error().message, HasSubstr("was made without brand hostbrand"));
  plan::Plan frozen = *without;
  frozen.basis.frozen_months = 1;
  EXPECT_THAT(CheckWithoutPlan(s, 0, frozen).error().message, HasSubstr("keeps 1 month(s) frozen"));
  plan::Plan levers = *without;
  levers.basis.levers.extra_shifts_per_day += 1;
  EXPECT_THAT(CheckWithoutPlan(s, 0, levers).error().message, HasSubstr("other levers"));
  // The plan with the contract's production, said to be made without it:
  // the checker, against the scenario without the contract, refuses it.
  plan::Plan relabelled = *with;
  relabelled.basis.excluded_contracts = {0};
  auto checked = CheckWithoutPlan(s, 0, relabelled);
  ASSERT_FALSE(checked);
  EXPECT_THAT(checked.error().message, HasSubstr("fails the plan checker"));

  options.without_plan = &frozen;
  auto refused = AnalyzeDeal(s, 0, options);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::kInvalidInput);
}

// tests/data/deal/README.md: the GBP 600,000 retooling of home-1 for the
// partner's platform is the contract's; paid by the partner it moves GBP 75
// a car (600,000 / 8,000) off the host's break-even and the partner's
// highest fee, and the equal split moves with both.
TEST(DealTest, ThePartnerPayingTheToolingMovesBothEndsOfTheZone) {
  for (const double share : {1.0, 0.5}) {
    SCOPED_TRACE(share);
    model::Scenario s = HostPartner();
    s.contracts[0].tooling_partner_share = share;
    auto r = AnalyzeDeal(s, 0, Quick());
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_NEAR(r->contract_retooling_gbp, 600000, 1e-6);
    EXPECT_NEAR(r->tooling_share_gbp, share * 600000, 1e-6);
    EXPECT_NEAR(r->terms.host_gain_gbp, 3.0e6 + share * 0.6e6, 1);
    EXPECT_NEAR(r->terms.partner_gain_gbp, 17.4e6 - share * 0.6e6, 1);
    EXPECT_NEAR(r->terms.host_break_even_fee_gbp, 125 - share * 75, 1e-3);
    EXPECT_NEAR(r->terms.partner_max_fee_gbp, 2675 - share * 75, 1e-3);
    EXPECT_NEAR(r->terms.proposed_fee_gbp, 1400 - share * 75, 1e-3);
    EXPECT_NEAR(r->host_plants[0].break_even_fee_gbp, 125 - share * 75, 1e-3);
    // A transfer: the joint gain does not move.
    EXPECT_NEAR(r->terms.joint_gain_gbp(), 20.4e6, 1);
  }
}

// A retooling for a platform the host's own cars also use is not the
// contract's, whoever the contract says pays for tooling.
TEST(DealTest, ARetoolingForASharedPlatformIsNotTheContracts) {
  model::Scenario s = HostPartner();
  model::VehicleModel shared = s.models[s.FindModel("hostcar")];
  shared.id = "hostcar-b";
  shared.platform = s.FindPlatform("b");
  s.models.push_back(shared);
  model::Variant v = s.variants[s.FindVariant("hostcar-ice")];
  v.id = "hostcar-b-ice";
  v.model = static_cast<int>(s.models.size()) - 1;
  s.variants.push_back(v);
  plan::Plan p;
  p.retooling = {{.line = s.FindLine("home-1"), .platform = s.FindPlatform("b"), .month = 0}};
  EXPECT_EQ(ContractRetoolingCost(s, p, 0), 0);
  EXPECT_EQ(ContractRetoolingCost(HostPartner(), p, 0), 600000);
  EXPECT_EQ(ContractRetoolingCost(HostPartner(), p, 0, HostPartner().FindPlant("away")), 0);
}

// A joint venture's account goes to its owners by share; the venture has
// no group of its own, and nothing is lost or made up on the way.
TEST(DealTest, GroupAccountsRollAJointVentureUpByShare) {
  model::Scenario s;
  s.companies = {{.id = "a"},
                 {.id = "b"},
                 {.id = "jv", .owners = {{.company = 0, .share = 0.5}, {.company = 1, .share = 0.3}}}};
  const std::vector<Account> legal = {{.fee_income_gbp = 10, .contribution_gbp = 100},
                                      {.duty_gbp = 5, .contribution_gbp = 200},
                                      {.fee_income_gbp = 40, .shift_cost_gbp = 20, .contribution_gbp = 20}};
  const std::vector<Account> groups = GroupAccounts(s, legal);
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_DOUBLE_EQ(groups[0].contribution_gbp, 110);
  EXPECT_DOUBLE_EQ(groups[0].fee_income_gbp, 30);
  EXPECT_DOUBLE_EQ(groups[1].contribution_gbp, 206);
  EXPECT_DOUBLE_EQ(groups[1].shift_cost_gbp, 6);
  EXPECT_EQ(groups[2], Account{});
}

// A joint venture whose money the deal does not touch leaves the group
// terms at the legal entities' ones.
TEST(DealTest, GroupTermsEqualTheLegalOnesWhenTheJointVentureDoesNotChange) {
  model::Scenario s = HostPartner();
  s.companies.push_back(
      {.id = "jv", .name = "Joint", .owners = {{.company = 0, .share = 0.5}, {.company = 1, .share = 0.5}}});
  auto r = AnalyzeDeal(s, 0, Quick());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->has_group_terms);
  ASSERT_EQ(r->groups.size(), 2u);
  EXPECT_NEAR(r->group_terms.host_gain_gbp, r->terms.host_gain_gbp, 1e-6);
  EXPECT_NEAR(r->group_terms.host_break_even_fee_gbp, 125, 1e-3);
}

// Sweep points travel between MPI ranks as text: bit for bit, errors too.
TEST(DealTest, SweepPointsRoundTripThroughTheirTextExactly) {
  const FeePoint fee{.fee_gbp = 1234.5,
                     .status = plan::SolveStatus::kFeasibleGap,
                     .gap = 1.0 / 3,
                     .seconds = 0.1,
                     .gain_pv_gbp = {0.1 + 0.2, -7e9 / 3},
                     .host_gain_pv_gbp = 0.1 + 0.2,
                     .partner_gain_pv_gbp = -7e9 / 3,
                     .cars_hosted = 12345.000000001,
                     .cars_by_plant = {1.0 / 7, 2},
                     .violations = {"line a: 3 > 2"}};
  auto back = DecodeFeePoint(EncodeFeePoint(fee));
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->gap, fee.gap);
  EXPECT_EQ(back->status, fee.status);
  EXPECT_EQ(back->gain_pv_gbp, fee.gain_pv_gbp);
  EXPECT_EQ(back->cars_hosted, fee.cars_hosted);
  EXPECT_EQ(back->cars_by_plant, fee.cars_by_plant);
  EXPECT_EQ(back->violations, fee.violations);
  EXPECT_EQ(DecodeFeePoint(EncodeFeePoint(Internal("no plan"))).error().message, "no plan");

  const TariffPoint rate{.rate = 0.1,
                         .terms = TermsFor(900, 1.0 / 3, 2e6 / 7, -1e6 / 9),
                         .with_status = plan::SolveStatus::kOptimal,
                         .without_status = plan::SolveStatus::kFeasibleGap,
                         .with_gap = 0,
                         .without_gap = 1e-4 / 3};
  auto again = DecodeTariffPoint(EncodeTariffPoint(rate));
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(again->terms.host_break_even_fee_gbp, rate.terms.host_break_even_fee_gbp);
  EXPECT_EQ(again->terms.partner_gain_at_proposed_gbp, rate.terms.partner_gain_at_proposed_gbp);
  EXPECT_EQ(again->without_gap, rate.without_gap);
  EXPECT_EQ(again->without_status, rate.without_status);
  EXPECT_FALSE(DecodeTariffPoint("{\"rate\": 1}").has_value());
}

TEST(DealTest, ContractOutOfRangeIsInvalidInput) {
  const model::Scenario s = HostPartner();
  auto r = AnalyzeDeal(s, 3, Quick());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalidInput);
}

}  // namespace
}  // namespace cobuild::deal
