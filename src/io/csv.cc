#include "io/csv.h"

#include <cmath>
#include <cstdint>
#include <cstdio>

namespace cobuild::io {

std::string CsvNumber(double x) {
  if (std::abs(x - std::round(x)) < 1e-9) return std::to_string(static_cast<int64_t>(std::round(x)));
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", x);
  return buffer;
}

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

void CsvWriter::AddRow(std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (std::string_view field : fields) {
    if (!first) text_ += ',';
    text_ += CsvField(field);
    first = false;
  }
  text_ += '\n';
}

void CsvWriter::AddRow(const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) text_ += ',';
    text_ += CsvField(fields[i]);
  }
  text_ += '\n';
}

Result<std::vector<CsvRecord>> ParseCsv(std::string_view text, std::string_view file_name) {
  std::vector<CsvRecord> rows;
  std::vector<std::string> row;
  std::string field;
  size_t line = 1;
  size_t record_line = 1;
  size_t i = 0;
  auto end_record = [&] {
    row.push_back(std::move(field));
    field.clear();
    rows.push_back({.line = record_line, .fields = std::move(row)});
    row.clear();
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"' && field.empty()) {
      // A quoted field: up to the closing quote, "" standing for one quote.
      const size_t opened_on = line;
      ++i;
      bool closed = false;
      while (i < text.size()) {
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        if (text[i] == '\n') ++line;
        field += text[i++];
      }
      if (!closed) {
        return InvalidInput(std::string(file_name) + ":" + std::to_string(opened_on) +
                            ": a quoted field is not closed");
      }
      if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        return InvalidInput(std::string(file_name) + ":" + std::to_string(line) +
                            ": expected a comma or the end of the line after a closing quote");
      }
      continue;
    }
    if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      ++i;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;  // the LF ends the record
    } else if (c == '\n') {
      end_record();
      ++line;
      record_line = line;
      ++i;
    } else if (c == '"') {
      return InvalidInput(std::string(file_name) + ":" + std::to_string(line) +
                          ": a quote inside a field that does not start with one");
    } else {
      field += c;
      ++i;
    }
  }
  if (!field.empty() || !row.empty() || (!text.empty() && text.back() == '"')) end_record();
  return rows;
}

}  // namespace cobuild::io
