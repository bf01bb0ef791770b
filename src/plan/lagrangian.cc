#include "plan/lagrangian.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace cobuild::plan {
namespace {

bool IsBlockRow(RowKind kind) {
  return kind == RowKind::kCapacity || kind == RowKind::kCover || kind == RowKind::kLeverGate;
}

struct Block {
  int shift = -1;
  int capacity_row = -1;
  int cover_row = -1;
  double kappa = 0;
  double cover_slope = 0;  // r in  cars <= r*s + cover_constant
  double cover_constant = 0;
  std::vector<int> columns;  // production columns (coefficient 1 in the capacity row)
  // Lever columns (extra shifts, weekend days): integer capacity at a
  // premium, `lever_cars` cars each (minus their coefficient in the capacity row).
  std::vector<int> levers;
  std::vector<double> lever_cars;
  // The binary that lets levers work only at the line's maximum regular
  // shifts (docs/planning-model.md, "Levers"), or -1; levers need shifts
  // >= max_shifts.
  int at_max = -1;
  double max_shifts = 0;
};

class Relaxation {
 public:
  explicit Relaxation(const BuiltModel& built) : built_(built), lp_(built.lp) {
    const int n = lp_.num_cols();
    block_of_.assign(n, -1);
    std::vector<int> block_of_row(lp_.num_rows(), -1);
    for (size_t cell = 0; cell < built.capacity_row.size(); ++cell) {
      if (built.capacity_row[cell] < 0) continue;
      Block b;
      b.shift = built.shift_column[cell];
      b.capacity_row = built.capacity_row[cell];
      b.kappa = built.cars_per_shift_month[cell];
      block_of_row[b.capacity_row] = static_cast<int>(blocks_.size());
      blocks_.push_back(std::move(b));
    }
    for (int i = 0; i < lp_.num_rows(); ++i) {
      if (built.rows[i].kind != RowKind::kCover) continue;
      const int cell = built.rows[i].a * built.num_months + built.rows[i].b;
      const int b = block_of_row[built.capacity_row[cell]];
      block_of_row[i] = b;
      blocks_[b].cover_row = i;
      blocks_[b].cover_constant = lp_.row_upper[i];
    }
    for (size_t cell = 0; cell < built.at_max_shifts_column.size(); ++cell) {
      if (built.at_max_shifts_column[cell] >= 0) {
        blocks_[block_of_row[built.capacity_row[cell]]].at_max = built.at_max_shifts_column[cell];
      }
    }
    for (int64_t e = 0; e < lp_.num_entries(); ++e) {
      const int i = lp_.entry_row[e];
      const int j = lp_.entry_col[e];
      if (built.rows[i].kind == RowKind::kLeverGate) {
        // S b - shifts <= 0: the coefficient of b is the line's maximum.
        if (built.rows[i].c == 2 && built.columns[j].kind == ColumnKind::kAtMaxShifts) {
          const int cell = built.rows[i].a * built.num_months + built.rows[i].b;
          blocks_[block_of_row[built.capacity_row[cell]]].max_shifts = lp_.entry_value[e];
        }
        continue;
      }
      const int b = block_of_row[i];
      if (b < 0) continue;
      Block& block = blocks_[b];
      if (j == block.shift) {
        if (i == block.cover_row) block.cover_slope = -lp_.entry_value[e];
        continue;
      }
      if (i == block.capacity_row) {
        const ColumnKind kind = built.columns[j].kind;
        if (kind == ColumnKind::kExtraShifts || kind == ColumnKind::kWeekendDays) {
          block.levers.push_back(j);
          block.lever_cars.push_back(-lp_.entry_value[e]);
        } else {
          block.columns.push_back(j);
          block_of_[j] = b;
        }
      }
    }
    for (const Block& b : blocks_) {
      block_of_[b.shift] = -2;  // evaluated inside the block
      for (int j : b.levers) block_of_[j] = -2;
      if (b.at_max >= 0) block_of_[b.at_max] = -2;
    }
  }

