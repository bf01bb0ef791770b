#include "io/scenario_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <utility>

#include "io/event_reader.h"

namespace cobuild::io {
namespace {

using model::Powertrain;
using model::Scenario;

// Keys every object may carry to say where its numbers come from.
#define COBUILD_PROVENANCE_KEYS "source", "assumption", "note"

constexpr int kMaxHorizonMonths = 240;
constexpr double kMaxUnits = 1e9;   // cars; larger is a typo
constexpr double kMaxMoney = 1e12;  // GBP

bool IsValidId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

// Two capital letters; "UK" and "EU" are refused because they are the usual
// slips for GB and for a market (ISO 3166 reserves them, assigns neither).
bool IsCountryCode(std::string_view code) {
  if (code == "UK" || code == "EU") return false;
  return code.size() == 2 && code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z';
}

template <typename T>
std::vector<std::string> IdsOf(const std::vector<T>& items) {
  std::vector<std::string> ids;
  ids.reserve(items.size());
  for (const T& item : items) ids.push_back(item.id);
  return ids;
}

class ScenarioParser {
 public:
  ScenarioParser(std::string file, std::vector<Diagnostic>* diagnostics)
      : d_(file, diagnostics), w_(file, &warnings_) {}

  // Things that are allowed but likely unintended (overlapping contracts).
  std::vector<Diagnostic> TakeWarnings() { return std::move(warnings_); }

  std::optional<Scenario> Parse(const YAML::Node& root) {
    if (!root.IsDefined() || root.IsNull()) {
      d_.Error(root, "", "the file is empty; expected a scenario (see docs/scenario-format.md)");
      return std::nullopt;
    }
    if (!d_.ExpectMap(root, "")) return std::nullopt;
    d_.CheckKeys(root, "",
                 {"name",
                  "description",
                  "horizon",
                  "settings",
                  "companies",
                  "brands",
                  "platforms",
                  "plants",
                  "lines",
                  "markets",
                  "models",
                  "demand_profile",
                  "demand",
                  "routes",
                  "tariffs",
                  "local_content_rules",
                  "contracts",
                  "events",
                  "replan",
                  "risk",
                  COBUILD_PROVENANCE_KEYS});
    Provenance(root, "");
    if (auto name = d_.String(root, "name", "", Required::kYes)) s_.name = *name;
    if (auto text = d_.String(root, "description", "", Required::kNo)) s_.description = *text;
    const bool horizon_ok = ParseHorizon(root);
    ParseSettings(root);
    ParseCompanies(root);
    ParseBrands(root);
    ParsePlatforms(root);
    if (horizon_ok) ParsePlants(root);
    ParseLines(root);
    ParseMarkets(root);
    ParseModels(root);
    if (horizon_ok) ParseDemand(root);
    ParseRoutes(root);
    ParseTariffs(root);
    ParseLocalContentRules(root);
    ParseContracts(root);
    if (horizon_ok) ParseEventSections(d_, root, s_);  // io/event_reader.h
    if (!d_.ok()) return std::nullopt;
    return std::move(s_);
  }

 private:
  // ---- helpers -------------------------------------------------------------

  void Provenance(const YAML::Node& map, std::string_view path) { CheckProvenance(d_, map, path); }

  // Iterates a top-level list; `parse_item` gets (node, path, index).
  template <typename F>
  void ForEachItem(const YAML::Node& root, std::string_view key, Required required, F parse_item) {
    auto list = d_.Field(root, key, "", required);
    if (!list) return;
    if (!d_.ExpectSeq(*list, key)) return;
    for (size_t i = 0; i < list->size(); ++i) {
      const YAML::Node item = (*list)[i];
      const std::string path = PathIndex(key, i);
      if (!d_.ExpectMap(item, path)) continue;
      parse_item(item, path, i);
    }
  }

  // Reads and checks `id`; records duplicates within `seen`.
  std::string Id(const YAML::Node& map, std::string_view path, std::set<std::string>& seen) {
    auto id = d_.String(map, "id", path, Required::kYes);
    if (!id) return "";
    if (!IsValidId(*id)) {
      d_.Error(map["id"], PathKey(path, "id"),
               fmt::format("ids are 1 to 64 letters, digits, '-', '_' or '.', got \"{}\"", *id));
      return *id;
    }
    if (!seen.insert(*id).second) {
      d_.Error(map["id"], PathKey(path, "id"), fmt::format("duplicate id \"{}\"", *id));
    }
    return *id;
  }

  // Resolves a reference by id in `items`; -1 (and a diagnostic) if unknown.
  template <typename T>
  int Ref(const YAML::Node& node, std::string_view path, std::string_view kind, const std::vector<T>& items) {
    auto id = d_.AsString(node, path);
    if (!id) return -1;
    for (size_t i = 0; i < items.size(); ++i) {
      if (items[i].id == *id) return static_cast<int>(i);
    }
    d_.Error(node, path, fmt::format("unknown {} \"{}\"{}", kind, *id, DidYouMean(*id, IdsOf(items))));
    return -1;
  }

  template <typename T>
  int RefField(const YAML::Node& map, std::string_view key, std::string_view path, std::string_view kind,
               const std::vector<T>& items, Required required) {
    auto node = d_.Field(map, key, path, required);
    if (!node) return -1;
    return Ref(*node, PathKey(path, key), kind, items);
  }

  template <typename T>
  std::vector<int> RefList(const YAML::Node& map, std::string_view key, std::string_view path,
                           std::string_view kind, const std::vector<T>& items, Required required) {
    std::vector<int> out;
    auto node = d_.Field(map, key, path, required);
    if (!node) return out;
    const std::string list_path = PathKey(path, key);
    if (!d_.ExpectSeq(*node, list_path)) return out;
    for (size_t i = 0; i < node->size(); ++i) {
      const int ref = Ref((*node)[i], PathIndex(list_path, i), kind, items);
      if (ref < 0) continue;
      if (std::find(out.begin(), out.end(), ref) != out.end()) {
        d_.Error((*node)[i], PathIndex(list_path, i), fmt::format("listed twice"));
        continue;
      }
      out.push_back(ref);
    }
    return out;
  }

