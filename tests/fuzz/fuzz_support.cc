#include "fuzz_support.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "io/scenario_reader.h"

namespace cobuild::fuzz {

const model::Scenario& DefaultScenario() {
  static const model::Scenario scenario = [] {
    auto s = io::LoadScenario(COBUILD_SOURCE_DIR "/scenarios/uk-2026.yaml");
    Require(s.has_value(), "the default scenario reads");
    return *s;
  }();
  return scenario;
}

std::filesystem::path ScratchDir() {
  static const std::filesystem::path dir = [] {
    std::error_code ec;
    const std::filesystem::path base =
        std::filesystem::is_directory("/dev/shm", ec) ? "/dev/shm" : std::filesystem::temp_directory_path();
    auto path = base / ("cobuild-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
    // Removed when the process ends normally.
    static struct Cleanup {
      std::filesystem::path p;
      ~Cleanup() {
        std::error_code ignored;
        std::filesystem::remove_all(p, ignored);
      }
    } cleanup{path};
    return path;
  }();
  return dir;
}

std::filesystem::path ScratchFile(std::string_view name, std::string_view text) {
  const auto path = ScratchDir() / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  return path;
}

void Require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz contract broken: %s\n", what);
  std::abort();
}

}  // namespace cobuild::fuzz
