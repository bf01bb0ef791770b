#include "replan/replan.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <numeric>
#include <tuple>

#include "io/event_reader.h"
#include "io/scenario_reader.h"
#include "plan/economics.h"
#include "plan/plan_checker.h"
#include "plan/planner.h"
#include "plan/test_scenarios.h"

namespace cobuild::replan {
namespace {

using ::testing::HasSubstr;

void ExpectChecks(const model::Scenario& s, const plan::Plan& p, const plan::PlanRequest& request,
                  const std::string& what) {
  const plan::CheckReport report = plan::CheckPlan(s, p, request);
  for (const auto& v : report.violations) ADD_FAILURE() << what << ": " << v;
  EXPECT_NEAR(report.objective_gbp, p.objective_gbp, 1.0 + 1e-6 * std::abs(p.objective_gbp)) << what;
}

class ReplanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = io::LoadScenario("tests/data/scenarios/small.yaml");
    ASSERT_TRUE(s) << s.error().message;
    scenario_ = std::move(*s);
    scenario_.replan = plan::testing::RecoveryLevers();
    Rebaseline();
  }

  // The baseline with the scenario's levers as they are now.
  void Rebaseline() {
    plan::PlanRequest request;
    request.options.solve.time_limit_seconds = 30;
    request.options.solve.relative_gap = 1e-6;
    auto baseline = plan::SolvePlan(scenario_, request);
    ASSERT_TRUE(baseline && baseline->HasSolution());
    baseline_ = std::move(*baseline);
  }

  // Like for like: with the baseline's levers a disruption can only cost.
  void ExpectCosts(const ReplanResult& r) {
    const double tolerance = 1.0 + 1e-6 * std::abs(baseline_.bound_gbp);
    EXPECT_LE(r.recovered.objective_gbp, baseline_.bound_gbp + tolerance);
    EXPECT_LE(r.disrupted.objective_gbp, baseline_.bound_gbp + tolerance);
    EXPECT_LE(r.recovered.objective_gbp, r.baseline.objective_gbp + tolerance);
  }

  model::Event Event(const std::string& text) {
    auto e = io::ParseEventText(text, scenario_, "--event", fmt::format("e{}", ++count_));
    EXPECT_TRUE(e) << e.error().message;
    return e.value_or(model::Event{});
  }