  std::optional<Powertrain> PowertrainOf(const YAML::Node& node, std::string_view path) {
    auto text = d_.AsString(node, path);
    if (!text) return std::nullopt;
    if (auto p = model::ParsePowertrain(*text)) return p;
    d_.Error(node, path, fmt::format("expected one of ICE, HEV, PHEV, BEV, EREV, got \"{}\"", *text));
    return std::nullopt;
  }

  std::vector<Powertrain> PowertrainList(const YAML::Node& map, std::string_view key, std::string_view path,
                                         Required required) {
    std::vector<Powertrain> out;
    auto node = d_.Field(map, key, path, required);
    if (!node) return out;
    const std::string list_path = PathKey(path, key);
    if (!d_.ExpectSeq(*node, list_path)) return out;
    for (size_t i = 0; i < node->size(); ++i) {
      auto p = PowertrainOf((*node)[i], PathIndex(list_path, i));
      if (!p) continue;
      if (std::find(out.begin(), out.end(), *p) != out.end()) {
        d_.Error((*node)[i], PathIndex(list_path, i), "listed twice");
        continue;
      }
      out.push_back(*p);
    }
    return out;
  }

  std::string Country(const YAML::Node& map, std::string_view key, std::string_view path) {
    auto code = d_.String(map, key, path, Required::kYes);
    if (!code) return "";
    if (!IsCountryCode(*code)) {
      d_.Error(map[std::string(key)], PathKey(path, key),
               fmt::format("expected an ISO 3166 two-letter country code such as GB or CN, "
                           "got \"{}\"",
                           *code));
    }
    return *code;
  }

  std::optional<model::YearMonth> Month(const YAML::Node& node, std::string_view path) {
    auto text = d_.AsString(node, path);
    if (!text) return std::nullopt;
    auto ym = ParseYearMonth(*text);
    if (!ym) {
      d_.Error(node, path, fmt::format("expected a month as YYYY-MM, got \"{}\"", *text));
    }
    return ym;
  }

  // A month that must fall inside the horizon; returns its index or -1.
  int HorizonMonth(const YAML::Node& node, std::string_view path) {
    auto ym = Month(node, path);
    if (!ym) return -1;
    const int t = s_.horizon.IndexOf(*ym);
    if (t < 0) {
      d_.Error(node, path,
               fmt::format("month {} is outside the horizon {} to {}", model::ToString(*ym),
                           model::ToString(s_.horizon.first),
                           model::ToString(s_.horizon.MonthAt(s_.horizon.num_months - 1))));
    }
    return t;
  }

  // A mapping from names to numbers (option take rates, paint shares, ...).
  std::vector<std::pair<std::string, double>> NumberMap(const YAML::Node& map, std::string_view key,
                                                        std::string_view path, NumberRule rule) {
    std::vector<std::pair<std::string, double>> out;
    auto node = d_.Field(map, key, path, Required::kNo);
    if (!node) return out;
    const std::string map_path = PathKey(path, key);
    if (!d_.ExpectMap(*node, map_path)) return out;
    std::set<std::string> seen;
    for (const auto& entry : *node) {
      auto name = d_.AsString(entry.first, map_path);
      if (!name) continue;
      if (!seen.insert(*name).second) {
        d_.Error(entry.first, PathKey(map_path, *name), "duplicate key");
        continue;
      }
      auto value = d_.AsNumber(entry.second, PathKey(map_path, *name), rule);
      if (value) out.emplace_back(*name, *value);
    }
    return out;
  }

  // ---- sections ------------------------------------------------------------

  bool ParseHorizon(const YAML::Node& root) {
    auto node = d_.Field(root, "horizon", "", Required::kYes);
    if (!node || !d_.ExpectMap(*node, "horizon")) return false;
    d_.CheckKeys(*node, "horizon", {"start", "months"});
    auto start_node = d_.Field(*node, "start", "horizon", Required::kYes);
    std::optional<model::YearMonth> start;
    if (start_node) start = Month(*start_node, "horizon.start");
    auto months =
        d_.Integer(*node, "months", "horizon", Required::kYes, NumberRule::Between(1, kMaxHorizonMonths));
    if (!start || !months) return false;
    s_.horizon = {.first = *start, .num_months = *months};
    return true;
  }

  void ParseSettings(const YAML::Node& root) {
    auto node = d_.Field(root, "settings", "", Required::kNo);
    if (!node || !d_.ExpectMap(*node, "settings")) return;
    d_.CheckKeys(*node, "settings", {"unmet_penalty_gbp_per_car", COBUILD_PROVENANCE_KEYS});
    Provenance(*node, "settings");
    if (auto v = d_.Number(*node, "unmet_penalty_gbp_per_car", "settings", Required::kNo,
                           NumberRule::Between(0, kMaxMoney))) {
      s_.settings.unmet_penalty_gbp_per_car = *v;
    }
  }

  void ParseCompanies(const YAML::Node& root) {
    std::set<std::string> seen;
    ForEachItem(root, "companies", Required::kYes, [&](const YAML::Node& n, const std::string& p, size_t) {
      d_.CheckKeys(n, p, {"id", "name", COBUILD_PROVENANCE_KEYS});
      Provenance(n, p);
      model::Company c;
      c.id = Id(n, p, seen);
      c.name = d_.String(n, "name", p, Required::kNo).value_or(c.id);
      s_.companies.push_back(std::move(c));
    });
  }

  void ParseBrands(const YAML::Node& root) {
    std::set<std::string> seen;
    ForEachItem(root, "brands", Required::kYes, [&](const YAML::Node& n, const std::string& p, size_t) {
      d_.CheckKeys(n, p, {"id", "name", "company", COBUILD_PROVENANCE_KEYS});
      Provenance(n, p);
      model::Brand b;
      b.id = Id(n, p, seen);
      b.name = d_.String(n, "name", p, Required::kNo).value_or(b.id);
      b.company = RefField(n, "company", p, "company", s_.companies, Required::kYes);
      s_.brands.push_back(std::move(b));
    });
  }