  // L(pi) and its subgradient b - A x(pi) on priced rows; fills `shifts`.
  bool Evaluate(std::vector<double>& pi, double* value, std::vector<double>* subgradient,
                std::vector<double>* shifts) {
    const int m = lp_.num_rows();
    double total = lp_.objective_offset;
    // Sign-feasible multipliers and the constant term.
    std::vector<double> rhs(m, 0.0);
    for (int i = 0; i < m; ++i) {
      if (IsBlockRow(built_.rows[i].kind)) {
        pi[i] = 0;
        continue;
      }
      if (pi[i] > 0 && !std::isfinite(lp_.row_upper[i])) pi[i] = 0;
      if (pi[i] < 0 && !std::isfinite(lp_.row_lower[i])) pi[i] = 0;
      rhs[i] = pi[i] > 0 ? lp_.row_upper[i] : (pi[i] < 0 ? lp_.row_lower[i] : 0);
      total += pi[i] * rhs[i];
    }
    reduced_ = lp_.objective;
    for (int64_t e = 0; e < lp_.num_entries(); ++e) {
      const int i = lp_.entry_row[e];
      if (!IsBlockRow(built_.rows[i].kind)) reduced_[lp_.entry_col[e]] -= pi[i] * lp_.entry_value[e];
    }
    x_.assign(lp_.num_cols(), 0.0);
    for (int j = 0; j < lp_.num_cols(); ++j) {
      if (block_of_[j] != -1) continue;
      const double c = reduced_[j];
      const double bound = c > 0 ? lp_.col_upper[j] : lp_.col_lower[j];
      if (c != 0 && !std::isfinite(bound)) return false;
      x_[j] = c == 0 ? lp_.col_lower[j] : bound;
      total += c * x_[j];
    }
    for (const Block& b : blocks_) total += SolveBlock(b);
    *value = total;
    if (shifts != nullptr) {
      shifts->assign(lp_.num_cols(), 0.0);
      for (const Block& b : blocks_) {
        (*shifts)[b.shift] = x_[b.shift];
        for (int j : b.levers) (*shifts)[j] = x_[j];
        if (b.at_max >= 0) (*shifts)[b.at_max] = x_[b.at_max];
      }
    }
    if (subgradient != nullptr) {
      subgradient->assign(m, 0.0);
      for (int i = 0; i < m; ++i) {
        if (IsBlockRow(built_.rows[i].kind)) continue;
        // b_i: the side the multiplier would price; with pi = 0 the violated side.
        (*subgradient)[i] = rhs[i];
      }
      std::vector<double> activity(m, 0.0);
      for (int64_t e = 0; e < lp_.num_entries(); ++e) {
        activity[lp_.entry_row[e]] += lp_.entry_value[e] * x_[lp_.entry_col[e]];
      }
      for (int i = 0; i < m; ++i) {
        if (IsBlockRow(built_.rows[i].kind)) continue;
        double g;
        if (pi[i] > 0) {
          g = lp_.row_upper[i] - activity[i];
        } else if (pi[i] < 0) {
          g = lp_.row_lower[i] - activity[i];
        } else if (activity[i] > lp_.row_upper[i]) {
          g = lp_.row_upper[i] - activity[i];
        } else if (activity[i] < lp_.row_lower[i]) {
          g = lp_.row_lower[i] - activity[i];
        } else {
          g = 0;
        }
        (*subgradient)[i] = g;
      }
    }
    return true;
  }

