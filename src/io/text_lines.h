// Reading small line-oriented text files (the ROADEF and CSPLib formats).
//
//   Result<std::vector<std::string>> lines = ReadLines("ratios.txt");
//
// Lines come back without their "\n" or "\r\n" (CRLF files and a missing
// final newline both occur in the ROADEF data); line i is file line i+1.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"

namespace cobuild::io {

// NotFound if the file cannot be opened.
Result<std::vector<std::string>> ReadLines(const std::filesystem::path& path);

// Splits on `separator`, trims blanks from each field and drops empty
// trailing fields ("5/6;1;HPRC1;" -> {"5/6", "1", "HPRC1"}).
std::vector<std::string> SplitFields(std::string_view line, char separator);

// Blank-separated tokens.
std::vector<std::string> SplitWhitespace(std::string_view line);

// Parses a whole decimal integer (optional sign); false on anything else.
bool ParseInt(std::string_view text, long long* value);

}  // namespace cobuild::io
