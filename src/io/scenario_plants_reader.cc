// companies, brands, platforms, plants (with their working calendars) and
// lines of a scenario file; see io/scenario_sections.h.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>

#include "io/scenario_reader.h"
#include "io/scenario_sections.h"

namespace cobuild::io::scenario_sections {
namespace {

using model::Powertrain;

class PlantsReader : public SectionReader {
 public:
  using SectionReader::SectionReader;

  void ParseCompanies(const YAML::Node& root) {
    std::set<std::string> seen;
    std::vector<std::pair<YAML::Node, std::string>> items;  // node and path of each company
    f_.ForEachItem(root, "companies", "", Required::kYes,
                   [&](const YAML::Node& n, const std::string& p, size_t) {
                     d_.CheckKeys(n, p, {"id", "name", "owners", COBUILD_PROVENANCE_KEYS});
                     f_.Provenance(n, p);
                     model::Company c;
                     c.id = f_.Id(n, p, seen);
                     c.name = d_.String(n, "name", p, Required::kNo).value_or(c.id);
                     s_.companies.push_back(std::move(c));
                     items.emplace_back(n, p);
                   });
    // Owners once every company is known: a parent may be listed after its
    // joint venture.
    if (items.size() != s_.companies.size()) return;
    for (size_t c = 0; c < items.size(); ++c) ParseOwners(items[c].first, items[c].second, c);
    for (size_t c = 0; c < items.size(); ++c) {
      for (const model::Owner& o : s_.companies[c].owners) {
        if (o.company >= 0 && !s_.companies[static_cast<size_t>(o.company)].owners.empty()) {
          d_.Error(items[c].first["owners"], PathKey(items[c].second, "owners"),
                   fmt::format("owner \"{}\" has owners itself; list the ultimate parents with their shares",
                               s_.companies[static_cast<size_t>(o.company)].id));
        }
      }
    }
  }

  // `owners: [{company: jlr, share: 0.5}, ...]`: shares in (0, 1] adding up
  // to at most 1, no company owning itself or listed twice.
  void ParseOwners(const YAML::Node& n, const std::string& p, size_t company) {
    double total = 0;
    std::vector<model::Owner> owners;
    f_.ForEachItem(n, "owners", p, Required::kNo, [&](const YAML::Node& o, const std::string& op, size_t) {
      d_.CheckKeys(o, op, {"company", "share"});
      model::Owner owner;
      owner.company = f_.RefField(o, "company", op, "company", s_.companies, Required::kYes);
      owner.share = d_.Number(o, "share", op, Required::kYes, NumberRule::Between(0, 1)).value_or(0);
      if (o["share"] && owner.share <= 0) d_.Error(o["share"], PathKey(op, "share"), "must be > 0, got 0");
      if (owner.company == static_cast<int>(company)) {
        d_.Error(o["company"], PathKey(op, "company"), "a company cannot own itself");
      }
      for (const auto& other : owners) {
        if (owner.company >= 0 && other.company == owner.company) {
          d_.Error(o["company"], PathKey(op, "company"), "listed twice");
        }
      }
      total += owner.share;
      owners.push_back(owner);
    });
    if (total > 1 + 1e-9) {
      d_.Error(n["owners"], PathKey(p, "owners"), fmt::format("shares add up to {:g}, more than 1", total));
    }
    s_.companies[company].owners = std::move(owners);
  }

