// A mixed-integer linear program in a solver-neutral form: the model builder
// writes it, the CBC/CLP adapter (cbc_backend.cc) reads it. Maximisation.
//
//   LinearProgram lp;
//   int x = lp.AddColumn(0, 10, /*objective=*/3.0, /*integer=*/false, "x");
//   int r = lp.AddRow(-kInfinity, 4.0, "cap");
//   lp.AddEntry(r, x, 1.0);
//
// Entries are kept as (row, column, value) triplets in the order added; the
// adapter converts them to a column-major matrix once.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace cobuild::plan {

inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Whether `value` lies in [lower, upper] to solver tolerance: 1e-4 cars plus
// 1e-6 of the bound. An infinite bound, ours or COIN's (DBL_MAX, whose
// tolerance overflows to infinity), always holds; NaN never does.
inline bool WithinBounds(double value, double lower, double upper) {
  auto tolerance = [](double bound) { return 1e-4 + 1e-6 * std::abs(bound); };
  return value >= lower - tolerance(lower) && value <= upper + tolerance(upper);
}

struct LinearProgram {
  std::vector<double> col_lower;
  std::vector<double> col_upper;
  std::vector<double> objective;  // maximised
  std::vector<char> is_integer;
  std::vector<std::string> col_names;
  std::vector<double> row_lower;
  std::vector<double> row_upper;
  std::vector<std::string> row_names;
  std::vector<int> entry_row;
  std::vector<int> entry_col;
  std::vector<double> entry_value;
  double objective_offset = 0;

  int num_cols() const { return static_cast<int>(col_lower.size()); }
  int num_rows() const { return static_cast<int>(row_lower.size()); }
  int64_t num_entries() const { return static_cast<int64_t>(entry_value.size()); }

  int AddColumn(double lower, double upper, double obj, bool integer, std::string name) {
    col_lower.push_back(lower);
    col_upper.push_back(upper);
    objective.push_back(obj);
    is_integer.push_back(integer ? 1 : 0);
    col_names.push_back(std::move(name));
    return num_cols() - 1;
  }
  int AddRow(double lower, double upper, std::string name) {
    row_lower.push_back(lower);
    row_upper.push_back(upper);
    row_names.push_back(std::move(name));
    return num_rows() - 1;
  }
  void AddEntry(int row, int col, double value) {
    if (value == 0) return;
    entry_row.push_back(row);
    entry_col.push_back(col);
    entry_value.push_back(value);
  }
  // Objective value of a column vector (including the offset).
  double Evaluate(const std::vector<double>& x) const {
    double total = objective_offset;
    for (size_t j = 0; j < x.size() && j < objective.size(); ++j) total += objective[j] * x[j];
    return total;
  }
};

}  // namespace cobuild::plan
