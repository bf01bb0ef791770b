#include "sequence/move_evaluator.h"

#include <algorithm>
#include <cassert>

namespace cobuild::sequence {

namespace {

inline int Bit(uint64_t options, int bit) { return static_cast<int>((options >> bit) & 1); }

inline int64_t Excess(int count, int max_cars) { return count > max_cars ? count - max_cars : 0; }

}  // namespace

MoveEvaluator::MoveEvaluator(const Instance& instance, std::span<const int> order)
    : instance_(&instance) {
  const bool roadef = instance.kind == ProblemKind::kRoadef;
  m_ = roadef ? static_cast<int>(instance.previous_day.size()) : 0;
  n_ = static_cast<int>(instance.cars.size());
  len_ = m_ + n_;
  count_colours_ = roadef;
  batch_limit_ = roadef && instance.paint_batch_limit > 0 && instance.paint_batch_limit < n_
                     ? instance.paint_batch_limit
                     : 0;
  for (int k = 0; k < static_cast<int>(instance.ratios.size()); ++k) {
    const RatioConstraint& r = instance.ratios[k];
    Ratio ratio{.max_cars = r.max_cars,
                .window = r.window,
                .first = roadef ? std::max(0, m_ - r.window + 1) : 0,
                .last = roadef ? len_ - 1 : len_ - r.window,
                .group = r.high_priority ? kGroupHprc : kGroupLprc,
                .bit = k,
                .cnt = std::vector<int32_t>(len_ + 1, 0)};
    group_ratios_[ratio.group].push_back(k);
    ratios_.push_back(std::move(ratio));
  }
  if (roadef) {
    for (Criterion c : instance.objective_order) {
      rank_group_.push_back(c == Criterion::kHighPriorityRatios  ? kGroupHprc
                            : c == Criterion::kLowPriorityRatios ? kGroupLprc
                                                                 : kGroupColour);
    }
  } else {
    // CSPLib: one criterion, the total excess; every option is "high priority".
    rank_group_.push_back(kGroupHprc);
  }
  opt_.assign(len_, 0);
  col_.assign(len_, 0);
  car_.assign(len_, -1);
  run_left_.assign(len_ + 1, 0);
  run_right_.assign(len_ + 1, 0);
  for (int p = 0; p < m_; ++p) {
    opt_[p] = instance.previous_day[p].options;
    col_[p] = instance.previous_day[p].colour;
  }
  Reset(order);
}

void MoveEvaluator::Reset(std::span<const int> order) {
  assert(static_cast<int>(order.size()) == n_);
  for (int p = 0; p < n_; ++p) {
    const Car& car = instance_->cars[order[p]];
    opt_[m_ + p] = car.options;
    col_[m_ + p] = car.colour;
    car_[m_ + p] = order[p];
  }
  RecountAll();
}

void MoveEvaluator::RecountAll() {
  value_ = {};
  for (Ratio& r : ratios_) {
    std::fill(r.cnt.begin(), r.cnt.end(), 0);
    for (int s = r.first; s <= r.last; ++s) {
      const int end = std::min(s + r.window, len_);
      int count = 0;
      for (int p = s; p < end; ++p) count += Bit(opt_[p], r.bit);
      r.cnt[s] = count;
      value_[r.group] += Excess(count, r.max_cars);
    }
  }
  if (count_colours_) {
    for (int p = std::max(m_, 1); p < len_; ++p) value_[kGroupColour] += col_[p] != col_[p - 1];
  }
  if (n_ > 0) UpdateRuns(m_, len_ - 1);
}

void MoveEvaluator::UpdateRuns(int a, int b) {
  for (int p = a; p < len_; ++p) {
    const int left = (p > m_ && col_[p] == col_[p - 1]) ? run_left_[p - 1] + 1 : 1;
    if (p > b && left == run_left_[p]) break;
    run_left_[p] = left;
  }
  for (int p = b; p >= m_; --p) {
    const int right = (p + 1 < len_ && col_[p] == col_[p + 1]) ? run_right_[p + 1] + 1 : 1;
    if (p < a && right == run_right_[p]) break;
    run_right_[p] = right;
  }
}

int64_t MoveEvaluator::RangeDelta(const Ratio& r, int lo, int hi, int d) const {
  if (lo > hi) return 0;
  const int32_t* cnt = r.cnt.data();
  int64_t windows = 0;
  if (d > 0) {
    const int32_t threshold = r.max_cars;
    for (int s = lo; s <= hi; ++s) windows += cnt[s] >= threshold;
    return windows;
  }
  const int32_t threshold = r.max_cars;
  for (int s = lo; s <= hi; ++s) windows += cnt[s] > threshold;
  return -windows;
}

void MoveEvaluator::RangeAdd(Ratio& r, int lo, int hi, int d) {
  for (int s = lo; s <= hi; ++s) r.cnt[s] += d;
}

// Positions i < j (sequence positions). Windows holding both positions keep
// their count; the others see the swapped bit enter or leave.
int64_t MoveEvaluator::SwapRatioDelta(const Ratio& r, int i, int j) const {
  const int d = Bit(opt_[j], r.bit) - Bit(opt_[i], r.bit);
  if (d == 0) return 0;
  const int P = r.window;
  const int lo_i = std::max(r.first, i - P + 1);
  const int hi_i = std::min({r.last, i, j - P});
  const int lo_j = std::max({r.first, j - P + 1, i + 1});
  const int hi_j = std::min(r.last, j);
  return RangeDelta(r, lo_i, hi_i, d) + RangeDelta(r, lo_j, hi_j, -d);
}

// Block [a, b] rewritten with new_opt_. w is the change in option cars of
// the window starting at s, kept as a sliding sum over the block.
int64_t MoveEvaluator::SegmentRatioDelta(const Ratio& r, int a, int b) const {
  const int P = r.window;
  const int lo = std::max(r.first, a - P + 1);
  const int hi = std::min(r.last, b);
  if (lo > hi) return 0;
  const int bit = r.bit;
  auto dif = [&](int p) { return Bit(new_opt_[p - a], bit) - Bit(opt_[p], bit); };
  int w = 0;
  for (int p = std::max(lo, a), end = std::min(lo + P - 1, b); p <= end; ++p) w += dif(p);
  int64_t delta = 0;
  const int32_t* cnt = r.cnt.data();
  for (int s = lo; s <= hi; ++s) {
    if (w != 0) delta += Excess(cnt[s] + w, r.max_cars) - Excess(cnt[s], r.max_cars);
    if (s >= a) w -= dif(s);
    if (s + P <= b) w += dif(s + P);
  }
  return delta;
}

int64_t MoveEvaluator::SwapColourDelta(int i, int j) const {
  if (!count_colours_ || col_[i] == col_[j]) return 0;
  auto new_col = [&](int p) { return p == i ? col_[j] : p == j ? col_[i] : col_[p]; };
  const int first_adj = std::max(m_, 1);
  int64_t delta = 0;
  auto adj = [&](int p) {
    if (p < first_adj || p >= len_) return;
    delta += (new_col(p) != new_col(p - 1)) - (col_[p] != col_[p - 1]);
  };
  adj(i);
  adj(i + 1);
  if (j != i + 1) adj(j);
  adj(j + 1);
  return delta;
}

int64_t MoveEvaluator::SegmentColourDelta(int a, int b) const {
  if (!count_colours_) return 0;
  auto new_col = [&](int p) { return p >= a && p <= b ? new_col_[p - a] : col_[p]; };
  const int first = std::max({a, m_, 1});
  const int last = std::min(b + 1, len_ - 1);
  int64_t delta = 0;
  for (int p = first; p <= last; ++p) {
    delta += (new_col(p) != new_col(p - 1)) - (col_[p] != col_[p - 1]);
  }
  return delta;
}

// Runs through i and j after the swap (i < j). When i + 1 < j and the
// colours differ, a run next to i cannot reach past j, which now holds
// another colour; adjacent swaps go through the block check.
bool MoveEvaluator::SwapFeasible(int i, int j) {
  if (batch_limit_ == 0 || col_[i] == col_[j]) return true;
  if (j == i + 1) {
    if (new_col_.size() < 2) new_col_.resize(2);
    new_col_[0] = col_[j];
    new_col_[1] = col_[i];
    return SegmentFeasible(i, j);
  }
  const int ci = col_[j];
  int run = 1;
  if (i - 1 >= m_ && col_[i - 1] == ci) run += run_left_[i - 1];
  if (col_[i + 1] == ci) run += std::min(run_right_[i + 1], j - i - 1);
  if (run > batch_limit_) return false;
  const int cj = col_[i];
  run = 1;
  if (col_[j - 1] == cj) run += std::min(run_left_[j - 1], j - 1 - i);
  if (j + 1 < len_ && col_[j + 1] == cj) run += run_right_[j + 1];
  return run <= batch_limit_;
}

bool MoveEvaluator::SegmentFeasible(int a, int b) const {
  if (batch_limit_ == 0) return true;
  int prev = a - 1 >= m_ ? col_[a - 1] : -1;
  int run = a - 1 >= m_ ? run_left_[a - 1] : 0;
  for (int p = a; p <= b; ++p) {
    const int c = new_col_[p - a];
    if (c == prev) {
      if (++run > batch_limit_) return false;
    } else {
      prev = c;
      run = 1;
    }
  }
  if (b + 1 < len_ && col_[b + 1] == prev && run + run_right_[b + 1] > batch_limit_) return false;
  return true;
}

void MoveEvaluator::StageSegment(const Move& move, int* a, int* b) {
  const int I = move.i + m_;
  const int J = move.j + m_;
  *a = std::min(I, J);
  *b = std::max(I, J);
  const int size = *b - *a + 1;
  if (static_cast<int>(new_opt_.size()) < size) {
    new_opt_.resize(size);
    new_col_.resize(size);
    new_car_.resize(size);
  }
  for (int p = *a; p <= *b; ++p) {
    int src;
    if (move.kind == MoveKind::kReverse) {
      src = *a + *b - p;
    } else if (I < J) {  // Insertion forwards: the block shifts left.
      src = p < J ? p + 1 : I;
    } else {  // Insertion backwards: the block shifts right.
      src = p == J ? I : p - 1;
    }
    new_opt_[p - *a] = opt_[src];
    new_col_[p - *a] = col_[src];
    new_car_[p - *a] = car_[src];
  }
}

bool MoveEvaluator::IsNoOp(const Move& move) const {
  if (move.i == move.j) return true;
  if (move.kind == MoveKind::kSwap) {
    const int I = move.i + m_;
    const int J = move.j + m_;
    return opt_[I] == opt_[J] && col_[I] == col_[J];
  }
  return false;
}

int64_t MoveEvaluator::GroupDelta(int group, const Move& move, int a, int b, uint64_t diff_mask) {
  if (group == kGroupColour) {
    return move.kind == MoveKind::kSwap ? SwapColourDelta(a, b) : SegmentColourDelta(a, b);
  }
  int64_t delta = 0;
  for (int k : group_ratios_[group]) {
    if (!((diff_mask >> k) & 1)) continue;
    const Ratio& r = ratios_[k];
    delta += move.kind == MoveKind::kSwap ? SwapRatioDelta(r, a, b) : SegmentRatioDelta(r, a, b);
  }
  return delta;
}

int MoveEvaluator::Decide(const Move& move, int num_ranks) {
  if (IsNoOp(move)) return 0;
  int a, b;
  uint64_t diff = 0;
  if (move.kind == MoveKind::kSwap) {
    a = std::min(move.i, move.j) + m_;
    b = std::max(move.i, move.j) + m_;
    if (!SwapFeasible(a, b)) return 1;
    diff = opt_[a] ^ opt_[b];
  } else {
    StageSegment(move, &a, &b);
    if (!SegmentFeasible(a, b)) return 1;
    for (int p = a; p <= b; ++p) diff |= new_opt_[p - a] ^ opt_[p];
  }
  const int ranks = std::min(num_ranks, static_cast<int>(rank_group_.size()));
  for (int r = 0; r < ranks; ++r) {
    const int64_t d = GroupDelta(rank_group_[r], move, a, b, diff);
    if (d != 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

MoveDelta MoveEvaluator::Evaluate(const Move& move) {
  MoveDelta delta;
  if (move.i == move.j) return delta;
  int a, b;
  uint64_t diff = 0;
  if (move.kind == MoveKind::kSwap) {
    a = std::min(move.i, move.j) + m_;
    b = std::max(move.i, move.j) + m_;
    delta.feasible = SwapFeasible(a, b);
    diff = opt_[a] ^ opt_[b];
  } else {
    StageSegment(move, &a, &b);
    delta.feasible = SegmentFeasible(a, b);
    for (int p = a; p <= b; ++p) diff |= new_opt_[p - a] ^ opt_[p];
  }
  for (int group = 0; group < 3; ++group) delta.by_group[group] = GroupDelta(group, move, a, b, diff);
  return delta;
}

void MoveEvaluator::Apply(const Move& move) {
  if (move.i == move.j) return;
  const MoveDelta delta = Evaluate(move);
  for (int group = 0; group < 3; ++group) value_[group] += delta.by_group[group];
  if (move.kind == MoveKind::kSwap) {
    const int a = std::min(move.i, move.j) + m_;
    const int b = std::max(move.i, move.j) + m_;
    for (Ratio& r : ratios_) {
      const int d = Bit(opt_[b], r.bit) - Bit(opt_[a], r.bit);
      if (d == 0) continue;
      const int P = r.window;
      RangeAdd(r, std::max(r.first, a - P + 1), std::min({r.last, a, b - P}), d);
      RangeAdd(r, std::max({r.first, b - P + 1, a + 1}), std::min(r.last, b), -d);
    }
    std::swap(opt_[a], opt_[b]);
    std::swap(col_[a], col_[b]);
    std::swap(car_[a], car_[b]);
    if (b - a <= 1) {
      UpdateRuns(a, b);
    } else {
      UpdateRuns(a, a);
      UpdateRuns(b, b);
    }
    return;
  }
  int a, b;
  StageSegment(move, &a, &b);
  for (Ratio& r : ratios_) {
    const int P = r.window;
    const int lo = std::max(r.first, a - P + 1);
    const int hi = std::min(r.last, b);
    if (lo > hi) continue;
    const int bit = r.bit;
    auto dif = [&](int p) { return Bit(new_opt_[p - a], bit) - Bit(opt_[p], bit); };
    int w = 0;
    for (int p = std::max(lo, a), end = std::min(lo + P - 1, b); p <= end; ++p) w += dif(p);
    for (int s = lo; s <= hi; ++s) {
      r.cnt[s] += w;
      if (s >= a) w -= dif(s);
      if (s + P <= b) w += dif(s + P);
    }
  }
  for (int p = a; p <= b; ++p) {
    opt_[p] = new_opt_[p - a];
    col_[p] = new_col_[p - a];
    car_[p] = new_car_[p - a];
  }
  UpdateRuns(a, b);
}

int MoveEvaluator::LexCompare(const MoveDelta& delta) const {
  if (!delta.feasible) return 1;
  for (int group : rank_group_) {
    if (delta.by_group[group] != 0) return delta.by_group[group] < 0 ? -1 : 1;
  }
  return 0;
}

Criteria MoveEvaluator::criteria() const {
  Criteria c;
  c.hprc = value_[kGroupHprc];
  c.lprc = value_[kGroupLprc];
  c.colour_changes = value_[kGroupColour];
  for (int p = m_; p < len_; ++p) c.longest_batch = std::max(c.longest_batch, run_left_[p]);
  c.batch_limit_ok = instance_->paint_batch_limit <= 0 || c.longest_batch <= instance_->paint_batch_limit;
  return c;
}

std::array<int64_t, 3> MoveEvaluator::ranked_values() const {
  std::array<int64_t, 3> values{};
  for (size_t r = 0; r < rank_group_.size(); ++r) values[r] = value_[rank_group_[r]];
  return values;
}

std::vector<int> MoveEvaluator::Order() const { return {car_.begin() + m_, car_.end()}; }

}  // namespace cobuild::sequence
