// Whole cars: rounds the continuous part of a solved plan so that every car
// it builds, ships, leaves unmet or carries is a whole car while every row of
// the model still holds (docs/planning-model.md, "Whole cars and pennies").
//
//   std::optional<std::vector<double>> whole = RoundToWholeCars(built, at_plan.values);
//   // *whole satisfies every row and bound of built.lp; flows are integers.
//
// The integer decisions (shifts, retooling) are kept. The method is exact and
// linear in the model's size:
//   1. every production and shipment column is rounded down; rounding down
//      keeps every row whose cars enter with a non-negative coefficient
//      (line hours, cover, retooling, contract maxima, supply caps);
//   2. a plant balance left uneven is evened by taking whole cars off the
//      larger side;
//   3. a share-limit or station-load row (mixed signs) that now fails takes
//      whole cars off its most loaded variant until it holds (each car off a
//      line also comes off one of its plant's shipments);
//   4. unmet demand, backlog, contract shortfalls and deviations are
//      recomputed from the whole cars (backlog rounded up, so demand carried
//      in is never short);
//   5. whole cars are added back, best margin first, wherever a demand is
//      still unmet and every row the car enters has a whole car of room.
// Frozen columns (fixed bounds from a baseline) keep their values.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "plan/model_builder.h"

namespace cobuild::plan {

// The rounded column values, or nullopt when a row could not be kept (only
// possible when frozen months or demand are fractional); the caller then
// keeps the solution it had.
std::optional<std::vector<double>> RoundToWholeCars(const BuiltModel& built, std::span<const double> values);

}  // namespace cobuild::plan
