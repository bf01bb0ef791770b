// From-scratch scoring of a day-D order. Deliberately simple (every window
// is recounted), so that it can serve as the reference the incremental local
// search is checked against.
//
// ROADEF/EURO 2005 rule (data/carseq/ROADEF2005_FORMAT.md, confirmed against
// Renault's checker): let the full sequence be the D-1 cars (fixed) followed
// by the day-D order, positions 0..len-1, with day D starting at m = |D-1|.
//  * For each ratio constraint N/P, one window starts at every position s in
//    [max(0, m-P+1), len-1] and covers [s, min(s+P-1, len-1)]: windows that
//    reach back into D-1 are counted, windows entirely inside D-1 are not,
//    and the windows at the end of day D are truncated but keep allowance N.
//    A window adds max(0, cars with the option - N). HPRC sums the
//    high-priority constraints, LPRC the low-priority ones.
//  * Colour changes: positions p in [m, len-1] (p > 0) whose colour differs
//    from position p-1, so the D-1 -> D boundary counts.
//  * Paint batch limit L (hard): no run of more than L consecutive day-D cars
//    of one colour (runs are counted inside day D only).
//  * Score = sum over ranked criteria of RankWeight(rank) * value.
// CSPLib prob001: no D-1; windows start at s in [0, len-P] (full windows
// only); the score is the total excess.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "model/error.h"
#include "sequence/instance.h"

namespace cobuild::sequence {

struct Criteria {
  int64_t hprc = 0;
  int64_t lprc = 0;
  int64_t colour_changes = 0;
  int longest_batch = 0;  // Longest same-colour run inside day D.
  bool batch_limit_ok = true;

  int64_t Value(Criterion criterion) const;
  // CSPLib's single criterion: the total window excess.
  int64_t violations() const { return hprc + lprc; }
  bool operator==(const Criteria&) const = default;
};

// Checks that `order` lists every day-D car index exactly once.
[[nodiscard]] Result<void> CheckPermutation(const Instance& instance, std::span<const int> order);

// Scores `order` (a permutation of 0..cars.size()-1) from scratch.
[[nodiscard]] Result<Criteria> Evaluate(const Instance& instance, std::span<const int> order);

// The weighted score (ROADEF) or the total excess (CSPLib).
int64_t Score(const Instance& instance, const Criteria& criteria);

// The day-D cars in input order: 0, 1, ..., n-1.
std::vector<int> InputOrder(const Instance& instance);

}  // namespace cobuild::sequence