  ReplanResult RunAndCheck(const std::vector<model::Event>& events, bool fix_integers = false,
                           const plan::LpWarmStart* warm_start = nullptr) {
    ReplanOptions options;
    options.plan.solve.relative_gap = 1e-6;
    options.fix_integers_outside_window = fix_integers;
    options.warm_start = warm_start;
    auto r = Replan(scenario_, baseline_, events, options);
    EXPECT_TRUE(r) << r.error().message;
    if (!r) return {};
    ExpectChecks(r->disrupted_scenario, r->disrupted, r->disrupted_request, "disrupted");
    const plan::PlanRequest recovery = r->RecoveryRequest();
    ExpectChecks(r->disrupted_scenario, r->recovered, recovery, "recovered");
    // The report's levers account for every car the recovery sells beyond
    // the disrupted plan.
    const ReplanReport& rep = r->report;
    const double by_lever = std::accumulate(rep.levers.begin(), rep.levers.end(), 0.0,
                                            [](double a, const LeverUnits& l) { return a + l.units; });
    EXPECT_NEAR(by_lever + rep.moved_away_units, rep.recovered_units_sold - rep.disrupted_units_sold, 1e-3);
    // The levers' GBP (and the cars moved away) add up to the recovery's
    // contribution gain over doing nothing, when it sells any net car.
    double gain_gbp = 0;
    for (const auto& c : rep.companies) gain_gbp += c.recovered_gbp - c.disrupted_gbp;
    const double lever_gbp = std::accumulate(rep.levers.begin(), rep.levers.end(), rep.moved_away_gbp,
                                             [](double a, const LeverUnits& l) { return a + l.value_gbp; });
    if (std::abs(rep.recovered_units_sold - rep.disrupted_units_sold) > 0.5) {
      EXPECT_NEAR(lever_gbp, gain_gbp, 1e-6 * std::max(1.0, std::abs(gain_gbp)));
    } else {
      EXPECT_EQ(lever_gbp, 0);
    }
    // Won back is part of the loss; what the recovery sells beyond the
    // baseline is listed apart.
    EXPECT_GE(rep.won_back_units, -1e-9);
    EXPECT_LE(rep.won_back_units, rep.baseline_units_sold - rep.disrupted_units_sold + 1e-3);
    EXPECT_GE(rep.won_back_units + rep.beyond_baseline_units,
              rep.recovered_units_sold - rep.disrupted_units_sold - 1e-3);
    EXPECT_GE(rep.beyond_baseline_units, rep.recovered_units_sold - rep.baseline_units_sold - 1e-3);
    // Doing nothing is a feasible recovery, so the optimum is at least as good.
    // (priced under the recovery's penalties first).
    plan::Plan idle = r->disrupted;
    const plan::CheckReport priced = plan::CheckPlan(r->disrupted_scenario, idle, recovery);
    idle.contributions = priced.contributions;
    idle.penalties_gbp = priced.penalties_gbp;
    idle.objective_gbp = priced.objective_gbp;
    idle.bound_gbp = idle.objective_gbp;  // a plan made by hand proves nothing beyond itself
    idle.gap = 0;
    const plan::CheckReport nothing = plan::CheckPlan(r->disrupted_scenario, idle, recovery);
    EXPECT_TRUE(nothing.ok()) << (nothing.ok() ? "" : nothing.violations.front());
    EXPECT_GE(r->recovered.objective_gbp,
              nothing.objective_gbp - 1.0 - 1e-5 * std::abs(nothing.objective_gbp));
    return std::move(*r);
  }

  model::Scenario scenario_;
  plan::Plan baseline_;
  int count_ = 0;
};

// With backlog the baseline builds home's cars in alternate months (March
// idle, August on two shifts): August's outage costs.
TEST_F(ReplanTest, OutageLosesCarsAndTheRecoveryWinsSomeBack) {
  const ReplanResult r = RunAndCheck({Event("outage plants=home from=2026-08-03 to=2026-08-28")});
  const ReplanReport& rep = r.report;
  EXPECT_EQ(rep.frozen_months, 7);
  EXPECT_LT(rep.disrupted_units_sold, rep.baseline_units_sold - 100);
  EXPECT_GT(rep.recovered_units_sold, rep.disrupted_units_sold);
  EXPECT_GT(rep.recovered_objective_gbp, rep.disrupted_objective_gbp);
  ASSERT_EQ(rep.levers.size(), std::size(kLevers));
  ASSERT_FALSE(rep.disrupted_lost.empty());
  for (const auto& cell : rep.disrupted_lost) EXPECT_GE(cell.month, 7);
  EXPECT_EQ(rep.companies.size(), scenario_.companies.size());
  ExpectCosts(r);
  // Every company's cost is its baseline contribution minus the plan's.
  for (const auto& c : rep.companies) {
    EXPECT_DOUBLE_EQ(c.RecoveredCost(), c.baseline_gbp - c.recovered_gbp);
    EXPECT_DOUBLE_EQ(c.baseline_gbp,
                     baseline_.contributions[static_cast<size_t>(c.company)].contribution_gbp);
  }
  // Nothing moves in the frozen months.
  for (const auto& e : r.recovered.production) {
    if (e.month >= 7) continue;
    bool found = false;
    for (const auto& b : baseline_.production) {
      found |= b.line == e.line && b.variant == e.variant && b.month == e.month &&
               std::abs(b.units - e.units) < 0.01;
    }
    EXPECT_TRUE(found) << "line " << e.line << " month " << e.month;
  }
}