  // `brands` and `platforms`: an id, a name and the company that owns each.
  template <typename T>
  void ParseOwned(const YAML::Node& root, std::string_view key, std::vector<T>& out) {
    std::set<std::string> seen;
    f_.ForEachItem(root, key, "", Required::kYes, [&](const YAML::Node& n, const std::string& p, size_t) {
      d_.CheckKeys(n, p, {"id", "name", "company", COBUILD_PROVENANCE_KEYS});
      f_.Provenance(n, p);
      T item;
      item.id = f_.Id(n, p, seen);
      item.name = d_.String(n, "name", p, Required::kNo).value_or(item.id);
      item.company = f_.RefField(n, "company", p, "company", s_.companies, Required::kYes);
      out.push_back(std::move(item));
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
      f_.Provenance(*node, path);
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
            const int t = f_.HorizonMonth(s_.horizon, entry.first, map_path);
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
      f_.ForEachItem(
          *node, "shutdowns", path, Required::kNo,
          [&](const YAML::Node& item, const std::string& item_path, size_t) {
            d_.CheckKeys(item, item_path, {"month", "weeks", "reason", COBUILD_PROVENANCE_KEYS});
            f_.Provenance(item, item_path);
            model::Shutdown shutdown;
            shutdown.reason = d_.String(item, "reason", item_path, Required::kNo).value_or("");
            auto month_node = d_.Field(item, "month", item_path, Required::kYes);
            const int t =
                month_node ? f_.HorizonMonth(s_.horizon, *month_node, PathKey(item_path, "month")) : -1;
            auto weeks = d_.Integer(item, "weeks", item_path, Required::kYes, NumberRule::Between(1, 52));
            if (t < 0 || !weeks) return;
            shutdown.month = s_.horizon.MonthAt(t);
            shutdown.weeks = *weeks;
            calendar.shutdowns.push_back(std::move(shutdown));
          });
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
    f_.ForEachItem(root, "plants", "", Required::kYes,
                   [&](const YAML::Node& n, const std::string& p, size_t) {
                     d_.CheckKeys(n, p,
                                  {"id", "name", "company", "country", "calendar", "workforce", "stock",
                                   COBUILD_PROVENANCE_KEYS});
                     f_.Provenance(n, p);
                     model::Plant plant;
                     plant.id = f_.Id(n, p, seen);
                     plant.name = d_.String(n, "name", p, Required::kNo).value_or(plant.id);
                     plant.company = f_.RefField(n, "company", p, "company", s_.companies, Required::kYes);
                     plant.country = f_.Country(n, "country", p);
                     plant.calendar = ParseCalendar(n, p);
                     plant.shift_changes = ParseShiftChanges(n, p, std::nullopt);
                     s_.plants.push_back(std::move(plant));
                   });
  }

  void ParseLines(const YAML::Node& root) {
    std::set<std::string> seen;
    f_.ForEachItem(root, "lines", "", Required::kYes, [&](const YAML::Node& n, const std::string& p, size_t) {
      d_.CheckKeys(n, p,
                   {"id", "name", "plant", "platforms", "powertrains", "rate_jph", "hours_per_shift",
                    "max_shifts_per_day", "availability", "fixed_cost_per_shift_gbp", "retooling", "stations",
                    "share_limits", "paint_batch_limit", "workforce", COBUILD_PROVENANCE_KEYS});
      f_.Provenance(n, p);
      model::Line line;
      line.id = f_.Id(n, p, seen);
      line.name = d_.String(n, "name", p, Required::kNo).value_or(line.id);
      line.plant = f_.RefField(n, "plant", p, "plant", s_.plants, Required::kYes);
      line.platforms = f_.RefList(n, "platforms", p, "platform", s_.platforms, Required::kNo);
      line.powertrains = f_.PowertrainList(n, "powertrains", p, Required::kYes);
      line.rate_jph =
          d_.Number(n, "rate_jph", p, Required::kYes, {.min = 0, .max = 600, .min_exclusive = true})
              .value_or(1);
      line.hours_per_shift =
          d_.Number(n, "hours_per_shift", p, Required::kNo, {.min = 0, .max = 12, .min_exclusive = true})
              .value_or(8);
      line.max_shifts_per_day =
          d_.Integer(n, "max_shifts_per_day", p, Required::kNo, NumberRule::Between(0, 3)).value_or(1);
      // The regular shifts must fit a day: weekend days run them all
      // (docs/planning-model.md, "Levers"), and the extra-shift lever adds
      // only what the remaining hours hold.
      if (line.max_shifts_per_day * line.hours_per_shift > 24 + 1e-9) {
        const YAML::Node shifts = n["max_shifts_per_day"];
        d_.Error(shifts.IsDefined() ? shifts : n, PathKey(p, "max_shifts_per_day"),
                 fmt::format("{} shifts of {} h make {} h a day; at most {} fit the 24 hours",
                             line.max_shifts_per_day, line.hours_per_shift,
                             line.max_shifts_per_day * line.hours_per_shift,
                             static_cast<int>(24 / line.hours_per_shift + 1e-9)));
      }
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
      if (line.plant >= 0) {
        line.shift_changes =
            ParseShiftChanges(n, p, s_.plants[static_cast<size_t>(line.plant)].shift_changes);
      }
      const YAML::Node platforms = n["platforms"];
      if (line.platforms.empty() && line.retooling.empty() &&
          (!platforms.IsDefined() || (platforms.IsSequence() && platforms.size() == 0))) {
        d_.Error(n, PathKey(p, "platforms"),
                 "a line needs at least one platform it builds or can be retooled for");
      }
      s_.lines.push_back(std::move(line));
    });
  }

  // `workforce:` of a plant or a line: the cost of a shift added or removed
  // and the months a changed shift count holds. A line's keys complete its
  // plant's (`inherited`); without its own map a line takes the plant's.
  std::optional<model::ShiftChangeRule> ParseShiftChanges(
      const YAML::Node& owner, std::string_view owner_path,
      const std::optional<model::ShiftChangeRule>& inherited) {
    auto node = d_.Field(owner, "workforce", owner_path, Required::kNo);
    if (!node) return inherited;
    const std::string path = PathKey(owner_path, "workforce");
    if (!d_.ExpectMap(*node, path)) return inherited;
    d_.CheckKeys(
        *node, path,
        {"shift_added_cost_gbp", "shift_removed_cost_gbp", "min_shift_months", COBUILD_PROVENANCE_KEYS});
    f_.Provenance(*node, path);
    model::ShiftChangeRule rule = inherited.value_or(model::ShiftChangeRule{});
    if (auto v = d_.Number(*node, "shift_added_cost_gbp", path, Required::kNo,
                           NumberRule::Between(0, kMaxMoney))) {
      rule.added_cost_gbp = *v;
    }
    if (auto v = d_.Number(*node, "shift_removed_cost_gbp", path, Required::kNo,
                           NumberRule::Between(0, kMaxMoney))) {
      rule.removed_cost_gbp = *v;
    }
    if (auto v = d_.Integer(*node, "min_shift_months", path, Required::kNo,
                            NumberRule::Between(1, kMaxHorizonMonths))) {
      rule.min_months = *v;
    }
    return rule;
  }

  void ParseRetooling(const YAML::Node& n, const std::string& p, model::Line& line) {
    f_.ForEachItem(
        n, "retooling", p, Required::kNo, [&](const YAML::Node& item, const std::string& ip, size_t) {
          d_.CheckKeys(item, ip,
                       {"platform", "cost_gbp", "lead_time_months", "tooling_life_years", "downtime_weeks",
                        "ramp_up", COBUILD_PROVENANCE_KEYS});
          f_.Provenance(item, ip);
          model::Retooling r;
          r.platform = f_.RefField(item, "platform", ip, "platform", s_.platforms, Required::kYes);
          r.cost_gbp =
              d_.Number(item, "cost_gbp", ip, Required::kYes, NumberRule::Between(0, kMaxMoney)).value_or(0);
          r.lead_time_months = d_.Integer(item, "lead_time_months", ip, Required::kYes,
                                          NumberRule::Between(0, kMaxHorizonMonths))
                                   .value_or(0);
          // Absent: the plan is charged the whole cost (docs/planning-model.md,
          // "Present value and tooling life").
          r.tooling_life_years = d_.Number(item, "tooling_life_years", ip, Required::kNo,
                                           {.min = 0, .max = 100, .min_exclusive = true})
                                     .value_or(0);
          ParseDowntimeAndRamp(item, ip, r);
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
        });
  }

  // Retooling downtime and ramp-up (docs/planning-model.md, "Retooling
  // downtime and ramp-up"). The stop lies inside the lead time: after the
  // decision, before the platform is ready; a month has at least four
  // weeks, so at most 4 weeks per month of lead time.
  void ParseDowntimeAndRamp(const YAML::Node& item, const std::string& ip, model::Retooling& r) {
    r.downtime_weeks =
        d_.Number(item, "downtime_weeks", ip, Required::kNo, NumberRule::Between(0, 52)).value_or(0);
    if (r.downtime_weeks > 4.0 * r.lead_time_months) {
      d_.Error(item["downtime_weeks"], PathKey(ip, "downtime_weeks"),
               fmt::format("the stop must fit in the lead time of {} months (at most {} weeks), got {:g}",
                           r.lead_time_months, 4 * r.lead_time_months, r.downtime_weeks));
    }
    r.ramp_up = f_.RampUp(item, "ramp_up", ip);
  }

  void ParseStations(const YAML::Node& n, const std::string& p, model::Line& line) {
    std::set<std::string> seen;
    f_.ForEachItem(
        n, "stations", p, Required::kNo, [&](const YAML::Node& item, const std::string& ip, size_t) {
          d_.CheckKeys(item, ip,
                       {"id", "option", "max_cars", "window_cars", "high_priority", COBUILD_PROVENANCE_KEYS});
          f_.Provenance(item, ip);
          model::Station st;
          st.id = f_.Id(item, ip, seen);
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
        });
  }

  void ParseShareLimits(const YAML::Node& n, const std::string& p, model::Line& line) {
    f_.ForEachItem(
        n, "share_limits", p, Required::kNo, [&](const YAML::Node& item, const std::string& ip, size_t) {
          d_.CheckKeys(item, ip, {"powertrain", "max_share", COBUILD_PROVENANCE_KEYS});
          f_.Provenance(item, ip);
          auto pt_node = d_.Field(item, "powertrain", ip, Required::kYes);
          std::optional<Powertrain> pt;
          if (pt_node) pt = f_.PowertrainOf(*pt_node, PathKey(ip, "powertrain"));
          auto share = d_.Number(item, "max_share", ip, Required::kYes, NumberRule::Share());
          if (!pt || !share) return;
          if (std::find(line.powertrains.begin(), line.powertrains.end(), *pt) == line.powertrains.end()) {
            d_.Error(*pt_node, PathKey(ip, "powertrain"),
                     fmt::format("the line does not build {}; list it in powertrains first",
                                 model::ToString(*pt)));
          }
          line.share_limits.push_back({.powertrain = *pt, .max_share = *share});
        });
  }
};

}  // namespace

void ReadCompanies(FieldReader& fields, const YAML::Node& root, model::Scenario& scenario) {
  PlantsReader reader(fields, scenario);
  reader.ParseCompanies(root);
  reader.ParseOwned(root, "brands", scenario.brands);
  reader.ParseOwned(root, "platforms", scenario.platforms);
}

void ReadPlants(FieldReader& fields, const YAML::Node& root, model::Scenario& scenario) {
  PlantsReader(fields, scenario).ParsePlants(root);
}

void ReadLines(FieldReader& fields, const YAML::Node& root, model::Scenario& scenario) {
  PlantsReader(fields, scenario).ParseLines(root);
}

void CheckStationMix(FieldReader& fields, FieldReader& warnings, const YAML::Node& root,
                     const model::Scenario& s) {
  const YAML::Node lines = root["lines"];
  if (!lines || !lines.IsSequence() || lines.size() != s.lines.size()) return;
  for (size_t l = 0; l < s.lines.size(); ++l) {
    const model::Line& line = s.lines[l];
    // Variants the line can build: its powertrains, and a platform it
    // builds today or can be retooled for.
    std::vector<size_t> buildable;
    for (size_t v = 0; v < s.variants.size(); ++v) {
      const model::Variant& variant = s.variants[v];
      const int platform = s.models[static_cast<size_t>(variant.model)].platform;
      const bool powertrain = std::find(line.powertrains.begin(), line.powertrains.end(),
                                        variant.powertrain) != line.powertrains.end();
      const bool today =
          std::find(line.platforms.begin(), line.platforms.end(), platform) != line.platforms.end();
      const bool retooled = std::any_of(line.retooling.begin(), line.retooling.end(),
                                        [&](const model::Retooling& r) { return r.platform == platform; });
      if (powertrain && (today || retooled)) buildable.push_back(v);
    }
    if (buildable.empty()) continue;
    std::vector<bool> fits(buildable.size(), true);
    std::vector<std::string> limits;
    const std::string path = fmt::format("lines[{}].stations", l);
    for (size_t k = 0; k < line.stations.size(); ++k) {
      const model::Station& st = line.stations[k];
      if (!st.high_priority || st.max_cars >= st.window_cars) continue;
      const double ratio = static_cast<double>(st.max_cars) / st.window_cars;
      std::vector<std::string> over;
      for (size_t b = 0; b < buildable.size(); ++b) {
        const model::Variant& variant = s.variants[buildable[b]];
        const double share = variant.OptionShareOf(st.option);
        if (share <= ratio + 1e-12) continue;
        fits[b] = false;
        over.push_back(fmt::format("{} ({:g}%)", variant.id, share * 100));
      }
      limits.push_back(
          fmt::format("{} ({} in {} cars with {})", st.id, st.max_cars, st.window_cars, st.option));
      if (over.empty()) continue;
      warnings.decoder().Error(
          lines[l]["stations"][k], fmt::format("{}[{}]", path, k),
          fmt::format(
              "line {}: variants {} carry {} above the station's {} in {} cars ({:g}%): they can only "
              "be built mixed with other variants",
              line.id, fmt::join(over, ", "), st.option, st.max_cars, st.window_cars, ratio * 100));
    }
    if (std::none_of(fits.begin(), fits.end(), [](bool f) { return f; })) {
      fields.decoder().Error(
          lines[l]["stations"], path,
          fmt::format("line {}: expected a variant the line can build within its high-priority stations {}, "
                      "got none: every variant it can build carries an option above its station's share",
                      line.id, fmt::join(limits, ", ")));
    }
  }
}

}  // namespace cobuild::io::scenario_sections
