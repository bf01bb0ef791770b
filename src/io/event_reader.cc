#include "io/event_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "io/yaml_fields.h"

namespace cobuild::io {
namespace {

using model::Date;
using model::Event;
using model::EventKind;
using model::Powertrain;

constexpr double kMaxUnits = 1e9;

// `from` and `to` name a day (YYYY-MM-DD), or a month (YYYY-MM) or a year
// (YYYY) by its first day (`last` false) or its last day (`last` true); the
// day and month grammars are the calendar's (model/calendar.h), whose
// message says what is wrong with the text.
Result<Date> ParseEventDate(std::string_view text, bool last) {
  switch (std::count(text.begin(), text.end(), '-')) {
    case 0: {  // A year: checked as its January.
      auto january = model::ParseYearMonth(std::string(text) + "-01");
      if (!january) {
        return InvalidInput(fmt::format(
            "expected a date as YYYY-MM-DD (or a month YYYY-MM, or a year YYYY), got \"{}\"", text));
      }
      return last ? Date{january->year, 12, 31} : model::FirstDay(*january);
    }
    case 1: {
      auto month = model::ParseYearMonth(text);
      if (!month) return std::unexpected(month.error());
      return last ? model::LastDay(*month) : model::FirstDay(*month);
    }
    default:
      return model::ParseDate(text);
  }
}

bool IsPlainToken(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ',';
  });
}

class EventParser {
 public:
  // Events read references from `s`; ParseSections() stores into `out`.
  EventParser(YamlDecoder& d, const model::Scenario& s, model::Scenario* out)
      : d_(d), f_(d), s_(s), out_(out) {}

  void ParseSections(const YAML::Node& root) {
    ParseEvents(root);
    ParseReplan(root);
    ParseRisk(root);
  }

