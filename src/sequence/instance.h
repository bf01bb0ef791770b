// One day of car sequencing: the cars to put in order on an assembly line,
// the fixed tail of yesterday's sequence, the ratio (N/P) constraints of the
// stations, the paint-shop batch limit and the ranked objectives.
//
// Two problem families share this type:
//  * ROADEF/EURO 2005 (Renault): day D-1 cars precede day D; ratio windows
//    that reach back into D-1 and the truncated windows at the end of day D
//    are counted; colour changes count from the last D-1 car; the paint batch
//    limit is hard; the criteria are ranked and weighted 1e6 / 1e3 / 1.
//  * CSPLib prob001: no D-1, no colours; only full windows of P cars are
//    counted and the single objective is the total window excess.
// The exact counting rule is implemented, from scratch, in evaluator.h.
//
// Build one in memory (the plan-to-sequence feature does) or read one with
// io::ReadRoadefInstance / io::ReadCsplibInstance:
//
//   sequence::Instance inst;
//   inst.ratios = {{.max_cars = 2, .window = 5, .high_priority = true, .name = "BEV"}};
//   inst.cars = {{.ident = "1", .colour = 3, .options = 0b1}, ...};
//   inst.paint_batch_limit = 20;
//   inst.objective_order = {Criterion::kHighPriorityRatios, Criterion::kColourChanges};
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"

namespace cobuild::sequence {

// At most this many ratio constraints (options are a 64-bit mask).
inline constexpr int kMaxRatios = 64;

enum class Criterion {
  kHighPriorityRatios,  // HPRC: window excess over high-priority constraints.
  kLowPriorityRatios,   // LPRC: window excess over low-priority constraints.
  kColourChanges,       // PCC: colour changes, counted from the last D-1 car.
};

// "hprc", "lprc", "colour_changes".
std::string_view CriterionName(Criterion criterion);

enum class ProblemKind {
  kRoadef,  // Windows into D-1 and truncated end windows; ranked criteria.
  kCsplib,  // Full windows only; minimise the total excess.
};

// "At most `max_cars` cars with this option in any `window` consecutive cars."
struct RatioConstraint {
  int max_cars = 1;  // N
  int window = 1;    // P (>= 1)
  bool high_priority = true;
  std::string name;

  bool operator==(const RatioConstraint&) const = default;
};

struct Car {
  std::string date;   // As in the input ("2003 38 3"); may be empty.
  int seq_rank = 0;   // As in the input; with `date` it identifies the car.
  std::string ident;  // Not necessarily unique.
  int colour = 0;
  uint64_t options = 0;  // Bit k set: the car needs ratio constraint k's option.

  bool operator==(const Car&) const = default;
};

struct Instance {
  std::string name;
  ProblemKind kind = ProblemKind::kRoadef;
  std::vector<Car> previous_day;  // Day D-1 in its fixed order (may be empty).
  std::vector<Car> cars;          // Day D in the input order.
  std::vector<RatioConstraint> ratios;
  int paint_batch_limit = 0;  // Max consecutive day-D cars of one colour; 0 = none.
  // Ranked criteria, most important first (2 or 3 entries for ROADEF;
  // ignored for CSPLib, whose single criterion is the total excess).
  std::vector<Criterion> objective_order;

  bool operator==(const Instance&) const = default;
};

// Weight of the criterion at `rank` (0-based): 1,000,000 / 1,000 / 1.
int64_t RankWeight(int rank);

// Checks sizes and ranges: at most kMaxRatios constraints, 1 <= P, 0 <= N,
// option bits only for existing constraints, colours >= 0, a non-empty
// objective order without repeats for ROADEF. Message names the field.
[[nodiscard]] Result<void> ValidateInstance(const Instance& instance);

}  // namespace cobuild::sequence
