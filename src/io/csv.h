// CSV in and out, one policy for every file and API response cobuild
// writes: RFC 4180 quoting. A field that holds a comma, a double quote, a
// carriage return or a line feed is written between double quotes, with
// each double quote doubled; other fields are written as they are. Records
// end with "\n" (RFC 4180 says CRLF; every CSV reader we know accepts LF,
// and the reader here accepts both).
//
//   io::CsvWriter csv({"position", "variant", "paint"});
//   csv.AddRow({"1", "e5-bev", "white, pearl"});   // 1,e5-bev,"white, pearl"
//   std::string text = csv.str();
//
//   auto rows = io::ParseCsv(text);  // rows[0] is the header
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"

namespace cobuild::io {

// One field, quoted when it must be.
std::string CsvField(std::string_view text);

// A number as the server's CSV results and progress lines write it: whole
// numbers (cars) without a fraction, others to three decimals.
std::string CsvNumber(double x);

// Builds a CSV text row by row.
class CsvWriter {
 public:
  explicit CsvWriter(std::initializer_list<std::string_view> header) { AddRow(header); }
  explicit CsvWriter(const std::vector<std::string>& header) { AddRow(header); }

  void AddRow(std::initializer_list<std::string_view> fields);
  void AddRow(const std::vector<std::string>& fields);

  const std::string& str() const { return text_; }

 private:
  std::string text_;
};

struct CsvRecord {
  size_t line = 0;  // 1-based line the record starts on
  std::vector<std::string> fields;
};

// Splits CSV text into records of fields, undoing the quoting above; quoted
// fields may hold commas, doubled quotes and line breaks. A CR before a
// record's LF is dropped; a last record without a line break is kept; an
// empty line is a record with one empty field. InvalidInput names the file
// and line of a quote that is not closed, of a character after a closing
// quote, or of a quote inside a field that does not start with one.
[[nodiscard]] Result<std::vector<CsvRecord>> ParseCsv(std::string_view text, std::string_view file_name);

}  // namespace cobuild::io