  std::optional<Event> ParseEvent(const YAML::Node& n, const std::string& p, std::string default_id) {
    if (!d_.ExpectMap(n, p)) return std::nullopt;
    auto kind_text = d_.String(n, "kind", p, Required::kYes);
    if (!kind_text) return std::nullopt;
    auto kind = model::ParseEventKind(*kind_text);
    if (!kind) {
      d_.Error(n["kind"], PathKey(p, "kind"),
               fmt::format("expected one of outage, rate-reduction, supply-cap, tariff-change, "
                           "demand-change, contract-change, got \"{}\"",
                           *kind_text));
      return std::nullopt;
    }
    Event e;
    e.kind = *kind;
    CheckKeysFor(n, p, e.kind);
    f_.Provenance(n, p);
    e.id = d_.String(n, "id", p, Required::kNo).value_or(std::move(default_id));
    if (!IsValidId(e.id)) {
      d_.Error(n["id"], PathKey(p, "id"),
               fmt::format("ids are 1 to 64 letters, digits, '-', '_' or '.', got \"{}\"", e.id));
    }
    e.reason = d_.String(n, "reason", p, Required::kNo).value_or("");
    const bool ranged = e.kind == EventKind::kOutage || e.kind == EventKind::kRateReduction;
    const bool open_ended = e.kind == EventKind::kTariffChange || e.kind == EventKind::kContractChange;
    auto from = DateField(n, "from", p, false, Required::kYes);
    auto to = open_ended ? std::optional<Date>(HorizonEnd())
                         : DateField(n, "to", p, true, ranged ? Required::kYes : Required::kNo);
    if (!open_ended && !ranged && !to && !n["to"]) to = HorizonEnd();
    if (from && to && *to < *from) {
      d_.Error(n["to"], PathKey(p, "to"),
               fmt::format("must not be before `from` ({}), got {}", model::ToString(*from),
                           model::ToString(*to)));
    }
    if (from) e.from = *from;
    if (to) e.to = *to;
    switch (e.kind) {
      case EventKind::kOutage:
      case EventKind::kRateReduction:
        e.plants = Refs(n, "plants", p, "plant", s_.plants);
        e.lines = Refs(n, "lines", p, "line", s_.lines);
        if (!n["plants"] && !n["lines"]) {
          d_.Error(n, p, "name the `plants` or `lines` the event stops");
        }
        if (e.kind == EventKind::kRateReduction) {
          e.output_lost_share = d_.Number(n, "output_lost_share", p, Required::kYes,
                                          {.min = 0, .max = 1, .min_exclusive = true})
                                    .value_or(1.0);
        }
        break;
      case EventKind::kSupplyCap:
        e.plants = Refs(n, "plants", p, "plant", s_.plants);
        e.powertrains = Powertrains(n, p);
        if (!n["powertrains"]) e.powertrains = {Powertrain::kPhev, Powertrain::kBev, Powertrain::kErev};
        e.units_per_month =
            d_.Number(n, "units_per_month", p, Required::kYes, NumberRule::Between(0, kMaxUnits)).value_or(0);
        break;
      case EventKind::kTariffChange: {
        auto origin = d_.String(n, "origin", p, Required::kYes);
        if (origin) {
          e.origin_country = *origin;
          const bool ok = origin->size() == 2 && std::all_of(origin->begin(), origin->end(),
                                                             [](char c) { return c >= 'A' && c <= 'Z'; });
          if (!ok) {
            d_.Error(
                n["origin"], PathKey(p, "origin"),
                fmt::format("expected an ISO 3166 two-letter country code such as CN, got \"{}\"", *origin));
          }
        }
        e.market = Ref(n, "market", p, "market", s_.markets);
        e.powertrains = Powertrains(n, p);
        e.tariff_rate = d_.Number(n, "rate", p, Required::kYes, NumberRule::Between(0, 5)).value_or(0);
        break;
      }
      case EventKind::kDemandChange:
        e.brands = Refs(n, "brands", p, "brand", s_.brands);
        e.markets = Refs(n, "markets", p, "market", s_.markets);
        e.powertrains = Powertrains(n, p);
        e.demand_factor = d_.Number(n, "factor", p, Required::kYes, NumberRule::Between(0, 10)).value_or(1);
        break;
      case EventKind::kContractChange: {
        e.contract = Ref(n, "contract", p, "contract", s_.contracts);
        e.min_units_per_year =
            d_.Number(n, "min_units_per_year", p, Required::kNo, NumberRule::Between(0, kMaxUnits))
                .value_or(-1);
        e.max_units_per_year =
            d_.Number(n, "max_units_per_year", p, Required::kNo, NumberRule::Between(0, kMaxUnits))
                .value_or(-1);
        if (!n["min_units_per_year"] && !n["max_units_per_year"]) {
          d_.Error(n, p, "give `min_units_per_year`, `max_units_per_year` or both");
        }
        if (e.contract >= 0) {
          const auto& c = s_.contracts[static_cast<size_t>(e.contract)];
          const double lo = e.min_units_per_year >= 0 ? e.min_units_per_year : c.min_units_per_year;
          const double hi = e.max_units_per_year >= 0 ? e.max_units_per_year : c.max_units_per_year;
          if (hi > 0 && hi < lo) {
            d_.Error(n, p,
                     fmt::format("the changed contract would allow at most {:g} cars a year but commit "
                                 "to at least {:g}",
                                 hi, lo));
          }
        }
        break;
      }
    }
    return e;
  }

 private:
  void CheckKeysFor(const YAML::Node& n, const std::string& p, EventKind kind) {
    switch (kind) {
      case EventKind::kOutage:
        d_.CheckKeys(n, p,
                     {"id", "kind", "reason", "from", "to", "plants", "lines", COBUILD_PROVENANCE_KEYS});
        break;
      case EventKind::kRateReduction:
        d_.CheckKeys(n, p,
                     {"id", "kind", "reason", "from", "to", "plants", "lines", "output_lost_share",
                      COBUILD_PROVENANCE_KEYS});
        break;
      case EventKind::kSupplyCap:
        d_.CheckKeys(n, p,
                     {"id", "kind", "reason", "from", "to", "plants", "powertrains", "units_per_month",
                      COBUILD_PROVENANCE_KEYS});
        break;
      case EventKind::kTariffChange:
        d_.CheckKeys(n, p,
                     {"id", "kind", "reason", "from", "origin", "market", "powertrains", "rate",
                      COBUILD_PROVENANCE_KEYS});
        break;
      case EventKind::kDemandChange:
        d_.CheckKeys(n, p,
                     {"id", "kind", "reason", "from", "to", "brands", "markets", "powertrains", "factor",
                      COBUILD_PROVENANCE_KEYS});
        break;
      case EventKind::kContractChange:
        d_.CheckKeys(n, p,
                     {"id", "kind", "reason", "from", "contract", "min_units_per_year", "max_units_per_year",
                      COBUILD_PROVENANCE_KEYS});
        break;
    }
  }

