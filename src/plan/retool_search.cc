#include "plan/retool_search.h"

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <queue>
#include <utility>

namespace cobuild::plan {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double kTol = 1e-6;

// An option's LP mass and its largest month.
std::pair<double, double> MassAndTop(const RetoolOption& option, const std::vector<double>& values) {
  double mass = 0;
  double top = 0;
  for (int j : option.columns) {
    mass += values[j];
    top = std::max(top, values[j]);
  }
  return {mass, top};
}

// Seconds from now to the deadline, never negative.
double SecondsLeft(Clock::time_point deadline) {
  return std::max(0.0, std::chrono::duration<double>(deadline - Clock::now()).count());
}

// Puts every option's month columns back at the model's bounds.
void RestoreColumns(MipSolver& solver, const BuiltModel& built, const std::vector<RetoolOption>& options) {
  for (const RetoolOption& o : options) {
    for (int j : o.columns) solver.SetColumnBounds(j, built.lp.col_lower[j], built.lp.col_upper[j]);
  }
}

}  // namespace

std::vector<RetoolOption> RetoolOptions(const BuiltModel& built) {
  std::map<std::pair<int, int>, RetoolOption> by_key;
  for (int i = 0; i < built.lp.num_rows(); ++i) {
    if (built.rows[i].kind == RowKind::kRetoolOnce) by_key[{built.rows[i].a, built.rows[i].b}].once_row = i;
  }
  for (int j = 0; j < built.lp.num_cols(); ++j) {
    const ColumnInfo& c = built.columns[j];
    if (c.kind == ColumnKind::kRetool) by_key[{c.line, c.other}].columns.push_back(j);
  }
  std::vector<RetoolOption> options;
  for (auto& [key, option] : by_key) {
    if (option.once_row < 0 || option.columns.empty()) continue;
    std::stable_sort(option.columns.begin(), option.columns.end(),
                     [&](int a, int b) { return built.columns[a].month < built.columns[b].month; });
    options.push_back(std::move(option));
  }
  return options;
}

namespace {

enum State : uint8_t { kFree, kNever, kEver };

// The kinds of branch, for the pseudo-costs: a free option set to never or
// ever, an ever option's window cut at one end.
enum Branch : uint8_t { kToNever, kToEver, kCut, kBranches };

struct Node {
  double parent = 0;  // the parent's LP value: a bound on the node
  std::vector<State> state;
  std::vector<int> lo, hi;
  std::shared_ptr<const LpBasis> basis;
  // The branch that made the node: its option (-1 at the root), kind, and
  // the LP mass it moved (the parent's option total for never, what it
  // lacked of 1 for ever, the months cut off for a window's cut).
  int option = -1;
  Branch branch = kToNever;
  double moved = 0;
};

// Pseudo-costs: the LP value a branch lost per unit of LP mass it moved,
// averaged per option and kind over the nodes solved.
class PseudoCosts {
 public:
  explicit PseudoCosts(size_t options) : sum_(options), count_(options) {}

  void Add(int option, Branch branch, double loss, double moved) {
    if (moved <= kTol) return;
    sum_[option][branch] += loss / moved;
    ++count_[option][branch];
    all_sum_[branch] += loss / moved;
    ++all_count_[branch];
  }

  // The expected loss of moving `moved` with the branch: the option's mean,
  // else the mean over every option, else one per unit (so that, before any
  // node is solved, the product score below is the most fractional rule).
  double Expected(int option, Branch branch, double moved) const {
    const double per_unit = count_[option][branch] > 0 ? sum_[option][branch] / count_[option][branch]
                            : all_count_[branch] > 0   ? all_sum_[branch] / all_count_[branch]
                                                       : 1.0;
    return per_unit * moved;
  }

 private:
  std::vector<std::array<double, kBranches>> sum_;
  std::vector<std::array<int, kBranches>> count_;
  std::array<double, kBranches> all_sum_{};
  std::array<int, kBranches> all_count_{};
};

struct Lower {
  bool operator()(const Node& a, const Node& b) const { return a.parent < b.parent; }
};

}  // namespace

