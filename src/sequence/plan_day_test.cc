#include "sequence/plan_day.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <numeric>

#include "io/scenario_reader.h"

namespace cobuild::sequence {
namespace {

using model::ParseDate;
using ::testing::HasSubstr;

const model::Scenario& Uk() {
  static const model::Scenario scenario = [] {
    auto s = io::LoadScenario("scenarios/uk-2026.yaml");
    EXPECT_TRUE(s.has_value()) << s.error().message;
    return s.value_or(model::Scenario{});
  }();
  return scenario;
}

// Halewood's multi-energy line builds four PTA variants in 2027-02 and
// 2027-03 (fractional units, as an LP-rounded plan may hold).
plan::Plan UkPlan() {
  const model::Scenario& s = Uk();
  plan::Plan p;
  p.scenario_name = s.name;
  p.status = plan::SolveStatus::kOptimal;
  const int line = s.FindLine("halewood-2");
  for (int month : {13, 14}) {
    p.production.push_back({line, s.FindVariant("evoque-ice"), month, 3000.4});
    p.production.push_back({line, s.FindVariant("evoque-phev"), month, 1200});
    p.production.push_back({line, s.FindVariant("discovery-sport-ice"), month, 2500.6});
    p.production.push_back({line, s.FindVariant("discovery-sport-phev"), month, 901});
  }
  // Halewood line 1 only in 2027-03.
  p.production.push_back({s.FindLine("halewood-1"), s.FindVariant("evoque-ice"), 14, 4321});
  return p;
}

int Line(const char* id) { return Uk().FindLine(id); }

// A short D-1 search keeps the tests quick (also under sanitizers).
LineDayOptions Quick(uint64_t seed = 1) { return {.seed = seed, .previous_day_max_evals = 100'000}; }

// 300,000 move evaluations, the wall-clock limit only a safety net.
SolveParams WorkLimited(uint64_t seed) {
  SolveParams params;
  params.seed = seed;
  params.max_evals = 300'000;
  params.time_limit_s = 60;
  return params;
}

TEST(PlanDayTest, WorkingDaysAreTheFirstWeekdaysOfTheMonth) {
  const model::Scenario& s = Uk();
  const int halewood = s.FindPlant("halewood");
  // August 2026 has 12 working days (summer shutdown): Monday 3rd to Tuesday 18th.
  const std::vector<int> august = WorkingDaysOfMonth(s, halewood, 7);
  EXPECT_EQ(august, (std::vector<int>{3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 17, 18}));
  for (int t = 0; t < s.horizon.num_months; ++t) {
    EXPECT_EQ(
        static_cast<double>(WorkingDaysOfMonth(s, halewood, t).size()),
        std::round(s.plants[static_cast<size_t>(halewood)].calendar.working_days[static_cast<size_t>(t)]));
  }
}

// Weekend days the plan works on a line (a lever) are Saturdays added to
// its plant's working days, and the month's cars spread over them too.
TEST(PlanDayTest, WeekendDaysOfThePlanAreSaturdaysOfTheLine) {
  const model::Scenario& s = Uk();
  plan::Plan p = UkPlan();
  const int line = Line("halewood-2");
  const int month = 14;  // March 2027: 23 weekdays, Saturdays 6, 13, 20, 27
  const std::vector<int> weekdays = WorkingDaysOfMonth(s, s.FindPlant("halewood"), month);
  p.shifts.push_back({.line = line, .month = month, .shifts_per_day = 3, .weekend_days = 2});
  const std::vector<int> days = LineDaysOfMonth(s, p, line, month);
  ASSERT_EQ(days.size(), weekdays.size() + 2);
  EXPECT_NE(std::find(days.begin(), days.end(), 6), days.end());
  EXPECT_NE(std::find(days.begin(), days.end(), 13), days.end());
  const std::vector<int> counts = DailyCarCounts(s, p, line, month);
  EXPECT_EQ(counts.size(), days.size());
  EXPECT_EQ(std::accumulate(counts.begin(), counts.end(), 0), 7602);
}

TEST(PlanDayTest, DayCountsSumToTheMonthlyPlan) {
  const model::Scenario& s = Uk();
  const plan::Plan p = UkPlan();
  for (int month : {13, 14}) {
    const std::vector<int> days = DailyCarCounts(s, p, Line("halewood-2"), month);
    ASSERT_EQ(days.size(), WorkingDaysOfMonth(s, s.FindPlant("halewood"), month).size());
    EXPECT_EQ(std::accumulate(days.begin(), days.end(), 0), 7602);  // 3000.4 + 1200 + 2500.6 + 901
    const auto [lo, hi] = std::minmax_element(days.begin(), days.end());
    EXPECT_LE(*hi - *lo, 1);  // the remainder spread one car a day
  }
  const std::vector<int> line1 = DailyCarCounts(s, p, Line("halewood-1"), 14);
  EXPECT_EQ(std::accumulate(line1.begin(), line1.end(), 0), 4321);
  const std::vector<int> none = DailyCarCounts(s, p, Line("halewood-1"), 13);
  EXPECT_EQ(std::accumulate(none.begin(), none.end(), 0), 0);
}

TEST(PlanDayTest, VariantMixMatchesThePlanEachDayAndExactlyOverTheMonth) {
  const model::Scenario& s = Uk();
  const plan::Plan p = UkPlan();
  const int line = Line("halewood-2");
  const std::vector<int> days = DailyCarCounts(s, p, line, 14);
  std::vector<int> month(s.variants.size(), 0);
  const std::map<std::string, double> share = {{"evoque-ice", 3000.4 / 7602},
                                               {"evoque-phev", 1200.0 / 7602},
                                               {"discovery-sport-ice", 2500.6 / 7602},
                                               {"discovery-sport-phev", 901.0 / 7602}};
  for (int i = 0; i < static_cast<int>(days.size()); ++i) {
    const std::vector<int> today = DailyVariantCounts(s, p, line, 14, i);
    EXPECT_EQ(std::accumulate(today.begin(), today.end(), 0), days[static_cast<size_t>(i)]);
    for (size_t v = 0; v < today.size(); ++v) {
      month[v] += today[v];
      const auto it = share.find(s.variants[v].id);
      const double expected = it == share.end() ? 0.0 : it->second * days[static_cast<size_t>(i)];
      EXPECT_LE(std::abs(today[v] - expected), 1.0) << s.variants[v].id << " day " << i;
    }
  }
  EXPECT_EQ(month[static_cast<size_t>(s.FindVariant("evoque-ice"))], 3000);
  EXPECT_EQ(month[static_cast<size_t>(s.FindVariant("evoque-phev"))], 1200);
  EXPECT_EQ(month[static_cast<size_t>(s.FindVariant("discovery-sport-ice"))], 2501);
  EXPECT_EQ(month[static_cast<size_t>(s.FindVariant("discovery-sport-phev"))], 901);
}

TEST(PlanDayTest, BuildsTheDayFromTheScenarioMixes) {
  const model::Scenario& s = Uk();
  const int line = Line("halewood-2");
  auto day = BuildLineDay(s, UkPlan(), line, *ParseDate("2027-03-10"), Quick());
  ASSERT_TRUE(day.has_value()) << day.error().message;
  const std::vector<int> expected = DailyVariantCounts(s, UkPlan(), line, 14, day->day_index);
  std::vector<int> built(s.variants.size(), 0);
  for (int v : day->variants) ++built[static_cast<size_t>(v)];
  EXPECT_EQ(built, expected);
  ASSERT_EQ(day->instance.ratios.size(), 3u);
  EXPECT_EQ(day->instance.ratios[0].name, "battery-marriage");
  EXPECT_EQ(day->instance.ratios[0].max_cars, 2);
  EXPECT_EQ(day->instance.ratios[0].window, 5);
  EXPECT_FALSE(day->instance.ratios[1].high_priority);
  EXPECT_EQ(day->instance.paint_batch_limit, 15);
  EXPECT_EQ(day->instance.objective_order,
            (std::vector<Criterion>{Criterion::kHighPriorityRatios, Criterion::kColourChanges,
                                    Criterion::kLowPriorityRatios}));
  // Every PHEV needs the battery station (take rate 1); no ICE car does.
  int tow_bars = 0;
  int ice = 0;
  for (size_t i = 0; i < day->variants.size(); ++i) {
    const auto& variant = s.variants[static_cast<size_t>(day->variants[i])];
    const bool battery = (day->instance.cars[i].options & 1) != 0;
    EXPECT_EQ(battery, variant.powertrain == model::Powertrain::kPhev) << variant.id;
    if (variant.id == "discovery-sport-ice") {
      ++ice;
      tow_bars += (day->instance.cars[i].options & 4) != 0;
    }
  }
  // Take rate 0.35: the day's running share, never more than one car off
  // (levelling may move one more when a tow-bar day is full).
  EXPECT_LE(std::abs(tow_bars - 0.35 * ice), 2.0);
  for (const Car& c : day->instance.cars) {
    ASSERT_LT(c.colour, static_cast<int>(day->colours.size()));
    EXPECT_NE(day->colours[static_cast<size_t>(c.colour)], "unspecified");
  }
}

TEST(PlanDayTest, DeterministicForASeed) {
  const Date date = *ParseDate("2027-03-10");
  auto a = BuildLineDay(Uk(), UkPlan(), Line("halewood-2"), date, Quick(7));
  auto b = BuildLineDay(Uk(), UkPlan(), Line("halewood-2"), date, Quick(7));
  auto c = BuildLineDay(Uk(), UkPlan(), Line("halewood-2"), date, Quick(8));
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->instance, b->instance);
  EXPECT_EQ(a->variants, b->variants);
  EXPECT_NE(a->instance.cars, c->instance.cars);
  // The same cars per variant whatever the seed: only options, paint and order move.
  std::vector<int> va = a->variants, vc = c->variants;
  std::sort(va.begin(), va.end());
  std::sort(vc.begin(), vc.end());
  EXPECT_EQ(va, vc);
}

TEST(PlanDayTest, PreviousDayTailIsFixedFirst) {
  const model::Scenario& s = Uk();
  auto day = BuildLineDay(s, UkPlan(), Line("halewood-2"), *ParseDate("2027-03-10"), Quick());
  ASSERT_TRUE(day.has_value());
  ASSERT_TRUE(day->has_previous_day);
  EXPECT_EQ(day->previous_date, *ParseDate("2027-03-09"));
  // Windows are at most 5 long: the last 4 D-1 cars can share a window with day D.
  EXPECT_EQ(day->instance.previous_day.size(), 4u);
  EXPECT_EQ(day->previous_variants.size(), 4u);
  EXPECT_EQ(day->instance.previous_day.front().date, "2027-03-09");
  EXPECT_EQ(day->previous_day_cars,
            static_cast<int>(DailyCarCounts(s, UkPlan(), Line("halewood-2"),
                                            14)[static_cast<size_t>(day->day_index - 1)]));

  // The first working day of March 2027 (Monday the 1st) follows Friday 26 February.
  auto first = BuildLineDay(s, UkPlan(), Line("halewood-2"), *ParseDate("2027-03-01"), Quick());
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ(first->previous_date, *ParseDate("2027-02-26"));
  EXPECT_EQ(first->instance.previous_day.size(), 4u);

  // Halewood line 1 builds nothing in February: no tail on 1 March.
  auto line1 = BuildLineDay(s, UkPlan(), Line("halewood-1"), *ParseDate("2027-03-01"), Quick());
  ASSERT_TRUE(line1.has_value()) << line1.error().message;
  EXPECT_TRUE(line1->has_previous_day);
  EXPECT_EQ(line1->previous_day_cars, 0);
  EXPECT_TRUE(line1->instance.previous_day.empty());
}

TEST(PlanDayTest, SolvedSequenceIsRescoredFromScratch) {
  auto day = BuildLineDay(Uk(), UkPlan(), Line("halewood-2"), *ParseDate("2027-03-10"), Quick(3));
  ASSERT_TRUE(day.has_value());
  const SolveParams params = WorkLimited(3);
  auto r = SolveLineDay(*day, params);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  auto again = Evaluate(day->instance, r->solve.order);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, r->solve.criteria);
  EXPECT_EQ(Score(day->instance, *again), r->solve.score);
  EXPECT_TRUE(again->batch_limit_ok);
  EXPECT_LE(r->solve.bound.score, r->solve.score);
  EXPECT_LT(r->solve.score, r->solve.initial_score);
  int64_t high = 0, low = 0;
  for (const OverloadedWindow& w : r->overloaded) {
    EXPECT_GT(w.excess, 0);
    EXPECT_LT(w.start, w.end);
    (day->instance.ratios[static_cast<size_t>(w.ratio)].high_priority ? high : low) += w.excess;
  }
  EXPECT_EQ(high, again->hprc);
  EXPECT_EQ(low, again->lprc);
  // Same seed and work limit: the same order.
  auto r2 = SolveLineDay(*day, params);
  ASSERT_TRUE(r2.has_value());
  EXPECT_EQ(r2->solve.order, r->solve.order);
}

TEST(PlanDayTest, OverloadedWindowsReachIntoTheDayBefore) {
  Instance inst;
  inst.ratios = {{.max_cars = 1, .window = 3, .high_priority = true, .name = "s"}};
  inst.previous_day = {{.options = 1}, {.options = 0}, {.options = 1}};
  inst.cars = {{.options = 1}, {.options = 0}, {.options = 1}};
  inst.objective_order = {Criterion::kHighPriorityRatios};
  const std::vector<int> order = {0, 1, 2};
  const auto windows = OverloadedWindows(inst, order);
  // Windows from D-1 position 1: [1,4) holds 2, [2,5) holds 2, [3,6) holds 2.
  ASSERT_EQ(windows.size(), 3u);
  EXPECT_EQ(windows[0], (OverloadedWindow{.ratio = 0, .start = -2, .end = 1, .cars = 2, .excess = 1}));
  EXPECT_EQ(windows[2], (OverloadedWindow{.ratio = 0, .start = 0, .end = 3, .cars = 2, .excess = 1}));
  EXPECT_EQ(Evaluate(inst, order)->hprc, 3);
}

// DayStationBound is the most option cars n cars can hold with no
// overloaded window after the worst D-1 tail that keeps the ratio itself:
// checked against every tail and every day of up to 11 cars, windows
// counted by OverloadedWindows (the evaluator's rule).
TEST(PlanDayTest, DayStationBoundIsTheMostEveryTailAllows) {
  for (int window = 1; window <= 5; ++window) {
    for (int max_cars = 1; max_cars <= window; ++max_cars) {
      for (int n = 0; n <= 11; ++n) {
        Instance inst;
        inst.kind = ProblemKind::kRoadef;
        inst.ratios = {{.max_cars = max_cars, .window = window, .high_priority = true, .name = "s"}};
        inst.cars.assign(static_cast<size_t>(n), Car{});
        std::vector<int> order(static_cast<size_t>(n));
        std::iota(order.begin(), order.end(), 0);
        const int tail_length = std::max(1, window - 1);
        int worst = n;
        for (uint32_t tail = 0; tail < (1u << tail_length); ++tail) {
          inst.previous_day.clear();
          for (int p = 0; p < tail_length; ++p) inst.previous_day.push_back({.options = (tail >> p) & 1u});
          inst.cars.clear();
          if (!OverloadedWindows(inst, std::vector<int>{}).empty()) continue;  // the tail breaks the ratio
          int best = -1;
          for (uint32_t day = 0; day < (1u << n); ++day) {
            inst.cars.clear();
            for (int p = 0; p < n; ++p) inst.cars.push_back({.options = (day >> p) & 1u});
            if (OverloadedWindows(inst, order).empty()) best = std::max(best, std::popcount(day));
          }
          worst = std::min(worst, best);
        }
        EXPECT_EQ(DayStationBound(n, max_cars, window), worst)
            << n << " cars, " << max_cars << " in " << window;
      }
    }
  }
  EXPECT_EQ(DayStationBound(446, 2, 5), 178);  // the demo's day: 179 battery cars were one too many
  EXPECT_EQ(DayStationBound(445, 2, 5), 178);
  EXPECT_EQ(DayStationBound(448, 2, 5), 178);  // below floor(448 x 2/5) = 179
}

// A line-month within its station ratio whose day-by-day proportional split
// overloads days (two battery variants both rounded up on one day): every
// levelled day stays within its bound, each day keeps its cars and the
// month keeps the plan's cars per variant.
plan::Plan TightBatteryPlan() {
  const model::Scenario& s = Uk();
  plan::Plan p;
  p.scenario_name = s.name;
  const int line = s.FindLine("halewood-2");
  p.production.push_back({line, s.FindVariant("evoque-ice"), 14, 5261});
  p.production.push_back({line, s.FindVariant("evoque-phev"), 14, 2279});
  p.production.push_back({line, s.FindVariant("discovery-sport-ice"), 14, 131});
  p.production.push_back({line, s.FindVariant("discovery-sport-phev"), 14, 1290});
  return p;
}

// Day i's cars per variant split in proportion to what is left (largest
// remainder, ties to the lower index): the split before levelling.
std::vector<std::vector<int64_t>> ProportionalDays(std::vector<int64_t> left, std::span<const int> days) {
  std::vector<std::vector<int64_t>> out;
  for (int n : days) {
    const int64_t sum = std::accumulate(left.begin(), left.end(), int64_t{0});
    std::vector<int64_t> today(left.size(), 0);
    std::vector<std::pair<int64_t, size_t>> rest;
    int64_t given = 0;
    for (size_t v = 0; v < left.size(); ++v) {
      today[v] = n * left[v] / sum;
      given += today[v];
      rest.push_back({-(n * left[v] % sum), v});
    }
    std::stable_sort(rest.begin(), rest.end());
    for (int64_t k = 0; k < n - given; ++k) ++today[rest[static_cast<size_t>(k)].second];
    for (size_t v = 0; v < left.size(); ++v) left[v] -= today[v];
    out.push_back(today);
  }
  return out;
}

TEST(PlanDayTest, LevelledDaysKeepEveryStationWhenTheMonthAllows) {
  const model::Scenario& s = Uk();
  const plan::Plan p = TightBatteryPlan();
  const int line = Line("halewood-2");
  const std::vector<int> days = DailyCarCounts(s, p, line, 14);
  ASSERT_EQ(days.size(), 21u);
  const size_t ephev = static_cast<size_t>(s.FindVariant("evoque-phev"));
  const size_t dphev = static_cast<size_t>(s.FindVariant("discovery-sport-phev"));
  int bounds = 0;
  for (int n : days) bounds += DayStationBound(n, 2, 5);
  ASSERT_GE(bounds, 2279 + 1290);  // the month's battery cars fit the days' bounds

  std::vector<int64_t> month(s.variants.size(), 0);
  for (const auto& e : p.production) month[static_cast<size_t>(e.variant)] += std::llround(e.units);
  int overloaded_before = 0;
  const auto before = ProportionalDays(month, days);
  for (size_t i = 0; i < days.size(); ++i) {
    overloaded_before += before[i][ephev] + before[i][dphev] > DayStationBound(days[i], 2, 5);
  }
  EXPECT_GT(overloaded_before, 0);

  const MonthMix mix = LevelledMonthMix(s, p, line, 14);
  ASSERT_EQ(mix.options.front(), "traction_battery");
  std::vector<int64_t> levelled(s.variants.size(), 0);
  for (size_t i = 0; i < days.size(); ++i) {
    const auto& cars = mix.cars[i];
    EXPECT_EQ(std::accumulate(cars.begin(), cars.end(), 0), days[i]);
    int battery = 0;
    for (size_t v = 0; v < cars.size(); ++v) {
      levelled[v] += cars[v];
      battery += mix.option_cars[i][v][0];
      for (int with : mix.option_cars[i][v]) EXPECT_LE(with, cars[v]);
    }
    EXPECT_LE(battery, DayStationBound(days[i], 2, 5)) << "day " << i;
    EXPECT_EQ(cars, DailyVariantCounts(s, p, line, 14, static_cast<int>(i)));
  }
  EXPECT_EQ(levelled, month);

  // The built day carries the levelled battery cars, and a sequence with no
  // overloaded battery window exists (the lower bound allows it and the
  // search finds one).
  for (size_t i = 0; i < days.size(); ++i) {
    if (before[i][ephev] + before[i][dphev] <= DayStationBound(days[i], 2, 5)) continue;
    const model::YearMonth ym = s.horizon.MonthAt(14);
    const Date date{ym.year, ym.month, LineDaysOfMonth(s, p, line, 14)[i]};
    auto day = BuildLineDay(s, p, line, date, Quick());
    ASSERT_TRUE(day.has_value()) << day.error().message;
    int battery = 0;
    for (const Car& c : day->instance.cars) battery += (c.options & 1) != 0;
    EXPECT_LE(battery, DayStationBound(days[i], 2, 5));
    auto solved = SolveLineDay(*day, WorkLimited(1));
    ASSERT_TRUE(solved.has_value()) << solved.error().message;
    EXPECT_EQ(solved->solve.bound.criteria.hprc, 0);
    EXPECT_EQ(solved->solve.criteria.hprc, 0) << ToString(date);
    break;
  }
}

TEST(PlanDayTest, BadRequestsAreClearErrors) {
  const model::Scenario& s = Uk();
  const plan::Plan p = UkPlan();
  const int line = Line("halewood-2");
  EXPECT_THAT(BuildLineDay(s, p, line, *ParseDate("2031-01-06"), Quick()).error().message,
              HasSubstr("date: expected a date in the horizon 2026-01 to 2028-12, got 2031-01-06"));
  EXPECT_THAT(BuildLineDay(s, p, line, *ParseDate("2027-03-13"), Quick()).error().message,
              HasSubstr("expected a working day of plant halewood in 2027-03 (it has 21, 03-01 to 03-29), "
                        "got 2027-03-13, a Saturday"));
  EXPECT_THAT(BuildLineDay(s, p, line, *ParseDate("2027-04-06"), Quick()).error().message,
              HasSubstr("expected a day with cars on line halewood-2, got none on 2027-04-06"));
  EXPECT_THAT(BuildLineDay(s, p, Line("solihull-1"), *ParseDate("2027-03-10"), Quick()).error().message,
              HasSubstr("line solihull-1: expected stations"));
  plan::Plan other = p;
  other.scenario_name = "small";
  EXPECT_THAT(BuildLineDay(s, other, line, *ParseDate("2027-03-10"), Quick()).error().message,
              HasSubstr("plan: expected a plan of scenario \"uk-2026\", got one of \"small\""));
  EXPECT_EQ(BuildLineDay(s, p, 99, *ParseDate("2027-03-10"), Quick()).error().kind, ErrorKind::kInvalidInput);
}

TEST(PlanDayTest, SmallScenarioShutdownMonthHasFewerDays) {
  auto s = io::LoadScenario("tests/data/scenarios/small.yaml");
  ASSERT_TRUE(s.has_value()) << s.error().message;
  plan::Plan p;
  p.scenario_name = s->name;
  const int line = s->FindLine("home-1");
  p.production.push_back({line, s->FindVariant("suv1-phev"), 9, 1000});
  p.production.push_back({line, s->FindVariant("ev1-bev"), 9, 10});
  // October 2026 loses five weeks to the outage: of 22 days, none are left.
  EXPECT_TRUE(WorkingDaysOfMonth(*s, s->FindPlant("home"), 9).empty());
  const std::vector<int> days = DailyCarCounts(*s, p, line, 9);
  EXPECT_TRUE(days.empty());
  EXPECT_THAT(BuildLineDay(*s, p, line, *ParseDate("2026-10-05"), Quick()).error().message,
              HasSubstr("(it has none)"));
}

TEST(PlanDayTest, OneColourBeyondTheBatchLimitIsAClearError) {
  auto s = io::LoadScenario("tests/data/scenarios/small.yaml");
  ASSERT_TRUE(s.has_value()) << s.error().message;
  plan::Plan p;
  p.scenario_name = s->name;
  // ev1-bev comes only in blue; home-1 allows batches of 10.
  p.production.push_back({s->FindLine("home-1"), s->FindVariant("ev1-bev"), 2, 500});
  auto day = BuildLineDay(*s, p, s->FindLine("home-1"), *ParseDate("2026-03-10"), Quick());
  ASSERT_FALSE(day.has_value());
  EXPECT_THAT(
      day.error().message,
      HasSubstr(
          "line home-1 on 2026-03-10: expected colours that keep paint batches within the line's "
          "limit of 10 cars (at most 10 x (other colours + 1)), got 24 blue cars and 0 of other colours"));
}

}  // namespace
}  // namespace cobuild::sequence
