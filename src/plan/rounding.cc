#include "plan/rounding.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace cobuild::plan {
namespace {

constexpr double kTolerance = 1e-6;

bool IsFlow(ColumnKind kind) { return kind == ColumnKind::kShip || kind == ColumnKind::kProduce; }

// Rows of the form "cars <= room" whose slack is not a column of the model.
bool IsHardRow(RowKind kind) {
  switch (kind) {
    case RowKind::kCapacity:
    case RowKind::kCover:
    case RowKind::kRetoolLink:
    case RowKind::kShare:
    case RowKind::kStationLoad:
    case RowKind::kContractMax:
    case RowKind::kSupplyCap:
    case RowKind::kDowntime:
    case RowKind::kLaunchRamp:
    case RowKind::kStockLimit:
    case RowKind::kTailDemand:
      return true;
    default:
      return false;
  }
}

class Rounder {
 public:
  Rounder(const BuiltModel& built, std::span<const double> values)
      : built_(built), lp_(built.lp), x_(values.begin(), values.end()), lp_values_(x_) {
    const int num_cols = lp_.num_cols();
    const int num_rows = lp_.num_rows();
    col_start_.assign(num_cols + 1, 0);
    row_start_.assign(num_rows + 1, 0);
    for (int64_t e = 0; e < lp_.num_entries(); ++e) {
      ++col_start_[lp_.entry_col[e] + 1];
      ++row_start_[lp_.entry_row[e] + 1];
    }
    std::partial_sum(col_start_.begin(), col_start_.end(), col_start_.begin());
    std::partial_sum(row_start_.begin(), row_start_.end(), row_start_.begin());
    col_rows_.resize(lp_.entry_value.size());
    col_coef_.resize(lp_.entry_value.size());
    row_cols_.resize(lp_.entry_value.size());
    row_coef_.resize(lp_.entry_value.size());
    std::vector<int> col_fill(col_start_.begin(), col_start_.end() - 1);
    std::vector<int> row_fill(row_start_.begin(), row_start_.end() - 1);
    for (int64_t e = 0; e < lp_.num_entries(); ++e) {
      const int at_col = col_fill[lp_.entry_col[e]]++;
      col_rows_[at_col] = lp_.entry_row[e];
      col_coef_[at_col] = lp_.entry_value[e];
      const int at_row = row_fill[lp_.entry_row[e]]++;
      row_cols_[at_row] = lp_.entry_col[e];
      row_coef_[at_row] = lp_.entry_value[e];
    }
  }

  std::optional<std::vector<double>> Run() {
    for (int j = 0; j < lp_.num_cols(); ++j) {
      if (lp_.is_integer[j]) {
        x_[j] = std::round(x_[j]);
      } else if (IsFlow(built_.columns[j].kind) && !Fixed(j)) {
        x_[j] = std::max(lp_.col_lower[j], std::floor(x_[j] + kTolerance));
        if (x_[j] > lp_.col_upper[j]) x_[j] = std::floor(lp_.col_upper[j]);
      }
    }
    RecomputeActivity();
    for (int i = 0; i < lp_.num_rows(); ++i) {
      if (built_.rows[i].kind == RowKind::kBalance && !EvenBalance(i)) return std::nullopt;
    }
    if (!RepairHardRows()) return std::nullopt;
    if (!SetSlacks()) return std::nullopt;
    AddBack();
    if (!SetSlacks()) return std::nullopt;
    RecomputeActivity();
    if (!Valid()) return std::nullopt;
    return std::move(x_);
  }

 private:
  bool Fixed(int j) const { return lp_.col_lower[j] == lp_.col_upper[j]; }
  double Tol(double bound) const { return kTolerance * std::max(1.0, std::abs(bound)); }
  bool Over(int i) const { return activity_[i] > lp_.row_upper[i] + Tol(lp_.row_upper[i]); }

  void RecomputeActivity() {
    activity_.assign(lp_.num_rows(), 0.0);
    for (int64_t e = 0; e < lp_.num_entries(); ++e) {
      activity_[lp_.entry_row[e]] += lp_.entry_value[e] * x_[lp_.entry_col[e]];
    }
  }

  void Change(int j, double delta) {
    x_[j] += delta;
    for (int k = col_start_[j]; k < col_start_[j + 1]; ++k) activity_[col_rows_[k]] += col_coef_[k] * delta;
  }

  // The row of `kind` that column j enters, or -1.
  int RowOf(int j, RowKind kind) const {
    for (int k = col_start_[j]; k < col_start_[j + 1]; ++k) {
      if (built_.rows[col_rows_[k]].kind == kind) return col_rows_[k];
    }
    return -1;
  }