  Date HorizonStart() const { return model::FirstDay(s_.horizon.first); }
  Date HorizonEnd() const {
    return model::LastDay(s_.horizon.MonthAt(std::max(0, s_.horizon.num_months - 1)));
  }

  std::optional<Date> DateField(const YAML::Node& n, std::string_view key, const std::string& p, bool last,
                                Required required) {
    auto node = d_.Field(n, key, p, required);
    if (!node) return std::nullopt;
    const std::string path = PathKey(p, key);
    auto text = d_.AsString(*node, path);
    if (!text) return std::nullopt;
    auto date = ParseEventDate(*text, last);
    if (!date) {
      d_.Error(*node, path, date.error().message);
      return std::nullopt;
    }
    if (*date < HorizonStart() || *date > HorizonEnd()) {
      d_.Error(*node, path,
               fmt::format("{} is outside the horizon {} to {}", model::ToString(*date),
                           model::ToString(HorizonStart()), model::ToString(HorizonEnd())));
      return std::nullopt;
    }
    return *date;
  }

  // A required reference.
  template <typename T>
  int Ref(const YAML::Node& n, std::string_view key, const std::string& p, std::string_view kind,
          const std::vector<T>& items) {
    return f_.RefField(n, key, p, kind, items, Required::kYes);
  }

  // An optional list of references; given, it names at least one.
  template <typename T>
  std::vector<int> Refs(const YAML::Node& n, std::string_view key, const std::string& p,
                        std::string_view kind, const std::vector<T>& items) {
    const YAML::Node node = n[std::string(key)];
    if (node.IsDefined() && node.IsSequence() && node.size() == 0) {
      d_.Error(node, PathKey(p, key), fmt::format("expected at least one {}", kind));
    }
    return f_.RefList(n, key, p, kind, items, Required::kNo);
  }

  std::vector<Powertrain> Powertrains(const YAML::Node& n, const std::string& p) {
    std::vector<Powertrain> out;
    auto names = d_.StringList(n, "powertrains", p, Required::kNo);
    if (!names) return out;
    const std::string path = PathKey(p, "powertrains");
    for (size_t i = 0; i < names->size(); ++i) {
      auto pt = model::ParsePowertrain((*names)[i]);
      if (!pt) {
        d_.Error(n["powertrains"][i], PathIndex(path, i),
                 fmt::format("expected one of ICE, HEV, PHEV, BEV, EREV, got \"{}\"", (*names)[i]));
        continue;
      }
      if (std::find(out.begin(), out.end(), *pt) == out.end()) out.push_back(*pt);
    }
    return out;
  }

  void ParseEvents(const YAML::Node& root) {
    auto list = d_.Field(root, "events", "", Required::kNo);
    if (!list || !d_.ExpectSeq(*list, "events")) return;
    std::set<std::string> ids;
    std::vector<YAML::Node> nodes;
    for (size_t i = 0; i < list->size(); ++i) {
      const std::string path = PathIndex("events", i);
      const YAML::Node item = (*list)[i];
      auto event = ParseEvent(item, path, fmt::format("event-{}", i + 1));
      if (!event) continue;
      if (!ids.insert(event->id).second) {
        d_.Error(item["id"], PathKey(path, "id"), fmt::format("duplicate event id \"{}\"", event->id));
      }
      out_->events.push_back(std::move(*event));
      nodes.push_back(item);
    }
    if (!d_.ok()) return;
    for (const auto& conflict : model::FindEventConflicts(s_, out_->events)) {
      d_.Error(nodes[static_cast<size_t>(conflict.second)],
               PathIndex("events", static_cast<size_t>(conflict.second)), conflict.message);
    }
  }

