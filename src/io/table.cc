#include "io/table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace cobuild::io {

Table::Table(std::vector<std::string> header)
    : header_(std::move(header)), align_(header_.size(), Align::kLeft) {}

void Table::SetAlign(int column, Align align) {
  if (column >= 0 && column < static_cast<int>(align_.size())) {
    align_[column] = align;
  }
}

void Table::AddRow(std::vector<std::string> row) {
  row.resize(std::max(row.size(), header_.size()));
  if (row.empty()) row.emplace_back();
  rows_.push_back(std::move(row));
}

void Table::AddRule() { rows_.emplace_back(); }

std::string Table::Render() const {
  std::vector<int> width(header_.size(), 0);
  for (size_t c = 0; c < header_.size(); ++c) width[c] = DisplayWidth(header_[c]);
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size() && c < width.size(); ++c) {
      width[c] = std::max(width[c], DisplayWidth(row[c]));
    }
  }
  auto render_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t c = 0; c < width.size(); ++c) {
      const std::string& cell = c < row.size() ? row[c] : std::string();
      const int pad = width[c] - DisplayWidth(cell);
      if (c > 0) line += "  ";
      if (align_[c] == Align::kRight) line.append(pad, ' ');
      line += cell;
      if (align_[c] == Align::kLeft && c + 1 < width.size()) line.append(pad, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    return line + "\n";
  };
  int total = 0;
  for (size_t c = 0; c < width.size(); ++c) total += width[c] + (c > 0 ? 2 : 0);
  const std::string rule = std::string(total, '-') + "\n";
  std::string out = render_row(header_) + rule;
  for (const auto& row : rows_) out += row.empty() ? rule : render_row(row);
  return out;
}

std::string FormatThousands(int64_t value) {
  const bool negative = value < 0;
  // Work in unsigned so that INT64_MIN does not overflow.
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  std::string digits = std::to_string(magnitude);
  std::string out;
  const int n = static_cast<int>(digits.size());
  for (int i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return negative ? "-" + out : out;
}

std::string FormatThousands(double value) {
  if (!std::isfinite(value)) return value > 0 ? "inf" : (value < 0 ? "-inf" : "nan");
  if (std::abs(value) >= 9.2e18) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
    return buffer;
  }
  return FormatThousands(static_cast<int64_t>(std::llround(value)));
}

std::string FormatPercent(double fraction, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f%%", std::clamp(decimals, 0, 6), fraction * 100.0);
  return buffer;
}

int DisplayWidth(std::string_view text) {
  int n = 0;
  for (unsigned char ch : text) {
    if ((ch & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace cobuild::io
