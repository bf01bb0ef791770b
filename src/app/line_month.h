// A month of line-days from a plan, the use case behind `cobuild
// sequence-month`: every working day of the month for each line, in date
// order, each day's D-1 tail taken from the previous day's solution
// (sequence::LineDayOptions::previous_day), so the month is the order the
// line would run day after day. The first working day of the month takes
// its D-1 from the plan as `cobuild sequence` does (the last working day of
// the month before, built and sequenced on its own).
//
// Days are sequential within a line; lines are independent and may run in
// parallel (threads here, MPI ranks through scale/work_items.h). Each day is
// solved with a work limit and no wall-clock limit, one search thread, so a
// line's month depends on the scenario, plan, seed and work limit only.
//
//   auto month = app::SequenceLineMonth(scenario, plan, line, month_index, {.seed = 1});
//   nlohmann::json j = app::LineMonthToJson(*month);  // what a rank sends back
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "model/calendar.h"
#include "model/error.h"
#include "model/scenario.h"
#include "plan/plan.h"

namespace cobuild::app {

struct LineMonthOptions {
  uint64_t seed = 1;
  // Move evaluations per day (the work limit); > 0.
  int64_t max_evals_per_day = 1'000'000;
};

// One working day of a line's month.
struct LineMonthDay {
  std::string date;                     // YYYY-MM-DD
  int cars = 0;                         // 0: the plan gives the line no cars that day (not sequenced)
  std::string previous_date;            // D-1, empty when there is none in the horizon
  bool previous_from_solution = false;  // D-1's tail is the previous day's solution
  int64_t hprc = 0;
  int64_t colour_changes = 0;
  int64_t lprc = 0;
  int64_t score = 0;
  int64_t bound = 0;               // lower bound's score
  int64_t unavoidable_excess = 0;  // lower bound on hprc + lprc: what no order avoids
  int overloaded_windows = 0;
  bool proved_optimal = false;  // score meets the lower bound on every criterion
  int64_t move_evals = 0;
  std::string csv;  // io::LineDayCsv of the day (empty when not sequenced)
  bool operator==(const LineMonthDay&) const = default;
};

struct LineMonth {
  std::string line;
  std::string plant;
  std::string month;  // YYYY-MM
  std::vector<LineMonthDay> days;
  bool operator==(const LineMonth&) const = default;
};

// Lines worth sequencing in `month`: those with stations to which the plan
// gives cars that month, in scenario order.
std::vector<int> LinesWithCars(const model::Scenario& scenario, const plan::Plan& plan, int month);

// The month of one line. InvalidInput when a day cannot be built (a paint
// batch limit no order keeps, say), naming the day.
[[nodiscard]] Result<LineMonth> SequenceLineMonth(const model::Scenario& scenario, const plan::Plan& plan,
                                                  int line, int month, const LineMonthOptions& options);

// Lossless JSON of a line's month and back (the work item's result when
// lines run on other processes).
nlohmann::json LineMonthToJson(const LineMonth& month);
[[nodiscard]] Result<LineMonth> LineMonthFromJson(const nlohmann::json& j);

}  // namespace cobuild::app