  void ParseReplan(const YAML::Node& root) {
    auto node = d_.Field(root, "replan", "", Required::kNo);
    if (!node || !d_.ExpectMap(*node, "replan")) return;
    const std::string p = "replan";
    d_.CheckKeys(
        *node, p,
        {"stability_penalty_gbp_per_car", "backlog_max_months", "backlog_delay_cost_gbp_per_car_month",
         "extra_shifts_per_day", "extra_shift_premium", "weekend_days_per_month", "weekend_premium",
         "time_limit_seconds", "recovery_months", "relative_gap", COBUILD_PROVENANCE_KEYS});
    f_.Provenance(*node, p);
    auto& r = out_->replan;
    const NumberRule money = NumberRule::Between(0, 1e9);
    r.stability_penalty_gbp_per_car =
        d_.Number(*node, "stability_penalty_gbp_per_car", p, Required::kNo, money)
            .value_or(r.stability_penalty_gbp_per_car);
    r.backlog_max_months =
        d_.Integer(*node, "backlog_max_months", p, Required::kNo, NumberRule::Between(0, 24))
            .value_or(r.backlog_max_months);
    r.backlog_delay_cost_gbp_per_car_month =
        d_.Number(*node, "backlog_delay_cost_gbp_per_car_month", p, Required::kNo, money)
            .value_or(r.backlog_delay_cost_gbp_per_car_month);
    r.extra_shifts_per_day =
        d_.Integer(*node, "extra_shifts_per_day", p, Required::kNo, NumberRule::Between(0, 2))
            .value_or(r.extra_shifts_per_day);
    r.extra_shift_premium =
        d_.Number(*node, "extra_shift_premium", p, Required::kNo, NumberRule::Between(0, 10))
            .value_or(r.extra_shift_premium);
    r.weekend_days_per_month =
        d_.Integer(*node, "weekend_days_per_month", p, Required::kNo, NumberRule::Between(0, 10))
            .value_or(r.weekend_days_per_month);
    r.weekend_premium = d_.Number(*node, "weekend_premium", p, Required::kNo, NumberRule::Between(0, 10))
                            .value_or(r.weekend_premium);
    r.recovery_months = d_.Integer(*node, "recovery_months", p, Required::kNo, NumberRule::Between(0, 240))
                            .value_or(r.recovery_months);
    r.relative_gap = d_.Number(*node, "relative_gap", p, Required::kNo, NumberRule::Between(0, 1))
                         .value_or(r.relative_gap);
    r.time_limit_seconds =
        d_.Number(*node, "time_limit_seconds", p, Required::kNo, NumberRule::Between(0.1, 86400))
            .value_or(r.time_limit_seconds);
  }

