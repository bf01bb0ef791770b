#include "sequence/lower_bound.h"

#include <algorithm>
#include <map>

namespace cobuild::sequence {

int64_t RatioLowerBound(const Instance& instance, int k) {
  const RatioConstraint& r = instance.ratios[k];
  const uint64_t bit = uint64_t{1} << k;
  const bool roadef = instance.kind == ProblemKind::kRoadef;
  const int m = roadef ? static_cast<int>(instance.previous_day.size()) : 0;
  const int n = static_cast<int>(instance.cars.size());
  const int len = m + n;
  const int64_t P = r.window;
  const int64_t N = r.max_cars;
  int64_t option_cars = 0;
  for (const Car& car : instance.cars) option_cars += (car.options & bit) ? 1 : 0;
  auto fixed_option = [&](int p) {  // Position p < m holds a D-1 car.
    return (instance.previous_day[p].options & bit) ? 1 : 0;
  };

  const int first = roadef ? std::max(0, m - r.window + 1) : 0;
  const int last = roadef ? len - 1 : len - r.window;
  int64_t bound = 0;
  for (int64_t phase = 0; phase < P; ++phase) {
    const int64_t start = first + phase;
    if (start > last) break;
    int64_t fixed_excess = 0;
    int64_t absorb = 0;
    int64_t covered_d = 0;  // Day-D positions covered by this family.
    for (int64_t s = start; s <= last; s += P) {
      const int64_t end = std::min<int64_t>(s + P, len);  // Exclusive.
      int64_t fixed = 0;
      for (int64_t p = s; p < std::min<int64_t>(end, m); ++p) fixed += fixed_option(static_cast<int>(p));
      const int64_t room = end - std::max<int64_t>(s, m);
      covered_d += std::max<int64_t>(0, room);
      fixed_excess += std::max<int64_t>(0, fixed - N);
      absorb += std::max<int64_t>(0, std::min(N - fixed, std::max<int64_t>(0, room)));
    }
    const int64_t uncovered = n - covered_d;
    bound += fixed_excess + std::max<int64_t>(0, option_cars - absorb - uncovered);
  }
  return bound;
}

int64_t ColourChangeLowerBound(const Instance& instance) {
  if (instance.kind != ProblemKind::kRoadef || instance.cars.empty()) return 0;
  std::map<int, int64_t> per_colour;
  for (const Car& car : instance.cars) ++per_colour[car.colour];
  const int64_t limit = instance.paint_batch_limit > 0 ? instance.paint_batch_limit
                                                       : static_cast<int64_t>(instance.cars.size());
  int64_t batches = 0;
  for (const auto& [colour, count] : per_colour) batches += (count + limit - 1) / limit;
  // The first batch of day D is not a change if it continues D-1's last colour.
  const bool free_first =
      instance.previous_day.empty() || per_colour.contains(instance.previous_day.back().colour);
  return batches - (free_first ? 1 : 0);
}

LowerBound ComputeLowerBound(const Instance& instance) {
  LowerBound lb;
  for (int k = 0; k < static_cast<int>(instance.ratios.size()); ++k) {
    (instance.ratios[k].high_priority ? lb.criteria.hprc : lb.criteria.lprc) += RatioLowerBound(instance, k);
  }
  lb.criteria.colour_changes = ColourChangeLowerBound(instance);
  lb.score = Score(instance, lb.criteria);
  return lb;
}

bool Rank1Optimal(const Instance& instance, const Criteria& criteria, const LowerBound& bound) {
  if (instance.kind == ProblemKind::kCsplib) return criteria.violations() == bound.criteria.violations();
  if (instance.objective_order.empty()) return false;
  const Criterion rank1 = instance.objective_order[0];
  return criteria.Value(rank1) == bound.criteria.Value(rank1);
}

double Gap(int64_t score, int64_t bound) {
  return score == 0 ? 0.0 : static_cast<double>(score - bound) / static_cast<double>(score);
}

}  // namespace cobuild::sequence