  // Column of `kind` entering row i with coefficient `sign` (+1/-1), or -1.
  int ColumnIn(int i, ColumnKind kind, double sign) const {
    for (int k = row_start_[i]; k < row_start_[i + 1]; ++k) {
      if (built_.columns[row_cols_[k]].kind == kind && row_coef_[k] * sign > 0) return row_cols_[k];
    }
    return -1;
  }

  // Of the unfixed columns of `kind` in row i with coefficient sign `sign`
  // and at least one car, the one with the lowest objective (or the most cars).
  int CheapestWithCar(int i, ColumnKind kind, double sign, bool most_cars) const {
    int best = -1;
    for (int k = row_start_[i]; k < row_start_[i + 1]; ++k) {
      const int j = row_cols_[k];
      if (built_.columns[j].kind != kind || row_coef_[k] * sign <= 0 || Fixed(j) || x_[j] < 1 - kTolerance) {
        continue;
      }
      if (best < 0 || (most_cars ? x_[j] > x_[best] : lp_.objective[j] < lp_.objective[best])) best = j;
    }
    return best;
  }

  // Plant balance: production minus shipments is zero; whole cars come off
  // the larger side. With finished-goods stock the month's end stock takes
  // the difference instead (StockBalance).
  bool EvenBalance(int i) {
    const int out = ColumnIn(i, ColumnKind::kStock, -1);
    if (out >= 0) return StockBalance(i, out);
    while (activity_[i] - lp_.row_lower[i] > 0.5) {
      const int j = CheapestWithCar(i, ColumnKind::kProduce, +1, /*most_cars=*/true);
      if (j < 0) {
        // Only stock carried in is left to take off: ship it where demand
        // is still unmet.
        if (!ShipOneMore(i)) return false;
        continue;
      }
      Change(j, -std::min(x_[j], std::floor(activity_[i] - lp_.row_lower[i] + kTolerance)));
    }
    while (activity_[i] - lp_.row_lower[i] < -0.5) {
      const int j = CheapestWithCar(i, ColumnKind::kShip, -1, /*most_cars=*/false);
      if (j < 0) return false;
      Change(j, -std::min(x_[j], std::floor(lp_.row_lower[i] - activity_[i] + kTolerance)));
    }
    return true;
  }

  // One more car of a ship column of balance row i whose demand still has an
  // unmet car and that fits its rows; false when there is none.
  bool ShipOneMore(int i) {
    for (int k = row_start_[i]; k < row_start_[i + 1]; ++k) {
      const int j = row_cols_[k];
      if (built_.columns[j].kind != ColumnKind::kShip || row_coef_[k] > 0 || !Fits(j)) continue;
      const int demand = RowOf(j, RowKind::kDemand);
      const int unmet = demand < 0 ? -1 : ColumnIn(demand, ColumnKind::kUnmet, +1);
      if (unmet < 0 || x_[unmet] < 1 - kTolerance) continue;
      Change(j, 1);
      Change(unmet, -1);
      return true;
    }
    return false;
  }

  // A balance row with the month's end stock `out` (rows come in month
  // order per plant and variant, so the stock carried in is already whole):
  // the stock takes what production and stock carried in leave after
  // shipments, kept within [0, the LP's stock rounded down] so that the
  // plant's stock limit still holds; cars beyond it come off production.
  bool StockBalance(int i, int out) {
    if (Fixed(out)) return std::abs(activity_[i] - lp_.row_lower[i]) <= Tol(lp_.row_lower[i]);
    // The out column enters with -1: moving it by the imbalance evens the row.
    auto settle = [&] { Change(out, activity_[i] - lp_.row_lower[i]); };
    settle();
    while (x_[out] < -0.5) {
      const int j = CheapestWithCar(i, ColumnKind::kShip, -1, /*most_cars=*/false);
      if (j < 0) return false;
      Change(j, -std::min(x_[j], std::ceil(-x_[out] - kTolerance)));
      settle();
    }
    const double cap =
        std::min(std::floor(lp_values_[out] + kTolerance), std::floor(lp_.col_upper[out] + kTolerance));
    while (x_[out] > cap + 0.5) {
      const int j = CheapestWithCar(i, ColumnKind::kProduce, +1, /*most_cars=*/true);
      if (j >= 0) {
        Change(j, -std::min(x_[j], std::floor(x_[out] - cap + kTolerance)));
      } else if (!ShipOneMore(i)) {
        break;  // stock carried in beyond the LP's: Valid() tells whether the rows still hold
      }
      settle();
    }
    Change(out, std::round(x_[out]) - x_[out]);
    return x_[out] <= lp_.col_upper[out] + Tol(lp_.col_upper[out]);
  }