  void ParseRisk(const YAML::Node& root) {
    auto node = d_.Field(root, "risk", "", Required::kNo);
    if (!node || !d_.ExpectMap(*node, "risk")) return;
    d_.CheckKeys(*node, "risk", {"outages", "demand", COBUILD_PROVENANCE_KEYS});
    f_.Provenance(*node, "risk");
    if (auto list = d_.Field(*node, "outages", "risk", Required::kNo);
        list && d_.ExpectSeq(*list, "risk.outages")) {
      for (size_t i = 0; i < list->size(); ++i) {
        const YAML::Node n = (*list)[i];
        const std::string p = PathIndex("risk.outages", i);
        if (!d_.ExpectMap(n, p)) continue;
        d_.CheckKeys(n, p,
                     {"plants", "probability_per_year", "min_weeks", "max_weeks", COBUILD_PROVENANCE_KEYS});
        f_.Provenance(n, p);
        model::OutageRisk r;
        if (!n["plants"]) d_.Error(n, PathKey(p, "plants"), "required: the plants one outage stops");
        r.plants = Refs(n, "plants", p, "plant", s_.plants);
        r.probability_per_year =
            d_.Number(n, "probability_per_year", p, Required::kYes, NumberRule::Share()).value_or(0);
        r.min_weeks = d_.Number(n, "min_weeks", p, Required::kYes, NumberRule::Between(0.2, 52)).value_or(1);
        r.max_weeks = d_.Number(n, "max_weeks", p, Required::kYes, NumberRule::Between(0.2, 52)).value_or(1);
        if (r.max_weeks < r.min_weeks) {
          d_.Error(n["max_weeks"], PathKey(p, "max_weeks"),
                   fmt::format("must be >= min_weeks ({:g}), got {:g}", r.min_weeks, r.max_weeks));
        }
        out_->risk.outages.push_back(std::move(r));
      }
    }
    if (auto list = d_.Field(*node, "demand", "risk", Required::kNo);
        list && d_.ExpectSeq(*list, "risk.demand")) {
      for (size_t i = 0; i < list->size(); ++i) {
        const YAML::Node n = (*list)[i];
        const std::string p = PathIndex("risk.demand", i);
        if (!d_.ExpectMap(n, p)) continue;
        d_.CheckKeys(n, p,
                     {"brands", "markets", "powertrains", "min_factor", "mode_factor", "max_factor",
                      COBUILD_PROVENANCE_KEYS});
        f_.Provenance(n, p);
        model::DemandRisk r;
        r.brands = Refs(n, "brands", p, "brand", s_.brands);
        r.markets = Refs(n, "markets", p, "market", s_.markets);
        r.powertrains = Powertrains(n, p);
        const NumberRule factor = NumberRule::Between(0, 10);
        r.min_factor = d_.Number(n, "min_factor", p, Required::kYes, factor).value_or(1);
        r.mode_factor = d_.Number(n, "mode_factor", p, Required::kYes, factor).value_or(1);
        r.max_factor = d_.Number(n, "max_factor", p, Required::kYes, factor).value_or(1);
        if (!(r.min_factor <= r.mode_factor && r.mode_factor <= r.max_factor)) {
          d_.Error(n, p,
                   fmt::format("expected min_factor <= mode_factor <= max_factor, got {:g}, {:g}, {:g}",
                               r.min_factor, r.mode_factor, r.max_factor));
        }
        out_->risk.demand.push_back(std::move(r));
      }
    }
  }

  YamlDecoder& d_;
  FieldReader f_;
  const model::Scenario& s_;
  model::Scenario* out_;
};

std::string Quote(std::string_view s) { return nlohmann::json(std::string(s)).dump(); }
std::string Num(double x) { return fmt::format("{}", x); }

template <typename T>
std::string IdList(const std::vector<int>& refs, const std::vector<T>& items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < refs.size(); ++i) {
    if (i) out += sep;
    out += items[static_cast<size_t>(refs[i])].id;
  }
  return out;
}

std::string PowertrainNames(const std::vector<Powertrain>& list, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < list.size(); ++i) {
    if (i) out += sep;
    out += model::ToString(list[i]);
  }
  return out;
}

