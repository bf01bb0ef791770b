// From plan to line sequence: one line's planned volume on one working day
// turned into a car-sequencing Instance, and that instance solved.
//
// A target of its own (cobuild_plan_day, on model, plan and sequence), so
// that the sequencing engine itself stays free of the planner: src/sequence
// depends only on model/error.h, and the planner's CBC link comes in only
// where a plan is read. It sits beside the engine it feeds; readers and
// writers (line ids with did-you-mean, JSON and CSV) live in io.
//
// How a day is built (all deterministic; the seed only decides which cars
// get an option or a colour, and the input order):
//  * Working days: the plant calendar gives a count per month (after
//    shutdowns), not dates. The working days of a month are its first
//    round(count) weekdays (Monday to Friday) in date order; when the count
//    exceeds the weekdays, Saturdays join from the start of the month, then
//    Sundays. A shutdown therefore falls at the end of the month (summer and
//    Christmas breaks do). Weekend days the plan works on the line (a lever)
//    add to the count, so they are Saturdays (then Sundays) of a full month;
//    the month's cars are spread over them too.
//  * Cars per day: the plan's units for the line in the month, rounded to a
//    whole number U, spread over the month's n working days as
//    floor((i+1)U/n) - floor(iU/n) on day i (0-based): the remainder is
//    spread evenly through the month and the days sum to U exactly.
//  * Variant mix: the month's U cars are first split over variants by
//    largest remainder of the plan's units (ties to the lower variant
//    index). Day i then takes, by largest remainder, its share of what is
//    left of each variant after days 0..i-1: so the month's variant counts
//    equal the plan's exactly and each day starts from the plan's mix.
//  * Options: of a variant's cars on days 0..i, round(c x take rate) carry
//    option X (OptionShare), so the month's option cars per variant are
//    round(month cars x take rate) and each day gets its running share;
//    which of the day's cars carry it, the seed decides. The line's
//    stations are the ratio constraints: station k is bit k, N/P and
//    priority as in the scenario; a car with option X needs every station
//    of option X.
//  * Levelling: rounding per variant can give a day more option cars than
//    its station can take although the month is within N/P (halewood-2 on
//    2027-03-10 received 179 battery cars of 446 against a 2-in-5 station:
//    3 overloaded windows every such day). A day of n cars may hold at most
//    DayStationBound(n, N, P) cars of a station's option, the most that n
//    cars can hold without an overloaded window after any D-1 tail that
//    keeps the ratio (it does not depend on how D-1 was sequenced, so every
//    day is built before any is sequenced). While a day exceeds a bound,
//    cars move between days (an option between two cars of one variant, or
//    a car of one variant swapped for one of another variant on a day with
//    room; LevelMonth in plan_day.cc): every day keeps its car count, the
//    month keeps its counts per variant and per option, high-priority
//    stations are levelled first. It reaches every bound whenever one
//    station binds and the bounds sum to at least the month's option cars;
//    the plan's station rows (docs/planning-model.md, "Station loads") keep
//    the month within N/P, which is within a day's rounding of that.
//  * Paint: the same systematic sampling over the variant's paint shares
//    (each colour gets the floor or the ceiling of n*share); a variant
//    without paint shares is painted "unspecified". Colour numbers are the
//    positions of the colour names in sorted order.
//  * Input order: the day's cars shuffled by the seed (arrival order).
//  * Day D-1: the previous working day of the plant (it may lie in the
//    previous month), built the same way and sequenced first on its own
//    (same seed, no D-2, a fixed work limit: LineDayOptions), so its order
//    is what the line ran. Its last
//    max(P) - 1 cars (at least one, for the colour) are the fixed tail
//    (ROADEF rules: windows reaching into D-1 count, and the first colour
//    change of day D counts from the last D-1 car). The first working day
//    of the horizon, or a D-1 without cars, has no tail.
//  * Objective order: high-priority stations (HPRC), then colour changes,
//    then low-priority stations (LPRC), as in most ROADEF 2005 instances:
//    an overloaded battery station stops the line, a colour change costs
//    paint and time, a crowded roof station costs overtime at one station.
//  * Paint batch limit: the line's (0 = none), hard.
//
//   auto date = model::ParseDate("2027-03-10");
//   auto day = sequence::BuildLineDay(scenario, plan, line, *date, {.seed = 1});
//   auto solved = sequence::SolveLineDay(*day, params);  // order, criteria, bound, windows
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"
#include "model/scenario.h"
#include "plan/plan.h"
#include "sequence/evaluator.h"
#include "sequence/instance.h"
#include "sequence/lower_bound.h"
#include "sequence/solver.h"