  // Takes one car off stock column j (a month's end stock) and off what it
  // fed in the next month: a shipment, else that month's end stock in turn.
  bool DrainStock(int j) {
    if (Fixed(j) || x_[j] < 1 - kTolerance) return false;
    int next = -1;
    for (int k = col_start_[j]; k < col_start_[j + 1]; ++k) {
      if (built_.rows[col_rows_[k]].kind == RowKind::kBalance && col_coef_[k] > 0) next = col_rows_[k];
    }
    Change(j, -1);
    if (next < 0) return true;
    const int ship = CheapestWithCar(next, ColumnKind::kShip, -1, /*most_cars=*/false);
    if (ship >= 0) {
      Change(ship, -1);
      return true;
    }
    const int out = ColumnIn(next, ColumnKind::kStock, -1);
    return out >= 0 && DrainStock(out);
  }

  // Takes one car of production column j off its line, and the car's
  // shipment with it.
  bool RemoveCar(int j) {
    Change(j, -1);
    if (built_.columns[j].kind != ColumnKind::kProduce) return true;
    const int balance = RowOf(j, RowKind::kBalance);
    if (balance < 0) return true;
    const int ship = CheapestWithCar(balance, ColumnKind::kShip, -1, /*most_cars=*/false);
    if (ship >= 0) {
      Change(ship, -1);
      return true;
    }
    // No shipment to take it off: the car was built for stock.
    const int out = ColumnIn(balance, ColumnKind::kStock, -1);
    return out >= 0 && DrainStock(out);
  }

  bool RepairHardRows() {
    for (int pass = 0; pass < 100; ++pass) {
      bool clean = true;
      for (int i = 0; i < lp_.num_rows(); ++i) {
        if (!IsHardRow(built_.rows[i].kind)) continue;
        while (Over(i)) {
          clean = false;
          int best = -1;
          double best_coef = 0;
          for (int k = row_start_[i]; k < row_start_[i + 1]; ++k) {
            const int j = row_cols_[k];
            const ColumnKind kind = built_.columns[j].kind;
            if ((!IsFlow(kind) && kind != ColumnKind::kStock) || Fixed(j) || x_[j] < 1 - kTolerance) continue;
            if (row_coef_[k] > best_coef) {
              best = j;
              best_coef = row_coef_[k];
            }
          }
          if (best < 0) return false;
          const bool stock = built_.columns[best].kind == ColumnKind::kStock;
          if (!(stock ? DrainStock(best) : RemoveCar(best))) return false;
        }
      }
      if (clean) return true;
    }
    return false;
  }

  // Unmet demand and backlog from the shipments (demand rows are in
  // (variant, market, month) order, so a month's incoming backlog is set
  // before its row), then contract shortfalls and deviations.
  bool SetSlacks() {
    for (int i = 0; i < lp_.num_rows(); ++i) {
      const RowKind kind = built_.rows[i].kind;
      if (kind == RowKind::kDemand) {
        const int unmet = ColumnIn(i, ColumnKind::kUnmet, +1);
        const int carried = ColumnIn(i, ColumnKind::kBacklog, +1);
        double rest = activity_[i];
        if (unmet >= 0) rest -= x_[unmet];
        if (carried >= 0) rest -= x_[carried];
        const double room = lp_.row_lower[i] - rest;  // unmet + carried
        if (room < -kTolerance) return false;
        double carry = 0;
        if (carried >= 0 && !Fixed(carried)) {
          carry = std::clamp(std::ceil(lp_values_[carried] - kTolerance), 0.0,
                             std::min(room, std::floor(lp_.col_upper[carried] + kTolerance)));
          Change(carried, carry - x_[carried]);
        } else if (carried >= 0) {
          carry = x_[carried];
        }
        if (unmet < 0) continue;  // Valid() reports an uneven row
        Change(unmet, std::max(0.0, room - carry) - x_[unmet]);
      } else if (kind == RowKind::kSafetyStock) {
        const int shortfall = ColumnIn(i, ColumnKind::kSafetyShort, +1);
        if (shortfall < 0) continue;
        const double need = lp_.row_lower[i] - (activity_[i] - x_[shortfall]);
        Change(shortfall, std::clamp(need, 0.0, lp_.col_upper[shortfall]) - x_[shortfall]);
      } else if (kind == RowKind::kContractMin) {
        const int shortfall = ColumnIn(i, ColumnKind::kShortfall, +1);
        if (shortfall < 0) continue;
        const double need = lp_.row_lower[i] - (activity_[i] - x_[shortfall]);
        Change(shortfall, std::clamp(need, 0.0, lp_.col_upper[shortfall]) - x_[shortfall]);
      }
    }
    for (int j = 0; j < lp_.num_cols(); ++j) {
      if (built_.columns[j].kind != ColumnKind::kDeviation) continue;
      double need = 0;
      for (int k = col_start_[j]; k < col_start_[j + 1]; ++k) {
        const int i = col_rows_[k];
        need = std::max(need, (lp_.row_lower[i] - (activity_[i] - col_coef_[k] * x_[j])) / col_coef_[k]);
      }
      Change(j, need - x_[j]);
    }
    return true;
  }

