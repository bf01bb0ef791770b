#include "replan/risk.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <numeric>

#include "io/replan_io.h"
#include "io/scenario_reader.h"
#include "plan/planner.h"

namespace cobuild::replan {
namespace {

using ::testing::HasSubstr;

class RiskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = io::LoadScenario("tests/data/scenarios/small.yaml");
    ASSERT_TRUE(s) << s.error().message;
    scenario_ = std::move(*s);
    const int home = scenario_.FindPlant("home");
    scenario_.risk.outages.push_back(
        {.plants = {home}, .probability_per_year = 0.6, .min_weeks = 1, .max_weeks = 5});
    scenario_.risk.demand.push_back({.brands = {scenario_.FindBrand("partnerbrand")},
                                     .markets = {},
                                     .powertrains = {},
                                     .min_factor = 0.7,
                                     .mode_factor = 1.0,
                                     .max_factor = 1.2});
    scenario_.replan.backlog_max_months = 1;
    scenario_.replan.backlog_delay_cost_gbp_per_car_month = 200;
    scenario_.replan.stability_penalty_gbp_per_car = 10;
    Rebaseline();
  }

  // The baseline with the scenario's levers as they are now.
  void Rebaseline() {
    plan::PlanRequest request;
    request.options.solve.time_limit_seconds = 30;
    auto baseline = plan::SolvePlan(scenario_, request);
    ASSERT_TRUE(baseline && baseline->HasSolution());
    baseline_ = std::move(*baseline);
  }

  RiskOptions Options(int workers) const {
    RiskOptions options;
    options.samples = 10;
    options.seed = 11;
    options.workers = workers;
    options.plan.solve.time_limit_seconds = 60;
    options.plan.solve.max_nodes = 50;
    return options;
  }

  model::Scenario scenario_;
  plan::Plan baseline_;
};

TEST(PercentilesTest, InterpolatesBetweenOrderStatistics) {
  const Percentiles p = PercentilesOf({11, 3, 1, 2, 4, 5, 6, 7, 8, 9, 10});
  EXPECT_DOUBLE_EQ(p.p10, 2);
  EXPECT_DOUBLE_EQ(p.p50, 6);
  EXPECT_DOUBLE_EQ(p.p90, 10);
  const Percentiles two = PercentilesOf({0, 10});
  EXPECT_DOUBLE_EQ(two.p10, 1);
  EXPECT_DOUBLE_EQ(two.p90, 9);
}

TEST_F(RiskTest, DrawsStayInsideTheHorizonAndTheDistributions) {
  int outages = 0;
  for (int i = 0; i < 200; ++i) {
    for (const auto& e : DrawEvents(scenario_, 3, i)) {
      EXPECT_GE(e.from, (model::Date{2026, 1, 1}));
      EXPECT_LE(e.to, (model::Date{2026, 12, 31}));
      EXPECT_LE(e.from, e.to);
      if (e.kind == model::EventKind::kOutage) {
        ++outages;
        const int days = model::DaysFromCivil(e.to) - model::DaysFromCivil(e.from) + 1;
        EXPECT_LE(days, 35);
        if (e.to < model::Date{2026, 12, 1}) {
          EXPECT_GE(days, 7);
        }
      } else {
        EXPECT_GE(e.demand_factor, 0.7);
        EXPECT_LE(e.demand_factor, 1.2);
      }
    }
  }
  // probability 0.6 a year over 200 draws
  EXPECT_GT(outages, 90);
  EXPECT_LT(outages, 150);
  EXPECT_EQ(DrawEvents(scenario_, 3, 17), DrawEvents(scenario_, 3, 17));
  EXPECT_NE(DrawEvents(scenario_, 3, 17), DrawEvents(scenario_, 4, 17));
}

