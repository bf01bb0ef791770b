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

// Block move over [a, b]. Windows are split three ways:
//  * interior windows lie inside the block and hold cars that were together
//    before: after an insertion window s holds what window s+1 (forwards)
//    or s-1 (backwards) held, so their excess telescopes to two terms;
//    after a reversal they are a permutation of the old ones (no change);
//  * windows starting at or before a see w = sum of dif over
//    [a, min(s+P-1, b)], a prefix sum over the first P block positions;
//  * the other windows end at or after b and see a suffix sum over the last
//    P block positions.
// So a block move costs O(P) per constraint, whatever the block length.
int64_t MoveEvaluator::BlockRatioDelta(const Ratio& r, const Block& blk) const {
  const int P = r.window;
  const int a = blk.a, b = blk.b;
  const int lo = std::max(r.first, a - P + 1);
  const int hi = std::min(r.last, b);
  if (lo > hi) return 0;
  const int bit = r.bit;
  const int N = r.max_cars;
  const int32_t* cnt = r.cnt.data();
  auto dif = [&](int p) { return Bit(opt_[blk.Src(p)], bit) - Bit(opt_[p], bit); };
  int ilo, ihi;
  blk.Interior(P, &ilo, &ihi);
  ilo = std::max(ilo, lo);
  ihi = std::min(ihi, hi);
  int64_t delta = 0;
  if (ilo <= ihi) {
    if (blk.kind == Block::kForward) delta += Excess(cnt[ihi + 1], N) - Excess(cnt[ilo], N);
    if (blk.kind == Block::kBackward) delta += Excess(cnt[ilo - 1], N) - Excess(cnt[ihi], N);
  }
  // Windows starting at or before a (a itself only when not interior).
  const int left_hi = std::min(hi, (ilo <= ihi && ilo == a) ? a - 1 : a);
  if (lo <= left_hi) {
    int q = a;
    int w = 0;
    for (int s = lo; s <= left_hi; ++s) {
      const int end = std::min(s + P - 1, b);
      for (; q <= end; ++q) w += dif(q);
      if (w != 0) delta += Excess(cnt[s] + w, N) - Excess(cnt[s], N);
    }
  }
  // Windows starting after a that are not interior: suffix sums from b.
  const int right_lo = std::max({lo, a + 1, ilo <= ihi ? ihi + 1 : a + 1});
  if (right_lo <= hi) {
    int w = 0;
    for (int s = b; s >= right_lo; --s) {
      w += dif(s);
      if (s <= hi && w != 0) delta += Excess(cnt[s] + w, N) - Excess(cnt[s], N);
    }
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

// Only the adjacencies at the block's ends change; the pairs inside the
// moved block stay neighbours.
int64_t MoveEvaluator::BlockColourDelta(const Block& blk) const {
  if (!count_colours_) return 0;
  const int first_adj = std::max(m_, 1);
  const int a = blk.a, b = blk.b;
  // Pair (left, right) whose right car sits at position `pos` (old or new).
  auto pair = [&](int left, int right, int pos) -> int {
    return pos >= first_adj && pos < len_ && col_[left] != col_[right];
  };
  int64_t delta = 0;
  switch (blk.kind) {
    case Block::kForward:  // Car at a moves to b.
      delta -= pair(a - 1, a, a) + pair(a, a + 1, a + 1) + pair(b, b + 1, b + 1);
      delta += pair(a - 1, a + 1, a) + pair(b, a, b) + pair(a, b + 1, b + 1);
      break;
    case Block::kBackward:  // Car at b moves to a.
      delta -= pair(a - 1, a, a) + pair(b - 1, b, b) + pair(b, b + 1, b + 1);
      delta += pair(a - 1, b, a) + pair(b, a, a + 1) + pair(b - 1, b + 1, b + 1);
      break;
    case Block::kReverse:
      delta -= pair(a - 1, a, a) + pair(b, b + 1, b + 1);
      delta += pair(a - 1, b, a) + pair(a, b + 1, b + 1);
      break;
  }
  return delta;
}

MoveEvaluator::Piece MoveEvaluator::SegmentPiece(int u, int v) const {
  if (u > v) return {};
  const int length = v - u + 1;
  return {.first_colour = col_[u],
          .first_run = std::min(run_right_[u], length),
          .last_colour = col_[v],
          .last_run = std::min(run_left_[v], length),
          .length = length};
}

MoveEvaluator::Piece MoveEvaluator::ReversedPiece(int u, int v) const {
  const int length = v - u + 1;
  return {.first_colour = col_[v],
          .first_run = std::min(run_left_[v], length),
          .last_colour = col_[u],
          .last_run = std::min(run_right_[u], length),
          .length = length};
}

MoveEvaluator::Piece MoveEvaluator::CarPiece(int p) const {
  return {.first_colour = col_[p], .first_run = 1, .last_colour = col_[p], .last_run = 1, .length = 1};
}

// The new day-D order around [a, b] is: the unchanged cars before a, the
// pieces, the unchanged cars after b. Runs inside a piece are old runs
// (within the limit); only runs across the joins can grow.
bool MoveEvaluator::PiecesFeasible(int a, int b, std::initializer_list<Piece> pieces) const {
  if (batch_limit_ == 0) return true;
  int colour = a - 1 >= m_ ? col_[a - 1] : -1;
  int run = a - 1 >= m_ ? run_left_[a - 1] : 0;
  for (const Piece& piece : pieces) {
    if (piece.length == 0) continue;
    run = piece.first_colour == colour ? run + piece.first_run : piece.first_run;
    colour = piece.first_colour;
    if (run > batch_limit_) return false;
    if (piece.first_run < piece.length) {
      colour = piece.last_colour;
      run = piece.last_run;
    }
  }
  return !(b + 1 < len_ && col_[b + 1] == colour && run + run_right_[b + 1] > batch_limit_);
}

bool MoveEvaluator::SwapFeasible(int i, int j) const {
  if (batch_limit_ == 0 || col_[i] == col_[j]) return true;
  return PiecesFeasible(i, j, {CarPiece(j), SegmentPiece(i + 1, j - 1), CarPiece(i)});
}

bool MoveEvaluator::BlockFeasible(const Block& blk) const {
  if (batch_limit_ == 0) return true;
  const int a = blk.a, b = blk.b;
  switch (blk.kind) {
    case Block::kForward:
      return PiecesFeasible(a, b, {SegmentPiece(a + 1, b), CarPiece(a)});
    case Block::kBackward:
      return PiecesFeasible(a, b, {CarPiece(b), SegmentPiece(a, b - 1)});
    case Block::kReverse:
      return PiecesFeasible(a, b, {ReversedPiece(a, b)});
  }
  return true;
}

MoveEvaluator::Block MoveEvaluator::MakeBlock(const Move& move) const {
  const int I = move.i + m_;
  const int J = move.j + m_;
  Block blk;
  blk.a = std::min(I, J);
  blk.b = std::max(I, J);
  blk.kind = move.kind == MoveKind::kReverse ? Block::kReverse
             : I < J                        ? Block::kForward
                                            : Block::kBackward;
  return blk;
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

int64_t MoveEvaluator::SwapGroupDelta(int group, int a, int b, uint64_t diff_mask) const {
  if (group == kGroupColour) return SwapColourDelta(a, b);
  int64_t delta = 0;
  for (int k : group_ratios_[group]) {
    if ((diff_mask >> k) & 1) delta += SwapRatioDelta(ratios_[k], a, b);
  }
  return delta;
}

int64_t MoveEvaluator::BlockGroupDelta(int group, const Block& blk) const {
  if (group == kGroupColour) return BlockColourDelta(blk);
  int64_t delta = 0;
  for (int k : group_ratios_[group]) delta += BlockRatioDelta(ratios_[k], blk);
  return delta;
}

void MoveEvaluator::SetLowerBounds(const Criteria& bound) {
  bound_ = {bound.hprc, bound.lprc, bound.colour_changes};
}

// Ranks whose criterion sits at its lower bound cannot improve, so any of
// them going up rejects the move: those are checked first and cheapest
// first (colours are O(1)). Then the usual lexicographic comparison.
template <typename GroupDeltaFn>
int MoveEvaluator::DecideByRanks(int num_ranks, GroupDeltaFn group_delta) const {
  const int ranks = std::min(num_ranks, static_cast<int>(rank_group_.size()));
  int settled = 0;
  while (settled < ranks && value_[rank_group_[settled]] == bound_[rank_group_[settled]]) ++settled;
  if (settled > 1) {
    for (int pass = 0; pass < 2; ++pass) {  // Colours first, then ratios.
      for (int r = 0; r < settled; ++r) {
        const int group = rank_group_[r];
        if ((group == kGroupColour) != (pass == 0)) continue;
        if (group_delta(group) > 0) return 1;
      }
    }
  } else if (settled == 1 && group_delta(rank_group_[0]) > 0) {
    return 1;
  }
  for (int r = settled; r < ranks; ++r) {
    const int64_t d = group_delta(rank_group_[r]);
    if (d != 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

int MoveEvaluator::Decide(const Move& move, int num_ranks) {
  if (IsNoOp(move)) return 0;
  if (move.kind == MoveKind::kSwap) {
    const int a = std::min(move.i, move.j) + m_;
    const int b = std::max(move.i, move.j) + m_;
    if (!SwapFeasible(a, b)) return 1;
    const uint64_t diff = opt_[a] ^ opt_[b];
    return DecideByRanks(num_ranks, [&](int group) { return SwapGroupDelta(group, a, b, diff); });
  }
  const Block blk = MakeBlock(move);
  if (!BlockFeasible(blk)) return 1;
  return DecideByRanks(num_ranks, [&](int group) { return BlockGroupDelta(group, blk); });
}

MoveDelta MoveEvaluator::Evaluate(const Move& move) {
  MoveDelta delta;
  if (move.i == move.j) return delta;
  if (move.kind == MoveKind::kSwap) {
    const int a = std::min(move.i, move.j) + m_;
    const int b = std::max(move.i, move.j) + m_;
    delta.feasible = SwapFeasible(a, b);
    const uint64_t diff = opt_[a] ^ opt_[b];
    for (int group = 0; group < 3; ++group) delta.by_group[group] = SwapGroupDelta(group, a, b, diff);
    return delta;
  }
  const Block blk = MakeBlock(move);
  delta.feasible = BlockFeasible(blk);
  for (int group = 0; group < 3; ++group) delta.by_group[group] = BlockGroupDelta(group, blk);
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
  const Block blk = MakeBlock(move);
  const int a = blk.a, b = blk.b;
  for (Ratio& r : ratios_) {
    const int P = r.window;
    const int lo = std::max(r.first, a - P + 1);
    const int hi = std::min(r.last, b);
    if (lo > hi) continue;
    // Sliding sum of the option changes over each touched window.
    const int bit = r.bit;
    auto dif = [&](int p) { return Bit(opt_[blk.Src(p)], bit) - Bit(opt_[p], bit); };
    int w = 0;
    for (int p = std::max(lo, a), end = std::min(lo + P - 1, b); p <= end; ++p) w += dif(p);
    for (int s = lo; s <= hi; ++s) {
      r.cnt[s] += w;
      if (s >= a) w -= dif(s);
      if (s + P <= b) w += dif(s + P);
    }
  }
  auto permute = [&](auto& v) {
    switch (blk.kind) {
      case Block::kForward:
        std::rotate(v.begin() + a, v.begin() + a + 1, v.begin() + b + 1);
        break;
      case Block::kBackward:
        std::rotate(v.begin() + a, v.begin() + b, v.begin() + b + 1);
        break;
      case Block::kReverse:
        std::reverse(v.begin() + a, v.begin() + b + 1);
        break;
    }
  };
  permute(opt_);
  permute(col_);
  permute(car_);
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
