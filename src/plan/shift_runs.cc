#include "plan/shift_runs.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace cobuild::plan {
namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();

// Cost of `crews` in month i: regular shifts up to `regular`, the rest on
// the month's extra-shift column.
double CrewCost(const LinearProgram& lp, const ShiftSequence& sequence, const std::vector<int>& regular,
                size_t i, int crews) {
  const int shifts = std::min(crews, regular[i]);
  const int extra = crews - shifts;
  double cost = -lp.objective[sequence.shift[i]] * shifts;
  if (extra > 0) cost -= lp.objective[sequence.extra[i]] * extra;
  return cost;
}

// The cheapest crew sequence within [lower, upper] month by month, or nothing.
std::optional<std::vector<int>> CheapestRuns(const BuiltModel& built, const ShiftSequence& sequence,
                                             const std::vector<int>& regular, const std::vector<int>& lower,
                                             const std::vector<int>& upper) {
  const LinearProgram& lp = built.lp;
  const size_t count = sequence.months.size();
  const int hold = std::max(1, sequence.min_months);
  int top = 0;
  for (int u : upper) top = std::max(top, u);
  const int values = top + 1;
  // cost[(v * hold) + (run - 1)]: cheapest sequence up to month i ending at v
  // with `run` months (capped at hold) since its last change.
  auto index = [&](int v, int run) { return static_cast<size_t>(v) * hold + (run - 1); };
  std::vector<std::vector<double>> cost(count,
                                        std::vector<double>(static_cast<size_t>(values) * hold, kNever));
  std::vector<std::vector<int>> from(count, std::vector<int>(static_cast<size_t>(values) * hold, -1));
  for (int v = lower[0]; v <= upper[0]; ++v) {
    cost[0][index(v, hold)] =
        CrewCost(lp, sequence, regular, 0, v);  // the first month's pattern is not a change
  }
  for (size_t i = 1; i < count; ++i) {
    const double add = -lp.objective[sequence.added[i]];
    const double remove = -lp.objective[sequence.removed[i]];
    for (int prev = 0; prev < values; ++prev) {
      for (int run = 1; run <= hold; ++run) {
        const double before = cost[i - 1][index(prev, run)];
        if (before == kNever) continue;
        for (int v = lower[i]; v <= upper[i]; ++v) {
          if (v != prev && run < hold) continue;  // the pattern has not held long enough
          const int next_run = v == prev ? std::min(hold, run + 1) : 1;
          const double step = v > prev ? add * (v - prev) : remove * (prev - v);
          const double total = before + CrewCost(lp, sequence, regular, i, v) + step;
          double& slot = cost[i][index(v, next_run)];
          if (total < slot - 1e-9) {
            slot = total;
            from[i][index(v, next_run)] = static_cast<int>(index(prev, run));
          }
        }
      }
    }
  }
  size_t best = 0;
  for (size_t state = 1; state < cost[count - 1].size(); ++state) {
    if (cost[count - 1][state] < cost[count - 1][best]) best = state;
  }
  if (cost[count - 1][best] == kNever) return std::nullopt;
  std::vector<int> chosen(count);
  int state = static_cast<int>(best);
  for (size_t i = count; i-- > 0;) {
    chosen[i] = state / hold;
    state = from[i][static_cast<size_t>(state)];
  }
  return chosen;
}

}  // namespace

void GateLevers(const BuiltModel& built, std::vector<double>* integers) {
  const LinearProgram& lp = built.lp;
  for (size_t cell = 0; cell < built.at_max_shifts_column.size(); ++cell) {
    const int at_max = built.at_max_shifts_column[cell];
    if (at_max < 0) continue;
    bool used = false;
    for (const int j : {built.extra_shift_column[cell], built.weekend_column[cell]}) {
      if (j >= 0 && (*integers)[j] > 0.5) used = true;
    }
    const double gate = std::clamp(used ? 1.0 : 0.0, lp.col_lower[at_max], lp.col_upper[at_max]);
    (*integers)[at_max] = gate;
    if (gate > 0.5) {
      // Where b is free the shift column's bound is the line's maximum.
      const int shifts = built.shift_column[cell];
      (*integers)[shifts] = lp.col_upper[shifts];
    } else {
      for (const int j : {built.extra_shift_column[cell], built.weekend_column[cell]}) {
        if (j >= 0) (*integers)[j] = lp.col_lower[j];
      }
    }
  }
}

void RepairShiftRuns(const BuiltModel& built, std::vector<double>* integers) {
  GateLevers(built, integers);
  const LinearProgram& lp = built.lp;
  const int n = built.num_months;
  for (const ShiftSequence& sequence : built.shift_sequences) {
    const size_t count = sequence.months.size();
    if (count == 0) continue;
    // Crews: regular shifts plus extra shifts; a month with a weekend day
    // keeps the regular maximum.
    std::vector<int> regular(count), lower(count), upper(count), floor(count);
    auto whole = [](double v) { return static_cast<int>(std::lround(v)); };
    for (size_t i = 0; i < count; ++i) {
      const int j = sequence.shift[i];
      const int x = sequence.extra[i];
      regular[i] = whole(lp.col_upper[j]);
      floor[i] = whole(lp.col_lower[j]) + (x >= 0 ? whole(lp.col_lower[x]) : 0);
      upper[i] = regular[i] + (x >= 0 ? whole(lp.col_upper[x]) : 0);
      int proposed = whole((*integers)[j]) + (x >= 0 ? whole((*integers)[x]) : 0);
      const int weekend = built.weekend_column[static_cast<size_t>(sequence.line) * n + sequence.months[i]];
      if (!sequence.idle[i] && weekend >= 0 && (*integers)[weekend] > 0.5)
        proposed = std::max(proposed, regular[i]);
      lower[i] = sequence.idle[i] ? floor[i] : std::clamp(proposed, floor[i], upper[i]);
    }
    std::optional<std::vector<int>> chosen = CheapestRuns(built, sequence, regular, lower, upper);
    if (!chosen) chosen = CheapestRuns(built, sequence, regular, floor, upper);
    if (!chosen) continue;
    for (size_t i = 0; i < count; ++i) {
      const int crews = (*chosen)[i];
      const int shifts = std::min(crews, regular[i]);
      (*integers)[sequence.shift[i]] = shifts;
      if (sequence.extra[i] >= 0) (*integers)[sequence.extra[i]] = crews - shifts;
      if (sequence.change[i] >= 0) (*integers)[sequence.change[i]] = crews != (*chosen)[i - 1] ? 1 : 0;
    }
  }
  GateLevers(built, integers);  // the at-maximum binaries of the crews chosen
}

}  // namespace cobuild::plan
