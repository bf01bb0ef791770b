// Incremental evaluation of local-search moves on a day-D order: swap two
// cars, move one car to another position (insertion), reverse a block. A
// move is scored by touching only the ratio windows and colour adjacencies
// it changes, so a move costs O(P) per ratio constraint (and O(1) for colours
// and the paint batch limit) instead of O(cars x constraints) for a
// from-scratch evaluation, whatever the distance or block length.
//
// State kept per ratio constraint k, in flat arrays: cnt_k[s], the number of
// option-k cars in the counted window starting at sequence position s
// (windows reach back into D-1 and are truncated at the end of day D,
// exactly as in evaluator.h), and three bitsets: has_k (the car at p needs
// option k), at_cap_k (cnt_k[s] >= N: one more option car adds one unit of
// excess) and over_k (cnt_k[s] > N: one fewer removes one). Most changed
// windows swap one car for another, so their excess changes by +1 exactly
// where an option car enters an at_cap window and by -1 where one leaves an
// over window: a popcount of a flag bitset, masked by the option bits
// shifted to the car that enters or leaves, over the O(P) windows of a
// range, 64 windows per word. For a swap only the options in which the two
// cars differ are looked at (XOR of the masks), each costing two popcounts
// (the windows holding exactly one of the two positions). For an insertion
// the windows inside the block hold old neighbours (shifted by one), so
// their excess telescopes to two terms; the windows across the block's ends
// each lose one car and gain another: four popcounts per constraint. A
// reversal changes the windows across its ends by a prefix (suffix) of the
// block's end bits, compared as two words; nothing to do when the block's
// first and last P-1 cars mirror each other in that option. The flags and
// bits are refreshed only over the windows an applied move changed.
// The paint batch limit is checked in O(1) from the run lengths kept at
// each position (runs counted inside day D only), by joining the runs at
// the ends of the pieces a move puts side by side.
//
// Positions in this API are day-D positions 0..n-1.
//
//   MoveEvaluator ev(instance, InputOrder(instance));
//   Move move{.kind = MoveKind::kSwap, .i = 3, .j = 17};
//   MoveDelta d = ev.Evaluate(move);
//   if (d.feasible && ev.LexCompare(d) < 0) ev.Apply(move);
//
// The approach follows the incremental evaluation of Estellon, Gardi and
// Nouioua, "Two local search approaches for solving real-life car sequencing
// problems", EJOR 191(3), 2008.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <vector>

#include "sequence/evaluator.h"
#include "sequence/instance.h"

namespace cobuild::sequence {

enum class MoveKind {
  kSwap,     // Exchange the cars at i and j.
  kInsert,   // Take the car at i out and put it back at position j.
  kReverse,  // Reverse the block of positions [min(i,j), max(i,j)].
};

struct Move {
  MoveKind kind = MoveKind::kSwap;
  int i = 0;
  int j = 0;
};

// Change of each criterion (indexed by kGroupHprc, kGroupLprc,
// kGroupColour), and whether the paint batch limit still holds.
struct MoveDelta {
  std::array<int64_t, 3> by_group{};
  bool feasible = true;
};

inline constexpr int kGroupHprc = 0;
inline constexpr int kGroupLprc = 1;
inline constexpr int kGroupColour = 2;

class MoveEvaluator {
 public:
  // `order` must be a permutation of the day-D cars (checked by the caller,
  // see CheckPermutation); it need not respect the paint batch limit.
  MoveEvaluator(const Instance& instance, std::span<const int> order);

  // Full delta of every criterion and batch feasibility. Does not change
  // the state.
  MoveDelta Evaluate(const Move& move);

  // Lexicographic decision over the ranked criteria with early exit: -1 if
  // the move improves (the first ranked criterion that changes goes down),
  // 0 if no ranked criterion changes, +1 if it worsens or breaks the paint
  // batch limit. Only the first `num_ranks` ranked criteria are looked at.
  int Decide(const Move& move, int num_ranks);