 private:
  // Best shifts and fill of one line-month at the current reduced costs.
  double SolveBlock(const Block& b) {
    order_.clear();
    double mandatory_cars = 0;
    double mandatory_value = 0;
    for (int j : b.columns) {
      mandatory_cars += lp_.col_lower[j];
      mandatory_value += reduced_[j] * lp_.col_lower[j];
      x_[j] = lp_.col_lower[j];
      if (reduced_[j] > 0 && lp_.col_upper[j] > lp_.col_lower[j]) order_.push_back(j);
    }
    std::sort(order_.begin(), order_.end(),
              [&](int a, int c) { return reduced_[a] != reduced_[c] ? reduced_[a] > reduced_[c] : a < c; });
    auto capacity = [&](double s) {
      double cap = b.kappa * s;
      if (b.cover_row >= 0) cap = std::min(cap, b.cover_slope * s + b.cover_constant);
      return cap;
    };
    auto fill_value = [&](double room) {
      double value = 0;
      for (int j : order_) {
        if (room <= 0) break;
        const double take = std::min(room, lp_.col_upper[j] - lp_.col_lower[j]);
        value += take * reduced_[j];
        room -= take;
      }
      return value;
    };
    const double lo = lp_.col_lower[b.shift];
    const double up = lp_.col_upper[b.shift];
    // Every combination of whole shifts and lever units (at most two levers
    // of a few units each).
    const size_t num_levers = b.levers.size();
    std::vector<double> units(num_levers), best_units(num_levers);
    for (size_t i = 0; i < num_levers; ++i) units[i] = lp_.col_lower[b.levers[i]];
    double best_value = -std::numeric_limits<double>::infinity();
    double best_s = lo;
    double best_cap = 0;
    // Levers only at the line's maximum regular shifts (or where a fixed
    // month keeps the line there).
    const bool kept_at_max = b.at_max >= 0 && lp_.col_lower[b.at_max] >= 0.5;
    while (true) {
      double lever_cap = 0;
      double lever_value = 0;
      bool levers_used = false;
      for (size_t i = 0; i < num_levers; ++i) {
        lever_cap += b.lever_cars[i] * units[i];
        lever_value += reduced_[b.levers[i]] * units[i];
        levers_used = levers_used || units[i] > 0;
      }
      const double least = levers_used || kept_at_max ? std::max(lo, b.max_shifts) : lo;
      for (double s = least; s <= up + 1e-9; s += 1) {
        const double cap = capacity(s) + lever_cap;
        if (cap < mandatory_cars - 1e-6) continue;
        const double value =
            reduced_[b.shift] * s + lever_value + mandatory_value + fill_value(cap - mandatory_cars);
        if (value > best_value + 1e-9) {
          best_value = value;
          best_s = s;
          best_units = units;
          best_cap = cap;
        }
      }
      size_t i = 0;
      while (i < num_levers && units[i] + 1 > lp_.col_upper[b.levers[i]] + 1e-9) {
        units[i] = lp_.col_lower[b.levers[i]];
        ++i;
      }
      if (i == num_levers) break;
      units[i] += 1;
    }
    if (!std::isfinite(best_value)) {  // frozen production above capacity: price it as is
      best_s = up;
      best_value = reduced_[b.shift] * up + mandatory_value;
      best_cap = capacity(up);
      for (size_t i = 0; i < num_levers; ++i) {
        best_units[i] = lp_.col_upper[b.levers[i]];
        best_value += reduced_[b.levers[i]] * best_units[i];
        best_cap += b.lever_cars[i] * best_units[i];
      }
    }
    x_[b.shift] = best_s;
    bool levers_used = false;
    for (size_t i = 0; i < num_levers; ++i) {
      x_[b.levers[i]] = best_units[i];
      levers_used = levers_used || best_units[i] > 0;
    }
    if (b.at_max >= 0) x_[b.at_max] = levers_used || kept_at_max ? 1 : 0;
    double room = best_cap - mandatory_cars;
    for (int j : order_) {
      if (room <= 0) break;
      const double take = std::min(room, lp_.col_upper[j] - lp_.col_lower[j]);
      x_[j] += take;
      room -= take;
    }
    return best_value;
  }

  const BuiltModel& built_;
  const LinearProgram& lp_;
  std::vector<Block> blocks_;
  std::vector<int> block_of_;  // -1 outside blocks, -2 a block's shift column, else block index
  std::vector<double> reduced_;
  std::vector<double> x_;
  std::vector<int> order_;
};

}  // namespace

LagrangianResult LagrangianBound(const BuiltModel& built, std::span<const double> row_duals, double incumbent,
                                 int max_iterations, std::chrono::steady_clock::time_point deadline) {
  LagrangianResult result;
  Relaxation relaxation(built);
  std::vector<double> pi(row_duals.begin(), row_duals.end());
  std::vector<double> subgradient;
  double value = 0;
  double step_scale = 1.0;
  int since_improvement = 0;
  for (int it = 0; it < max_iterations; ++it) {
    if (std::chrono::steady_clock::now() > deadline) break;
    if (!relaxation.Evaluate(pi, &value, &subgradient, it == 0 ? &result.shifts : nullptr)) break;
    ++result.iterations;
    if (!result.valid || value < result.bound) {
      if (result.valid && value < result.bound - 1e-6 * std::abs(result.bound)) since_improvement = 0;
      result.bound = value;
      result.valid = true;
    } else if (++since_improvement >= 5) {
      step_scale /= 2;
      since_improvement = 0;
    }
    double norm = 0;
    for (double g : subgradient) norm += g * g;
    if (norm <= 0) break;  // x(pi) satisfies every priced row: the bound is exact
    const double target = std::isfinite(incumbent) ? incumbent : value - 0.01 * std::abs(value);
    const double step = step_scale * std::max(0.0, value - target) / norm;
    if (step <= 0) break;
    for (size_t i = 0; i < pi.size(); ++i) pi[i] -= step * subgradient[i];
  }
  return result;
}

}  // namespace cobuild::plan
