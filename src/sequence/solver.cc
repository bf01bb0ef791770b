#include "sequence/solver.h"

#include <time.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <deque>
#include <limits>
#include <map>
#include <thread>

#include "model/random.h"
#include "sequence/lower_bound.h"
#include "sequence/move_evaluator.h"

namespace cobuild::sequence {

namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Log-uniform in [1, max_value]: short distances as likely as long ones on
// a log scale.
int LogDistance(model::Random& rng, int max_value) {
  const int bits = std::bit_width(static_cast<unsigned>(max_value));
  const int k = rng.Below(bits);
  const int value = (1 << k) + rng.Below(1 << k);
  return std::min(value, max_value);
}

// Longest block an insertion or reversal touches.
constexpr int kMaxBlock = 256;
// Moves drawn from one neighbourhood in a row.
constexpr int kKindBatch = 16;
// At most this share of the work limit (or time) goes to phase 1.
constexpr double kPhase1Share = 0.3;

int64_t WeightedScore(const Instance& instance, const std::array<int64_t, 3>& ranked) {
  if (instance.kind == ProblemKind::kCsplib) return ranked[0];
  int64_t score = 0;
  for (size_t r = 0; r < instance.objective_order.size(); ++r)
    score += RankWeight(static_cast<int>(r)) * ranked[r];
  return score;
}

// CPU time used by the calling thread (the machine may be shared, so wall
// time alone understates the search speed).
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

struct ThreadResult {
  double cpu_seconds = 0;
  std::vector<int> order;
  std::array<int64_t, 3> ranked{};
  int64_t evals = 0;
  std::vector<Snapshot> trace;  // Best score after each improvement.
};

class Search {
 public:
  Search(const Instance& instance, std::span<const int> start, uint64_t seed, const SolveParams& params,
         const LowerBound& lower_bound, const std::array<int64_t, 3>& bound, Clock::time_point t0,
         std::atomic<int64_t>* shared_best, const std::atomic<bool>* stop)
      : instance_(instance),
        bound_(bound),
        params_(params),
        t0_(t0),
        shared_best_(shared_best),
        stop_(stop),
        rng_(seed),
        ev_(instance, start),
        n_(ev_.num_cars()),
        count_colours_(instance.kind == ProblemKind::kRoadef) {
    ev_.SetLowerBounds(lower_bound.criteria);
  }

  ThreadResult Run() {
    ThreadResult out;
    out.order = ev_.Order();
    out.ranked = ev_.ranked_values();
    Record(out, 0.0);
    if (n_ < 2) return out;
    const int num_ranks = ev_.num_ranks();
    const int64_t stall_limit = 20'000 + 200 * static_cast<int64_t>(n_);
    int64_t evals = 0;
    int64_t last_gain = 0;  // Eval count at the last strict improvement of the current order.
    int64_t last_best = 0;  // Eval count at the last new best.
    int noop_streak = 0;
    // Phase 1 looks at the rank-1 criterion alone, which leaves the lower
    // ranks free to move and so widens the rank-1 plateau (the phases of
    // VFLS); phase 2 compares all ranks.
    int focus = num_ranks > 1 ? 1 : num_ranks;
    int64_t last_rank1_gain = 0;
    const int64_t phase1_stall = 50 * stall_limit;
    while (out.ranked != bound_) {
      if (params_.max_evals > 0 && evals >= params_.max_evals) break;
      if ((evals & 255) == 0) {
        if (stop_->load(std::memory_order_relaxed)) break;
        const double seconds = params_.time_limit_s > 0 ? SecondsSince(t0_) : 0.0;
        if (params_.time_limit_s > 0 && seconds >= params_.time_limit_s) break;
        if (focus == 1 && num_ranks > 1 &&
            (ev_.ranked_values()[0] == bound_[0] || evals - last_rank1_gain > phase1_stall ||
             (params_.max_evals > 0 && evals >= kPhase1Share * params_.max_evals) ||
             (params_.time_limit_s > 0 && seconds >= kPhase1Share * params_.time_limit_s))) {
          focus = num_ranks;
          ev_.Reset(out.order);
        }
      }
      const Move move = SampleMove();
      if (ev_.IsNoOp(move) && ++noop_streak < 64) continue;
      noop_streak = 0;
      ++evals;
      const int decision = ev_.Decide(move, focus);
      if (decision > 0) {
        if (evals - last_gain > stall_limit) {
          Perturb();
          last_gain = evals;
          if (evals - last_best > 8 * stall_limit) {
            ev_.Reset(out.order);  // Back to the best order.
            last_best = evals;
          }
        }
        continue;
      }
      ev_.Apply(move);
      if (decision < 0) {
        last_gain = evals;
        last_rank1_gain = evals;
        const std::array<int64_t, 3> now = ev_.ranked_values();
        if (now < out.ranked) {
          out.ranked = now;
          out.order = ev_.Order();
          last_best = evals;
          Record(out, SecondsSince(t0_));
        }
      }
    }
    out.evals = evals;
    return out;
  }