TEST_F(RiskTest, SameSeedGivesTheSameResultWithAnyWorkerCount) {
  int calls = 0;
  RiskOptions one = Options(1);
  one.on_progress = [&](int done, int total) {
    ++calls;
    EXPECT_LE(done, total);
  };
  auto a = Risk(scenario_, baseline_, one);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(calls, 10);
  auto b = Risk(scenario_, baseline_, Options(3));
  ASSERT_TRUE(b) << b.error().message;
  ASSERT_EQ(a->samples.size(), b->samples.size());
  for (size_t i = 0; i < a->samples.size(); ++i) {
    EXPECT_EQ(a->samples[i].events, b->samples[i].events);
    EXPECT_EQ(a->samples[i].contribution_gbp, b->samples[i].contribution_gbp) << i;
    EXPECT_EQ(a->samples[i].units_lost, b->samples[i].units_lost) << i;
    EXPECT_EQ(a->samples[i].error, "");
    // A loss not won back; sales beyond the baseline do not make it negative.
    EXPECT_GE(a->samples[i].units_lost, -1e-6) << i;
    EXPECT_LE(a->samples[i].units_lost, a->samples[i].disrupted_units_lost + 1e-6) << i;
  }
  EXPECT_THAT(a->approximation, HasSubstr("fixed at the baseline"));
  EXPECT_EQ(a->time_limited_samples, 0);
  EXPECT_EQ(a->contribution_gbp.p50, b->contribution_gbp.p50);
  EXPECT_GT(a->samples_with_events, 0);
  EXPECT_LE(a->contribution_gbp.p10, a->contribution_gbp.p50);
  EXPECT_LE(a->contribution_gbp.p50, a->contribution_gbp.p90);
  EXPECT_LE(a->units_lost.p10, a->units_lost.p90);
  // Per company, through the worker processes too: each draw's companies add
  // up to its total, and the loss is the contribution's tail read from the
  // other side (P90 of the loss = baseline minus P10 of the contribution).
  ASSERT_EQ(a->baseline_company_gbp.size(), scenario_.companies.size());
  ASSERT_EQ(a->company_loss_gbp.size(), scenario_.companies.size());
  for (size_t i = 0; i < a->samples.size(); ++i) {
    EXPECT_EQ(a->samples[i].company_contribution_gbp, b->samples[i].company_contribution_gbp) << i;
    ASSERT_EQ(a->samples[i].company_contribution_gbp.size(), scenario_.companies.size());
    const double sum = std::accumulate(a->samples[i].company_contribution_gbp.begin(),
                                       a->samples[i].company_contribution_gbp.end(), 0.0);
    EXPECT_NEAR(sum, a->samples[i].contribution_gbp, 1e-6 * std::abs(sum) + 1e-6) << i;
  }
  const double scale = 1e-9 * std::abs(a->baseline_contribution_gbp) + 1e-6;
  EXPECT_NEAR(a->loss_gbp.p90, a->baseline_contribution_gbp - a->contribution_gbp.p10, scale);
  EXPECT_NEAR(a->loss_gbp.p10, a->baseline_contribution_gbp - a->contribution_gbp.p90, scale);
  EXPECT_LE(a->loss_gbp.p10, a->loss_gbp.p90);
  for (const auto& q : a->company_loss_gbp) EXPECT_LE(q.p10, q.p90);
  // The JSON's worst draws: the largest losses first, at most kWorstDraws.
  const nlohmann::json j = io::RiskJson(scenario_, *a);
  ASSERT_TRUE(j["worst_draws"].is_array());
  EXPECT_EQ(j["worst_draws"].size(), std::min<size_t>(a->samples.size(), io::kWorstDraws));
  EXPECT_NEAR(j["worst_draws"][0]["loss_gbp"].get<double>(),
              *std::max_element(j["losses_gbp"].begin(), j["losses_gbp"].end()), 1e-6);
  for (size_t i = 1; i < j["worst_draws"].size(); ++i) {
    EXPECT_GE(j["worst_draws"][i - 1]["loss_gbp"].get<double>(),
              j["worst_draws"][i]["loss_gbp"].get<double>());
  }
  EXPECT_EQ(j["companies"].size(), scenario_.companies.size());
  EXPECT_EQ(j["loss_gbp"]["p90"], a->loss_gbp.p90);
}

// Same seed, same report to the byte, whatever the number of workers: the
// warm start is solved once before the workers start, and each draw's
// solve depends on its draw only.
TEST_F(RiskTest, SameSeedGivesAByteIdenticalReportWithAnyWorkerCount) {
  auto one = Risk(scenario_, baseline_, Options(1));
  auto three = Risk(scenario_, baseline_, Options(3));
  ASSERT_TRUE(one && three);
  const std::string a = io::RiskJson(scenario_, *one).dump(2);
  EXPECT_EQ(a, io::RiskJson(scenario_, *three).dump(2));
  EXPECT_NE(a, io::RiskJson(scenario_, *Risk(scenario_, baseline_,
                                             [&] {
                                               RiskOptions other = Options(1);
                                               other.seed = 12;
                                               return other;
                                             }()))
                   .dump(2));
}

