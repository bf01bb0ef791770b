#include "sequence/move_evaluator.h"

#include <algorithm>
#include <bit>
#include <cassert>

#include "sequence/bitset_words.h"
#include "sequence/lower_bound.h"

namespace cobuild::sequence {

namespace {

inline int Bit(uint64_t options, int bit) { return static_cast<int>((options >> bit) & 1); }

inline int64_t Excess(int count, int max_cars) { return count > max_cars ? count - max_cars : 0; }

using bitset::Bits64;
using bitset::CountFlags;
using bitset::CountFlagsWith;
using bitset::LowBits;
using bitset::MoveBits;
using bitset::ReverseBitRange;
using bitset::ReverseBits;
using bitset::SetBit;

}  // namespace

MoveEvaluator::MoveEvaluator(const Instance& instance, std::span<const int> order) : instance_(&instance) {
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
                .bit = k};
    group_ratios_[ratio.group].push_back(k);
    group_mask_[ratio.group] |= uint64_t{1} << k;
    ratios_.push_back(ratio);
  }
  words_ = (len_ + kPad + 63) / 64 + 2;
  cnt_.assign(ratios_.size() * (len_ + 1), 0);
  ratio_value_.assign(ratios_.size(), 0);
  for (int k = 0; k < static_cast<int>(ratios_.size()); ++k)
    ratio_bound_.push_back(RatioLowerBound(instance, k));
  bits_.assign(ratios_.size() * 3 * words_, 0);
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
  slack_mask_ = 0;
  std::fill(ratio_value_.begin(), ratio_value_.end(), 0);
  std::fill(cnt_.begin(), cnt_.end(), 0);
  std::fill(bits_.begin(), bits_.end(), 0);
  for (int k = 0; k < static_cast<int>(ratios_.size()); ++k) {
    const Ratio& r = ratios_[k];
    int32_t* cnt = Cnt(k);
    for (int s = r.first; s <= r.last; ++s) {
      const int end = std::min(s + r.window, len_);
      int count = 0;
      for (int p = s; p < end; ++p) count += Bit(opt_[p], r.bit);
      cnt[s] = count;
      ratio_value_[k] += Excess(count, r.max_cars);
    }
    AddRatioValue(k, 0);
    value_[r.group] += ratio_value_[k];
    RefreshFlags(k, r.first, r.last);
  }
  RefreshHas(0, len_ - 1);
  if (count_colours_) {
    for (int p = std::max(m_, 1); p < len_; ++p) value_[kGroupColour] += col_[p] != col_[p - 1];
  }
  if (n_ > 0) UpdateRuns(m_, len_ - 1);
}

// A word at a time: the flags of up to 64 windows are built in registers
// and merged into the bitsets under a mask.
void MoveEvaluator::RefreshFlags(int k, int lo, int hi) {
  const int32_t* cnt = Cnt(k);
  const int32_t N = ratios_[k].max_cars;
  uint64_t* at_cap = AtCap(k);
  uint64_t* over = Over(k);
  for (int s = lo; s <= hi;) {
    const int bit = s + kPad;
    const int word = bit >> 6;
    const int offset = bit & 63;
    const int n = std::min(64 - offset, hi - s + 1);
    uint64_t cap_bits = 0, over_bits = 0;
    for (int t = 0; t < n; ++t) {
      cap_bits |= static_cast<uint64_t>(cnt[s + t] >= N) << t;
      over_bits |= static_cast<uint64_t>(cnt[s + t] > N) << t;
    }
    const uint64_t mask = LowBits(n) << offset;
    at_cap[word] = (at_cap[word] & ~mask) | (cap_bits << offset);
    over[word] = (over[word] & ~mask) | (over_bits << offset);
    s += n;
  }
}