// With finished-goods stock at the struck plant (which also stops for five
// weeks in October, so the baseline builds ahead) the no-action plan takes
// the cars cut out of stock first, then out of shipments
// (docs/planning-model.md, "Finished-goods stock"); every plan passes the
// checker and the disruption only costs.
TEST_F(ReplanTest, OutageAtAPlantWithStock) {
  scenario_.stock = {{.plant = scenario_.FindPlant("home"),
                      .holding_cost_gbp_per_car_month = 50,
                      .max_cars = 3000,
                      .initial = {{.variant = 0, .units = 500}}}};
  Rebaseline();
  EXPECT_FALSE(baseline_.stock.empty());
  const ReplanResult r = RunAndCheck({Event("outage plants=home from=2026-08-03 to=2026-08-28")});
  ExpectCosts(r);
  EXPECT_LT(r.report.disrupted_units_sold, r.report.baseline_units_sold);
  // No stock above the baseline's in the no-action plan.
  std::map<std::tuple<int, int, int>, double> base;
  for (const auto& e : baseline_.stock) base[{e.plant, e.variant, e.month}] += e.units;
  for (const auto& e : r.disrupted.stock) {
    const double planned = base[std::make_tuple(e.plant, e.variant, e.month)];
    EXPECT_LE(e.units, planned + 1e-6) << e.month;
  }
}

// The levers are the scenario's, in every plan: the baseline already uses
// them where they pay (the backlog lets it build home's cars in alternate
// months), so an outage cannot make the recovery earn more than the
// baseline's bound, and the sales it recovers are the loss won back.
TEST_F(ReplanTest, TheBaselineHasTheLeversToo) {
  EXPECT_FALSE(baseline_.backlog.empty()) << "the baseline uses no backlog";
  EXPECT_EQ(baseline_.basis.levers, plan::ScenarioLevers(scenario_));
  const ReplanResult r = RunAndCheck({Event("outage plants=home from=2026-09-07 to=2026-09-18")});
  ExpectCosts(r);
  EXPECT_EQ(r.recovered.basis.levers, baseline_.basis.levers);
  EXPECT_EQ(r.recovered.basis.events.size(), 1u);
  EXPECT_EQ(r.recovered.basis.frozen_months, r.report.frozen_months);
}

// An event that changes nothing (an outage of a plant with no lines) costs
// nothing, within the solver's gap.
TEST_F(ReplanTest, AnEventWithNoEffectCostsNothing) {
  const ReplanResult r = RunAndCheck(
      {Event("rate-reduction lines=home-1 output_lost_share=0.000001 from=2026-06-01 to=2026-06-01")});
  ExpectCosts(r);
  const double gap = 1e-6 * std::abs(baseline_.objective_gbp) + baseline_.bound_gbp - baseline_.objective_gbp;
  EXPECT_GE(r.recovered.objective_gbp, baseline_.objective_gbp - gap - 1.0);
  for (const auto& c : r.report.companies) EXPECT_LE(std::abs(c.RecoveredCost()), gap + 1.0) << c.company;
}

// A replan of a recovered plan keeps the first events applied and its frozen
// months, and re-solves only from the new event on.
TEST_F(ReplanTest, ReplanOfARecoveredPlan) {
  const model::Event first = Event("outage plants=home from=2026-08-03 to=2026-08-28");
  const ReplanResult r = RunAndCheck({first});
  baseline_ = r.recovered;
  const ReplanResult again =
      RunAndCheck({first, Event("outage plants=overseas from=2026-10-05 to=2026-10-16")});
  EXPECT_EQ(again.events.size(), 2u);
  EXPECT_EQ(again.report.frozen_months, 9);
  EXPECT_EQ(again.recovered.basis.events.size(), 2u);
  // Still like for like against the first baseline (stability penalties aside).
  const plan::Plan& first_baseline = r.baseline;
  EXPECT_LE(again.recovered.objective_gbp + again.recovered.basis.stability_penalty_gbp,
            first_baseline.bound_gbp + 1.0 + 1e-6 * std::abs(first_baseline.bound_gbp));
  // The same events again are nothing new.
  auto same = Replan(scenario_, r.recovered, std::vector<model::Event>{first}, {});
  ASSERT_FALSE(same);
  EXPECT_THAT(same.error().message, HasSubstr("already includes"));
}