// The warm start and the stop rule change the speed, not what a draw is:
// every draw's recovery from the baseline's basis is within the replan gap
// of the same draw started cold.
TEST_F(RiskTest, WarmStartedDrawsMatchColdOnesWithinTheGap) {
  RiskOptions warm = Options(1);
  warm.samples = 12;
  RiskOptions cold = warm;
  cold.warm_start = false;
  auto a = Risk(scenario_, baseline_, warm);
  auto b = Risk(scenario_, baseline_, cold);
  ASSERT_TRUE(a && b);
  int with_events = 0;
  for (size_t i = 0; i < a->samples.size(); ++i) {
    const RiskSample& x = a->samples[i];
    const RiskSample& y = b->samples[i];
    EXPECT_EQ(x.error, "") << i;
    EXPECT_EQ(x.events, y.events) << i;
    with_events += !x.events.empty();
    const double gap = scenario_.replan.relative_gap * std::abs(y.objective_gbp) + 1.0;
    EXPECT_NEAR(x.objective_gbp, y.objective_gbp, gap) << i;
    EXPECT_EQ(x.disrupted_contribution_gbp, y.disrupted_contribution_gbp) << i;
  }
  EXPECT_GT(with_events, 5);
}

// With every recovery lever off (no backlog, extra shifts or weekends) each
// draw's recovery still has a plan.
TEST_F(RiskTest, EveryDrawRecoversWithAllLeversOff) {
  scenario_.replan = {};
  Rebaseline();
  for (bool full : {false, true}) {
    RiskOptions options = Options(1);
    options.samples = 12;
    options.full_recovery = full;
    auto r = Risk(scenario_, baseline_, options);
    ASSERT_TRUE(r) << r.error().message;
    for (const auto& sample : r->samples) EXPECT_EQ(sample.error, "") << sample.index << " full " << full;
    EXPECT_EQ(r->failed_samples, 0);
  }
}

// Like for like: with the baseline's levers (backlog, one extra shift, four
// weekend days) in every draw, no draw of outages and demand cuts earns more
// than the baseline's proven bound.
TEST_F(RiskTest, NoDrawBeatsTheBaselinesBound) {
  scenario_.replan.extra_shifts_per_day = 1;
  scenario_.replan.weekend_days_per_month = 4;
  scenario_.risk.demand.front().max_factor = 1.0;  // demand only falls
  Rebaseline();
  RiskOptions options = Options(2);
  options.samples = 20;
  auto r = Risk(scenario_, baseline_, options);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->failed_samples, 0);
  EXPECT_GT(r->samples_with_events, 10);
  const double tolerance = 1.0 + 1e-6 * std::abs(baseline_.bound_gbp);
  for (const auto& sample : r->samples) {
    EXPECT_EQ(sample.error, "") << sample.index;
    EXPECT_LE(sample.objective_gbp, baseline_.bound_gbp + tolerance) << sample.index;
  }
  EXPECT_LE(r->contribution_gbp.p50, r->baseline_contribution_gbp + tolerance);
}

// A baseline planned with other levers is refused.
TEST_F(RiskTest, ABaselineWithOtherLeversIsRefused) {
  scenario_.replan.weekend_days_per_month = 2;
  auto r = Risk(scenario_, baseline_, Options(1));
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message, HasSubstr("other levers"));
}

TEST_F(RiskTest, AScenarioWithoutRiskDistributionsIsInvalidInput) {
  scenario_.risk = {};
  auto r = Risk(scenario_, baseline_, Options(1));
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message, HasSubstr("no risk distributions"));
}

// A stop request ends the run after the current samples, in this process
// and with worker processes (killed and reaped: no child is left).
TEST_F(RiskTest, StopRequestEndsTheRunAndLeavesNoWorkerProcess) {
  for (int workers : {1, 2}) {
    RiskOptions options = Options(workers);
    options.samples = 400;
    int finished = 0;
    options.on_progress = [&finished](int done, int) { finished = done; };
    options.plan.solve.should_stop = [&finished] { return finished >= 2; };
    auto r = Risk(scenario_, baseline_, options);
    ASSERT_FALSE(r) << workers << " workers";
    EXPECT_THAT(r.error().message, HasSubstr("stopped on request")) << workers << " workers";
    EXPECT_LT(finished, options.samples);
    errno = 0;
    EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1) << workers << " workers";
    EXPECT_EQ(errno, ECHILD);
  }
}