// Key-value pairs of an event, values as plain tokens (lists joined by
// `sep`); shared by the YAML writer and the command-line form.
std::vector<std::pair<std::string, std::string>> EventFields(const model::Scenario& s, const Event& e,
                                                             std::string_view sep) {
  std::vector<std::pair<std::string, std::string>> f;
  f.emplace_back("id", e.id);
  f.emplace_back("from", model::ToString(e.from));
  const bool open_ended = e.kind == EventKind::kTariffChange || e.kind == EventKind::kContractChange;
  if (!open_ended) f.emplace_back("to", model::ToString(e.to));
  if (!e.plants.empty()) f.emplace_back("plants", IdList(e.plants, s.plants, sep));
  if (!e.lines.empty()) f.emplace_back("lines", IdList(e.lines, s.lines, sep));
  if (e.kind == EventKind::kRateReduction) f.emplace_back("output_lost_share", Num(e.output_lost_share));
  if (!e.powertrains.empty()) f.emplace_back("powertrains", PowertrainNames(e.powertrains, sep));
  switch (e.kind) {
    case EventKind::kSupplyCap:
      f.emplace_back("units_per_month", Num(e.units_per_month));
      break;
    case EventKind::kTariffChange:
      f.emplace_back("origin", e.origin_country);
      f.emplace_back("market", s.markets[static_cast<size_t>(e.market)].id);
      f.emplace_back("rate", Num(e.tariff_rate));
      break;
    case EventKind::kDemandChange:
      if (!e.brands.empty()) f.emplace_back("brands", IdList(e.brands, s.brands, sep));
      if (!e.markets.empty()) f.emplace_back("markets", IdList(e.markets, s.markets, sep));
      f.emplace_back("factor", Num(e.demand_factor));
      break;
    case EventKind::kContractChange:
      f.emplace_back("contract", s.contracts[static_cast<size_t>(e.contract)].id);
      if (e.min_units_per_year >= 0) f.emplace_back("min_units_per_year", Num(e.min_units_per_year));
      if (e.max_units_per_year >= 0) f.emplace_back("max_units_per_year", Num(e.max_units_per_year));
      break;
    default:
      break;
  }
  return f;
}

bool IsListKey(std::string_view key) {
  return key == "plants" || key == "lines" || key == "brands" || key == "markets" || key == "powertrains";
}

}  // namespace

void ParseEventSections(YamlDecoder& decoder, const YAML::Node& root, model::Scenario& scenario) {
  EventParser(decoder, scenario, &scenario).ParseSections(root);
}

Result<model::Event> ParseEventText(std::string_view text, const model::Scenario& scenario,
                                    std::string_view origin, std::string_view default_id) {
  const std::string where(origin);
  std::vector<std::string> tokens;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\t') ++j;
    if (j > i) tokens.emplace_back(text.substr(i, j - i));
    i = j;
  }
  if (tokens.empty()) {
    return InvalidInput(
        where + ": empty event; expected e.g. \"outage plants=halewood from=2026-10-05 to=2026-11-08\"");
  }
  // The document is made of checked plain tokens only, so it parses as the
  // flow mapping it looks like.
  std::string yaml = "{";
  size_t first = 0;
  std::string kind_text;
  if (tokens[0].find('=') == std::string::npos) {
    kind_text = tokens[0];
    yaml += "kind: " + tokens[0];
    first = 1;
    if (!IsPlainToken(tokens[0]))
      return InvalidInput(fmt::format("{}: \"{}\" is not an event kind", where, tokens[0]));
  }
  std::set<std::string> keys;
  for (size_t t = first; t < tokens.size(); ++t) {
    const size_t eq = tokens[t].find('=');
    if (eq == std::string::npos || eq == 0) {
      return InvalidInput(fmt::format("{}: expected key=value, got \"{}\"", where, tokens[t]));
    }
    std::string key = tokens[t].substr(0, eq);
    const std::string value = tokens[t].substr(eq + 1);
    if (key == "kind") kind_text = value;
    if (!IsPlainToken(key) || !IsPlainToken(value)) {
      return InvalidInput(
          fmt::format("{}: {}: values are letters, digits, '-', '_', '.' and ',' (for lists), got \"{}\"",
                      where, key, value));
    }
    // Singular spellings read naturally on a command line.
    const bool tariff = model::ParseEventKind(kind_text) == EventKind::kTariffChange;
    if (key == "plant" || key == "line" || key == "brand" || key == "powertrain" ||
        (key == "market" && !tariff)) {
      key += "s";
    }
    if (!keys.insert(key).second) return InvalidInput(fmt::format("{}: {} given twice", where, key));
    yaml += (yaml.size() > 1 ? ", " : "") + key + ": " + (IsListKey(key) ? "[" + value + "]" : value);
  }
  yaml += "}";
  std::vector<Diagnostic> diagnostics;
  auto root = ParseYamlText(yaml, where);
  if (!root)
    return InvalidInput(fmt::format("{}: cannot read \"{}\": {}", where, text, root.error().message));
  YamlDecoder decoder(where, &diagnostics);
  EventParser parser(decoder, scenario, nullptr);
  auto event = parser.ParseEvent(*root, "", std::string(default_id));
  for (auto& d : diagnostics) d.line = d.column = 0;  // positions in the synthesized text mean nothing
  if (!diagnostics.empty()) return InvalidInput(JoinDiagnostics(diagnostics));
  return *event;
}