struct RetoolSearcher::Impl {
  const BuiltModel& built;
  const std::vector<RetoolOption>& options;
  std::priority_queue<Node, std::vector<Node>, Lower> open;
  std::shared_ptr<const LpBasis> root_basis;
  PseudoCosts costs;
  double leaves = -kInfinity;     // the best leaf's LP value
  double best_node = -kInfinity;  // the best node below the root, until a leaf
  RetoolSearch result;

  Node root;                          // for a restart
  double before_restart = kInfinity;  // the bound when the search last restarted

  // The bound and proof from the nodes left open (and the bound before a
  // restart, which still holds).
  void Settle() {
    const double open_bound = open.empty() ? -kInfinity : open.top().parent;
    result.proven = open_bound <= leaves;
    result.bound = std::max(leaves, open_bound);
    if (result.bound == -kInfinity) result.bound = kInfinity;  // every node infeasible: no claim
    result.bound = std::min(result.bound, before_restart);
  }
};

RetoolSearcher::RetoolSearcher(MipSolver& solver, const BuiltModel& built,
                               const std::vector<RetoolOption>& options, double root_objective)
    : impl_(new Impl{.built = built, .options = options, .costs = PseudoCosts(options.size())}) {
  impl_->root_basis = std::make_shared<const LpBasis>(solver.Basis());
  Node root{.parent = root_objective,
            .state = std::vector<State>(options.size(), kFree),
            .lo = std::vector<int>(options.size(), 0),
            .hi = {},
            .basis = impl_->root_basis};
  for (const RetoolOption& o : options) root.hi.push_back(static_cast<int>(o.columns.size()) - 1);
  impl_->root = root;
  impl_->open.push(std::move(root));
  // Before any run the root's value bounds everything, and nothing is proven.
  impl_->result.bound = root_objective;
}

RetoolSearcher::~RetoolSearcher() = default;

bool RetoolSearcher::Finished() const {
  return impl_->open.empty() || impl_->open.top().parent <= impl_->leaves;
}

const RetoolSearch& RetoolSearcher::Result() const { return impl_->result; }

void RetoolSearcher::Restart() {
  if (Finished()) return;
  impl_->before_restart = impl_->result.bound;
  impl_->open = {};
  impl_->open.push(impl_->root);
}