// The expected cost orders draws by what they are before they are solved:
// nothing to solve, demand only (an LP), then by outages and lost line-days.
TEST_F(RiskTest, ExpectedDrawCostRanksOutagesAboveDemandAboveNothing) {
  const int home = scenario_.FindPlant("home");
  model::Event demand;
  demand.kind = model::EventKind::kDemandChange;
  model::Event outage;
  outage.kind = model::EventKind::kOutage;
  outage.plants = {home};
  outage.from = {2026, 3, 2};
  outage.to = {2026, 3, 15};
  const double lines = static_cast<double>(model::AffectedLines(scenario_, outage).size());
  ASSERT_GT(lines, 0);
  EXPECT_EQ(ExpectedDrawCost(scenario_, {}), 0);
  EXPECT_EQ(ExpectedDrawCost(scenario_, {demand}), 1);
  EXPECT_EQ(ExpectedDrawCost(scenario_, {outage}), 1 + 1000 + 14 * lines);
  EXPECT_EQ(ExpectedDrawCost(scenario_, {demand, outage, outage}), 1 + 2 * (1000 + 14 * lines));
}

// Every sample once, longest expected first, ties (and the draws without
// events, last) in index order.
TEST_F(RiskTest, DrawOrderIsEverySampleOnceLongestExpectedFirst) {
  const std::vector<int> order = RiskDrawOrder(scenario_, 11, 40);
  ASSERT_EQ(order.size(), 40u);
  std::vector<int> sorted = order;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < 40; ++i) EXPECT_EQ(sorted[static_cast<size_t>(i)], i);
  auto cost = [&](int i) { return ExpectedDrawCost(scenario_, DrawEvents(scenario_, 11, i)); };
  for (size_t k = 1; k < order.size(); ++k) {
    EXPECT_GE(cost(order[k - 1]), cost(order[k])) << k;
    if (cost(order[k - 1]) == cost(order[k])) {
      EXPECT_LT(order[k - 1], order[k]) << k;
    }
  }
  EXPECT_GT(cost(order.front()), 1000) << "some draw has an outage";
  EXPECT_NE(order, sorted) << "the order differs from index order";
}

// A draw's fields, its timing aside.
std::string SampleWithoutTiming(RiskSample sample) {
  sample.solve_seconds = 0;
  return EncodeRiskSample(sample);
}

// A process given another's set-up (the warm start's basis, no LP solved)
// solves every draw exactly as the process that solved the LP: what MPI
// ranks rely on to give the same output as one process.
TEST_F(RiskTest, ASetUpFromAnotherProcessGivesTheSameDraws) {
  const RiskOptions options = Options(1);
  auto solved = RiskDraws::Prepare(scenario_, baseline_, options);
  ASSERT_TRUE(solved) << solved.error().message;
  auto setup = solved->SetupText();
  ASSERT_TRUE(setup) << setup.error().message;
  ASSERT_NE(*setup, "cold");
  EXPECT_NE(setup->find('/'), std::string::npos);
  auto shipped = RiskDraws::Prepare(scenario_, baseline_, options, *setup);
  ASSERT_TRUE(shipped) << shipped.error().message;
  auto again = shipped->SetupText();
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *setup);
  int with_events = 0;
  for (int i = 0; i < options.samples; ++i) {
    const RiskSample a = solved->Solve(i);
    EXPECT_EQ(a.error, "") << i;
    with_events += !a.events.empty();
    EXPECT_EQ(SampleWithoutTiming(a), SampleWithoutTiming(shipped->Solve(i))) << i;
  }
  EXPECT_GT(with_events, 3);
  // A cold run ships "cold"; a set-up that does not fit the model is refused.
  RiskOptions cold = options;
  cold.warm_start = false;
  auto cold_draws = RiskDraws::Prepare(scenario_, baseline_, cold);
  ASSERT_TRUE(cold_draws);
  EXPECT_EQ(*cold_draws->SetupText(), "cold");
  std::string not_a_status = *setup;
  not_a_status[0] = '7';
  for (const std::string& bad : {std::string("3/1"), setup->substr(1), not_a_status}) {
    auto refused = RiskDraws::Prepare(scenario_, baseline_, options, bad);
    ASSERT_FALSE(refused) << bad.substr(0, 20);
    EXPECT_THAT(refused.error().message, HasSubstr("risk set-up")) << bad.substr(0, 20);
  }
}

}  // namespace
}  // namespace cobuild::replan
