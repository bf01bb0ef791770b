// Running the cobuild binary from a test, as a user would: the command line,
// its exit code and what it wrote to stdout and stderr.
//
//   CliRun r = RunCobuild("validate scenarios/uk-2026.yaml");
//   EXPECT_EQ(r.exit_code, 0) << r.err;
//
// The binary is COBUILD_BIN (set by ctest). Output goes through files in a
// per-process temporary directory (CliTempDir(), also free for a test's own
// files), removed when the test program ends.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace cobuild::cli {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string SlurpFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline const std::filesystem::path& CliTempDir() {
  static const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("cobuild-cli-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

// Removes CliTempDir() when the tests end.
class CliTempDirCleanup : public ::testing::Environment {
 public:
  void TearDown() override { std::filesystem::remove_all(CliTempDir()); }
};
inline const auto* const kCliTempDirCleanup = ::testing::AddGlobalTestEnvironment(new CliTempDirCleanup);

// Runs `$COBUILD_BIN args` through the shell (args may hold quotes).
inline CliRun RunCobuild(const std::string& args) {
  const char* bin = std::getenv("COBUILD_BIN");
  EXPECT_NE(bin, nullptr) << "COBUILD_BIN is not set; run through ctest";
  if (bin == nullptr) return {};
  const std::filesystem::path out = CliTempDir() / "out";
  const std::filesystem::path err = CliTempDir() / "err";
  const std::string command = std::string(bin) + " " + args + " >" + out.string() + " 2>" + err.string();
  const int status = std::system(command.c_str());
  return {.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1,
          .out = SlurpFile(out),
          .err = SlurpFile(err)};
}

}  // namespace cobuild::cli
