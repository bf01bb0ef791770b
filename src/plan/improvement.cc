#include "plan/improvement.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <utility>
#include <vector>

namespace cobuild::plan {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsLeft(Clock::time_point deadline) {
  return std::max(0.0, std::chrono::duration<double>(deadline - Clock::now()).count());
}

enum class Kind { kRins, kWorkforce, kWindow, kLines };

struct Neighbourhood {
  Kind kind;
  std::vector<int> free;  // integer columns left free
};

// A plant's own continuous flows: what it builds, ships and holds.
bool IsPlantFlow(ColumnKind kind) {
  return kind == ColumnKind::kShip || kind == ColumnKind::kProduce || kind == ColumnKind::kStock ||
         kind == ColumnKind::kSafetyShort;
}

// The month an integer column's decision belongs to, or -1.
int DecisionMonth(const ColumnInfo& c) { return c.month; }

std::vector<Neighbourhood> WindowNeighbourhoods(const BuiltModel& built, const std::vector<int>& integers,
                                                const ImprovementParams& params) {
  std::vector<Neighbourhood> out;
  const int width = std::max(1, params.window_months);
  const int step = std::max(1, width / 2);
  for (int first = 0; first < built.num_months; first += step) {
    Neighbourhood n{Kind::kWindow, {}};
    for (const int j : integers) {
      const int t = DecisionMonth(built.columns[j]);
      if (t >= first && t < first + width) n.free.push_back(j);
    }
    if (!n.free.empty()) out.push_back(std::move(n));
    if (first + width >= built.num_months) break;
  }
  return out;
}

std::vector<Neighbourhood> LineNeighbourhoods(const BuiltModel& built, const std::vector<int>& integers,
                                              const ImprovementParams& params) {
  // Lines of one plant together, in groups of at most lines_per_group.
  std::map<int, std::set<int>> lines_of_plant;
  std::map<int, int> plant_of_line;
  for (const ColumnInfo& c : built.columns) {
    if (c.line >= 0 && c.plant >= 0) plant_of_line[c.line] = c.plant;
  }
  for (const int j : integers) {
    const int line = built.columns[j].line;
    if (line < 0) continue;
    const auto it = plant_of_line.find(line);
    lines_of_plant[it == plant_of_line.end() ? -1 - line : it->second].insert(line);
  }
  std::vector<std::set<int>> groups;
  for (const auto& [plant, lines] : lines_of_plant) {
    std::set<int> group;
    for (const int line : lines) {
      group.insert(line);
      if (static_cast<int>(group.size()) >= std::max(1, params.lines_per_group)) {
        groups.push_back(std::move(group));
        group.clear();
      }
    }
    if (!group.empty()) groups.push_back(std::move(group));
  }
  std::vector<Neighbourhood> out;
  for (const std::set<int>& group : groups) {
    Neighbourhood n{Kind::kLines, {}};
    for (const int j : integers) {
      if (group.count(built.columns[j].line) > 0) n.free.push_back(j);
    }
    if (!n.free.empty()) out.push_back(std::move(n));
  }
  return out;
}

// One line's shifts, levers and shift changes over the whole horizon, its
// retooling fixed: a workforce rule ties a line's months together (a change
// holds for min_shift_months, each change has a cost), which month windows
// cut and a plant's lines together (split by month) exceed.
std::vector<Neighbourhood> WorkforceNeighbourhoods(const BuiltModel& built,
                                                   const std::vector<int>& integers) {
  std::map<int, Neighbourhood> by_line;
  for (const int j : integers) {
    const ColumnInfo& c = built.columns[j];
    if (c.line < 0 || c.kind == ColumnKind::kRetool) continue;
    by_line.try_emplace(c.line, Neighbourhood{Kind::kWorkforce, {}}).first->second.free.push_back(j);
  }
  std::vector<Neighbourhood> out;
  for (auto& [line, n] : by_line) out.push_back(std::move(n));
  return out;
}

// Splits a neighbourhood with too many free columns into pieces of
// consecutive months (columns are freed by month, so a piece keeps whole
// line-months together).
std::vector<Neighbourhood> Split(const BuiltModel& built, Neighbourhood n, int max_free) {
  if (static_cast<int>(n.free.size()) <= max_free) return {std::move(n)};
  std::stable_sort(n.free.begin(), n.free.end(), [&](int a, int b) {
    return DecisionMonth(built.columns[a]) < DecisionMonth(built.columns[b]);
  });
  std::vector<Neighbourhood> pieces;
  for (size_t at = 0; at < n.free.size(); at += static_cast<size_t>(max_free)) {
    const size_t end = std::min(n.free.size(), at + static_cast<size_t>(max_free));
    pieces.push_back({n.kind, std::vector<int>(n.free.begin() + static_cast<long>(at),
                                               n.free.begin() + static_cast<long>(end))});
  }
  return pieces;
}

}  // namespace