 private:
  // Draws a random position up to `tries` times until `want` accepts it.
  template <typename Pred>
  int FindPosition(int tries, Pred want) {
    for (int t = 0; t < tries; ++t) {
      const int j = rng_.Below(n_);
      if (want(j)) return j;
    }
    return -1;
  }

  // Inlined: returned out of line, the move's fields are stored as two
  // 32-bit words and reloaded as one 64-bit word, which stalls store
  // forwarding on every draw.
  [[gnu::always_inline]] Move SampleMove() {
    Move move;
    const int i = rng_.Below(n_);
    // The neighbourhood is drawn once per batch of kKindBatch moves: the
    // mix of moves is the same, and a run of moves of one kind keeps the
    // branches on the kind predictable in the sampler and the evaluator.
    if (kind_left_ == 0) {
      kind_draw_ = rng_.Below(100);
      kind_left_ = kKindBatch;
    }
    --kind_left_;
    const int r = kind_draw_;
    const int max_block = std::min(n_ - 1, kMaxBlock);
    int j = -1;
    if (r < 10 && count_colours_) {
      // Swap with a car of the same options and another colour: the ratio
      // windows cannot change, only the colours.
      move.kind = MoveKind::kSwap;
      const uint64_t options = ev_.options_at(i);
      const int colour = ev_.colour_at(i);
      j = FindPosition(8, [&](int q) { return ev_.options_at(q) == options && ev_.colour_at(q) != colour; });
    } else if (r < 20 && count_colours_) {
      // Move the car next to another car of its colour.
      move.kind = MoveKind::kInsert;
      const int colour = ev_.colour_at(i);
      j = FindPosition(8, [&](int q) { return ev_.colour_at(q) == colour && (q > i + 1 || q < i - 1); });
    } else if (r < 55) {
      move.kind = MoveKind::kSwap;
      if (r < 38) {
        j = rng_.Below(n_);
      } else {
        const int d = LogDistance(rng_, n_ - 1);
        j = rng_.Below(2) ? i + d : i - d;
      }
    } else {
      move.kind = r < 80 ? MoveKind::kInsert : MoveKind::kReverse;
      const int d = LogDistance(rng_, max_block);
      j = rng_.Below(2) ? i + d : i - d;
    }
    if (j < 0 && (r < 20 && count_colours_)) j = i;  // No partner found: a no-op.
    if (j < 0 || j >= n_) j = 2 * i - j;             // Reflect into range.
    move.i = i;
    move.j = std::clamp(j, 0, n_ - 1);
    return move;
  }

  // A few random moves that keep the rank-1 criterion (and the batch limit)
  // but may worsen the lower ranks.
  void Perturb() {
    const int kicks = 2 + rng_.Below(1 + n_ / 100);
    for (int done = 0, tries = 0; done < kicks && tries < 100 * kicks; ++tries) {
      const Move move = SampleMove();
      if (ev_.IsNoOp(move) || ev_.Decide(move, 1) > 0) continue;
      ev_.Apply(move);
      ++done;
    }
  }

  void Record(ThreadResult& out, double seconds) {
    const int64_t score = WeightedScore(instance_, out.ranked);
    out.trace.push_back({.seconds = seconds, .score = score});
    int64_t seen = shared_best_->load(std::memory_order_relaxed);
    while (score < seen && !shared_best_->compare_exchange_weak(seen, score, std::memory_order_relaxed)) {
    }
  }

  const Instance& instance_;
  const std::array<int64_t, 3> bound_;  // Lower bound per rank: stop there.
  const SolveParams& params_;
  Clock::time_point t0_;
  std::atomic<int64_t>* shared_best_;
  const std::atomic<bool>* stop_;
  model::Random rng_;
  MoveEvaluator ev_;
  int n_;
  bool count_colours_;
  int kind_draw_ = 0;  // Neighbourhood of the current batch, in [0, 100).
  int kind_left_ = 0;  // Moves left in the batch.
};

// Best score of a thread's trace at time `seconds`.
int64_t ScoreAt(const std::vector<Snapshot>& trace, double seconds) {
  int64_t score = trace.front().score;
  for (const Snapshot& s : trace) {
    if (s.seconds > seconds) break;
    score = s.score;
  }
  return score;
}

}  // namespace