  void ParsePlatforms(const YAML::Node& root) {
    std::set<std::string> seen;
    ForEachItem(root, "platforms", Required::kYes, [&](const YAML::Node& n, const std::string& p, size_t) {
      d_.CheckKeys(n, p, {"id", "name", "company", COBUILD_PROVENANCE_KEYS});
      Provenance(n, p);
      model::Platform pl;
      pl.id = Id(n, p, seen);
      pl.name = d_.String(n, "name", p, Required::kNo).value_or(pl.id);
      pl.company = RefField(n, "company", p, "company", s_.companies, Required::kYes);
      s_.platforms.push_back(std::move(pl));
    });
  }

  model::Calendar ParseCalendar(const YAML::Node& plant, std::string_view plant_path) {
    model::Calendar calendar;
    std::array<double, 12> by_month;
    std::copy(std::begin(kDefaultWorkingDays), std::end(kDefaultWorkingDays), by_month.begin());
    std::map<int, double> overrides;  // horizon month -> days
    auto node = d_.Field(plant, "calendar", plant_path, Required::kNo);
    const std::string path = PathKey(plant_path, "calendar");
    if (node && d_.ExpectMap(*node, path)) {
      d_.CheckKeys(*node, path,
                   {"working_days", "working_days_by_month", "shutdowns", COBUILD_PROVENANCE_KEYS});
      Provenance(*node, path);
      if (auto list = d_.Field(*node, "working_days", path, Required::kNo)) {
        const std::string list_path = PathKey(path, "working_days");
        if (d_.ExpectSeq(*list, list_path)) {
          if (list->size() != 12) {
            d_.Error(*list, list_path,
                     fmt::format("expected 12 numbers (January to December), got {}", list->size()));
          } else {
            for (size_t m = 0; m < 12; ++m) {
              if (auto v = d_.AsNumber((*list)[m], PathIndex(list_path, m), NumberRule::Between(0, 31))) {
                by_month[m] = *v;
              }
            }
          }
        }
      }
      if (auto map = d_.Field(*node, "working_days_by_month", path, Required::kNo)) {
        const std::string map_path = PathKey(path, "working_days_by_month");
        if (d_.ExpectMap(*map, map_path)) {
          for (const auto& entry : *map) {
            const int t = HorizonMonth(entry.first, map_path);
            auto v = d_.AsNumber(entry.second, PathKey(map_path, entry.first.Scalar()),
                                 NumberRule::Between(0, 31));
            if (t >= 0 && v) {
              if (!overrides.emplace(t, *v).second) {
                d_.Error(entry.first, map_path, "month listed twice");
              }
            }
          }
        }
      }
      if (auto list = d_.Field(*node, "shutdowns", path, Required::kNo)) {
        const std::string list_path = PathKey(path, "shutdowns");
        if (d_.ExpectSeq(*list, list_path)) {
          for (size_t i = 0; i < list->size(); ++i) {
            const YAML::Node item = (*list)[i];
            const std::string item_path = PathIndex(list_path, i);
            if (!d_.ExpectMap(item, item_path)) continue;
            d_.CheckKeys(item, item_path, {"month", "weeks", "reason", COBUILD_PROVENANCE_KEYS});
            Provenance(item, item_path);
            model::Shutdown shutdown;
            shutdown.reason = d_.String(item, "reason", item_path, Required::kNo).value_or("");
            auto month_node = d_.Field(item, "month", item_path, Required::kYes);
            const int t = month_node ? HorizonMonth(*month_node, PathKey(item_path, "month")) : -1;
            auto weeks = d_.Integer(item, "weeks", item_path, Required::kYes, NumberRule::Between(1, 52));
            if (t < 0 || !weeks) continue;
            shutdown.month = s_.horizon.MonthAt(t);
            shutdown.weeks = *weeks;
            calendar.shutdowns.push_back(std::move(shutdown));
          }
        }
      }
    }
    calendar.base_working_days.resize(static_cast<size_t>(s_.horizon.num_months));
    for (int t = 0; t < s_.horizon.num_months; ++t) {
      auto it = overrides.find(t);
      calendar.base_working_days[static_cast<size_t>(t)] =
          it != overrides.end() ? it->second : by_month[s_.horizon.MonthAt(t).month - 1];
    }
    model::ApplyShutdowns(s_.horizon, calendar);
    return calendar;
  }

  void ParsePlants(const YAML::Node& root) {
    std::set<std::string> seen;
    ForEachItem(root, "plants", Required::kYes, [&](const YAML::Node& n, const std::string& p, size_t) {
      d_.CheckKeys(n, p, {"id", "name", "company", "country", "calendar", COBUILD_PROVENANCE_KEYS});
      Provenance(n, p);
      model::Plant plant;
      plant.id = Id(n, p, seen);
      plant.name = d_.String(n, "name", p, Required::kNo).value_or(plant.id);
      plant.company = RefField(n, "company", p, "company", s_.companies, Required::kYes);
      plant.country = Country(n, "country", p);
      plant.calendar = ParseCalendar(n, p);
      s_.plants.push_back(std::move(plant));
    });
  }

