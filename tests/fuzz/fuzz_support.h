// Shared pieces of the fuzz harnesses in tests/fuzz/.
//
// Every harness defines the libFuzzer entry point
//   extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
// and is linked either with replay_main.cc (plain g++; ctest replays the
// seed corpus and the reproducers under ASan/UBSan) or, in a build with
// -DCOBUILD_FUZZ=ON and an AFL++ compiler, with afl_main.cc (persistent
// mode). A harness must not leak or keep state that changes what a later
// input does, beyond caches filled once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "model/scenario.h"

namespace cobuild::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The default scenario (scenarios/uk-2026.yaml), read once.
const model::Scenario& DefaultScenario();

// A file of this process's scratch folder (in /dev/shm when present) that
// holds `text`; rewritten on each call with the same name.
std::filesystem::path ScratchFile(std::string_view name, std::string_view text);
std::filesystem::path ScratchDir();

// Aborts when a parser broke its contract (for example a result that is
// neither a value nor an error): the fuzzer records it as a crash.
void Require(bool condition, const char* what);

}  // namespace cobuild::fuzz
