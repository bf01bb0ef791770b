// A ROADEF 2005 instance folder (io::ReadRoadefInstance). The input holds
// the four files separated by lines "--": vehicles, ratios, objectives,
// paint batch limit.
#include <array>
#include <string>

#include "fuzz_support.h"
#include "io/roadef_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cobuild;
  static const std::array<const char*, 4> kFiles = {"vehicles.txt", "ratios.txt",
                                                    "optimization_objectives.txt", "paint_batch_limit.txt"};
  const std::filesystem::path dir = fuzz::ScratchDir() / "roadef";
  std::filesystem::create_directories(dir);
  std::string_view rest = fuzz::AsText(data, size);
  for (size_t i = 0; i < kFiles.size(); ++i) {
    const size_t cut = i + 1 < kFiles.size() ? rest.find("\n--\n") : std::string_view::npos;
    fuzz::ScratchFile(std::string("roadef/") + kFiles[i], rest.substr(0, cut));
    rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 4);
  }
  (void)io::ReadRoadefInstance(dir);
  return 0;
}