void RetoolSearcher::Run(MipSolver& solver, Clock::time_point deadline, int max_lps,
                         RetoolBranching branching, const std::function<void(double)>& on_bound) {
  Impl& m = *impl_;
  const BuiltModel& built = m.built;
  const std::vector<RetoolOption>& options = m.options;
  RetoolSearch& result = m.result;
  int lps = 0;
  while (!Finished()) {
    if (on_bound) {
      m.Settle();
      on_bound(result.bound);
    }
    if (lps >= max_lps || Clock::now() >= deadline) break;
    Node node = m.open.top();
    m.open.pop();
    for (size_t i = 0; i < options.size(); ++i) {
      const RetoolOption& o = options[i];
      solver.SetRowBounds(o.once_row, node.state[i] == kEver ? 1.0 : built.lp.row_lower[o.once_row],
                          built.lp.row_upper[o.once_row]);
      for (size_t k = 0; k < o.columns.size(); ++k) {
        const int j = o.columns[k];
        const int month = static_cast<int>(k);
        const bool off =
            node.state[i] == kNever || (node.state[i] == kEver && (month < node.lo[i] || month > node.hi[i]));
        solver.SetColumnBounds(j, built.lp.col_lower[j], off ? 0.0 : built.lp.col_upper[j]);
      }
    }
    solver.SetBasis(*node.basis);
    LpSolution lp = solver.SolveRelaxation(SecondsLeft(deadline));
    ++lps;
    ++result.lps;
    if (lp.status == LpStatus::kInfeasible) continue;
    if (lp.status != LpStatus::kOptimal) {
      m.open.push(std::move(node));  // unsolved: its parent's value still bounds it
      break;
    }
    const double value = std::min(lp.objective, node.parent);
    if (node.option >= 0) m.costs.Add(node.option, node.branch, node.parent - value, node.moved);
    // The option to split (RetoolBranching): a free option into never and
    // ever, an ever option spread over months at the month where its LP
    // mass reaches one half. A free option whole in total but spread over
    // months is split into never and ever, so that its months can then be
    // split within ever.
    // - kFractional: a free option with a fractional total (the most
    //   fractional first), then a free option whole in total but spread, then
    //   the ever option whose largest month is smallest.
    // - kPseudoCost: the option whose two children are expected to lose the
    //   most, by the product of their pseudo-costs' losses (at least one
    //   pound each).
    int pick = -1;
    double score = -1;
    double pick_mass = 0;                // the option's LP total
    double pick_low = 0, pick_high = 0;  // for an ever option: the mass up to and after `middle`
    int pick_middle = 0;
    for (size_t i = 0; i < options.size(); ++i) {
      const auto [mass, top] = MassAndTop(options[i], lp.values);
      if (mass <= kTol || top >= 1 - kTol) continue;  // decided: never, or one month
      double first_loss = 0, second_loss = 0;
      int middle = 0;
      double low = 0, high = 0;
      if (node.state[i] == kEver) {
        const std::vector<int>& columns = options[i].columns;
        double half = 0;
        for (int k = node.lo[i]; k <= node.hi[i]; ++k) half += lp.values[columns[k]] / 2;
        middle = node.lo[i];
        for (double sum = 0; middle < node.hi[i] - 1; ++middle) {
          sum += lp.values[columns[middle]];
          if (sum >= half) break;
        }
        for (int k = node.lo[i]; k <= node.hi[i]; ++k) (k <= middle ? low : high) += lp.values[columns[k]];
        first_loss = m.costs.Expected(static_cast<int>(i), kCut, high);
        second_loss = m.costs.Expected(static_cast<int>(i), kCut, low);
      } else {
        first_loss = m.costs.Expected(static_cast<int>(i), kToNever, mass);
        second_loss = m.costs.Expected(static_cast<int>(i), kToEver, std::max(0.0, 1 - mass));
      }
      const double s = branching == RetoolBranching::kPseudoCost
                           ? std::max(first_loss, 1.0) * std::max(second_loss, 1.0)
                       : node.state[i] == kEver ? 1 - top
                       : mass < 1 - kTol        ? 2 + std::min(mass, 1 - mass)
                                                : 1.5;
      if (s > score) {
        score = s;
        pick = static_cast<int>(i);
        pick_mass = mass;
        pick_middle = middle;
        pick_low = low;
        pick_high = high;
      }
    }
    if (pick < 0) {
      if (value > m.leaves) {
        m.leaves = value;
        result.point = std::move(lp);
      }
      continue;
    }
    if (result.lps > 1 && m.leaves == -kInfinity && value > m.best_node) {  // below the root, until a leaf
      m.best_node = value;
      result.point = lp;
    }
    const auto basis = std::make_shared<const LpBasis>(solver.Basis());
    Node first = node;
    Node second = node;
    first.parent = second.parent = value;
    first.basis = second.basis = basis;
    first.option = second.option = pick;
    const size_t i = static_cast<size_t>(pick);
    if (node.state[i] == kFree) {
      first.state[i] = kNever;
      first.branch = kToNever;
      first.moved = pick_mass;
      second.state[i] = kEver;
      second.branch = kToEver;
      second.moved = std::max(0.0, 1 - pick_mass);
    } else {
      first.hi[i] = pick_middle;
      first.branch = kCut;
      first.moved = pick_high;
      second.lo[i] = pick_middle + 1;
      second.branch = kCut;
      second.moved = pick_low;
    }
    m.open.push(std::move(first));
    m.open.push(std::move(second));
  }
  for (const RetoolOption& o : options) {
    solver.SetRowBounds(o.once_row, built.lp.row_lower[o.once_row], built.lp.row_upper[o.once_row]);
  }
  RestoreColumns(solver, built, options);
  solver.SetBasis(*m.root_basis);
  m.Settle();
  if (on_bound) on_bound(result.bound);
}