  // True when one more car of column j fits every hard row it enters.
  bool Fits(int j) const {
    if (Fixed(j) || x_[j] + 1 > lp_.col_upper[j] + kTolerance) return false;
    for (int k = col_start_[j]; k < col_start_[j + 1]; ++k) {
      const int i = col_rows_[k];
      if (IsHardRow(built_.rows[i].kind) &&
          activity_[i] + col_coef_[k] > lp_.row_upper[i] + Tol(lp_.row_upper[i])) {
        return false;
      }
    }
    return true;
  }

  // Penalty a car more of column j can add through deviation from a baseline.
  double DeviationCost(int j) const {
    double cost = 0;
    for (int k = col_start_[j]; k < col_start_[j + 1]; ++k) {
      const int i = col_rows_[k];
      if (built_.rows[i].kind != RowKind::kStability) continue;
      const int e = ColumnIn(i, ColumnKind::kDeviation, +1);
      if (e >= 0) cost = std::max(cost, -lp_.objective[e]);
    }
    return cost;
  }

  void AddBack() {
    std::vector<int> ships;
    for (int j = 0; j < lp_.num_cols(); ++j) {
      if (built_.columns[j].kind == ColumnKind::kShip && !Fixed(j)) ships.push_back(j);
    }
    std::stable_sort(ships.begin(), ships.end(),
                     [&](int a, int b) { return lp_.objective[a] > lp_.objective[b]; });
    for (int j : ships) {
      const int demand = RowOf(j, RowKind::kDemand);
      const int unmet = demand < 0 ? -1 : ColumnIn(demand, ColumnKind::kUnmet, +1);
      if (unmet < 0) continue;
      const int balance = RowOf(j, RowKind::kBalance);
      while (x_[unmet] >= 1 - kTolerance && Fits(j)) {
        int produce = -1;
        if (balance >= 0) {
          for (int k = row_start_[balance]; k < row_start_[balance + 1] && produce < 0; ++k) {
            const int p = row_cols_[k];
            if (built_.columns[p].kind == ColumnKind::kProduce && Fits(p)) produce = p;
          }
          if (produce < 0) break;
        }
        const int maker = produce >= 0 ? produce : j;
        const double gain = lp_.objective[j] + (produce >= 0 ? lp_.objective[produce] : 0.0) -
                            lp_.objective[unmet] - DeviationCost(maker);
        if (gain <= 0) break;
        Change(j, 1);
        if (produce >= 0) Change(produce, 1);
        Change(unmet, -1);
      }
    }
  }

  bool Valid() const {
    for (int j = 0; j < lp_.num_cols(); ++j) {
      if (x_[j] < lp_.col_lower[j] - Tol(lp_.col_lower[j]) ||
          x_[j] > lp_.col_upper[j] + Tol(lp_.col_upper[j])) {
        return false;
      }
      if (IsFlow(built_.columns[j].kind) && !Fixed(j) && x_[j] != std::floor(x_[j])) return false;
    }
    for (int i = 0; i < lp_.num_rows(); ++i) {
      if (activity_[i] < lp_.row_lower[i] - Tol(lp_.row_lower[i]) || Over(i)) return false;
    }
    return true;
  }

  const BuiltModel& built_;
  const LinearProgram& lp_;
  std::vector<double> x_;
  const std::vector<double> lp_values_;
  std::vector<double> activity_;
  std::vector<int> col_start_, row_start_;
  std::vector<int> col_rows_, row_cols_;
  std::vector<double> col_coef_, row_coef_;
};

}  // namespace

std::optional<std::vector<double>> RoundToWholeCars(const BuiltModel& built, std::span<const double> values) {
  if (values.size() != static_cast<size_t>(built.lp.num_cols())) return std::nullopt;
  return Rounder(built, values).Run();
}

}  // namespace cobuild::plan