void MoveEvaluator::RefreshHas(int lo, int hi) {
  for (int k = 0; k < static_cast<int>(ratios_.size()); ++k) {
    uint64_t* has = Has(k);
    for (int p = lo; p <= hi; ++p) SetBit(has, p + kPad, Bit(opt_[p], k));
  }
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

int64_t MoveEvaluator::AddToWindows(int k, int lo, int hi, int d) {
  if (lo > hi) return 0;
  int32_t* cnt = Cnt(k);
  const int N = ratios_[k].max_cars;
  int64_t delta = 0;
  for (int s = lo; s <= hi; ++s) {
    delta += Excess(cnt[s] + d, N) - Excess(cnt[s], N);
    cnt[s] += d;
  }
  RefreshFlags(k, lo, hi);
  return delta;
}

// A sliding count over the option bits (already updated): the first window
// by popcount, each next one by the car leaving and the car entering.
int64_t MoveEvaluator::RecountWindows(int k, int lo, int hi) {
  const Ratio& r = ratios_[k];
  const int P = r.window;
  const int N = r.max_cars;
  const uint64_t* has = Has(k);
  auto bit = [&](int p) { return static_cast<int>((has[(p + kPad) >> 6] >> ((p + kPad) & 63)) & 1); };
  int32_t* cnt = Cnt(k);
  int count = 0;
  const int end = std::min(lo + P, len_);  // Exclusive.
  for (int p = lo; p < end; p += 64) {
    count += std::popcount(Bits64(has, p + kPad) & LowBits(end - p));
  }
  int64_t delta = 0;
  for (int s = lo;; ++s) {
    delta += Excess(count, N) - Excess(cnt[s], N);
    cnt[s] = count;
    if (s == hi) break;
    count += (s + P < len_ ? bit(s + P) : 0) - bit(s);
  }
  RefreshFlags(k, lo, hi);
  return delta;
}

// Positions i < j (sequence positions) whose cars differ in option k.
// Windows holding both positions keep their count; those holding only i
// see the option enter (d = +1) or leave, those holding only j the
// opposite. A window gains excess when one enters at cnt >= N and loses
// excess when one leaves at cnt > N, so the delta is two popcounts.
int64_t MoveEvaluator::SwapRatioDelta(int k, int i, int j) const {
  const Ratio& r = ratios_[k];
  const int P = r.window;
  const int lo_i = std::max(r.first, i - P + 1);
  const int hi_i = std::min({r.last, i, j - P});
  const int lo_j = std::max({r.first, j - P + 1, i + 1});
  const int hi_j = std::min(r.last, j);
  if (Bit(opt_[j], r.bit)) {
    return CountFlags(AtCap(k), kPad, lo_i, hi_i) - CountFlags(Over(k), kPad, lo_j, hi_j);
  }
  return CountFlags(AtCap(k), kPad, lo_j, hi_j) - CountFlags(Over(k), kPad, lo_i, hi_i);
}

// Insertion over [a, b]. Interior windows lie inside the block and hold
// old neighbours: after a forward move window s holds what window s+1 held
// (backward: s-1), so their excess telescopes to two terms. Every other
// changed window swaps exactly one car for another:
//  * forward (car u at a moves to b): a window starting before a and ending
//    before b loses u and gains the car at s+P; a window starting after a
//    and holding b loses the car at s and gains u;
//  * backward (car v at b moves to a): a window starting at or before a and
//    ending before b gains v and loses the car at s+P-1; a window starting
//    after a and holding b gains the car at s-1 and loses v.
// Windows holding the whole block do not change. Each side is then a
// popcount of the at_cap or over flags masked by the option bits shifted.
int64_t MoveEvaluator::InsertRatioDelta(int k, const Block& blk) const {
  const auto [r, P, N, a, b, cnt, has] = BlockView(k, blk);
  const bool forward = blk.kind == Block::kForward;
  const bool c = Bit(opt_[forward ? a : b], r.bit);  // Option of the moved car.
  int64_t delta = 0;
  // Interior windows telescope.
  const int ilo = std::max(forward ? a : a + 1, r.first);
  const int ihi = std::min(forward ? b - P : b - P + 1, r.last);
  if (ilo <= ihi) {
    delta += forward ? Excess(cnt[ihi + 1], N) - Excess(cnt[ilo], N)
                     : Excess(cnt[ilo - 1], N) - Excess(cnt[ihi], N);
  }
  // Windows [lo, hi] that each trade one car for another: the moved car
  // (option c) leaves or enters, the car at s + shift does the opposite. A
  // leaving option car lowers excess in over windows, an entering one
  // raises it in at_cap windows; nothing changes when both agree. Written
  // without branches on c, which is random from move to move.
  auto trade = [&](int lo, int hi, int shift, bool moved_enters) -> int64_t {
    if (lo > hi) return 0;
    // c = 1 entering (other leaves when it lacks the option): +at_cap & ~other;
    // c = 0 entering: -over & other; leaving mirrors both.
    const bool use_over = moved_enters != c;
    const uint64_t* flags = has + static_cast<size_t>(words_) * (use_over ? 2 : 1);
    const int count = CountFlagsWith(flags, has, kPad, lo, hi, shift, !c);
    return use_over ? -count : count;
  };
  if (forward) {
    // Before a, ending before b: the moved car leaves, the car at s+P enters.
    delta += trade(std::max(r.first, a - P + 1), std::min({a - 1, b - P, r.last}), P, false);
    // After a, holding b: the car at s leaves, the moved car enters.
    delta += trade(std::max({r.first, a + 1, b - P + 1}), std::min(r.last, b), 0, true);
  } else {
    // At or before a, ending before b: the moved car enters, the car at s+P-1 leaves.
    delta += trade(std::max(r.first, a - P + 1), std::min({a, b - P, r.last}), P - 1, true);
    // After a, holding b: the moved car leaves, the car at s-1 enters.
    delta += trade(std::max({r.first, a + 1, b - P + 2}), std::min(r.last, b), -1, false);
  }
  return delta;
}

// Reversal of [a, b]. Windows inside the block are a permutation of the
// old ones and windows holding the whole block keep their count; the rest
// hold a prefix of the block (starting before a, ending before b) or a
// suffix (starting after a, ending after b) of at most m = min(P-1, b-a)
// cars. A prefix of length L gets the old last L cars, reversed: with X the
// option bits of the first m block cars and Y those of the last m read
// backwards, its count changes by popcount(Y, L) - popcount(X, L); a
// suffix the other way round. When X == Y nothing changes.
int64_t MoveEvaluator::ReverseRatioDelta(int k, const Block& blk) const {
  const auto [r, P, N, a, b, cnt, has] = BlockView(k, blk);
  const int m = std::min(P - 1, b - a);
  const int llo = std::max(r.first, a - P + 1), lhi = std::min({a - 1, b - P, r.last});
  const int rlo = std::max({r.first, a + 1, b - P + 2}), rhi = std::min(r.last, b);
  int64_t delta = 0;
  if (m <= 64) {
    const uint64_t mask = LowBits(m);
    const uint64_t x = Bits64(has, a + kPad) & mask;
    const uint64_t y = ReverseBits(Bits64(has, b - 63 + kPad)) & mask;
    if (x == y) return 0;
    // The change w(L) of a window holding L block cars only moves at L
    // where x and y differ, so the windows come in runs of equal w; a run
    // of w = +1 or -1 is one popcount of the flags.
    const uint64_t differ = x ^ y;
    auto runs = [&](uint64_t gain, uint64_t lose, int l1, int l2, int s_at_0, int step) {
      int l = l1;
      int w = std::popcount(gain & LowBits(l)) - std::popcount(lose & LowBits(l));
      while (l <= l2) {
        // w(L) holds bits 0..L-1, so it changes after L = next differing bit.
        const uint64_t ahead = differ & ~LowBits(l);
        const int t = ahead == 0 ? 64 : std::countr_zero(ahead);
        const int end = std::min(t, l2);
        if (w != 0) {
          const int s1 = std::min(s_at_0 + step * l, s_at_0 + step * end);
          const int s2 = std::max(s_at_0 + step * l, s_at_0 + step * end);
          if (w == 1) {
            delta += CountFlags(AtCap(k), kPad, s1, s2);
          } else if (w == -1) {
            delta -= CountFlags(Over(k), kPad, s1, s2);
          } else {
            for (int s = s1; s <= s2; ++s) delta += Excess(cnt[s] + w, N) - Excess(cnt[s], N);
          }
        }
        if (t >= 64) break;
        w += static_cast<int>((gain >> t) & 1) - static_cast<int>((lose >> t) & 1);
        l = t + 1;
      }
    };
    // Left windows s hold L = s + P - a block cars; right windows L = b - s + 1.
    if (llo <= lhi) runs(y, x, llo + P - a, lhi + P - a, a - P, 1);
    if (rlo <= rhi) runs(x, y, b - rhi + 1, b - rlo + 1, b + 1, -1);
    return delta;
  }
  // Long windows: running sums of the option changes.
  auto dif = [&](int p) {
    return static_cast<int>((has[(a + b - p + kPad) >> 6] >> ((a + b - p + kPad) & 63)) & 1) -
           static_cast<int>((has[(p + kPad) >> 6] >> ((p + kPad) & 63)) & 1);
  };
  if (llo <= lhi) {
    int w = 0;
    int q = a;
    for (int s = llo; s <= lhi; ++s) {
      for (; q <= s + P - 1; ++q) w += dif(q);
      if (w != 0) delta += Excess(cnt[s] + w, N) - Excess(cnt[s], N);
    }
  }
  if (rlo <= rhi) {
    int w = 0;
    for (int s = b; s >= rlo; --s) {
      w += dif(s);
      if (s <= rhi && w != 0) delta += Excess(cnt[s] + w, N) - Excess(cnt[s], N);
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
  blk.kind = move.kind == MoveKind::kReverse ? Block::kReverse : I < J ? Block::kForward : Block::kBackward;
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

// With sign_only the result only has the sign of the group's delta, which
// is all Decide needs. Every constraint has a lower bound of its own
// (lower_bound.h) and one at its bound cannot go down. So the constraints
// with slack are summed first; from then on the rest can only rise, and
// the first time the partial sum is positive, the group's delta is too.
int64_t MoveEvaluator::SwapGroupDelta(int group, int a, int b, uint64_t diff_mask, bool sign_only) const {
  if (group == kGroupColour) return SwapColourDelta(a, b);
  const uint64_t todo = diff_mask & group_mask_[group];
  int64_t delta = 0;
  for (uint64_t t = todo & slack_mask_; t != 0; t &= t - 1)
    delta += SwapRatioDelta(std::countr_zero(t), a, b);
  if (sign_only && delta > 0) return delta;
  for (uint64_t t = todo & ~slack_mask_; t != 0; t &= t - 1) {
    delta += SwapRatioDelta(std::countr_zero(t), a, b);
    if (sign_only && delta > 0) return delta;
  }
  return delta;
}

int64_t MoveEvaluator::BlockGroupDelta(int group, const Block& blk, bool sign_only) const {
  if (group == kGroupColour) return BlockColourDelta(blk);
  auto ratio_delta = [&](int k) -> int64_t {
    if (blk.kind != Block::kReverse) return InsertRatioDelta(k, blk);
    // Most constraints see the same option bits at both ends of the block
    // (one end read forwards, the other backwards), so nothing changes.
    const int m = std::min(ratios_[k].window - 1, blk.b - blk.a);
    if (m <= 64) {
      const uint64_t* has = Has(k);
      if (((Bits64(has, blk.a + kPad) ^ ReverseBits(Bits64(has, blk.b - 63 + kPad))) & LowBits(m)) == 0)
        return 0;
    }
    return ReverseRatioDelta(k, blk);
  };
  const uint64_t todo = group_mask_[group];
  int64_t delta = 0;
  for (uint64_t t = todo & slack_mask_; t != 0; t &= t - 1) delta += ratio_delta(std::countr_zero(t));
  if (sign_only && delta > 0) return delta;
  for (uint64_t t = todo & ~slack_mask_; t != 0; t &= t - 1) {
    delta += ratio_delta(std::countr_zero(t));
    if (sign_only && delta > 0) return delta;
  }
  return delta;
}

void MoveEvaluator::AddRatioValue(int k, int64_t delta) {
  value_[ratios_[k].group] += delta;
  ratio_value_[k] += delta;
  assert(ratio_value_[k] >= ratio_bound_[k]);
  const uint64_t bit = uint64_t{1} << k;
  slack_mask_ = ratio_value_[k] > ratio_bound_[k] ? slack_mask_ | bit : slack_mask_ & ~bit;
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
    return DecideByRanks(num_ranks, [&](int group) { return SwapGroupDelta(group, a, b, diff, true); });
  }
  const Block blk = MakeBlock(move);
  if (!BlockFeasible(blk)) return 1;
  return DecideByRanks(num_ranks, [&](int group) { return BlockGroupDelta(group, blk, true); });
}

MoveDelta MoveEvaluator::Evaluate(const Move& move) {
  MoveDelta delta;
  if (move.i == move.j) return delta;
  if (move.kind == MoveKind::kSwap) {
    const int a = std::min(move.i, move.j) + m_;
    const int b = std::max(move.i, move.j) + m_;
    delta.feasible = SwapFeasible(a, b);
    const uint64_t diff = opt_[a] ^ opt_[b];
    for (int group = 0; group < 3; ++group) delta.by_group[group] = SwapGroupDelta(group, a, b, diff, false);
    return delta;
  }
  const Block blk = MakeBlock(move);
  delta.feasible = BlockFeasible(blk);
  for (int group = 0; group < 3; ++group) delta.by_group[group] = BlockGroupDelta(group, blk, false);
  return delta;
}

// The criteria are updated from the windows recounted here, so Apply does
// not evaluate the move first.
void MoveEvaluator::Apply(const Move& move) {
  if (move.i == move.j) return;
  if (move.kind == MoveKind::kSwap) {
    const int a = std::min(move.i, move.j) + m_;
    const int b = std::max(move.i, move.j) + m_;
    value_[kGroupColour] += SwapColourDelta(a, b);
    for (uint64_t todo = opt_[a] ^ opt_[b]; todo != 0; todo &= todo - 1) {
      const int k = std::countr_zero(todo);
      const Ratio& r = ratios_[k];
      const int d = Bit(opt_[b], r.bit) - Bit(opt_[a], r.bit);
      const int P = r.window;
      AddRatioValue(k, AddToWindows(k, std::max(r.first, a - P + 1), std::min({r.last, a, b - P}), d) +
                           AddToWindows(k, std::max({r.first, b - P + 1, a + 1}), std::min(r.last, b), -d));
      SetBit(Has(k), a + kPad, d > 0);
      SetBit(Has(k), b + kPad, d < 0);
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
  value_[kGroupColour] += BlockColourDelta(blk);
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
  // Cars move only inside the block, so a constraint whose option every car
  // of the block has, or none has, sees no window change.
  uint64_t some = 0, all = ~uint64_t{0};
  for (int p = a; p <= b; ++p) {
    some |= opt_[p];
    all &= opt_[p];
  }
  for (uint64_t todo = some & ~all & LowBits(static_cast<int>(ratios_.size())); todo != 0; todo &= todo - 1) {
    const int k = std::countr_zero(todo);
    const Ratio& r = ratios_[k];
    const int P = r.window;
    const int lo = std::max(r.first, a - P + 1);
    const int hi = std::min(r.last, b);
    uint64_t* has = Has(k);
    switch (blk.kind) {
      case Block::kForward:
        MoveBits(has, a + kPad, a + 1 + kPad, b - a);
        SetBit(has, b + kPad, Bit(opt_[b], k));
        break;
      case Block::kBackward:
        MoveBits(has, a + 1 + kPad, a + kPad, b - a);
        SetBit(has, a + kPad, Bit(opt_[a], k));
        break;
      case Block::kReverse:
        ReverseBitRange(has, a + kPad, b + kPad);
        break;
    }
    if (lo > hi) continue;
    // Interior windows (inside the block) hold old windows, shifted by one
    // or mirrored: their counts and flags move as they are, and their
    // excess telescopes. Only the windows across the block's ends are
    // recounted.
    const int ilo = std::max(blk.kind == Block::kBackward ? a + 1 : a, r.first);
    const int ihi = std::min(blk.kind == Block::kForward ? b - P : b - P + 1, r.last);
    if (ilo > ihi) {
      AddRatioValue(k, RecountWindows(k, lo, hi));
      continue;
    }
    int32_t* cnt = Cnt(k);
    const int N = r.max_cars;
    int64_t delta = 0;
    const int n = ihi - ilo + 1;
    switch (blk.kind) {
      case Block::kForward:
        delta += Excess(cnt[ihi + 1], N) - Excess(cnt[ilo], N);
        std::copy(cnt + ilo + 1, cnt + ihi + 2, cnt + ilo);
        MoveBits(AtCap(k), ilo + kPad, ilo + 1 + kPad, n);
        MoveBits(Over(k), ilo + kPad, ilo + 1 + kPad, n);
        break;
      case Block::kBackward:
        delta += Excess(cnt[ilo - 1], N) - Excess(cnt[ihi], N);
        std::copy_backward(cnt + ilo - 1, cnt + ihi, cnt + ihi + 1);
        MoveBits(AtCap(k), ilo + kPad, ilo - 1 + kPad, n);
        MoveBits(Over(k), ilo + kPad, ilo - 1 + kPad, n);
        break;
      case Block::kReverse:
        std::reverse(cnt + ilo, cnt + ihi + 1);
        ReverseBitRange(AtCap(k), ilo + kPad, ihi + kPad);
        ReverseBitRange(Over(k), ilo + kPad, ihi + kPad);
        break;
    }
    if (lo < ilo) delta += RecountWindows(k, lo, ilo - 1);
    if (ihi < hi) delta += RecountWindows(k, ihi + 1, hi);
    AddRatioValue(k, delta);
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