Restriction Restrict(const LinearProgram& lp, const std::vector<double>& values,
                     const std::vector<char>& is_free) {
  Restriction out;
  std::vector<int> sub_column(lp.num_cols(), -1);
  out.lp.objective_offset = lp.objective_offset;
  for (int j = 0; j < lp.num_cols(); ++j) {
    if (!is_free[j]) {
      out.lp.objective_offset += lp.objective[j] * values[j];
      continue;
    }
    sub_column[j] =
        out.lp.AddColumn(lp.col_lower[j], lp.col_upper[j], lp.objective[j], lp.is_integer[j] != 0, "");
    out.column.push_back(j);
  }
  std::vector<double> fixed_activity(lp.num_rows(), 0.0);
  std::vector<char> has_free(lp.num_rows(), 0);
  for (int64_t e = 0; e < lp.num_entries(); ++e) {
    const int j = lp.entry_col[e];
    if (sub_column[j] >= 0)
      has_free[lp.entry_row[e]] = 1;
    else
      fixed_activity[lp.entry_row[e]] += lp.entry_value[e] * values[j];
  }
  std::vector<int> sub_row(lp.num_rows(), -1);
  for (int i = 0; i < lp.num_rows(); ++i) {
    if (!has_free[i]) continue;
    sub_row[i] = out.lp.AddRow(lp.row_lower[i] - fixed_activity[i], lp.row_upper[i] - fixed_activity[i], "");
  }
  for (int64_t e = 0; e < lp.num_entries(); ++e) {
    const int j = sub_column[lp.entry_col[e]];
    if (j >= 0) out.lp.AddEntry(sub_row[lp.entry_row[e]], j, lp.entry_value[e]);
  }
  return out;
}

std::vector<double> RowActivity(const LinearProgram& lp, const std::vector<double>& values) {
  std::vector<double> activity(lp.num_rows(), 0.0);
  for (int64_t e = 0; e < lp.num_entries(); ++e) {
    activity[lp.entry_row[e]] += lp.entry_value[e] * values[lp.entry_col[e]];
  }
  return activity;
}

// Whether `values` keep every bound and row of the model, to solver
// tolerance. CBC stopped by our handler inside its preprocessing can hand
// back values of the preprocessed model, which break rows by thousands of
// cars (seen under load: a 10 s default plan worth GBP 78bn that put 12,264
// cars on a line with room for 6,237).
bool KeepsEveryRow(const LinearProgram& lp, const std::vector<double>& values) {
  if (values.size() != static_cast<size_t>(lp.num_cols())) return false;
  for (int j = 0; j < lp.num_cols(); ++j) {
    if (!WithinBounds(values[j], lp.col_lower[j], lp.col_upper[j])) return false;
  }
  const std::vector<double> activity = RowActivity(lp, values);
  for (int i = 0; i < lp.num_rows(); ++i) {
    if (!WithinBounds(activity[i], lp.row_lower[i], lp.row_upper[i])) return false;
  }
  return true;
}

bool IsFeasiblePoint(const LinearProgram& lp, const std::vector<double>& values) {
  if (!KeepsEveryRow(lp, values)) return false;
  for (int j = 0; j < lp.num_cols(); ++j) {
    if (lp.is_integer[j] && std::abs(values[j] - std::round(values[j])) > 1e-6) return false;
  }
  return true;
}

