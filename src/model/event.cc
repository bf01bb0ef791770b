#include "model/event.h"

#include <algorithm>

#include "model/scenario.h"

namespace cobuild::model {

namespace {

struct KindName {
  EventKind kind;
  std::string_view name;
};
constexpr KindName kKindNames[] = {
    {EventKind::kOutage, "outage"},
    {EventKind::kRateReduction, "rate-reduction"},
    {EventKind::kSupplyCap, "supply-cap"},
    {EventKind::kTariffChange, "tariff-change"},
    {EventKind::kDemandChange, "demand-change"},
    {EventKind::kContractChange, "contract-change"},
};

bool Intersect(const std::vector<Powertrain>& a, const std::vector<Powertrain>& b) {
  if (a.empty() || b.empty()) return true;
  return std::any_of(a.begin(), a.end(),
                     [&](Powertrain p) { return std::find(b.begin(), b.end(), p) != b.end(); });
}

}  // namespace

std::string_view ToString(EventKind kind) {
  for (const auto& k : kKindNames) {
    if (k.kind == kind) return k.name;
  }
  return "?";
}

std::optional<EventKind> ParseEventKind(std::string_view text) {
  std::string normal(text);
  for (char& c : normal) {
    if (c == '_') c = '-';
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  for (const auto& k : kKindNames) {
    if (k.name == normal) return k.kind;
  }
  return std::nullopt;
}

std::vector<int> AffectedLines(const Scenario& scenario, const Event& event) {
  std::vector<int> out;
  for (size_t l = 0; l < scenario.lines.size(); ++l) {
    const int line = static_cast<int>(l);
    const bool by_plant =
        std::find(event.plants.begin(), event.plants.end(), scenario.lines[l].plant) != event.plants.end();
    const bool by_line = std::find(event.lines.begin(), event.lines.end(), line) != event.lines.end();
    if (by_plant || by_line) out.push_back(line);
  }
  return out;
}

std::vector<EventConflict> FindEventConflicts(const Scenario& scenario, std::span<const Event> events) {
  std::vector<EventConflict> out;
  for (size_t i = 0; i < events.size(); ++i) {
    for (size_t j = i + 1; j < events.size(); ++j) {
      const Event& a = events[i];
      const Event& b = events[j];
      if (a.kind != b.kind) continue;
      if (a.kind == EventKind::kTariffChange && a.origin_country == b.origin_country &&
          a.market == b.market && Intersect(a.powertrains, b.powertrains)) {
        out.push_back({static_cast<int>(i), static_cast<int>(j),
                       "tariff changes \"" + a.id + "\" and \"" + b.id +
                           "\" both set the rate on cars from " + a.origin_country + " into " +
                           scenario.markets[a.market].id +
                           "; the planner holds one rate per origin, market and powertrain, so give one"});
      }
      if (a.kind == EventKind::kContractChange && a.contract == b.contract && a.from.year == b.from.year) {
        out.push_back({static_cast<int>(i), static_cast<int>(j),
                       "contract changes \"" + a.id + "\" and \"" + b.id + "\" both change contract " +
                           scenario.contracts[a.contract].id + " from " + std::to_string(a.from.year) +
                           "; give one"});
      }
    }
  }
  return out;
}

}  // namespace cobuild::model