  void ParseLines(const YAML::Node& root) {
    std::set<std::string> seen;
    ForEachItem(root, "lines", Required::kYes, [&](const YAML::Node& n, const std::string& p, size_t) {
      d_.CheckKeys(n, p,
                   {"id", "name", "plant", "platforms", "powertrains", "rate_jph", "hours_per_shift",
                    "max_shifts_per_day", "availability", "fixed_cost_per_shift_gbp", "retooling", "stations",
                    "share_limits", "paint_batch_limit", COBUILD_PROVENANCE_KEYS});
      Provenance(n, p);
      model::Line line;
      line.id = Id(n, p, seen);
      line.name = d_.String(n, "name", p, Required::kNo).value_or(line.id);
      line.plant = RefField(n, "plant", p, "plant", s_.plants, Required::kYes);
      line.platforms = RefList(n, "platforms", p, "platform", s_.platforms, Required::kNo);
      line.powertrains = PowertrainList(n, "powertrains", p, Required::kYes);
      line.rate_jph =
          d_.Number(n, "rate_jph", p, Required::kYes, {.min = 0, .max = 600, .min_exclusive = true})
              .value_or(1);
      line.hours_per_shift =
          d_.Number(n, "hours_per_shift", p, Required::kNo, {.min = 0, .max = 12, .min_exclusive = true})
              .value_or(8);
      line.max_shifts_per_day =
          d_.Integer(n, "max_shifts_per_day", p, Required::kNo, NumberRule::Between(0, 3)).value_or(1);
      line.availability =
          d_.Number(n, "availability", p, Required::kNo, {.min = 0, .max = 1, .min_exclusive = true})
              .value_or(1.0);
      line.fixed_cost_per_shift_gbp =
          d_.Number(n, "fixed_cost_per_shift_gbp", p, Required::kNo, NumberRule::Between(0, kMaxMoney))
              .value_or(0);
      line.paint_batch_limit =
          d_.Integer(n, "paint_batch_limit", p, Required::kNo, NumberRule::Between(0, 100000)).value_or(0);
      ParseRetooling(n, p, line);
      ParseStations(n, p, line);
      ParseShareLimits(n, p, line);
      const YAML::Node platforms = n["platforms"];
      if (line.platforms.empty() && line.retooling.empty() &&
          (!platforms.IsDefined() || (platforms.IsSequence() && platforms.size() == 0))) {
        d_.Error(n, PathKey(p, "platforms"),
                 "a line needs at least one platform it builds or can be retooled for");
      }
      s_.lines.push_back(std::move(line));
    });
  }

  void ParseRetooling(const YAML::Node& n, const std::string& p, model::Line& line) {
    auto list = d_.Field(n, "retooling", p, Required::kNo);
    if (!list) return;
    const std::string list_path = PathKey(p, "retooling");
    if (!d_.ExpectSeq(*list, list_path)) return;
    for (size_t i = 0; i < list->size(); ++i) {
      const YAML::Node item = (*list)[i];
      const std::string ip = PathIndex(list_path, i);
      if (!d_.ExpectMap(item, ip)) continue;
      d_.CheckKeys(item, ip, {"platform", "cost_gbp", "lead_time_months", COBUILD_PROVENANCE_KEYS});
      Provenance(item, ip);
      model::Retooling r;
      r.platform = RefField(item, "platform", ip, "platform", s_.platforms, Required::kYes);
      r.cost_gbp =
          d_.Number(item, "cost_gbp", ip, Required::kYes, NumberRule::Between(0, kMaxMoney)).value_or(0);
      r.lead_time_months =
          d_.Integer(item, "lead_time_months", ip, Required::kYes, NumberRule::Between(0, kMaxHorizonMonths))
              .value_or(0);
      if (r.platform >= 0) {
        if (std::find(line.platforms.begin(), line.platforms.end(), r.platform) != line.platforms.end()) {
          d_.Error(item["platform"], PathKey(ip, "platform"),
                   fmt::format("the line already builds platform \"{}\"; retooling is only for "
                               "platforms it cannot build yet",
                               s_.platforms[static_cast<size_t>(r.platform)].id));
        }
        for (const model::Retooling& other : line.retooling) {
          if (other.platform == r.platform) {
            d_.Error(item["platform"], PathKey(ip, "platform"), "platform listed twice");
          }
        }
      }
      line.retooling.push_back(r);
    }
  }

  void ParseStations(const YAML::Node& n, const std::string& p, model::Line& line) {
    auto list = d_.Field(n, "stations", p, Required::kNo);
    if (!list) return;
    const std::string list_path = PathKey(p, "stations");
    if (!d_.ExpectSeq(*list, list_path)) return;
    std::set<std::string> seen;
    for (size_t i = 0; i < list->size(); ++i) {
      const YAML::Node item = (*list)[i];
      const std::string ip = PathIndex(list_path, i);
      if (!d_.ExpectMap(item, ip)) continue;
      d_.CheckKeys(item, ip,
                   {"id", "option", "max_cars", "window_cars", "high_priority", COBUILD_PROVENANCE_KEYS});
      Provenance(item, ip);
      model::Station st;
      st.id = Id(item, ip, seen);
      st.option = d_.String(item, "option", ip, Required::kYes).value_or("");
      st.max_cars =
          d_.Integer(item, "max_cars", ip, Required::kYes, NumberRule::Between(1, 1000)).value_or(1);
      st.window_cars = d_.Integer(item, "window_cars", ip, Required::kYes, NumberRule::Between(1, 1000))
                           .value_or(st.max_cars);
      st.high_priority = d_.Bool(item, "high_priority", ip, Required::kNo).value_or(true);
      if (st.window_cars < st.max_cars) {
        d_.Error(item["window_cars"], PathKey(ip, "window_cars"),
                 fmt::format("must be >= max_cars ({}), got {}", st.max_cars, st.window_cars));
      }
      line.stations.push_back(std::move(st));
    }
  }

  void ParseShareLimits(const YAML::Node& n, const std::string& p, model::Line& line) {
    auto list = d_.Field(n, "share_limits", p, Required::kNo);
    if (!list) return;
    const std::string list_path = PathKey(p, "share_limits");
    if (!d_.ExpectSeq(*list, list_path)) return;
    for (size_t i = 0; i < list->size(); ++i) {
      const YAML::Node item = (*list)[i];
      const std::string ip = PathIndex(list_path, i);
      if (!d_.ExpectMap(item, ip)) continue;
      d_.CheckKeys(item, ip, {"powertrain", "max_share", COBUILD_PROVENANCE_KEYS});
      Provenance(item, ip);
      auto pt_node = d_.Field(item, "powertrain", ip, Required::kYes);
      std::optional<Powertrain> pt;
      if (pt_node) pt = PowertrainOf(*pt_node, PathKey(ip, "powertrain"));
      auto share = d_.Number(item, "max_share", ip, Required::kYes, NumberRule::Share());
      if (!pt || !share) continue;
      if (std::find(line.powertrains.begin(), line.powertrains.end(), *pt) == line.powertrains.end()) {
        d_.Error(
            *pt_node, PathKey(ip, "powertrain"),
            fmt::format("the line does not build {}; list it in powertrains first", model::ToString(*pt)));
      }
      line.share_limits.push_back({.powertrain = *pt, .max_share = *share});
    }
  }