  // Lower bounds per criterion (lower_bound.h). Decide uses them: a
  // criterion at its bound cannot go down, so a rise rejects the move at
  // once (colours are checked first, as they are cheapest). Without bounds
  // every criterion is treated as improvable. Independently of these, the
  // evaluator knows each ratio constraint's own bound (RatioLowerBound):
  // constraints at their bound cannot go down, so once the others are
  // summed, the first rise among them decides a criterion's sign.
  void SetLowerBounds(const Criteria& bound);

  // Applies the move and updates every count.
  void Apply(const Move& move);

  // Replaces the whole order (O(cars x constraints)).
  void Reset(std::span<const int> order);

  // -1/0/+1 of a delta over the ranked criteria.
  int LexCompare(const MoveDelta& delta) const;

  // The current criteria (longest_batch and batch_limit_ok recomputed).
  Criteria criteria() const;
  // Current value of each ranked criterion, most important first.
  std::array<int64_t, 3> ranked_values() const;
  int num_ranks() const { return static_cast<int>(rank_group_.size()); }
  // Day-D car index at each day-D position.
  std::vector<int> Order() const;
  int num_cars() const { return n_; }
  // Option mask and colour of the car at day-D position p.
  uint64_t options_at(int p) const { return opt_[m_ + p]; }
  int colour_at(int p) const { return col_[m_ + p]; }
  // Whether the move leaves the order unchanged (same cars or no-op).
  bool IsNoOp(const Move& move) const;

 private:
  struct Ratio {
    int max_cars;  // N
    int window;    // P
    int first;     // First counted window start.
    int last;      // Last counted window start.
    int group;     // kGroupHprc or kGroupLprc.
    int bit;       // Option bit (also the ratio's index).
  };

  // A block move over sequence positions [a, b].
  struct Block {
    enum Kind { kForward, kBackward, kReverse };
    Kind kind = kForward;
    int a = 0;
    int b = 0;
    // Old position of the car that ends up at p.
    int Src(int p) const {
      switch (kind) {
        case kForward:  // The car at a moves to b; the others shift left.
          return p < b ? p + 1 : a;
        case kBackward:  // The car at b moves to a; the others shift right.
          return p == a ? b : p - 1;
        case kReverse:
          return a + b - p;
      }
      return p;
    }
  };
  // Colours and run lengths at the two ends of a run of cars that stay
  // neighbours through a move.
  struct Piece {
    int first_colour = -1;
    int first_run = 0;
    int last_colour = -1;
    int last_run = 0;
    int length = 0;
  };

