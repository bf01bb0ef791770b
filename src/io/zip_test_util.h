// Tests' view into a zip archive (an .xlsx workbook is a zip of XML parts):
// one member's bytes through Debian's `unzip -p`, "" when the archive or the
// member is missing.
//
//   EXPECT_THAT(UnzipMember("plan.xlsx", "xl/workbook.xml"), HasSubstr("name=\"Summary\""));
#pragma once

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

namespace cobuild::io {

inline std::string UnzipMember(const std::filesystem::path& archive, const std::string& member) {
  const std::string command = "unzip -p '" + archive.string() + "' '" + member + "' 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  std::string out;
  std::array<char, 4096> buffer;
  while (size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
  pclose(pipe);
  return out;
}

}  // namespace cobuild::io