namespace cobuild::sequence {

using model::Date;  // model/calendar.h: a calendar date, read by model::ParseDate

// The working days (day of month, ascending) of `plant` in horizon month
// `month` (see the rule above).
std::vector<int> WorkingDaysOfMonth(const model::Scenario& scenario, int plant, int month,
                                    int extra_days = 0);

// The days `line` works in `month` under `plan`: its plant's working days
// plus the weekend days the plan works there (a lever, ShiftEntry::
// weekend_days), Saturdays first, by the rule above.
std::vector<int> LineDaysOfMonth(const model::Scenario& scenario, const plan::Plan& plan, int line,
                                 int month);

// Cars of each working day of the month (index as in WorkingDaysOfMonth)
// for `line`: they sum to the plan's units of the line in that month,
// rounded to a whole number.
std::vector<int> DailyCarCounts(const model::Scenario& scenario, const plan::Plan& plan, int line, int month);

// Cars per variant (scenario variant index) on working day `day_index` of
// the month for `line`, after levelling (LevelledMonthMix).
std::vector<int> DailyVariantCounts(const model::Scenario& scenario, const plan::Plan& plan, int line,
                                    int month, int day_index);

// The most cars with a station's option (at most `max_cars` in any
// `window_cars` consecutive cars) that a day of `cars` cars can hold with no
// overloaded window, whatever the previous day's tail, as long as that tail
// keeps the ratio itself: the worst tail ends in N option cars, so the
// day's first P - N cars go without; from there N in every P, options first
// in each block: f(m) = floor(m/P) N + min(m mod P, N) for m = cars - (P - N).
// At least floor(cars N/P) - N, at most floor(cars N/P) + N.
int DayStationBound(int cars, int max_cars, int window_cars);

// A line-month's cars per working day after levelling (the rule above).
struct MonthMix {
  std::vector<std::string> options;    // the line's distinct station options, in station order
  std::vector<std::vector<int>> cars;  // [day][variant]: cars of each variant per working day
  // [day][variant][option]: of those cars, how many carry each option.
  std::vector<std::vector<std::vector<int>>> option_cars;
};

// The levelled month of `line` (days as in DailyCarCounts).
MonthMix LevelledMonthMix(const model::Scenario& scenario, const plan::Plan& plan, int line, int month);

// Day D-1 as the line ran it: its cars in line order. A month sequenced day
// by day (app/line_month.h) hands each day's solution on as the next day's
// D-1, so the tail a day starts from is the order the line actually ran,
// not D-1 sequenced afresh on its own.
struct RanDay {
  Date date;
  std::vector<int> variants;         // scenario variant index per car
  std::vector<std::string> colours;  // paint name per car
  std::vector<uint64_t> options;     // station bits per car (bit k = station k)
};

struct LineDayOptions {
  uint64_t seed = 1;
  // When set, D-1 is this day (its date must be the line's previous working
  // day, else InvalidInput) and is not sequenced again: its last cars are
  // the tail. Otherwise D-1 is built from the plan and sequenced on its own.
  const RanDay* previous_day = nullptr;
  // Work limit for sequencing day D-1. No wall-time limit applies to it,
  // so D-1's order, and with it the day, depends on the seed alone.
  int64_t previous_day_max_evals = 1'000'000;
};

// One day of one line as a sequencing instance, with what each car is.
struct LineDay {
  int line = -1;
  Date date;
  int month = -1;        // horizon month of `date`
  int day_index = -1;    // position of `date` among the month's working days
  int working_days = 0;  // working days in that month
  int month_cars = 0;    // the plan's cars of the line in that month
  bool has_previous_day = false;
  bool previous_day_given = false;     // D-1 came from LineDayOptions::previous_day
  Date previous_date;                  // valid when has_previous_day
  int previous_day_cars = 0;           // cars of D-1 (the tail is its last cars)
  Instance instance;                   // previous_day = D-1's fixed tail
  std::vector<int> variants;           // per instance.cars entry
  std::vector<int> previous_variants;  // per instance.previous_day entry
  std::vector<std::string> colours;    // colour number -> name
  std::vector<int> stations;           // ratio k -> index into the line's stations
};

// Builds the day. InvalidInput with "what: expected ..., got ..." when the
// plan is for another scenario, the line index is out of range or has no
// stations, the date is outside the horizon or not a working day of the
// line's plant, or the plan gives the line no cars that day.
[[nodiscard]] Result<LineDay> BuildLineDay(const model::Scenario& scenario, const plan::Plan& plan, int line,
                                           Date date, const LineDayOptions& options = {});

// A window of station `ratio` holding more option cars than allowed, as
// day-D positions: [start, end), start < 0 when it reaches into D-1.
struct OverloadedWindow {
  int ratio = -1;
  int start = 0;
  int end = 0;
  int cars = 0;    // option cars in the window
  int excess = 0;  // cars - N
  bool operator==(const OverloadedWindow&) const = default;
};

// Every counted window (evaluator.h's rule) with excess, by ratio then
// start. The excesses sum to HPRC + LPRC of `order`.
std::vector<OverloadedWindow> OverloadedWindows(const Instance& instance, std::span<const int> order);

struct LineDayResult {
  SolveResult solve;  // order of instance.cars; criteria re-scored from scratch; the lower bound
  std::vector<OverloadedWindow> overloaded;
};

// Day D-1 for the next day: `day`'s cars in `order` (an order of
// day.instance.cars).
RanDay RanDayOf(const LineDay& day, std::span<const int> order);

// Sequences the day from its input order.
[[nodiscard]] Result<LineDayResult> SolveLineDay(const LineDay& day, const SolveParams& params);

}  // namespace cobuild::sequence
