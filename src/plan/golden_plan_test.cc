// Golden plans: small scenarios in tests/data/golden/ whose optimal
// objective was worked out by hand (the arithmetic is in the README there).
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "io/scenario_reader.h"
#include "plan/economics.h"
#include "plan/model_builder.h"
#include "plan/plan_checker.h"
#include "plan/planner.h"

namespace cobuild::plan {
namespace {

struct Golden {
  const char* file;
  double objective_gbp;
};

// tests/data/golden/README.md.
constexpr Golden kGolden[] = {
    {"tests/data/golden/one-line.yaml", 14'850'000.0},
    {"tests/data/golden/transit-days.yaml", 16'590'000.0},
    {"tests/data/golden/workforce.yaml", 55'500'000.0},
    {"tests/data/golden/stock.yaml", 12'945'000.0},
    {"tests/data/golden/horizon-end.yaml", 49'600'000.0},
    {"tests/data/golden/shift-cap.yaml", 38'350'000.0},
    {"tests/data/golden/levers-split.yaml", 39'560'000.0},
    {"tests/data/golden/station-ratio.yaml", 7'032'000.0},
    {"tests/data/golden/levers-at-max.yaml", 1'240'000.0},
    {"tests/data/golden/weekend-weeks.yaml", 9'600'000.0},
    {"tests/data/golden/extra-shift-crew.yaml", 20'680'000.0},
};

TEST(GoldenPlanTest, SolvesToTheHandComputedOptimumAndPassesTheChecker) {
  for (const Golden& golden : kGolden) {
    SCOPED_TRACE(golden.file);
    auto scenario = io::LoadScenario(golden.file);
    ASSERT_TRUE(scenario.has_value()) << scenario.error().message;
    PlanRequest request;
    request.options.solve.time_limit_seconds = 60;
    request.options.solve.relative_gap = 1e-7;
    auto plan = SolvePlan(*scenario, request);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    ASSERT_EQ(plan->status, SolveStatus::kOptimal) << plan->stats.solver_message;
    EXPECT_NEAR(plan->objective_gbp, golden.objective_gbp, 1e-6 * golden.objective_gbp);
    const CheckReport report = CheckPlan(*scenario, *plan, request);
    for (const std::string& v : report.violations) ADD_FAILURE() << v;
    EXPECT_NEAR(report.objective_gbp, golden.objective_gbp, 1e-6 * golden.objective_gbp);
  }
}

TEST(GoldenPlanTest, OneLineRunsWholeShiftsAndServesEveryCar) {
  auto scenario = io::LoadScenario("tests/data/golden/one-line.yaml");
  ASSERT_TRUE(scenario.has_value()) << scenario.error().message;
  auto plan = SolvePlan(*scenario, {});
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  // The optimum is unique here: 2 shifts in January, 1 in February.
  int shifts[2] = {0, 0};
  for (const ShiftEntry& s : plan->shifts) shifts[s.month] += s.shifts_per_day;
  EXPECT_EQ(shifts[0], 2);
  EXPECT_EQ(shifts[1], 1);
  double sold = 0;
  for (const ShipmentEntry& s : plan->shipments) sold += s.units;
  EXPECT_NEAR(sold, 3'500, 1e-6);
  double unmet = 0;
  for (const UnmetEntry& u : plan->unmet) unmet += u.units;
  EXPECT_NEAR(unmet, 0, 1e-6);
  ASSERT_EQ(plan->contributions.size(), 1u);
  EXPECT_NEAR(plan->contributions[0].contribution_gbp, 14'850'000.0, 1e-6 * 14'850'000.0);
}

// The battery station caps the line at 0.385 battery cars (2 in 5, less
// the days' ends): 616 BEVs of 1,600; a hand-made plan at the long-run 2/5
// (640 BEVs, 960 ICE) breaks the station and the checker says so.
TEST(GoldenPlanTest, StationRatioCapsTheBatteryCars) {
  auto scenario = io::LoadScenario("tests/data/golden/station-ratio.yaml");
  ASSERT_TRUE(scenario.has_value()) << scenario.error().message;
  auto plan = SolvePlan(*scenario, {});
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  const int bev = scenario->FindVariant("m1-bev");
  const int ice = scenario->FindVariant("m1-ice");
  double cars[2] = {0, 0};
  for (const ProductionEntry& e : plan->production) {
    if (e.variant == bev || e.variant == ice) cars[e.variant == bev ? 0 : 1] += e.units;
  }
  EXPECT_NEAR(cars[0], 616, 1e-6);
  EXPECT_NEAR(cars[1], 984, 1e-6);
  EXPECT_TRUE(CheckPlan(*scenario, *plan).violations.empty());

  Plan broken = *plan;
  for (ProductionEntry& e : broken.production) e.units = e.variant == bev ? 640 : 960;
  for (ShipmentEntry& s : broken.shipments) s.units = s.variant == bev ? 640 : 960;
  const CheckReport report = CheckPlan(*scenario, broken);
  bool named = false;
  for (const std::string& v : report.violations)
    named |= v.find("station battery gets 640.00") != std::string::npos;
  EXPECT_TRUE(named) << "violations: " << report.violations.size();
}

// An outage that leaves the line 10% of its month (two of its 20 days)
// removes days, not speed: the 160 cars run as two full days, whose ends
// cost the same 1.2/80 a car as the month's 20 (38.5%: 61.6, so 61 whole
// BEVs), not the 1.2/8 a car (40 BEVs) a tenth-speed day would give. The checker agrees,
// and a plan at 38.5% passes it under the outage.
TEST(GoldenPlanTest, StationRatioUnderAnOutageChargesTheDaysThatRun) {
  auto scenario = io::LoadScenario("tests/data/golden/station-ratio.yaml");
  ASSERT_TRUE(scenario.has_value()) << scenario.error().message;
  PlanRequest outage;
  outage.SetLineAvailability(*scenario, 0, 0, 0.1);
  auto plan = SolvePlan(*scenario, outage);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  const int bev = scenario->FindVariant("m1-bev");
  double cars[2] = {0, 0};
  for (const ProductionEntry& e : plan->production) cars[e.variant == bev ? 0 : 1] += e.units;
  EXPECT_NEAR(cars[0] + cars[1], 160, 1e-6);
  EXPECT_NEAR(cars[0], 61, 1e-6);
  const CheckReport report = CheckPlan(*scenario, *plan, outage);
  for (const std::string& v : report.violations) ADD_FAILURE() << v;
}

// Mid-month transit: the two-day truck sells in its own month, 42 days at
// sea the next; the pipeline's 300 cars serve EU January first.
TEST(GoldenPlanTest, TransitDaysSellInTheMonthTheAverageCarArrives) {
  auto scenario = io::LoadScenario("tests/data/golden/transit-days.yaml");
  ASSERT_TRUE(scenario.has_value()) << scenario.error().message;
  ASSERT_EQ(scenario->pipeline.size(), 1u);
  auto plan = SolvePlan(*scenario, {});
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  const int uk = scenario->FindMarket("UK");
  for (const ShipmentEntry& s : plan->shipments) {
    EXPECT_EQ(s.arrival_month, s.month + (s.market == uk ? 0 : 1));
  }
  double unmet[3] = {0, 0, 0};
  for (const UnmetEntry& u : plan->unmet) unmet[u.month] += u.units;
  EXPECT_NEAR(unmet[0], 200, 1e-6);  // EU January: 500 demanded, 300 in the pipeline
  EXPECT_NEAR(unmet[1] + unmet[2], 0, 1e-6);
  EXPECT_TRUE(CheckPlan(*scenario, *plan).ok());
  // A plan that counts the pipeline's cars as unmet is refused.
  Plan misread = *plan;
  for (UnmetEntry& u : misread.unmet) {
    if (u.month == 0) u.units += 300;
  }
  const CheckReport report = CheckPlan(*scenario, misread);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.violations.front().find("demand m1-ice in EU 2027-01"), std::string::npos)
      << report.violations.front();
}

// The same scenario with whole-month transit (tests/data/golden/README.md).
TEST(GoldenPlanTest, TransitInWholeMonthsLosesTheFirstMonths) {
  auto scenario = io::LoadScenario("tests/data/golden/transit-days.yaml");
  ASSERT_TRUE(scenario.has_value()) << scenario.error().message;
  scenario->settings.transit_rule = model::TransitRule::kWholeMonths;
  PlanRequest request;
  request.options.solve.relative_gap = 1e-7;
  auto plan = SolvePlan(*scenario, request);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  ASSERT_EQ(plan->status, SolveStatus::kOptimal);
  EXPECT_NEAR(plan->objective_gbp, 8'850'000.0, 1e-6 * 8'850'000.0);
  const CheckReport report = CheckPlan(*scenario, *plan, request);
  for (const std::string& v : report.violations) ADD_FAILURE() << v;
  // A plan made under one rule is refused under the other.
  scenario->settings.transit_rule = model::TransitRule::kMidMonth;
  EXPECT_FALSE(CheckPlan(*scenario, *plan, request).ok());
}

// tests/data/golden/README.md, "workforce.yaml": the regular shifts of the
// working months (April is a shutdown) and the money of their changes.
struct WorkforceCase {
  const char* name;
  std::optional<model::ShiftChangeRule> rule;
  double objective_gbp;
  std::vector<int> shifts;  // January to July without April
  int changes;
  double change_cost_gbp;
};

TEST(GoldenPlanTest, WorkforceHoldsShiftPatternsAcrossTheShutdown) {
  auto loaded = io::LoadScenario("tests/data/golden/workforce.yaml");
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  ASSERT_TRUE(loaded->lines[0].shift_changes.has_value());  // the plant's rule, inherited
  EXPECT_EQ(loaded->lines[0].shift_changes->min_months, 3);
  const WorkforceCase cases[] = {
      {"minimum of 3 working months",
       loaded->lines[0].shift_changes,
       55'500'000.0,
       {2, 2, 2, 2, 1, 1},
       1,
       100'000.0},
      {"costs, no minimum",
       model::ShiftChangeRule{.added_cost_gbp = 300'000, .removed_cost_gbp = 100'000, .min_months = 1},
       55'600'000.0,
       {1, 1, 2, 2, 1, 1},
       2,
       400'000.0},
      {"no rule", std::nullopt, 56'000'000.0, {1, 1, 2, 2, 1, 1}, 2, 0.0},
  };
  for (const WorkforceCase& c : cases) {
    SCOPED_TRACE(c.name);
    model::Scenario scenario = *loaded;
    scenario.lines[0].shift_changes = c.rule;
    PlanRequest request;
    request.options.solve.time_limit_seconds = 60;
    request.options.solve.relative_gap = 1e-7;
    auto plan = SolvePlan(scenario, request);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    ASSERT_EQ(plan->status, SolveStatus::kOptimal) << plan->stats.solver_message;
    EXPECT_NEAR(plan->objective_gbp, c.objective_gbp, 1e-6 * c.objective_gbp);
    std::vector<int> shifts;
    for (const ShiftEntry& e : plan->shifts) {
      if (e.month == 3) {
        EXPECT_EQ(e.shifts_per_day, 0) << "shifts in the April shutdown";
        continue;
      }
      shifts.push_back(e.shifts_per_day);
    }
    EXPECT_EQ(shifts, c.shifts);
    const std::vector<LineShiftChanges> changes = ShiftChangesOf(scenario, plan->shifts);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].changes, c.changes);
    EXPECT_DOUBLE_EQ(changes[0].cost_gbp, c.change_cost_gbp);
    EXPECT_DOUBLE_EQ(plan->contributions[0].shift_change_cost_gbp, c.change_cost_gbp);
    const CheckReport report = CheckPlan(scenario, *plan, request);
    for (const std::string& v : report.violations) ADD_FAILURE() << v;
    EXPECT_NEAR(report.objective_gbp, c.objective_gbp, 1e-6 * c.objective_gbp);
    EXPECT_DOUBLE_EQ(report.contributions[0].shift_change_cost_gbp, c.change_cost_gbp);
  }
}

// Finished-goods stock (tests/data/golden/README.md, "stock.yaml"): the
// plant builds 1,200 and 1,600 cars ahead of its March stop and holds 400
// and 1,000 at the ends of January and February; the owner pays the holding
// cost; March ends 300 short of the safety stock.
TEST(GoldenPlanTest, StockCarriesCarsOverTheShutdownMonth) {
  auto scenario = io::LoadScenario("tests/data/golden/stock.yaml");
  ASSERT_TRUE(scenario.has_value()) << scenario.error().message;
  PlanRequest request;
  request.options.solve.relative_gap = 1e-7;
  auto plan = SolvePlan(*scenario, request);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  ASSERT_EQ(plan->status, SolveStatus::kOptimal);
  double stock[3] = {0, 0, 0};
  for (const StockEntry& e : plan->stock) stock[e.month] += e.units;
  EXPECT_EQ(stock[0], 400);
  EXPECT_EQ(stock[1], 1000);
  EXPECT_EQ(stock[2], 0);
  double built[3] = {0, 0, 0};
  for (const ProductionEntry& e : plan->production) built[e.month] += e.units;
  EXPECT_EQ(built[0], 1200);
  EXPECT_EQ(built[1], 1600);
  EXPECT_EQ(built[2], 0);
  EXPECT_TRUE(plan->unmet.empty());
  ASSERT_EQ(plan->contributions.size(), 1u);
  EXPECT_EQ(plan->contributions[0].holding_cost_gbp, 140'000.0);
  EXPECT_EQ(plan->contributions[0].contribution_gbp, 12'960'000.0);
  EXPECT_EQ(plan->penalties_gbp, 15'000.0);
  EXPECT_EQ(plan->objective_gbp, 12'945'000.0);
  const CheckReport report = CheckPlan(*scenario, *plan, request);
  for (const std::string& v : report.violations) ADD_FAILURE() << v;

  // The checker re-derives the balance, the limit and the money.
  Plan over = *plan;
  for (StockEntry& e : over.stock) {
    if (e.month == 1) e.units = 1100;
  }
  const CheckReport broken = CheckPlan(*scenario, over, request);
  ASSERT_FALSE(broken.ok());
  bool limit = false;
  bool balance = false;
  for (const std::string& v : broken.violations) {
    limit = limit || v.find("above max_cars 1000") != std::string::npos;
    balance = balance || v.find("kept 1100.00") != std::string::npos;
  }
  EXPECT_TRUE(limit);
  EXPECT_TRUE(balance);
}

// Without the plant's `stock:` block the plant cannot build ahead: March's
// 1,000 cars are lost (tests/data/golden/README.md).
TEST(GoldenPlanTest, WithoutStockTheShutdownMonthIsLost) {
  auto scenario = io::LoadScenario("tests/data/golden/stock.yaml");
  ASSERT_TRUE(scenario.has_value()) << scenario.error().message;
  scenario->stock.clear();
  PlanRequest request;
  request.options.solve.relative_gap = 1e-7;
  auto plan = SolvePlan(*scenario, request);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ(plan->objective_gbp, 7'600'000.0);
  EXPECT_TRUE(plan->stock.empty());
  EXPECT_TRUE(CheckPlan(*scenario, *plan, request).ok());
}

// The horizon's end at margin (tests/data/golden/README.md,
// "horizon-end.yaml"): November and December build for January and February
// after the horizon, against the same months' demand a year earlier.
TEST(GoldenPlanTest, HorizonEndAtMarginBuildsInTheLastMonths) {
  auto scenario = io::LoadScenario("tests/data/golden/horizon-end.yaml");
  ASSERT_TRUE(scenario.has_value()) << scenario.error().message;
  PlanRequest request;
  request.options.solve.relative_gap = 1e-7;
  auto plan = SolvePlan(*scenario, request);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  std::vector<double> built(12, 0.0);
  for (const ProductionEntry& e : plan->production) built[e.month] += e.units;
  for (int t = 0; t < 12; ++t) EXPECT_EQ(built[t], 1000) << t;
  double after = 0;
  for (const ShipmentEntry& e : plan->shipments) {
    if (e.arrival_month >= 12) {
      EXPECT_EQ(e.arrival_month, e.month + 2);
      after += e.units;
    }
  }
  EXPECT_EQ(after, 2000);
  EXPECT_EQ(plan->objective_gbp, 49'600'000.0);
  const CheckReport report = CheckPlan(*scenario, *plan, request);
  for (const std::string& v : report.violations) ADD_FAILURE() << v;

  // The checker bounds the cars sold after the horizon by the estimate...
  Plan more = *plan;
  for (ShipmentEntry& e : more.shipments) {
    if (e.arrival_month == 12) e.units += 10;
  }
  const CheckReport above = CheckPlan(*scenario, more, request);
  ASSERT_FALSE(above.ok());
  EXPECT_NE(above.violations.front().find("above the estimated demand 1000.00"), std::string::npos)
      << above.violations.front();
  // ...and refuses them unless the scenario values the horizon's end at margin.
  scenario->settings.horizon_end_value = model::HorizonEndValue::kNone;
  EXPECT_FALSE(CheckPlan(*scenario, *plan, request).ok());
}

// Without a value for the horizon's end the last two months build nothing
// (tests/data/golden/README.md).
TEST(GoldenPlanTest, HorizonEndWithoutValueLeavesTheLastMonthsIdle) {
  auto scenario = io::LoadScenario("tests/data/golden/horizon-end.yaml");
  ASSERT_TRUE(scenario.has_value()) << scenario.error().message;
  for (auto value : {model::HorizonEndValue::kNone, model::HorizonEndValue::kCost}) {
    scenario->settings.horizon_end_value = value;
    PlanRequest request;
    request.options.solve.relative_gap = 1e-7;
    auto plan = SolvePlan(*scenario, request);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_EQ(plan->objective_gbp, 41'000'000.0);
    for (const ProductionEntry& e : plan->production) EXPECT_LT(e.month, 10);
    EXPECT_TRUE(CheckPlan(*scenario, *plan, request).ok());
  }
}

// The extra-shift lever's 24-hour cap (tests/data/golden/README.md,
// "shift-cap.yaml"): line-a works three 7.5-hour shifts, line-b two 8-hour
// shifts; the scenario's lever allows two extra shifts a day.
class ShiftCapTest : public ::testing::Test {
 protected:
  static constexpr int kLineA = 0;
  static constexpr int kLineB = 1;

  void SetUp() override {
    auto loaded = io::LoadScenario("tests/data/golden/shift-cap.yaml");
    ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
    scenario_ = *loaded;
    ASSERT_EQ(scenario_.lines[kLineA].id, "line-a");
    request_.options.solve.relative_gap = 1e-7;
  }

  // The scenario's plan, proven optimal; empty (and a test failure) if not.
  Plan Solve() {
    auto plan = SolvePlan(scenario_, request_);
    if (!plan.has_value()) {
      ADD_FAILURE() << plan.error().message;
      return {};
    }
    EXPECT_EQ(plan->status, SolveStatus::kOptimal) << plan->stats.solver_message;
    return *plan;
  }

  // The violations of `plan` with `extra` shifts a day on `line`.
  std::vector<std::string> CheckWithExtraShifts(const Plan& plan, int line, int extra) const {
    Plan edited = plan;
    for (ShiftEntry& e : edited.shifts) {
      if (e.line == line) e.extra_shifts_per_day = extra;
    }
    return CheckPlan(scenario_, edited, request_).violations;
  }

  model::Scenario scenario_;
  PlanRequest request_;
};

// line-a's day has no room for a fourth shift, so its excess demand is
// lost; line-b takes one extra shift of the two the lever allows, and the
// model has no lever column where none fits.
TEST_F(ShiftCapTest, ExtraShiftsOnlyWhereTheDayHasRoom) {
  const Levers levers = ScenarioLevers(scenario_);
  EXPECT_EQ(ExtraShiftsPerDay(scenario_, levers, kLineA), 0);
  EXPECT_EQ(ExtraShiftsPerDay(scenario_, levers, kLineB), 1);
  auto built = BuildPlanModel(scenario_, request_, {});
  ASSERT_TRUE(built.has_value()) << built.error().message;
  EXPECT_EQ(built->extra_shift_column[kLineA], -1);
  ASSERT_GE(built->extra_shift_column[kLineB], 0);
  EXPECT_EQ(built->lp.col_upper[built->extra_shift_column[kLineB]], 1);

  const Plan plan = Solve();
  EXPECT_NEAR(plan.objective_gbp, 38'350'000.0, 1e-6 * 38'350'000.0);
  int shifts[2] = {0, 0};
  int extra[2] = {0, 0};
  for (const ShiftEntry& e : plan.shifts) {
    shifts[e.line] += e.shifts_per_day;
    extra[e.line] += e.extra_shifts_per_day;
  }
  EXPECT_EQ(shifts[kLineA], 3);
  EXPECT_EQ(extra[kLineA], 0);
  EXPECT_EQ(shifts[kLineB], 2);
  EXPECT_EQ(extra[kLineB], 1);
  double cars[2] = {0, 0};
  for (const ProductionEntry& e : plan.production) cars[e.line] += e.units;
  EXPECT_NEAR(cars[kLineA], 4'500, 1e-6);  // 3 shifts x 75 cars x 20 days
  EXPECT_NEAR(cars[kLineB], 4'800, 1e-6);  // 3 shifts x 80 cars x 20 days
  double unmet[2] = {0, 0};
  for (const UnmetEntry& u : plan.unmet) unmet[u.variant] += u.units;
  EXPECT_NEAR(unmet[0], 1'500, 1e-6);
  EXPECT_NEAR(unmet[1], 700, 1e-6);
  for (const std::string& v : CheckPlan(scenario_, plan, request_).violations) ADD_FAILURE() << v;
}

// Weekend days run the line's regular maximum, which fits the day: line-a
// works Saturdays at its three shifts and still no fourth shift on weekdays.
TEST_F(ShiftCapTest, WeekendDaysAtTheRegularMaximumFitTheDay) {
  scenario_.replan.weekend_days_per_month = 2;
  const Plan plan = Solve();
  EXPECT_NEAR(plan.objective_gbp, 42'385'000.0, 1e-6 * 42'385'000.0);
  ASSERT_EQ(plan.shifts.size(), 2u);
  for (const ShiftEntry& e : plan.shifts) {
    EXPECT_EQ(e.weekend_days, 2) << e.line;
    EXPECT_EQ(e.extra_shifts_per_day, e.line == kLineA ? 0 : 1) << e.line;
  }
  EXPECT_TRUE(CheckPlan(scenario_, plan, request_).ok());
}

// The checker refuses a fourth shift of 7.5 hours (30 hours a day) on
// line-a and two extra 8-hour shifts (32 hours) on line-b, within the
// scenario's lever of two, naming the line, the month and both counts.
TEST_F(ShiftCapTest, CheckerRefusesShiftsBeyondTheDay) {
  const Plan plan = Solve();
  const std::vector<std::string> fourth = CheckWithExtraShifts(plan, kLineA, 1);
  ASSERT_FALSE(fourth.empty());
  EXPECT_EQ(fourth.front(),
            "line line-a month 2027-01: 1 extra shifts a day, at most 0 fit: 3 shifts of 7.5 h and 1 more "
            "make 30 h, beyond the 24 hours of a day");
  const std::vector<std::string> two = CheckWithExtraShifts(plan, kLineB, 2);
  ASSERT_FALSE(two.empty());
  EXPECT_EQ(two.front(),
            "line line-b month 2027-01: 2 extra shifts a day, at most 1 fit: 2 shifts of 8 h and 2 more make "
            "32 h, beyond the 24 hours of a day");
}

// A replan's baseline beyond the cap is refused before any model is built.
TEST_F(ShiftCapTest, BaselineBeyondTheCapIsInvalidInput) {
  Plan baseline = Solve();
  for (ShiftEntry& e : baseline.shifts) e.extra_shifts_per_day = 1;
  request_.baseline = &baseline;
  request_.frozen_months = 1;
  auto built = BuildPlanModel(scenario_, request_, {});
  ASSERT_FALSE(built.has_value());
  EXPECT_NE(built.error().message.find("line line-a month 2027-01: 1 extra shifts a day, at most 0 fit"),
            std::string::npos)
      << built.error().message;
}

// Levers only at the line's maximum regular shifts and weekend days at most
// the month's working weeks (tests/data/golden/README.md, "levers-at-max.yaml"
// and "weekend-weeks.yaml"): one line of two 8-hour shifts.
class LeverRulesTest : public ::testing::Test {
 protected:
  // The golden scenario's plan, proven optimal.
  void Solve(const char* file) {
    auto loaded = io::LoadScenario(file);
    ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
    scenario_ = *loaded;
    request_.options.solve.relative_gap = 1e-7;
    auto plan = SolvePlan(scenario_, request_);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    ASSERT_EQ(plan->status, SolveStatus::kOptimal) << plan->stats.solver_message;
    plan_ = *plan;
  }

  // The plan's violations with its first shift entry edited.
  std::vector<std::string> CheckWith(int shifts, int extra, int weekend) const {
    Plan edited = plan_;
    edited.shifts[0].shifts_per_day = shifts;
    edited.shifts[0].extra_shifts_per_day = extra;
    edited.shifts[0].weekend_days = weekend;
    return CheckPlan(scenario_, edited, request_).violations;
  }
  // The checker's first complaint about the edited plan ("" if none).
  std::string FirstViolation(int shifts, int extra, int weekend) const {
    const std::vector<std::string> violations = CheckWith(shifts, extra, weekend);
    return violations.empty() ? "" : violations.front();
  }

  model::Scenario scenario_;
  PlanRequest request_;
  Plan plan_;
};

// 320 cars: two Saturdays with no regular crew would be cheapest, but the
// plan runs one regular shift and no lever.
TEST_F(LeverRulesTest, LeversOnlyAtTheLinesMaximumShifts) {
  Solve("tests/data/golden/levers-at-max.yaml");
  ASSERT_EQ(plan_.shifts.size(), 1u);
  EXPECT_NEAR(plan_.objective_gbp, 1'240'000.0, 1e-6 * 1'240'000.0);
  EXPECT_EQ(plan_.shifts[0].shifts_per_day, 1);
  EXPECT_EQ(plan_.shifts[0].extra_shifts_per_day, 0);
  EXPECT_EQ(plan_.shifts[0].weekend_days, 0);
  EXPECT_TRUE(CheckPlan(scenario_, plan_, request_).ok());
}

TEST_F(LeverRulesTest, CheckerRefusesLeversBelowTheMaximum) {
  Solve("tests/data/golden/levers-at-max.yaml");
  ASSERT_EQ(plan_.shifts.size(), 1u);
  EXPECT_EQ(
      FirstViolation(0, 0, 2),
      "line line-a month 2027-01: 0 extra shifts and 2 weekend days with 0 regular shifts a day; levers "
      "only at the line's maximum of 2");
  EXPECT_EQ(
      FirstViolation(1, 1, 0),
      "line line-a month 2027-01: 1 extra shifts and 0 weekend days with 1 regular shifts a day; levers "
      "only at the line's maximum of 2");
  // At the maximum the same levers are allowed (the money no longer adds
  // up, which is another violation).
  for (const std::string& v : CheckWith(2, 1, 2)) EXPECT_EQ(v.find("levers only"), std::string::npos) << v;
}

// A replan's baseline with a lever below the maximum is refused before any
// model is built.
TEST_F(LeverRulesTest, BaselineWithLeversBelowTheMaximumIsInvalidInput) {
  Solve("tests/data/golden/levers-at-max.yaml");
  ASSERT_EQ(plan_.shifts.size(), 1u);
  Plan baseline = plan_;
  baseline.shifts[0].weekend_days = 2;
  request_.baseline = &baseline;
  request_.frozen_months = 1;
  auto built = BuildPlanModel(scenario_, request_, {});
  ASSERT_FALSE(built.has_value());
  EXPECT_NE(
      built.error().message.find("line line-a month 2027-01: levers (0 extra shifts, 2 weekend days) with 1 "
                                 "regular shifts a day"),
      std::string::npos)
      << built.error().message;
}

// August's 12 working days are two working weeks: two Saturdays, not the
// scenario's four, and 160 cars unmet.
TEST_F(LeverRulesTest, WeekendDaysAtMostTheMonthsWorkingWeeks) {
  Solve("tests/data/golden/weekend-weeks.yaml");
  ASSERT_EQ(plan_.shifts.size(), 1u);
  const Levers levers = ScenarioLevers(scenario_);
  EXPECT_EQ(WeekendDaysPerMonth(scenario_, levers, 0, 0), 2);
  EXPECT_NEAR(plan_.objective_gbp, 9'600'000.0, 1e-6 * 9'600'000.0);
  EXPECT_EQ(plan_.shifts[0].shifts_per_day, 2);
  EXPECT_EQ(plan_.shifts[0].weekend_days, 2);
  double unmet = 0;
  for (const UnmetEntry& u : plan_.unmet) unmet += u.units;
  EXPECT_NEAR(unmet, 160, 1e-6);
  EXPECT_EQ(FirstViolation(2, 0, 3),
            "line line-a month 2027-08: 3 weekend days, a month of 12 working days has 2 working weeks");
}

// round(working days / 5): 19 to 22 days are four weeks, 12 are two, none
// in a month the plant does not work; never above the scenario's limit.
TEST(WeekendDaysPerMonthTest, RoundsWorkingDaysToWeeks) {
  auto loaded = io::LoadScenario("tests/data/golden/weekend-weeks.yaml");
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  model::Scenario scenario = *loaded;
  Levers levers = ScenarioLevers(scenario);
  std::vector<double>& days = scenario.plants[0].calendar.working_days;
  const std::pair<double, int> cases[] = {{22, 4}, {19, 4}, {17, 3}, {12, 2}, {2, 0}, {0, 0}};
  for (const auto& [working_days, weeks] : cases) {
    days[0] = working_days;
    EXPECT_EQ(WeekendDaysPerMonth(scenario, levers, 0, 0), weeks) << working_days;
  }
  levers.weekend_days_per_month = 1;
  days[0] = 20;
  EXPECT_EQ(WeekendDaysPerMonth(scenario, levers, 0, 0), 1);
}

// An extra shift is a crew (tests/data/golden/README.md,
// "extra-shift-crew.yaml"): rather than hire a third crew for its 10-day
// August, the plant works August's two Saturdays and builds 480 cars ahead
// in July.
TEST_F(LeverRulesTest, ExtraShiftCrewBuildsStockAheadOfTheShutdown) {
  Solve("tests/data/golden/extra-shift-crew.yaml");
  ASSERT_EQ(plan_.shifts.size(), 2u);
  for (const ShiftEntry& e : plan_.shifts) {
    EXPECT_EQ(e.shifts_per_day, 2) << e.month;
    EXPECT_EQ(e.extra_shifts_per_day, 0) << e.month;
    EXPECT_EQ(e.weekend_days, e.month == 1 ? 2 : 0) << e.month;
  }
  double july_stock = 0;
  for (const StockEntry& e : plan_.stock) july_stock += e.month == 0 ? e.units : 0;
  EXPECT_NEAR(july_stock, 480, 1e-6);
  // The same plan with an extra shift in August hires a crew: one change,
  // GBP 1,000,000, which the plan's figures do not state, so the checker
  // names its shift change cost.
  Plan crewed = plan_;
  crewed.shifts[1].extra_shifts_per_day = 1;
  const std::vector<LineShiftChanges> changes = ShiftChangesOf(scenario_, crewed.shifts);
  EXPECT_EQ(changes[0].changes, 1);
  EXPECT_EQ(changes[0].shifts_added, 1);
  EXPECT_DOUBLE_EQ(changes[0].cost_gbp, 1'000'000);
  bool named = false;
  for (const std::string& v : CheckPlan(scenario_, crewed, request_).violations) {
    named |= v.find("shift change cost") != std::string::npos;
  }
  EXPECT_TRUE(named);
}

}  // namespace
}  // namespace cobuild::plan
