// Powertrain kinds a line can build side by side.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace cobuild::model {

enum class Powertrain { kIce, kHev, kPhev, kBev, kErev };

inline constexpr std::array<Powertrain, 5> kAllPowertrains = {
    Powertrain::kIce, Powertrain::kHev, Powertrain::kPhev, Powertrain::kBev, Powertrain::kErev};

// "ICE", "HEV", "PHEV", "BEV", "EREV" (the spelling used in scenario files).
std::string_view ToString(Powertrain p);
// Case-insensitive inverse of ToString.
std::optional<Powertrain> ParsePowertrain(std::string_view text);
// True for powertrains with a traction battery pack (HEV excluded: its pack
// is small and not counted against battery-pack supply caps).
inline bool HasTractionBattery(Powertrain p) {
  return p == Powertrain::kPhev || p == Powertrain::kBev || p == Powertrain::kErev;
}

}  // namespace cobuild::model
