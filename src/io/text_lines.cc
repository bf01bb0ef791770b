#include "io/text_lines.h"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>

namespace cobuild::io {

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

bool ReadAtMost(std::istream& in, size_t max_bytes, std::string& text) {
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > max_bytes) return false;
  }
  return true;
}

Result<std::string> ReadTextFile(const std::filesystem::path& path, size_t max_bytes) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return InvalidInput(path.string() + ": is a directory; expected a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(path.string() + ": cannot open file");
  std::string text;
  if (!ReadAtMost(in, max_bytes, text)) {
    return InvalidInput(path.string() + ": file is larger than " + std::to_string(max_bytes >> 20) +
                        " MiB; expected a text file");
  }
  if (in.bad()) return Internal(path.string() + ": read error");
  return text;
}

Result<void> WriteTextFile(const std::filesystem::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return InvalidInput(path.string() + ": cannot write (" + std::strerror(errno) + ")");
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) return InvalidInput(path.string() + ": write failed (" + std::strerror(errno) + ")");
  return {};
}

Result<void> PrepareOutputDir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return InvalidInput(dir.string() + ": cannot create the folder (" + ec.message() + ")");
  if (!std::filesystem::is_directory(dir, ec)) {
    return InvalidInput(dir.string() + ": is not a folder");
  }
  if (::access(dir.c_str(), W_OK) != 0) {
    return InvalidInput(dir.string() + ": cannot write into the folder (" + std::strerror(errno) + ")");
  }
  return {};
}

Result<std::vector<std::string>> ReadLines(const std::filesystem::path& path) {
  auto text = ReadTextFile(path);
  if (!text) return std::unexpected(text.error());
  std::vector<std::string> lines;
  std::string_view rest = *text;
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(line);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
  }
  return lines;
}

std::vector<std::string> SplitFields(std::string_view line, char separator) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    const size_t end = line.find(separator, start);
    fields.emplace_back(Trim(line.substr(start, end == std::string_view::npos ? end : end - start)));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  while (!fields.empty() && fields.back().empty()) fields.pop_back();
  return fields;
}

std::vector<std::string> SplitWhitespace(std::string_view line) {
  std::vector<std::string> tokens;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && IsBlank(line[i])) ++i;
    size_t j = i;
    while (j < line.size() && !IsBlank(line[j])) ++j;
    if (j > i) tokens.emplace_back(line.substr(i, j - i));
    i = j;
  }
  return tokens;
}

bool ParseInt(std::string_view text, long long* value) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && ptr == text.data() + text.size();
}

}  // namespace cobuild::io