  void ParseMarkets(const YAML::Node& root) {
    std::set<std::string> seen;
    std::map<std::string, std::string> country_market;
    ForEachItem(root, "markets", Required::kYes, [&](const YAML::Node& n, const std::string& p, size_t) {
      d_.CheckKeys(n, p, {"id", "name", "countries", COBUILD_PROVENANCE_KEYS});
      Provenance(n, p);
      model::Market m;
      m.id = Id(n, p, seen);
      m.name = d_.String(n, "name", p, Required::kNo).value_or(m.id);
      auto countries = d_.StringList(n, "countries", p, Required::kNo);
      if (countries) {
        for (size_t i = 0; i < countries->size(); ++i) {
          const std::string& code = (*countries)[i];
          const std::string cp = PathIndex(PathKey(p, "countries"), i);
          if (!IsCountryCode(code)) {
            d_.Error(n["countries"][i], cp,
                     fmt::format("expected an ISO 3166 two-letter country code, got \"{}\"", code));
          } else if (auto [it, fresh] = country_market.emplace(code, m.id); !fresh) {
            d_.Error(n["countries"][i], cp,
                     fmt::format("country {} is already in market \"{}\"", code, it->second));
          }
        }
        m.countries = *countries;
      }
      s_.markets.push_back(std::move(m));
    });
  }

  void ParseModels(const YAML::Node& root) {
    std::set<std::string> seen_models;
    std::set<std::string> seen_variants;
    ForEachItem(root, "models", Required::kYes, [&](const YAML::Node& n, const std::string& p, size_t) {
      d_.CheckKeys(n, p, {"id", "name", "brand", "platform", "variants", COBUILD_PROVENANCE_KEYS});
      Provenance(n, p);
      model::VehicleModel vm;
      vm.id = Id(n, p, seen_models);
      vm.name = d_.String(n, "name", p, Required::kNo).value_or(vm.id);
      vm.brand = RefField(n, "brand", p, "brand", s_.brands, Required::kYes);
      vm.platform = RefField(n, "platform", p, "platform", s_.platforms, Required::kYes);
      const int model_index = static_cast<int>(s_.models.size());
      s_.models.push_back(std::move(vm));
      auto list = d_.Field(n, "variants", p, Required::kYes);
      if (!list) return;
      const std::string list_path = PathKey(p, "variants");
      if (!d_.ExpectSeq(*list, list_path)) return;
      if (list->size() == 0) d_.Error(*list, list_path, "a model needs at least one variant");
      for (size_t i = 0; i < list->size(); ++i) {
        const YAML::Node item = (*list)[i];
        const std::string ip = PathIndex(list_path, i);
        if (!d_.ExpectMap(item, ip)) continue;
        ParseVariant(item, ip, model_index, seen_variants);
      }
    });
  }

  void ParseVariant(const YAML::Node& n, const std::string& p, int model_index, std::set<std::string>& seen) {
    d_.CheckKeys(n, p,
                 {"id", "name", "powertrain", "options", "paint", "unit_variable_cost_gbp", "price_gbp",
                  "local_content", COBUILD_PROVENANCE_KEYS});
    Provenance(n, p);
    model::Variant v;
    v.id = Id(n, p, seen);
    v.name = d_.String(n, "name", p, Required::kNo).value_or(v.id);
    v.model = model_index;
    if (auto node = d_.Field(n, "powertrain", p, Required::kYes)) {
      v.powertrain = PowertrainOf(*node, PathKey(p, "powertrain")).value_or(Powertrain::kIce);
    }
    for (auto& [name, share] : NumberMap(n, "options", p, NumberRule::Share())) {
      v.options.push_back({.option = name, .share = share});
    }
    double paint_total = 0;
    for (auto& [name, share] : NumberMap(n, "paint", p, NumberRule::Share())) {
      v.paint.push_back({.colour = name, .share = share});
      paint_total += share;
    }
    if (!v.paint.empty() && std::abs(paint_total - 1.0) > 1e-6) {
      d_.Error(n["paint"], PathKey(p, "paint"),
               fmt::format("colour shares must sum to 1, got {:g}", paint_total));
    }
    v.unit_variable_cost_gbp =
        d_.Number(n, "unit_variable_cost_gbp", p, Required::kYes, NumberRule::Between(0, kMaxMoney))
            .value_or(0);
    v.price_gbp.assign(s_.markets.size(), 0.0);
    if (auto prices = d_.Field(n, "price_gbp", p, Required::kYes)) {
      const std::string pp = PathKey(p, "price_gbp");
      if (d_.ExpectMap(*prices, pp)) {
        std::set<int> seen_markets;
        for (const auto& entry : *prices) {
          const int market = Ref(entry.first, pp, "market", s_.markets);
          const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "?";
          auto price = d_.AsNumber(entry.second, PathKey(pp, key), NumberRule::Between(0, kMaxMoney));
          if (market < 0 || !price) continue;
          if (!seen_markets.insert(market).second) {
            d_.Error(entry.first, PathKey(pp, key), "market listed twice");
            continue;
          }
          v.price_gbp[static_cast<size_t>(market)] = *price;
        }
      }
    }
    for (auto& [country, share] : NumberMap(n, "local_content", p, NumberRule::Share())) {
      if (!IsCountryCode(country)) {
        d_.Error(n["local_content"], PathKey(PathKey(p, "local_content"), country),
                 fmt::format("expected an ISO 3166 two-letter country code, got \"{}\"", country));
      }
      v.local_content.push_back({.country = country, .share = share});
    }
    s_.variants.push_back(std::move(v));
  }

  // Monthly weights by calendar month; an empty optional means none given.
  std::optional<std::array<double, 12>> Profile(const YAML::Node& map, std::string_view key,
                                                std::string_view path) {
    auto node = d_.Field(map, key, path, Required::kNo);
    if (!node) return std::nullopt;
    const std::string pp = PathKey(path, key);
    if (!d_.ExpectSeq(*node, pp)) return std::nullopt;
    if (node->size() != 12) {
      d_.Error(*node, pp, fmt::format("expected 12 weights (January to December), got {}", node->size()));
      return std::nullopt;
    }
    std::array<double, 12> weights{};
    double total = 0;
    for (size_t m = 0; m < 12; ++m) {
      weights[m] = d_.AsNumber((*node)[m], PathIndex(pp, m), NumberRule::Between(0, 1e6)).value_or(0);
      total += weights[m];
    }
    if (total <= 0) {
      d_.Error(*node, pp, "weights must not all be 0");
      return std::nullopt;
    }
    for (double& w : weights) w /= total;
    return weights;
  }