  // Flat per-ratio state. Bitsets hold sequence position p at bit p + kPad
  // so that reads a word before position 0 stay inside the array.
  static constexpr int kPad = 64;
  int32_t* Cnt(int k) { return cnt_.data() + static_cast<size_t>(k) * (len_ + 1); }
  const int32_t* Cnt(int k) const { return cnt_.data() + static_cast<size_t>(k) * (len_ + 1); }
  // has: the car at p needs the option; at_cap: counted window s has
  // cnt >= N (one more option car adds excess); over: cnt > N (one fewer
  // removes excess).
  uint64_t* Has(int k) { return bits_.data() + (3 * static_cast<size_t>(k)) * words_; }
  uint64_t* AtCap(int k) { return bits_.data() + (3 * static_cast<size_t>(k) + 1) * words_; }
  uint64_t* Over(int k) { return bits_.data() + (3 * static_cast<size_t>(k) + 2) * words_; }
  const uint64_t* Has(int k) const { return bits_.data() + (3 * static_cast<size_t>(k)) * words_; }
  const uint64_t* AtCap(int k) const { return bits_.data() + (3 * static_cast<size_t>(k) + 1) * words_; }
  const uint64_t* Over(int k) const { return bits_.data() + (3 * static_cast<size_t>(k) + 2) * words_; }
  // Recomputes at_cap and over for windows [lo, hi] from the counts.
  void RefreshFlags(int k, int lo, int hi);
  // Recomputes has for positions [lo, hi] from opt_.
  void RefreshHas(int lo, int hi);
  // Adds d to the counts of windows [lo, hi]; returns the excess change.
  int64_t AddToWindows(int k, int lo, int hi, int d);
  // Recounts windows [lo, hi] from has; returns the excess change.
  int64_t RecountWindows(int k, int lo, int hi);
  int64_t SwapRatioDelta(int k, int i, int j) const;
  // Constraint k as the ratio deltas of a block move over [a, b] read it:
  // its window P, its maximum N, its window counts and its option bits.
  struct RatioBlockView {
    const Ratio& r;
    int P;
    int N;
    int a;
    int b;
    const int32_t* cnt;
    const uint64_t* has;
  };
  RatioBlockView BlockView(int k, const Block& blk) const {
    const Ratio& r = ratios_[k];
    return {r, r.window, r.max_cars, blk.a, blk.b, Cnt(k), Has(k)};
  }
  int64_t InsertRatioDelta(int k, const Block& blk) const;
  int64_t ReverseRatioDelta(int k, const Block& blk) const;
  int64_t SwapColourDelta(int i, int j) const;
  int64_t BlockColourDelta(const Block& blk) const;
  Piece SegmentPiece(int u, int v) const;
  Piece ReversedPiece(int u, int v) const;
  Piece CarPiece(int p) const;
  bool PiecesFeasible(int a, int b, std::initializer_list<Piece> pieces) const;
  bool SwapFeasible(int i, int j) const;
  bool BlockFeasible(const Block& blk) const;
  Block MakeBlock(const Move& move) const;
  int64_t SwapGroupDelta(int group, int a, int b, uint64_t diff_mask, bool sign_only) const;
  int64_t BlockGroupDelta(int group, const Block& blk, bool sign_only) const;
  // Adds to constraint k's excess (and its criterion); keeps slack_mask_.
  void AddRatioValue(int k, int64_t delta);
  template <typename GroupDeltaFn>
  int DecideByRanks(int num_ranks, GroupDeltaFn group_delta) const;
  void UpdateRuns(int a, int b);
  void RecountAll();

  const Instance* instance_;
  int m_ = 0;            // D-1 cars in the sequence.
  int n_ = 0;            // Day-D cars.
  int len_ = 0;          // m_ + n_.
  int batch_limit_ = 0;  // 0: no limit to check.
  bool count_colours_ = false;
  std::vector<uint64_t> opt_;  // By sequence position.
  std::vector<int> col_;
  std::vector<int> car_;        // Day-D car index (-1 for D-1 positions).
  std::vector<int> run_left_;   // Same-colour run ending at p (day D only).
  std::vector<int> run_right_;  // Same-colour run starting at p (day D only).
  std::vector<Ratio> ratios_;
  int words_ = 0;               // 64-bit words per bitset.
  std::vector<int32_t> cnt_;    // Window counts: ratio k, window start s at k * (len_ + 1) + s.
  std::vector<uint64_t> bits_;  // Per ratio: has, at_cap, over bitsets.
  std::array<std::vector<int>, 2> group_ratios_;  // Ratio indices per group.
  std::array<uint64_t, 2> group_mask_{};          // Option bits per group.
  std::vector<int64_t> ratio_value_;              // Current excess per constraint.
  std::vector<int64_t> ratio_bound_;              // Lower bound per constraint.
  uint64_t slack_mask_ = 0;                       // Constraints above their bound.
  std::array<int64_t, 3> value_{};                // Current value per group.
  std::array<int64_t, 3> bound_ = {-1, -1, -1};   // Lower bound per group.
  std::vector<int> rank_group_;                   // Group of each rank.
};

}  // namespace cobuild::sequence