Result<std::vector<int>> MakeBatchFeasible(const Instance& instance, std::span<const int> order) {
  if (auto ok = CheckPermutation(instance, order); !ok) return std::unexpected(ok.error());
  auto criteria = Evaluate(instance, order);
  if (!criteria) return std::unexpected(criteria.error());
  if (criteria->batch_limit_ok) return std::vector<int>(order.begin(), order.end());
  const int limit = instance.paint_batch_limit;
  std::map<int, std::deque<int>> by_colour;
  for (int car : order) by_colour[instance.cars[car].colour].push_back(car);
  std::vector<int> result;
  int last = std::numeric_limits<int>::min();
  while (result.size() < order.size()) {
    // The colour with most cars left, and the one with most cars left that
    // may come next. The largest colour gets full batches; a smaller one only
    // separates two batches of the largest with a single car.
    int largest = -1, pick = -1;
    size_t largest_left = 0, pick_left = 0;
    for (const auto& [colour, cars] : by_colour) {
      if (cars.size() > largest_left) largest = colour, largest_left = cars.size();
      if (colour != last && cars.size() > pick_left) pick = colour, pick_left = cars.size();
    }
    if (pick < 0) {
      return InvalidInput(instance.name + ": no order keeps batches of colour " + std::to_string(largest) +
                          " within the paint batch limit " + std::to_string(limit));
    }
    const size_t take = pick == largest ? std::min<size_t>(limit, pick_left) : 1;
    std::deque<int>& cars = by_colour[pick];
    for (size_t t = 0; t < take; ++t) {
      result.push_back(cars.front());
      cars.pop_front();
    }
    if (cars.empty()) by_colour.erase(pick);
    last = pick;
  }
  return result;
}

Result<SolveResult> Solve(const Instance& instance, std::span<const int> start, const SolveParams& params) {
  if (auto ok = ValidateInstance(instance); !ok) return std::unexpected(ok.error());
  if (params.max_evals <= 0 && params.time_limit_s <= 0) {
    return InvalidInput("give a time limit or a move-evaluation limit");
  }
  if (params.threads < 1 || params.threads > 256) return InvalidInput("threads: expected 1..256");
  auto feasible = MakeBatchFeasible(instance, start);
  if (!feasible) return std::unexpected(feasible.error());

  const Clock::time_point t0 = Clock::now();
  auto initial = Evaluate(instance, *feasible);
  if (!initial) return std::unexpected(initial.error());
  std::atomic<int64_t> shared_best{Score(instance, *initial)};
  const LowerBound lb = ComputeLowerBound(instance);
  std::array<int64_t, 3> bound{};
  if (instance.kind == ProblemKind::kCsplib) {
    bound[0] = lb.criteria.violations();
  } else {
    for (size_t r = 0; r < instance.objective_order.size(); ++r)
      bound[r] = lb.criteria.Value(instance.objective_order[r]);
  }
  std::atomic<int> running{params.threads};
  std::atomic<bool> stop{false};
  std::vector<ThreadResult> results(params.threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < params.threads; ++t) {
    workers.emplace_back([&, t] {
      Search search(instance, *feasible, params.seed + 0x632BE59BD9B4E019ull * t, params, lb, bound, t0,
                    &shared_best, &stop);
      const double cpu_start = ThreadCpuSeconds();
      results[t] = search.Run();
      results[t].cpu_seconds = ThreadCpuSeconds() - cpu_start;
      running.fetch_sub(1);
    });
  }
  double next_report = 1.0;
  while (running.load() > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (params.should_stop && !stop.load() && params.should_stop()) stop.store(true);
    const double now = SecondsSince(t0);
    if (params.progress && now >= next_report) {
      params.progress(now, shared_best.load());
      next_report = std::floor(now) + 1.0;
    }
  }
  for (std::thread& w : workers) w.join();

  SolveResult out;
  out.bound = lb;
  out.stopped = stop.load();
  out.seconds = SecondsSince(t0);
  out.initial_score = Score(instance, *initial);
  for (int t = 0; t < params.threads; ++t) {
    out.move_evals += results[t].evals;
    out.cpu_seconds += results[t].cpu_seconds;
    if (results[t].ranked < results[out.best_thread].ranked) out.best_thread = t;
  }
  out.order = std::move(results[out.best_thread].order);
  auto criteria = Evaluate(instance, out.order);
  if (!criteria) return std::unexpected(criteria.error());
  out.criteria = *criteria;
  out.score = Score(instance, out.criteria);
  if (out.score != WeightedScore(instance, results[out.best_thread].ranked) || !out.criteria.batch_limit_ok) {
    return Internal(instance.name + ": incremental score " +
                    std::to_string(WeightedScore(instance, results[out.best_thread].ranked)) +
                    " disagrees with the from-scratch score " + std::to_string(out.score));
  }
  // A run that ended before a snapshot time (work limit, or optimal) had its
  // final score at that time too.
  for (double at : params.snapshot_seconds) {
    if (params.time_limit_s > 0 && at > params.time_limit_s) continue;
    int64_t best = std::numeric_limits<int64_t>::max();
    for (const ThreadResult& r : results) best = std::min(best, ScoreAt(r.trace, at));
    out.snapshots.push_back({.seconds = at, .score = best});
  }
  out.snapshots.push_back({.seconds = out.seconds, .score = out.score});
  return out;
}

}  // namespace cobuild::sequence