  // Demand is whole cars: a year's months spread by a profile are rounded by
  // the largest remainder, so each month is whole and the year's months add
  // up to the yearly figure (rounded, for a year the horizon covers in part).
  void SpreadInWholeCars(int year, std::vector<double>& units) const {
    std::vector<int> months;
    double total = 0;
    for (int t = 0; t < s_.horizon.num_months; ++t) {
      if (s_.horizon.MonthAt(t).year != year) continue;
      months.push_back(t);
      total += units[static_cast<size_t>(t)];
    }
    double floors = 0;
    for (int t : months) floors += std::floor(units[static_cast<size_t>(t)] + 1e-9);
    auto remainder = [&](int t) {
      const double u = units[static_cast<size_t>(t)];
      return u - std::floor(u + 1e-9);
    };
    std::vector<int> order = months;
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return remainder(a) > remainder(b); });
    int extra = static_cast<int>(std::llround(total) - std::llround(floors));
    for (int t : months) units[static_cast<size_t>(t)] = std::floor(units[static_cast<size_t>(t)] + 1e-9);
    for (size_t i = 0; i < order.size() && extra > 0; ++i, --extra) units[static_cast<size_t>(order[i])] += 1;
  }

  void ParseDemand(const YAML::Node& root) {
    std::array<double, 12> default_profile;
    default_profile.fill(1.0 / 12);
    if (auto profile = Profile(root, "demand_profile", "")) default_profile = *profile;
    s_.demand.Resize(static_cast<int>(s_.variants.size()), static_cast<int>(s_.markets.size()),
                     s_.horizon.num_months);
    const std::vector<int> years = s_.horizon.Years();
    std::set<std::pair<int, int>> seen;
    ForEachItem(root, "demand", Required::kYes, [&](const YAML::Node& n, const std::string& p, size_t) {
      d_.CheckKeys(
          n, p,
          {"variant", "market", "units_per_year", "units_per_month", "profile", COBUILD_PROVENANCE_KEYS});
      Provenance(n, p);
      const int v = RefField(n, "variant", p, "variant", s_.variants, Required::kYes);
      const int m = RefField(n, "market", p, "market", s_.markets, Required::kYes);
      if (v >= 0 && m >= 0 && !seen.insert({v, m}).second) {
        d_.Error(n, p,
                 fmt::format("demand for variant \"{}\" in market \"{}\" is listed twice",
                             s_.variants[static_cast<size_t>(v)].id, s_.markets[static_cast<size_t>(m)].id));
      }
      const auto profile = Profile(n, "profile", p).value_or(default_profile);
      const YAML::Node per_year = n["units_per_year"];
      const YAML::Node per_month = n["units_per_month"];
      if (per_year.IsDefined() == per_month.IsDefined()) {
        d_.Error(n, p, "give exactly one of units_per_year and units_per_month");
        return;
      }
      std::vector<double> units(static_cast<size_t>(s_.horizon.num_months), 0.0);
      if (per_year.IsDefined()) {
        const std::string yp = PathKey(p, "units_per_year");
        std::map<int, double> by_year;
        if (per_year.IsScalar()) {
          auto value = d_.AsNumber(per_year, yp, NumberRule::Between(0, kMaxUnits));
          if (!value) return;
          for (int y : years) by_year[y] = *value;
        } else if (per_year.IsMap()) {
          for (const auto& entry : per_year) {
            auto year = d_.AsInteger(entry.first, yp, NumberRule::Between(1900, 2200));
            if (!year) continue;
            auto value = d_.AsNumber(entry.second, PathKey(yp, entry.first.Scalar()),
                                     NumberRule::Between(0, kMaxUnits));
            if (!value) continue;
            if (std::find(years.begin(), years.end(), *year) == years.end()) {
              d_.Error(entry.first, PathKey(yp, entry.first.Scalar()),
                       fmt::format("year {} is outside the horizon ({} to {})", *year, years.front(),
                                   years.back()));
              continue;
            }
            if (!by_year.emplace(*year, *value).second) {
              d_.Error(entry.first, PathKey(yp, entry.first.Scalar()), "year listed twice");
            }
          }
        } else {
          d_.Error(per_year, yp,
                   "expected a number or a mapping from year to units, got " + DescribeNode(per_year));
          return;
        }
        for (int t = 0; t < s_.horizon.num_months; ++t) {
          const model::YearMonth ym = s_.horizon.MonthAt(t);
          auto it = by_year.find(ym.year);
          if (it != by_year.end()) {
            units[static_cast<size_t>(t)] = it->second * profile[static_cast<size_t>(ym.month - 1)];
          }
        }
        for (int year : years) SpreadInWholeCars(year, units);
      } else {
        const std::string mp = PathKey(p, "units_per_month");
        if (!d_.ExpectMap(per_month, mp)) return;
        std::set<int> months;
        for (const auto& entry : per_month) {
          const int t = HorizonMonth(entry.first, mp);
          auto value =
              d_.AsNumber(entry.second, PathKey(mp, entry.first.IsScalar() ? entry.first.Scalar() : "?"),
                          NumberRule::Between(0, kMaxUnits));
          if (t < 0 || !value) continue;
          if (!months.insert(t).second) {
            d_.Error(entry.first, mp, "month listed twice");
            continue;
          }
          units[static_cast<size_t>(t)] = *value;
        }
      }
      if (v < 0 || m < 0) return;
      double total = 0;
      for (int t = 0; t < s_.horizon.num_months; ++t) {
        s_.demand.at(v, m, t) = units[static_cast<size_t>(t)];
        total += units[static_cast<size_t>(t)];
      }
      if (total > 0 && s_.variants[static_cast<size_t>(v)].price_gbp[static_cast<size_t>(m)] <= 0) {
        d_.Error(n, p,
                 fmt::format("variant \"{}\" has demand in market \"{}\" but no price_gbp there",
                             s_.variants[static_cast<size_t>(v)].id, s_.markets[static_cast<size_t>(m)].id));
      }
    });
  }

