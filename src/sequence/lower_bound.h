// Lower bounds per criterion, valid by construction, so that every result
// can be shown with its gap and some are proved optimal on their first
// criterion.
//
//  * Colour changes: colour c has n_c day-D cars and no batch may exceed the
//    paint batch limit L, so day D holds at least sum_c ceil(n_c / L)
//    batches; the first batch is free of a change only when it continues the
//    colour of the last D-1 car (or when there is no D-1 at all).
//  * Ratio constraint N/P: the counted windows split into P families by
//    their start position modulo P; the windows of one family are disjoint.
//    Within a family window i holds f_i fixed D-1 option cars and room for
//    c_i day-D cars, so it can take at most a_i = max(0, min(N - f_i, c_i))
//    option cars of day D without excess, and it has at least
//    max(0, f_i - N) excess whatever happens. With R option cars in day D
//    the family has at least sum_i max(0, f_i - N) + max(0, R - sum_i a_i -
//    u) excess, where u counts day-D positions no window of the family
//    covers (only CSPLib, which counts full windows only, leaves any).
//    Families partition the windows, so the family bounds add up; the
//    constraints add up to HPRC and LPRC.
//  * Score: the weighted sum of the criterion bounds.
#pragma once

#include <cstdint>

#include "sequence/evaluator.h"
#include "sequence/instance.h"

namespace cobuild::sequence {

struct LowerBound {
  Criteria criteria;  // hprc, lprc, colour_changes (longest_batch unused).
  int64_t score = 0;
};

// Lower bound on the excess of ratio constraint `k` alone.
int64_t RatioLowerBound(const Instance& instance, int k);

// Lower bound on colour changes (0 for CSPLib).
int64_t ColourChangeLowerBound(const Instance& instance);

// All bounds; requires a valid instance (ValidateInstance).
LowerBound ComputeLowerBound(const Instance& instance);

// Whether `criteria` meets the bound on the rank-1 criterion (the violation
// count for CSPLib), which proves the order optimal on it.
bool Rank1Optimal(const Instance& instance, const Criteria& criteria, const LowerBound& bound);

// (score - bound) / score; 0 when the score is 0.
double Gap(int64_t score, int64_t bound);

}  // namespace cobuild::sequence
