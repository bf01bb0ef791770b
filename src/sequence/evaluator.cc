#include "sequence/evaluator.h"

#include <algorithm>
#include <numeric>
#include <string>

namespace cobuild::sequence {

int64_t Criteria::Value(Criterion criterion) const {
  switch (criterion) {
    case Criterion::kHighPriorityRatios:
      return hprc;
    case Criterion::kLowPriorityRatios:
      return lprc;
    case Criterion::kColourChanges:
      return colour_changes;
  }
  return 0;
}

Result<void> CheckPermutation(const Instance& instance, std::span<const int> order) {
  const int n = static_cast<int>(instance.cars.size());
  if (static_cast<int>(order.size()) != n) {
    return InvalidInput("order has " + std::to_string(order.size()) + " cars, day D has " +
                        std::to_string(n));
  }
  std::vector<char> seen(n, 0);
  for (int car : order) {
    if (car < 0 || car >= n) {
      return InvalidInput("order names car " + std::to_string(car) + ", not a day-D car");
    }
    if (seen[car]) return InvalidInput("order lists car " + std::to_string(car) + " twice");
    seen[car] = 1;
  }
  return {};
}

Result<Criteria> Evaluate(const Instance& instance, std::span<const int> order) {
  if (auto ok = CheckPermutation(instance, order); !ok) return std::unexpected(ok.error());
  const bool roadef = instance.kind == ProblemKind::kRoadef;

  // The full sequence: D-1 (ROADEF only) then day D.
  std::vector<const Car*> seq;
  if (roadef) {
    for (const Car& car : instance.previous_day) seq.push_back(&car);
  }
  const int m = static_cast<int>(seq.size());
  for (int car : order) seq.push_back(&instance.cars[car]);
  const int len = static_cast<int>(seq.size());

  Criteria c;
  for (size_t k = 0; k < instance.ratios.size(); ++k) {
    const RatioConstraint& r = instance.ratios[k];
    const uint64_t bit = uint64_t{1} << k;
    const int first = roadef ? std::max(0, m - r.window + 1) : 0;
    const int last = roadef ? len - 1 : len - r.window;
    int64_t excess = 0;
    for (int s = first; s <= last; ++s) {
      const int end = std::min(s + r.window, len);  // Exclusive; truncated at the end.
      int count = 0;
      for (int p = s; p < end; ++p) count += (seq[p]->options & bit) ? 1 : 0;
      excess += std::max(0, count - r.max_cars);
    }
    (r.high_priority ? c.hprc : c.lprc) += excess;
  }

  if (roadef) {
    for (int p = std::max(m, 1); p < len; ++p) {
      if (seq[p]->colour != seq[p - 1]->colour) ++c.colour_changes;
    }
  }
  int run = 0;
  for (int p = m; p < len; ++p) {
    run = (p > m && seq[p]->colour == seq[p - 1]->colour) ? run + 1 : 1;
    c.longest_batch = std::max(c.longest_batch, run);
  }
  c.batch_limit_ok = instance.paint_batch_limit <= 0 || c.longest_batch <= instance.paint_batch_limit;
  return c;
}

int64_t Score(const Instance& instance, const Criteria& criteria) {
  if (instance.kind == ProblemKind::kCsplib) return criteria.violations();
  int64_t score = 0;
  for (size_t rank = 0; rank < instance.objective_order.size(); ++rank) {
    score += RankWeight(static_cast<int>(rank)) * criteria.Value(instance.objective_order[rank]);
  }
  return score;
}

std::vector<int> InputOrder(const Instance& instance) {
  std::vector<int> order(instance.cars.size());
  std::iota(order.begin(), order.end(), 0);
  return order;
}

}  // namespace cobuild::sequence
