// Reading small line-oriented text files (the ROADEF and CSPLib formats).
//
//   Result<std::vector<std::string>> lines = ReadLines("ratios.txt");
//
// Lines come back without their "\n" or "\r\n" (CRLF files and a missing
// final newline both occur in the ROADEF data); line i is file line i+1.
#pragma once

#include <filesystem>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"

namespace cobuild::io {

// Text files larger than this are refused (as YAML files are, YamlLimits):
// `evaluate --csplib /dev/zero` stops after 64 MiB instead of reading until
// memory runs out.
inline constexpr size_t kMaxTextFileBytes = size_t{64} << 20;

// Appends the rest of `in` to `text` in 64 KiB chunks; false as soon as
// `text` holds more than `max_bytes` (the caller says so in its own words).
// The one bounded read behind ReadTextFile and the YAML reader.
[[nodiscard]] bool ReadAtMost(std::istream& in, size_t max_bytes, std::string& text);

// A whole file, read in chunks; NotFound if it cannot be opened,
// InvalidInput beyond `max_bytes`.
[[nodiscard]] Result<std::string> ReadTextFile(const std::filesystem::path& path,
                                               size_t max_bytes = kMaxTextFileBytes);

// Writes `text` to `path`, replacing it. An unwritable path is the user's
// error: InvalidInput naming the path and the reason ("Permission denied").
[[nodiscard]] Result<void> WriteTextFile(const std::filesystem::path& path, std::string_view text);

// Creates `dir` if missing and checks that files can be written into it,
// so a command refuses a bad --out before it spends time solving.
[[nodiscard]] Result<void> PrepareOutputDir(const std::filesystem::path& dir);

// ReadTextFile split into lines.
[[nodiscard]] Result<std::vector<std::string>> ReadLines(const std::filesystem::path& path);

// Splits on `separator`, trims blanks from each field and drops empty
// trailing fields ("5/6;1;HPRC1;" -> {"5/6", "1", "HPRC1"}).
std::vector<std::string> SplitFields(std::string_view line, char separator);

// Blank-separated tokens.
std::vector<std::string> SplitWhitespace(std::string_view line);

// Parses a whole decimal integer (optional sign); false on anything else.
bool ParseInt(std::string_view text, long long* value);

}  // namespace cobuild::io
