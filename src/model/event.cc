#include "model/event.h"

#include <algorithm>
#include <cstdio>

#include "model/scenario.h"

namespace cobuild::model {

std::string ToString(Date date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buffer;
}

// Howard Hinnant's days_from_civil / civil_from_days
// (http://howardhinnant.github.io/date_algorithms.html).
int DaysFromCivil(Date date) {
  const int y = date.year - (date.month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int mp = (date.month + 9) % 12;
  const int doy = (153 * mp + 2) / 5 + date.day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date CivilFromDays(int days) {
  const int z = days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  return {.year = yoe + era * 400 + (m <= 2 ? 1 : 0), .month = m, .day = d};
}

bool IsWeekday(Date date) {
  // 1970-01-01 was a Thursday (weekday index 3 with Monday = 0).
  const int days = DaysFromCivil(date);
  const int weekday = ((days % 7) + 7 + 3) % 7;
  return weekday < 5;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

Date LastDay(YearMonth ym) { return {ym.year, ym.month, DaysInMonth(ym.year, ym.month)}; }

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