ImprovementResult ImproveIncumbent(MipSolver& solver, const BuiltModel& built,
                                   const std::vector<double>& lp_values, std::vector<double> incumbent,
                                   const ImprovementParams& params) {
  const LinearProgram& lp = built.lp;
  ImprovementResult result;
  result.objective = lp.Evaluate(incumbent);
  result.values = std::move(incumbent);
  std::vector<int> integers;
  for (int j = 0; j < lp.num_cols(); ++j) {
    if (lp.is_integer[j] && lp.col_upper[j] > lp.col_lower[j]) integers.push_back(j);
  }
  if (integers.empty()) return result;
  // The stall clock restarts once the plan has gained stall_gap_share of the
  // gap it had when the clock last restarted, in one step or in many.
  auto bound = [&] {
    return params.current_bound ? std::min(params.bound, params.current_bound()) : params.bound;
  };
  Clock::time_point last_improvement = Clock::now();
  double gap_at_restart = bound() - result.objective;
  double gained_since_restart = 0;
  auto done = [&] {
    if (params.should_stop && params.should_stop()) return true;
    if (params.stall_seconds > 0 &&
        std::chrono::duration<double>(Clock::now() - last_improvement).count() > params.stall_seconds) {
      result.stalled = true;
      result.stall_rule = true;
      return true;
    }
    if (SecondsLeft(params.deadline) <= 0.05) return true;
    return RelativeGap(result.objective, bound()) <= params.target_gap;
  };

  // On a large model a sub-MIP over the whole network re-solves its LP from
  // the start and runs out of its time (the generated L network: 274,612
  // columns, none of its sub-MIPs finished in 2 s). There the production,
  // shipments and stock of every plant without a free integer column stay
  // at the incumbent's too, as does the unmet demand no free shipment
  // serves, and the sub-MIP is built over the rest only.
  const bool local = lp.num_cols() > params.local_columns;
  std::vector<int> line_plant;
  if (local) {
    for (const ColumnInfo& c : built.columns) {
      if (c.line < 0 || c.plant < 0) continue;
      if (static_cast<size_t>(c.line) >= line_plant.size()) line_plant.resize(c.line + 1, -1);
      line_plant[c.line] = c.plant;
    }
  }
  // The plants a neighbourhood frees, and with them every column it leaves
  // free (its integers, and the continuous columns of those plants).
  auto local_free = [&](const Neighbourhood& n) {
    std::set<int> plants;
    for (const int j : n.free) {
      const ColumnInfo& c = built.columns[j];
      const int p = c.plant >= 0                                                     ? c.plant
                    : c.line >= 0 && static_cast<size_t>(c.line) < line_plant.size() ? line_plant[c.line]
                                                                                     : -1;
      if (p >= 0) plants.insert(p);
    }
    std::vector<char> is_free(lp.num_cols(), 0);
    for (const int j : n.free) is_free[j] = 1;
    std::set<std::pair<int, int>> served;  // (variant, market) a free shipment reaches
    for (int j = 0; j < lp.num_cols(); ++j) {
      const ColumnInfo& c = built.columns[j];
      if (lp.is_integer[j] || c.plant < 0 || !plants.count(c.plant)) continue;
      if (IsPlantFlow(c.kind)) {
        is_free[j] = 1;
        if (c.kind == ColumnKind::kShip) served.insert({c.variant, c.market});
      }
    }
    for (int j = 0; j < lp.num_cols(); ++j) {
      const ColumnInfo& c = built.columns[j];
      if (lp.is_integer[j] || is_free[j]) continue;
      if (c.kind == ColumnKind::kUnmet || c.kind == ColumnKind::kBacklog) {
        is_free[j] = served.count({c.variant, c.market}) ? 1 : 0;
      } else if (!IsPlantFlow(c.kind)) {
        is_free[j] = 1;  // contract shortfalls, deviations, crews: few, and they tie plants together
      }
    }
    return is_free;
  };
  std::mt19937 rng(static_cast<unsigned>(params.seed));
  for (int round = 0; round < std::max(1, params.max_rounds) && !done(); ++round) {
    std::vector<Neighbourhood> all;
    // RINS around the current incumbent (it moves as improvements land).
    Neighbourhood rins{Kind::kRins, {}};
    for (const int j : integers) {
      if (lp_values.size() == result.values.size() && std::abs(lp_values[j] - result.values[j]) > 1e-6)
        rins.free.push_back(j);
    }
    if (!rins.free.empty() && static_cast<int>(rins.free.size()) <= 4 * params.max_free_integers &&
        (round > 0 || params.rins_first))
      all.push_back(std::move(rins));
    std::vector<Neighbourhood> workforce = WorkforceNeighbourhoods(built, integers);
    std::vector<Neighbourhood> windows = WindowNeighbourhoods(built, integers, params);
    std::vector<Neighbourhood> lines = LineNeighbourhoods(built, integers, params);
    // The first round: each line's workforce, then the two other families
    // alternated. Later rounds alternate all three (a line's workforce pays
    // most while the start's shift patterns are poor), each family in a
    // seeded order.
    if (round > 0) {
      std::shuffle(workforce.begin(), workforce.end(), rng);
      std::shuffle(windows.begin(), windows.end(), rng);
      std::shuffle(lines.begin(), lines.end(), rng);
    }
    auto add = [&](std::vector<Neighbourhood>& family, size_t i) {
      if (i >= family.size()) return;
      for (Neighbourhood& piece : Split(built, std::move(family[i]), params.max_free_integers))
        all.push_back(std::move(piece));
    };
    if (round == 0) {
      for (size_t i = 0; i < workforce.size(); ++i) add(workforce, i);
      workforce.clear();
    }
    for (size_t i = 0; i < std::max({workforce.size(), windows.size(), lines.size()}); ++i) {
      add(workforce, i);
      add(windows, i);
      add(lines, i);
    }
    bool improved = false;
    for (const Neighbourhood& n : all) {
      if (done()) break;
      const MipParams mip{
          .time_limit_seconds = std::min(SecondsLeft(params.deadline), params.seconds_per_subproblem),
          .relative_gap = std::max(1e-6, params.target_gap / 10),
          .threads = 1,
          .seed = params.seed,
          .max_nodes = params.nodes_per_subproblem,
          .preprocess = true,
          .cuts = false,
          .should_stop = params.should_stop};
      MipSolution sub;
      if (local) {
        const Restriction restricted = Restrict(lp, result.values, local_free(n));
        std::vector<double> start(restricted.column.size());
        for (size_t k = 0; k < start.size(); ++k) start[k] = result.values[restricted.column[k]];
        MipSolver sub_solver(restricted.lp);
        MipSolution part = sub_solver.SolveMip(mip, start);
        sub.status = part.status;
        if (part.values.size() == restricted.column.size()) {
          sub.values = result.values;
          for (size_t k = 0; k < part.values.size(); ++k) sub.values[restricted.column[k]] = part.values[k];
        }
      } else {
        std::vector<char> is_free(lp.num_cols(), 0);
        for (const int j : n.free) is_free[j] = 1;
        for (const int j : integers) {
          if (!is_free[j]) solver.SetColumnBounds(j, result.values[j], result.values[j]);
        }
        sub = solver.SolveMip(mip, result.values);
        for (const int j : integers) solver.SetColumnBounds(j, lp.col_lower[j], lp.col_upper[j]);
      }
      ++result.subproblems;
      if (sub.status != SolveStatus::kOptimal && sub.status != SolveStatus::kFeasibleGap) continue;
      for (int j = 0; j < lp.num_cols(); ++j) {
        if (lp.is_integer[j]) sub.values[j] = std::round(sub.values[j]);
      }
      if (!IsFeasiblePoint(lp, sub.values)) continue;
      const double value = lp.Evaluate(sub.values);
      if (value <= result.objective + 1e-7 * std::max(1.0, std::abs(result.objective))) continue;
      gained_since_restart += value - result.objective;
      if (gained_since_restart >= params.stall_gap_share * gap_at_restart) {
        last_improvement = Clock::now();
        gap_at_restart = bound() - value;
        gained_since_restart = 0;
      }
      result.values = std::move(sub.values);
      result.objective = value;
      ++result.improvements;
      (n.kind == Kind::kRins        ? result.rins_improvements
       : n.kind == Kind::kWorkforce ? result.workforce_improvements
       : n.kind == Kind::kWindow    ? result.window_improvements
                                    : result.line_improvements)++;
      improved = true;
      if (params.on_improvement) params.on_improvement(value);
    }
    if (!improved) {
      result.stalled = true;
      break;
    }
  }
  return result;
}

}  // namespace cobuild::plan