RetoolSearch SearchRetooling(MipSolver& solver, const BuiltModel& built,
                             const std::vector<RetoolOption>& options, double root_objective,
                             Clock::time_point deadline, int max_lps) {
  RetoolSearcher searcher(solver, built, options, root_objective);
  searcher.Run(solver, deadline, max_lps, RetoolBranching::kFractional);
  return searcher.Result();
}

bool AnyRetoolingFractional(const std::vector<RetoolOption>& options, const std::vector<double>& values) {
  for (const RetoolOption& option : options) {
    const auto [mass, top] = MassAndTop(option, values);
    if (mass > kTol && top < 1 - kTol) return true;
  }
  return false;
}

RetoolClimb ClimbRetooling(MipSolver& solver, const BuiltModel& built,
                           const std::vector<RetoolOption>& options, const LpSolution& leaf,
                           Clock::time_point deadline, int max_lps) {
  RetoolClimb climb;
  climb.point = leaf;
  if (leaf.status != LpStatus::kOptimal) return climb;
  // Each option's month at the leaf, -1 for never; a leaf that is not one
  // (an option spread or fractional) is handed back as it is.
  std::vector<int> month(options.size(), -1);
  for (size_t i = 0; i < options.size(); ++i) {
    const auto [mass, top] = MassAndTop(options[i], leaf.values);
    if (mass <= kTol) continue;
    if (top < 1 - kTol) return climb;
    for (size_t k = 0; k < options[i].columns.size(); ++k) {
      if (leaf.values[options[i].columns[k]] >= 1 - kTol) month[i] = static_cast<int>(k);
    }
  }
  const LpBasis entry = solver.Basis();
  // The LP with every option fixed at `at` (never, or once in that month).
  auto solve = [&](const std::vector<int>& at) {
    for (size_t i = 0; i < options.size(); ++i) {
      for (size_t k = 0; k < options[i].columns.size(); ++k) {
        const double v = at[i] == static_cast<int>(k) ? 1.0 : 0.0;
        solver.SetColumnBounds(options[i].columns[k], v, v);
      }
    }
    ++climb.lps;
    return solver.SolveRelaxation(SecondsLeft(deadline));
  };
  auto out_of_work = [&] { return climb.lps >= max_lps || Clock::now() >= deadline; };
  const double tolerance = 1e-9 * std::max(1.0, std::abs(leaf.objective));
  for (bool gained = true; gained && !out_of_work();) {
    gained = false;
    for (size_t i = 0; i < options.size() && !out_of_work(); ++i) {
      if (month[i] < 0) continue;
      const int last = static_cast<int>(options[i].columns.size()) - 1;
      for (const int direction : {-1, +1}) {
        for (int step = 1; !out_of_work();) {
          std::vector<int> at = month;
          at[i] = month[i] + direction * step;
          if (at[i] < 0 || at[i] > last) {
            if (step == 1) break;
            step = 1;
            continue;
          }
          LpSolution lp = solve(at);
          if (lp.status == LpStatus::kOptimal && lp.objective > climb.point.objective + tolerance) {
            month = std::move(at);
            climb.point = std::move(lp);
            ++climb.moves;
            gained = true;
            step *= 2;
          } else if (step > 1) {
            step = 1;
          } else {
            break;
          }
        }
      }
    }
  }
  RestoreColumns(solver, built, options);
  solver.SetBasis(entry);
  return climb;
}

}  // namespace cobuild::plan
