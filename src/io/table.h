// Plain-text tables for the CLI's `--format table` output.
//
//   Table t({"plant", "line", "cars/year"});
//   t.SetAlign(2, Table::Align::kRight);
//   t.AddRow({"Halewood", "HW-1", "102,600"});
//   std::cout << t.Render();
//
// Columns are as wide as their widest cell (counted in UTF-8 code points).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cobuild::io {

class Table {
 public:
  enum class Align { kLeft, kRight };

  explicit Table(std::vector<std::string> header);

  void SetAlign(int column, Align align);
  // Rows shorter than the header are padded with empty cells.
  void AddRow(std::vector<std::string> row);
  // A horizontal rule before the next row (for totals).
  void AddRule();
  std::string Render() const;
  int num_rows() const { return static_cast<int>(rows_.size()); }

 private:
  std::vector<std::string> header_;
  std::vector<Align> align_;
  std::vector<std::vector<std::string>> rows_;  // An empty row is a rule.
};

// 1234567 -> "1,234,567"; -1234 -> "-1,234".
std::string FormatThousands(int64_t value);
// Rounds to the nearest integer, then FormatThousands.
std::string FormatThousands(double value);
// 0.4567 -> "45.7%".
std::string FormatPercent(double fraction, int decimals = 1);

// Number of UTF-8 code points (display width for the text we print).
int DisplayWidth(std::string_view text);

}  // namespace cobuild::io