Result<void> CheckEvents(const model::Scenario& scenario, std::span<const model::Event> events) {
  std::vector<std::string> problems;
  std::set<std::string> ids;
  for (const auto& e : events) {
    if (!ids.insert(e.id).second) problems.push_back(fmt::format("duplicate event id \"{}\"", e.id));
  }
  for (const auto& conflict : model::FindEventConflicts(scenario, events))
    problems.push_back(conflict.message);
  if (!problems.empty()) return InvalidInput(fmt::format("{}", fmt::join(problems, "\n")));
  return {};
}

std::string EventToText(const model::Scenario& scenario, const model::Event& event) {
  std::string out(model::ToString(event.kind));
  for (const auto& [key, value] : EventFields(scenario, event, ",")) {
    if (key == "id" && !IsPlainToken(value)) continue;
    out += " " + key + "=" + value;
  }
  return out;
}

std::string WriteEventSectionsYaml(const model::Scenario& s) {
  std::string o;
  if (!s.events.empty()) {
    o += "events:\n";
    for (const auto& e : s.events) {
      o += fmt::format("  - {{kind: {}", model::ToString(e.kind));
      if (!e.reason.empty()) o += ", reason: " + Quote(e.reason);
      for (const auto& [key, value] : EventFields(s, e, ", ")) {
        o += ", " + key + ": " + (IsListKey(key) ? "[" + value + "]" : key == "id" ? Quote(value) : value);
      }
      o += "}\n";
    }
  }
  const model::ReplanSettings& r = s.replan;
  if (r != model::ReplanSettings{}) {
    o += fmt::format(
        "replan: {{stability_penalty_gbp_per_car: {}, backlog_max_months: {}, "
        "backlog_delay_cost_gbp_per_car_month: {}, extra_shifts_per_day: {}, extra_shift_premium: {}, "
        "weekend_days_per_month: {}, weekend_premium: {}, recovery_months: {}, relative_gap: {}, "
        "time_limit_seconds: {}}}\n",
        Num(r.stability_penalty_gbp_per_car), r.backlog_max_months,
        Num(r.backlog_delay_cost_gbp_per_car_month), r.extra_shifts_per_day, Num(r.extra_shift_premium),
        r.weekend_days_per_month, Num(r.weekend_premium), r.recovery_months, Num(r.relative_gap),
        Num(r.time_limit_seconds));
  }
  if (!s.risk.outages.empty() || !s.risk.demand.empty()) {
    o += "risk:\n";
    if (!s.risk.outages.empty()) {
      o += "  outages:\n";
      for (const auto& r2 : s.risk.outages) {
        o += fmt::format("    - {{plants: [{}], probability_per_year: {}, min_weeks: {}, max_weeks: {}}}\n",
                         IdList(r2.plants, s.plants, ", "), Num(r2.probability_per_year), Num(r2.min_weeks),
                         Num(r2.max_weeks));
      }
    }
    if (!s.risk.demand.empty()) {
      o += "  demand:\n";
      for (const auto& d : s.risk.demand) {
        o += "    - {";
        if (!d.brands.empty()) o += "brands: [" + IdList(d.brands, s.brands, ", ") + "], ";
        if (!d.markets.empty()) o += "markets: [" + IdList(d.markets, s.markets, ", ") + "], ";
        if (!d.powertrains.empty()) o += "powertrains: [" + PowertrainNames(d.powertrains, ", ") + "], ";
        o += fmt::format("min_factor: {}, mode_factor: {}, max_factor: {}}}\n", Num(d.min_factor),
                         Num(d.mode_factor), Num(d.max_factor));
      }
    }
  }
  return o;
}

}  // namespace cobuild::io
