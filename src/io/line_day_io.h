// A line's day sequenced from a plan (app::RunLineDay, sequence/plan_day.h)
// written out as JSON and CSV, as the CLI and the server give it.
//
//   auto seq = app::RunLineDay(scenario, plan, "halewood-2", "2027-03-10", params);
//   nlohmann::json j = io::LineDayToJson(scenario, *seq);
//
// JSON keys: scenario, line, plant, date, previous_date (null when there is
// no D-1), working_day ("7 of 21"), month_cars, day_cars, seed;
// stations [{id, option, max_cars, window_cars, high_priority, option_cars
// (the day's cars that need it), min_excess (lower bound on its excess: what
// no order can avoid)}];
// cars [{position (1-based), variant, brand, powertrain, paint, options
// (names of the station options the car needs)}] in line order;
// previous_day_tail (the fixed D-1 cars, same fields, position counted back
// from -1 for the last D-1 car); overloaded_windows [{station, start, end,
// previous_day_cars, cars, excess}] with start/end a half-open range of
// 0-based indices into `cars` and previous_day_cars the D-1 cars the window
// also covers (it reaches back into D-1); objective_order,
// criteria {hprc, lprc, colour_changes}, score, initial_score (the arrival
// order after paint-batch repair), bound (the lower bound's score),
// lower_bound {hprc, lprc, colour_changes, score}, gap, rank1_optimal,
// paint_batch_limit, longest_batch, seconds, move_evals.
//
// CSV: position,variant,brand,paint,options (options joined by ';').
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "model/error.h"
#include "model/scenario.h"
#include "sequence/plan_day.h"

namespace cobuild::io {

struct LineDaySequence {
  sequence::LineDay day;
  sequence::LineDayResult result;
  uint64_t seed = 1;
};

nlohmann::json LineDayToJson(const model::Scenario& scenario, const LineDaySequence& sequence);
std::string LineDayCsv(const model::Scenario& scenario, const LineDaySequence& sequence);

}  // namespace cobuild::io