  void ParseRoutes(const YAML::Node& root) {
    std::set<std::pair<int, int>> seen;
    ForEachItem(root, "routes", Required::kYes, [&](const YAML::Node& n, const std::string& p, size_t) {
      d_.CheckKeys(n, p,
                   {"plant", "market", "freight_cost_per_car_gbp", "transit_days", COBUILD_PROVENANCE_KEYS});
      Provenance(n, p);
      model::Route r;
      r.plant = RefField(n, "plant", p, "plant", s_.plants, Required::kYes);
      r.market = RefField(n, "market", p, "market", s_.markets, Required::kYes);
      r.freight_cost_per_car_gbp =
          d_.Number(n, "freight_cost_per_car_gbp", p, Required::kYes, NumberRule::Between(0, kMaxMoney))
              .value_or(0);
      r.transit_days =
          d_.Integer(n, "transit_days", p, Required::kNo, NumberRule::Between(0, 365)).value_or(0);
      if (r.plant >= 0 && r.market >= 0 && !seen.insert({r.plant, r.market}).second) {
        d_.Error(n, p,
                 fmt::format("route from plant \"{}\" to market \"{}\" is listed twice",
                             s_.plants[static_cast<size_t>(r.plant)].id,
                             s_.markets[static_cast<size_t>(r.market)].id));
      }
      s_.routes.push_back(r);
    });
  }

  void ParseTariffs(const YAML::Node& root) {
    std::set<std::tuple<std::string, int, std::vector<Powertrain>>> seen;
    ForEachItem(root, "tariffs", Required::kNo, [&](const YAML::Node& n, const std::string& p, size_t) {
      d_.CheckKeys(n, p, {"origin", "market", "powertrains", "rate", COBUILD_PROVENANCE_KEYS});
      Provenance(n, p);
      model::Tariff t;
      t.origin_country = Country(n, "origin", p);
      t.market = RefField(n, "market", p, "market", s_.markets, Required::kYes);
      t.powertrains = PowertrainList(n, "powertrains", p, Required::kNo);
      t.rate = d_.Number(n, "rate", p, Required::kYes, NumberRule::Between(0, 10)).value_or(0);
      auto key = std::make_tuple(t.origin_country, t.market, t.powertrains);
      std::sort(std::get<2>(key).begin(), std::get<2>(key).end());
      if (t.market >= 0 && !seen.insert(key).second) {
        d_.Error(n, p, "a tariff for the same origin, market and powertrains is listed twice");
      }
      s_.tariffs.push_back(std::move(t));
    });
  }

  void ParseLocalContentRules(const YAML::Node& root) {
    ForEachItem(
        root, "local_content_rules", Required::kNo, [&](const YAML::Node& n, const std::string& p, size_t) {
          d_.CheckKeys(n, p,
                       {"origin", "market", "powertrains", "min_local_content", "preferential_rate",
                        COBUILD_PROVENANCE_KEYS});
          Provenance(n, p);
          model::LocalContentRule r;
          r.origin_country = Country(n, "origin", p);
          r.market = RefField(n, "market", p, "market", s_.markets, Required::kYes);
          r.powertrains = PowertrainList(n, "powertrains", p, Required::kNo);
          r.min_local_content =
              d_.Number(n, "min_local_content", p, Required::kYes, NumberRule::Share()).value_or(0);
          r.preferential_rate =
              d_.Number(n, "preferential_rate", p, Required::kNo, NumberRule::Between(0, 10)).value_or(0);
          s_.local_content_rules.push_back(std::move(r));
        });
  }

  void ParseContracts(const YAML::Node& root) {
    std::set<std::string> seen;
    const std::vector<int> years = s_.horizon.Years();
    std::vector<std::pair<YAML::Node, std::string>> where;  // node and path of each contract
    ForEachItem(root, "contracts", Required::kNo, [&](const YAML::Node& n, const std::string& p, size_t) {
      where.emplace_back(n, p);
      d_.CheckKeys(n, p,
                   {"id", "host", "partner", "brands", "plants", "fee_per_car_gbp", "min_units_per_year",
                    "max_units_per_year", "first_year", "last_year", COBUILD_PROVENANCE_KEYS});
      Provenance(n, p);
      model::Contract c;
      c.id = Id(n, p, seen);
      c.host = RefField(n, "host", p, "company", s_.companies, Required::kYes);
      c.partner = RefField(n, "partner", p, "company", s_.companies, Required::kYes);
      c.brands = RefList(n, "brands", p, "brand", s_.brands, Required::kYes);
      c.plants = RefList(n, "plants", p, "plant", s_.plants, Required::kNo);
      c.fee_per_car_gbp =
          d_.Number(n, "fee_per_car_gbp", p, Required::kYes, NumberRule::Between(0, kMaxMoney)).value_or(0);
      c.min_units_per_year =
          d_.Number(n, "min_units_per_year", p, Required::kNo, NumberRule::Between(0, kMaxUnits)).value_or(0);
      c.max_units_per_year =
          d_.Number(n, "max_units_per_year", p, Required::kNo, NumberRule::Between(0, kMaxUnits)).value_or(0);
      c.first_year =
          d_.Integer(n, "first_year", p, Required::kNo, NumberRule::Between(1900, 2200)).value_or(0);
      c.last_year = d_.Integer(n, "last_year", p, Required::kNo, NumberRule::Between(1900, 2200)).value_or(0);
      if (c.max_units_per_year > 0 && c.max_units_per_year < c.min_units_per_year) {
        d_.Error(n["max_units_per_year"], PathKey(p, "max_units_per_year"),
                 fmt::format("must be >= min_units_per_year ({:g}) or 0 for no maximum, got {:g}",
                             c.min_units_per_year, c.max_units_per_year));
      }
      if (c.first_year && c.last_year && c.last_year < c.first_year) {
        d_.Error(n["last_year"], PathKey(p, "last_year"),
                 fmt::format("must be >= first_year ({}), got {}", c.first_year, c.last_year));
      }
      if (c.host >= 0 && c.host == c.partner) {
        d_.Error(n["partner"], PathKey(p, "partner"), "host and partner must be different companies");
      }
      for (size_t i = 0; i < c.brands.size(); ++i) {
        const model::Brand& b = s_.brands[static_cast<size_t>(c.brands[i])];
        if (c.partner >= 0 && b.company != c.partner) {
          d_.Error(n["brands"], PathKey(p, "brands"),
                   fmt::format("brand \"{}\" does not belong to the partner \"{}\"", b.id,
                               s_.companies[static_cast<size_t>(c.partner)].id));
        }
      }
      for (int plant : c.plants) {
        const model::Plant& pl = s_.plants[static_cast<size_t>(plant)];
        if (c.host >= 0 && pl.company != c.host) {
          d_.Error(n["plants"], PathKey(p, "plants"),
                   fmt::format("plant \"{}\" is not operated by the host \"{}\"", pl.id,
                               s_.companies[static_cast<size_t>(c.host)].id));
        }
      }
      s_.contracts.push_back(std::move(c));
    });
    if (where.size() == s_.contracts.size()) WarnOverlappingContracts(where);
  }