// A baseline planned with other levers is refused: the comparison would not
// be like for like.
TEST_F(ReplanTest, ABaselineWithOtherLeversIsRefused) {
  scenario_.replan.extra_shifts_per_day = 0;
  auto r = Replan(scenario_, baseline_,
                  std::vector<model::Event>{Event("outage plants=home from=2026-03-02 to=2026-03-27")}, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(r.error().message, HasSubstr("other levers"));
}

TEST_F(ReplanTest, OverlappingOutagesAndARateReductionReplan) {
  RunAndCheck({Event("outage plants=home from=2026-05-04 to=2026-05-22"),
               Event("outage lines=home-1 from=2026-05-18 to=2026-06-05"),
               Event("rate-reduction plants=overseas output_lost_share=0.3 from=2026-05-01 to=2026-07-31")});
}

TEST_F(ReplanTest, SupplyCapReplans) {
  const ReplanResult r = RunAndCheck({Event("supply-cap units_per_month=300 from=2026-04 to=2026-06")});
  EXPECT_LT(r.report.disrupted_units_sold, r.report.baseline_units_sold);
}

TEST_F(ReplanTest, TariffChangeReplans) {
  const ReplanResult r = RunAndCheck({Event("tariff-change origin=CN market=UK rate=0.6 from=2026-06")});
  // Duty goes up on the same cars: the plan with no action earns less.
  EXPECT_LT(r.report.disrupted_objective_gbp, r.report.baseline_objective_gbp);
}

// A tariff change holds for cars arriving from its month on.
TEST_F(ReplanTest, TariffChangeAppliesFromItsMonth) {
  const int uk = scenario_.FindMarket("UK");
  const int overseas = scenario_.FindPlant("overseas");
  const int ev = scenario_.FindVariant("ev1-bev");
  bool early_import = false;
  for (const auto& e : baseline_.shipments)
    early_import |= e.plant == overseas && e.market == uk && e.arrival_month < 5;
  ASSERT_TRUE(early_import) << "the baseline imports no car from CN into the UK before June";
  const ReplanResult june = RunAndCheck({Event("tariff-change origin=CN market=UK rate=0.6 from=2026-06")});
  const ReplanResult january =
      RunAndCheck({Event("tariff-change origin=CN market=UK rate=0.6 from=2026-01")});
  for (int t = 0; t < 12; ++t) {
    EXPECT_DOUBLE_EQ(plan::DutyRate(june.disrupted_scenario, overseas, ev, uk, t), t < 5 ? 0.10 : 0.6) << t;
    EXPECT_DOUBLE_EQ(plan::DutyRate(january.disrupted_scenario, overseas, ev, uk, t), 0.6) << t;
  }
  // With no action both keep the baseline's cars; from June fewer pay 60%.
  EXPECT_EQ(june.disrupted.shipments, january.disrupted.shipments);
  EXPECT_GT(june.report.disrupted_objective_gbp, january.report.disrupted_objective_gbp + 1000);
  EXPECT_GT(june.report.recovered_objective_gbp, january.report.recovered_objective_gbp);
  // The recovery may re-route cars arriving from June, built from April on
  // (42 days' transit: two months).
  EXPECT_EQ(june.report.frozen_months, 3);
}

TEST_F(ReplanTest, DemandChangeReplans) {
  const ReplanResult r =
      RunAndCheck({Event("demand-change brands=hostbrand factor=0.6 from=2026-07 to=2026-09"),
                   Event("demand-change markets=UK factor=1.3 from=2026-08 to=2026-12")});
  EXPECT_NE(r.report.disrupted_units_sold, r.report.baseline_units_sold);
}

TEST_F(ReplanTest, ContractChangeReplans) {
  RunAndCheck(
      {Event("contract-change contract=ev-at-home max_units_per_year=600 min_units_per_year=100 from=2026")});
}

// A contract minimum out of reach is a penalised shortfall of the recovery,
// not an infeasible one: the plan is found, checked, and says how short.
TEST_F(ReplanTest, AContractMinimumOutOfReachIsAShortfallNotAFailure) {
  scenario_.replan = {};  // no backlog, extra shifts or weekends
  Rebaseline();
  const ReplanResult r = RunAndCheck({Event("outage plants=home from=2026-03-02 to=2026-03-27"),
                                      Event("contract-change contract=ev-at-home min_units_per_year=100000 "
                                            "max_units_per_year=200000 from=2026")});
  ASSERT_EQ(r.recovered.contract_shortfalls.size(), 1u);
  const auto& shortfall = r.recovered.contract_shortfalls.front();
  EXPECT_EQ(r.disrupted_scenario.contracts[static_cast<size_t>(shortfall.contract)].id, "ev-at-home");
  EXPECT_EQ(shortfall.year, 2026);
  EXPECT_GT(shortfall.units, 90000);
}

TEST_F(ReplanTest, AnEventThatLeavesNothingToRecover) {
  // Every plant stops from November to the end of the horizon: no capacity,
  // no later month to catch up in, and shipments arriving then are frozen.
  const ReplanResult r = RunAndCheck({Event("outage plants=home,overseas from=2026-11-01 to=2026-12-31")});
  const ReplanReport& rep = r.report;
  EXPECT_NEAR(rep.recovered_units_sold, rep.disrupted_units_sold, 1e-3);
  for (const auto& lever : rep.levers) EXPECT_NEAR(lever.units, 0, 1e-3) << lever.lever;
  for (const auto& e : r.recovered.production) EXPECT_LT(e.month, 10);
}

// Without backlog the frozen months admit no rounding: a baseline that
// exceeds a demand by 1e-5 cars, fixed exactly, would be infeasible.
TEST_F(ReplanTest, ReplansWithTheDefaultSettings) {
  scenario_.replan = {};
  Rebaseline();
  const ReplanResult r = RunAndCheck({Event("outage plants=home from=2026-03-02 to=2026-03-27")});
  ExpectCosts(r);
  for (const auto& e : r.recovered.shifts) EXPECT_EQ(e.extra_shifts_per_day + e.weekend_days, 0);
}

// Risk's approximation: shifts and retooling stay the baseline's outside the
// recovery window (March to June here); the plan still passes the checker.
TEST_F(ReplanTest, IntegersFixedOutsideTheRecoveryWindow) {
  const std::vector<model::Event> events = {
      Event("outage plants=home from=2026-03-02 to=2026-03-27"),
      Event("demand-change brands=hostbrand factor=0.8 from=2026-01-01")};
  const ReplanResult r = RunAndCheck(events, true);
  EXPECT_THAT(r.report.approximation, HasSubstr("2026-03 to 2026-06"));
  std::map<std::pair<int, int>, int> base;
  for (const auto& e : baseline_.shifts) base[{e.line, e.month}] = e.shifts_per_day;
  int outside = 0;
  for (const auto& e : r.recovered.shifts) {
    if (e.month >= 2 && e.month <= 5) continue;
    EXPECT_EQ(e.shifts_per_day, (base[{e.line, e.month}])) << "line " << e.line << " month " << e.month;
    ++outside;
  }
  EXPECT_GT(outside, 0);
  // The full re-solve may only do better.
  const ReplanResult full = RunAndCheck(events);
  EXPECT_EQ(full.report.approximation, "");
  EXPECT_GE(full.recovered.objective_gbp,
            r.recovered.objective_gbp - 1.0 - 1e-5 * std::abs(r.recovered.objective_gbp));
}

// Two outages months apart: each has its own window, the months between keep
// the baseline's shifts.
TEST_F(ReplanTest, EachCapacityEventHasItsOwnWindowForFreeIntegers) {
  const ReplanResult r = RunAndCheck({Event("outage plants=home from=2026-02-02 to=2026-02-13"),
                                      Event("outage plants=home from=2026-09-07 to=2026-09-11")},
                                     true);
  EXPECT_THAT(r.report.approximation, HasSubstr("(2026-02 to 2026-05, 2026-09 to 2026-12)"));
  std::map<std::pair<int, int>, int> base;
  for (const auto& e : baseline_.shifts) base[{e.line, e.month}] = e.shifts_per_day;
  for (const auto& e : r.recovered.shifts) {
    if (e.month >= 6 && e.month <= 7) {
      EXPECT_EQ(e.shifts_per_day, (base[{e.line, e.month}])) << "line " << e.line << " month " << e.month;
    }
  }
}

// What each risk draw does: the recovery's root LP starts from the
// baseline's basis. The same model is solved: the plans pass the checker
// with the cold start's objective, with and without fixed integers.
TEST_F(ReplanTest, ARecoveryFromTheBaselinesBasisSolvesTheSameModel) {
  Result<plan::LpWarmStart> warm = BaselineWarmStart(scenario_, baseline_, {});
  ASSERT_TRUE(warm) << warm.error().message;
  ASSERT_FALSE(warm->empty());
  const std::vector<model::Event> events = {
      Event("outage plants=home from=2026-03-02 to=2026-03-27"),
      Event("demand-change brands=hostbrand factor=0.8 from=2026-01-01")};
  for (bool fix : {true, false}) {
    const ReplanResult cold = RunAndCheck(events, fix);
    const ReplanResult started = RunAndCheck(events, fix, &*warm);
    ExpectCosts(started);
    EXPECT_NEAR(started.recovered.objective_gbp, cold.recovered.objective_gbp,
                1.0 + 2e-6 * std::abs(cold.recovered.objective_gbp))
        << "fixed integers " << fix;
  }
}

// A demand change alone opens no recovery window: the re-solve is an LP.
TEST_F(ReplanTest, DemandChangeAloneWithIntegersFixedIsAnLp) {
  const ReplanResult r = RunAndCheck({Event("demand-change factor=1.2 from=2026-06 to=2026-12")}, true);
  EXPECT_THAT(r.report.approximation, HasSubstr("as an LP"));
  EXPECT_EQ(r.recovered.stats.nodes, 0);
}

TEST_F(ReplanTest, NoEventsIsInvalidInput) {
  auto r = Replan(scenario_, baseline_, {}, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(r.error().message, HasSubstr("nothing to replan"));
}

TEST_F(ReplanTest, DisruptedPlanOfNoEventIsTheBaseline) {
  const plan::Plan same = DisruptedPlan(scenario_, baseline_, {});
  EXPECT_EQ(same.production, baseline_.production);
  EXPECT_EQ(same.shipments, baseline_.shipments);
  EXPECT_NEAR(same.objective_gbp, baseline_.objective_gbp, 1.0 + 1e-6 * std::abs(baseline_.objective_gbp));
}

// The default scenario (docs/planning-model.md, "Levers"): the cyber-attack
// (five weeks of all three UK plants) costs Jaguar Land Rover money after the
// recovery, never gains it, and an outage of Castle Bromwich, which builds
// nothing, costs nothing within the solver's gap. Node limits keep every
// solve deterministic and quick.
TEST(LikeForLikeTest, DefaultScenarioCyberAttackCostsAndAnIdlePlantsOutageDoesNot) {
  auto s = io::LoadScenario("scenarios/uk-2026.yaml");
  ASSERT_TRUE(s) << s.error().message;
  // Castle Bromwich's idle line without its retooling options builds
  // nothing whatever the costs (with a tooling life the plan retools it):
  // the idle plant whose outage must cost nothing.
  model::Scenario scenario = *s;
  const int idle_line = scenario.FindLine("castle-bromwich-1");
  ASSERT_GE(idle_line, 0);
  scenario.lines[static_cast<size_t>(idle_line)].retooling.clear();
  plan::PlanRequest request;
  request.options.solve.time_limit_seconds = 120;
  request.options.solve.relative_gap = scenario.replan.relative_gap;
  request.options.solve.max_nodes = 0;
  auto baseline = plan::SolvePlan(scenario, request);
  ASSERT_TRUE(baseline && baseline->HasSolution());
  ExpectChecks(scenario, *baseline, {}, "baseline");
  ReplanOptions options;
  options.plan.solve.max_nodes = 0;
  options.plan.solve.time_limit_seconds = 120;
  options.plan.solve.relative_gap = scenario.replan.relative_gap;
  options.use_scenario_time_limit = false;
  const double gap = baseline->bound_gbp - baseline->objective_gbp;
  const double tolerance = 1.0 + 1e-6 * std::abs(baseline->bound_gbp);

  ASSERT_EQ(scenario.events.size(), 1u);
  auto attack = Replan(scenario, *baseline, scenario.events, options);
  ASSERT_TRUE(attack) << attack.error().message;
  ExpectChecks(attack->disrupted_scenario, attack->disrupted, attack->disrupted_request, "disrupted");
  ExpectChecks(attack->disrupted_scenario, attack->recovered, attack->RecoveryRequest(), "recovered");
  EXPECT_LE(attack->recovered.objective_gbp, baseline->bound_gbp + tolerance);
  EXPECT_LE(attack->recovered.objective_gbp, baseline->objective_gbp + tolerance);
  EXPECT_GE(attack->recovered.objective_gbp, attack->disrupted.objective_gbp - tolerance);
  const int jlr = scenario.FindCompany("jlr");
  ASSERT_GE(jlr, 0);
  for (const auto& c : attack->report.companies) {
    if (c.company == jlr) {
      EXPECT_GT(c.DisruptedCost(), 1e8);  // hundreds of millions with no action
      EXPECT_GT(c.RecoveredCost(), 0);
      EXPECT_LT(c.RecoveredCost(), c.DisruptedCost());
    } else {
      // Two plans within the solver's gap of the optimum may split the money
      // between companies differently (and both are rounded to whole cars):
      // a partner's gain is bounded by the gap, not by the tolerance.
      EXPECT_GE(c.RecoveredCost(), -tolerance - gap) << scenario.companies[static_cast<size_t>(c.company)].id;
    }
  }

  const int idle = scenario.FindPlant("castle-bromwich");
  ASSERT_GE(idle, 0);
  for (const auto& e : baseline->production)
    ASSERT_NE(scenario.lines[static_cast<size_t>(e.line)].plant, idle);
  auto event = io::ParseEventText("outage plants=castle-bromwich from=2026-10-05 to=2026-11-08", scenario,
                                  "--event", "idle");
  ASSERT_TRUE(event) << event.error().message;
  auto nothing = Replan(scenario, *baseline, std::vector<model::Event>{*event}, options);
  ASSERT_TRUE(nothing) << nothing.error().message;
  ExpectChecks(nothing->disrupted_scenario, nothing->recovered, nothing->RecoveryRequest(), "idle recovered");
  EXPECT_NEAR(nothing->disrupted.objective_gbp, baseline->objective_gbp, tolerance);
  EXPECT_LE(nothing->recovered.objective_gbp, baseline->bound_gbp + tolerance);
  EXPECT_GE(nothing->recovered.objective_gbp, baseline->objective_gbp - gap - tolerance);
  for (const auto& c : nothing->report.companies) EXPECT_LE(std::abs(c.RecoveredCost()), gap + tolerance);
}

}  // namespace
}  // namespace cobuild::replan
