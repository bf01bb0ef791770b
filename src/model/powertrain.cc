#include "model/powertrain.h"

#include <cctype>
#include <string>

namespace cobuild::model {

std::string_view ToString(Powertrain p) {
  switch (p) {
    case Powertrain::kIce:
      return "ICE";
    case Powertrain::kHev:
      return "HEV";
    case Powertrain::kPhev:
      return "PHEV";
    case Powertrain::kBev:
      return "BEV";
    case Powertrain::kErev:
      return "EREV";
  }
  return "?";
}

std::optional<Powertrain> ParsePowertrain(std::string_view text) {
  std::string upper;
  for (char c : text) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (Powertrain p : kAllPowertrains) {
    if (ToString(p) == upper) return p;
  }
  return std::nullopt;
}

}  // namespace cobuild::model