  // Two contracts overlap where both cover one brand at one plant in one
  // year: a car there counts toward both contracts' volumes and pays both
  // fees (docs/planning-model.md, "Contracts"). Allowed, but worth a look.
  void WarnOverlappingContracts(const std::vector<std::pair<YAML::Node, std::string>>& where) {
    const std::vector<int> years = s_.horizon.Years();
    auto runs_in = [](const model::Contract& c, int year) {
      return (c.first_year == 0 || year >= c.first_year) && (c.last_year == 0 || year <= c.last_year);
    };
    auto at = [](const model::Contract& c, int plant) {
      return c.plants.empty() || std::find(c.plants.begin(), c.plants.end(), plant) != c.plants.end();
    };
    for (size_t b = 0; b < s_.contracts.size(); ++b) {
      const model::Contract& second = s_.contracts[b];
      for (size_t a = 0; a < b; ++a) {
        const model::Contract& first = s_.contracts[a];
        if (first.host < 0 || first.host != second.host || first.partner != second.partner) continue;
        std::vector<std::string> brands;
        for (int brand : second.brands) {
          if (std::find(first.brands.begin(), first.brands.end(), brand) != first.brands.end()) {
            brands.push_back(s_.brands[static_cast<size_t>(brand)].id);
          }
        }
        std::vector<std::string> plants;
        for (size_t plant = 0; plant < s_.plants.size(); ++plant) {
          const int index = static_cast<int>(plant);
          if (s_.plants[plant].company == first.host && at(first, index) && at(second, index)) {
            plants.push_back(s_.plants[plant].id);
          }
        }
        std::vector<int> shared_years;
        for (int year : years) {
          if (runs_in(first, year) && runs_in(second, year)) shared_years.push_back(year);
        }
        if (brands.empty() || plants.empty() || shared_years.empty()) continue;
        w_.Error(
            where[b].first, where[b].second,
            fmt::format("overlaps contract \"{}\" for {} at {} in {}..{}: a car there counts toward both "
                        "contracts' minimum and maximum and pays both fees",
                        first.id, fmt::join(brands, ", "), fmt::join(plants, ", "), shared_years.front(),
                        shared_years.back()));
      }
    }
  }

  YamlDecoder d_;
  std::vector<Diagnostic> warnings_;
  YamlDecoder w_;
  Scenario s_;
};

#undef COBUILD_PROVENANCE_KEYS

}  // namespace

std::optional<model::YearMonth> ParseYearMonth(std::string_view text) {
  const size_t dash = text.find('-');
  if (dash != 4 || text.size() < 6 || text.size() > 7) return std::nullopt;
  int year = 0;
  int month = 0;
  auto r1 = std::from_chars(text.data(), text.data() + 4, year);
  auto r2 = std::from_chars(text.data() + 5, text.data() + text.size(), month);
  if (r1.ec != std::errc() || r1.ptr != text.data() + 4 || r2.ec != std::errc() ||
      r2.ptr != text.data() + text.size()) {
    return std::nullopt;
  }
  if (year < 1900 || year > 2200 || month < 1 || month > 12) return std::nullopt;
  return model::YearMonth{.year = year, .month = month};
}

ScenarioParse ParseScenarioDetailed(std::string_view yaml_text, std::string_view file_name) {
  ScenarioParse out;
  auto root = ParseYamlText(yaml_text, file_name);
  if (!root) {
    out.diagnostics.push_back(root.error());
    return out;
  }
  ScenarioParser parser{std::string(file_name), &out.diagnostics};
  out.scenario = parser.Parse(*root);
  if (!out.diagnostics.empty()) out.scenario.reset();
  if (out.scenario) out.warnings = parser.TakeWarnings();
  return out;
}

ScenarioParse LoadScenarioDetailed(const std::string& path) {
  ScenarioParse out;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    out.diagnostics.push_back({.file = path, .message = "is a directory; expected a YAML file"});
    return out;
  }
  auto root = LoadYamlFile(path);
  if (!root) {
    out.diagnostics.push_back(root.error());
    return out;
  }
  ScenarioParser parser{path, &out.diagnostics};
  out.scenario = parser.Parse(*root);
  if (!out.diagnostics.empty()) out.scenario.reset();
  if (out.scenario) out.warnings = parser.TakeWarnings();
  return out;
}

namespace {

[[nodiscard]] Result<model::Scenario> ToResult(ScenarioParse parse, bool missing_file) {
  if (parse.scenario) return std::move(*parse.scenario);
  if (missing_file) return NotFound(JoinDiagnostics(parse.diagnostics));
  return InvalidInput(JoinDiagnostics(parse.diagnostics));
}

}  // namespace

Result<model::Scenario> ParseScenario(std::string_view yaml_text, std::string_view file_name) {
  return ToResult(ParseScenarioDetailed(yaml_text, file_name), false);
}

Result<model::Scenario> LoadScenario(const std::string& path) {
  std::error_code ec;
  const bool missing = !std::filesystem::exists(path, ec);
  return ToResult(LoadScenarioDetailed(path), missing);
}

}  // namespace cobuild::io
