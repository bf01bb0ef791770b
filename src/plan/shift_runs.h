// Keeps a starting plan's shifts within the workforce rules
// (docs/planning-model.md, "Workforce"): every heuristic plan the planner
// hands CBC (LP rounding, Lagrangian shifts, retooling branches, polishing,
// a replan's no-action plan) fixes its integers and re-solves the LP, so its
// regular shift counts must already hold each pattern for the line's
// minimum months, or CBC starts without an incumbent.
//
//   std::vector<double> integers = RoundIntegers(built, lp_values);
//   RepairShiftRuns(built, &integers);  // then fix them and solve the LP
//
// Per line with a rule, a dynamic program over its working months chooses
// the cheapest crew sequence (crews: regular shifts, then extra shifts
// where the month has a column, each at its cost per month, plus the cost
// of each crew added or removed) that never runs fewer crews than proposed in a
// month with production columns (so the fixed LP stays feasible: more
// crews only add capacity; a month with a weekend day keeps the regular
// maximum) and changes at most once in any `min_months`
// working months; the change indicators follow. States are (shifts, months
// since the last change, capped at the minimum): at most 4 x 12 per month.
//
// Levers first (GateLevers): a line-month with an extra shift or a weekend
// day runs its maximum regular shifts, and its at-maximum binary follows
// (docs/planning-model.md, "Levers"), on every line.
#pragma once

#include <vector>

#include "plan/model_builder.h"

namespace cobuild::plan {

// Rewrites the shift and change-indicator columns of `integers` (one value
// per column of `built`) on every line of `built.shift_sequences`. A line
// whose fixed months leave no sequence within the rule is left as it was.
void RepairShiftRuns(const BuiltModel& built, std::vector<double>* integers);

// Sets each line-month's at-maximum binary from its levers and raises the
// regular shifts to the line's maximum where a lever works (levers are
// dropped where a fixed month keeps the binary at 0). Called first by
// RepairShiftRuns.
void GateLevers(const BuiltModel& built, std::vector<double>* integers);

}  // namespace cobuild::plan
