#include "io/scenario_writer.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <string_view>
#include <utility>
#include <vector>

#include "io/event_reader.h"
#include "model/powertrain.h"

namespace cobuild::io {
namespace {

// A double-quoted YAML string (the JSON escapes are valid YAML).
std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// Shortest text that reads back as the same double.
std::string Num(double x) { return fmt::format("{}", x); }

std::string ShiftChangeMap(const model::ShiftChangeRule& rule) {
  return fmt::format("{{shift_added_cost_gbp: {}, shift_removed_cost_gbp: {}, min_shift_months: {}}}",
                     Num(rule.added_cost_gbp), Num(rule.removed_cost_gbp), rule.min_months);
}

template <typename T, typename F>
std::string FlowList(const std::vector<T>& items, F to_text) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += to_text(items[i]);
  }
  return out + "]";
}

// "{key: value, ...}" for the items `entry` maps to a (key, value) pair.
template <typename T, typename F>
std::string FlowMap(const std::vector<T>& items, F entry) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    const auto [key, value] = entry(items[i]);
    out += fmt::format("{}{}: {}", i ? ", " : "", Quote(key), Num(value));
  }
  return out + "}";
}

std::string PowertrainList(const std::vector<model::Powertrain>& list) {
  return FlowList(list, [](model::Powertrain p) { return std::string(model::ToString(p)); });
}

}  // namespace

std::string WriteScenarioYaml(const model::Scenario& s) {
  std::string o;
  auto line = [&o](std::string_view text) {
    o += text;
    o += '\n';
  };
  const auto& H = s.horizon;
  line(fmt::format("name: {}", Quote(s.name)));
  if (!s.description.empty()) line(fmt::format("description: {}", Quote(s.description)));
  line(fmt::format("horizon: {{start: {}, months: {}}}", model::ToString(H.first), H.num_months));
  const std::string end_value =
      s.settings.horizon_end_value == model::HorizonEndValue::kNone
          ? ""
          : fmt::format(", horizon_end_value: {}", model::ToString(s.settings.horizon_end_value));
  std::string deal_rules;
  if (s.settings.participation_contract >= 0) {
    deal_rules += ", participation: " + Quote(s.contracts[s.settings.participation_contract].id);
  }
  if (s.settings.host_first_contract >= 0) {
    deal_rules += ", host_first: " + Quote(s.contracts[s.settings.host_first_contract].id);
  }
  line(fmt::format("settings: {{unmet_penalty_gbp_per_car: {}, transit_rule: {}{}{}{}}}",
                   Num(s.settings.unmet_penalty_gbp_per_car), model::ToString(s.settings.transit_rule),
                   s.settings.discount_rate_per_year != 0
                       ? fmt::format(", discount_rate_per_year: {}", Num(s.settings.discount_rate_per_year))
                       : std::string(),
                   end_value, deal_rules));

  line("companies:");
  for (const auto& c : s.companies) {
    if (c.owners.empty()) {
      line(fmt::format("  - {{id: {}, name: {}}}", Quote(c.id), Quote(c.name)));
      continue;
    }
    std::string owners;
    for (const auto& o : c.owners) {
      owners += fmt::format("{}{{company: {}, share: {}}}", owners.empty() ? "" : ", ",
                            Quote(s.companies[o.company].id), Num(o.share));
    }
    line(fmt::format("  - {{id: {}, name: {}, owners: [{}]}}", Quote(c.id), Quote(c.name), owners));
  }
  line("brands:");
  for (const auto& b : s.brands) {
    line(fmt::format("  - {{id: {}, name: {}, company: {}}}", Quote(b.id), Quote(b.name),
                     Quote(s.companies[b.company].id)));
  }
  line("platforms:");
  for (const auto& p : s.platforms) {
    line(fmt::format("  - {{id: {}, name: {}, company: {}}}", Quote(p.id), Quote(p.name),
                     Quote(s.companies[p.company].id)));
  }
  line("plants:");
  for (const auto& p : s.plants) {
    line(fmt::format("  - id: {}", Quote(p.id)));
    line(fmt::format("    name: {}", Quote(p.name)));
    line(fmt::format("    company: {}", Quote(s.companies[p.company].id)));
    line(fmt::format("    country: {}", Quote(p.country)));
    line("    calendar:");
    line("      working_days_by_month:");
    for (int t = 0; t < H.num_months; ++t) {
      line(
          fmt::format("        {}: {}", model::ToString(H.MonthAt(t)), Num(p.calendar.base_working_days[t])));
    }
    if (!p.calendar.shutdowns.empty()) {
      line("      shutdowns:");
      for (const auto& sd : p.calendar.shutdowns) {
        line(fmt::format("        - {{month: {}, weeks: {}, reason: {}}}", model::ToString(sd.month),
                         sd.weeks, Quote(sd.reason)));
      }
    }
    if (p.shift_changes) line("    workforce: " + ShiftChangeMap(*p.shift_changes));
    if (const model::PlantStock* stock = s.StockAt(static_cast<int>(&p - s.plants.data()))) {
      line("    stock:");
      line(fmt::format("      holding_cost_gbp_per_car_month: {}",
                       Num(stock->holding_cost_gbp_per_car_month)));
      if (std::isfinite(stock->max_cars)) line(fmt::format("      max_cars: {}", Num(stock->max_cars)));
      if (std::isfinite(stock->max_cars_per_variant)) {
        line(fmt::format("      max_cars_per_variant: {}", Num(stock->max_cars_per_variant)));
      }
      if (stock->safety_stock_cars > 0) {
        line(fmt::format("      safety_stock_cars: {}", Num(stock->safety_stock_cars)));
        line(fmt::format("      safety_stock_penalty_gbp_per_car_month: {}",
                         Num(stock->safety_stock_penalty_gbp_per_car_month)));
      }
      if (!stock->initial.empty()) line("      initial:");
      for (const model::InitialStock& initial : stock->initial) {
        line(fmt::format("        - {{variant: {}, units: {}}}", Quote(s.variants[initial.variant].id),
                         Num(initial.units)));
      }
    }
  }
  line("lines:");
  for (const auto& l : s.lines) {
    line(fmt::format("  - id: {}", Quote(l.id)));
    line(fmt::format("    name: {}", Quote(l.name)));
    line(fmt::format("    plant: {}", Quote(s.plants[l.plant].id)));
    line(fmt::format("    platforms: {}",
                     FlowList(l.platforms, [&](int p) { return Quote(s.platforms[p].id); })));
    line(fmt::format("    powertrains: {}", PowertrainList(l.powertrains)));
    line(fmt::format("    rate_jph: {}", Num(l.rate_jph)));
    line(fmt::format("    hours_per_shift: {}", Num(l.hours_per_shift)));
    line(fmt::format("    max_shifts_per_day: {}", l.max_shifts_per_day));
    line(fmt::format("    availability: {}", Num(l.availability)));
    line(fmt::format("    fixed_cost_per_shift_gbp: {}", Num(l.fixed_cost_per_shift_gbp)));
    line(fmt::format("    paint_batch_limit: {}", l.paint_batch_limit));
    if (l.shift_changes) line("    workforce: " + ShiftChangeMap(*l.shift_changes));
    if (!l.retooling.empty()) {
      line("    retooling:");
      for (const auto& r : l.retooling) {
        std::string extra;
        if (r.tooling_life_years > 0)
          extra += fmt::format(", tooling_life_years: {}", Num(r.tooling_life_years));
        if (r.downtime_weeks > 0) extra += fmt::format(", downtime_weeks: {}", Num(r.downtime_weeks));
        if (!r.ramp_up.empty()) extra += ", ramp_up: " + FlowList(r.ramp_up, [](double x) { return Num(x); });
        line(fmt::format("      - {{platform: {}, cost_gbp: {}, lead_time_months: {}{}}}",
                         Quote(s.platforms[r.platform].id), Num(r.cost_gbp), r.lead_time_months, extra));
      }
    }
    if (!l.stations.empty()) {
      line("    stations:");
      for (const auto& st : l.stations) {
        line(fmt::format("      - {{id: {}, option: {}, max_cars: {}, window_cars: {}, high_priority: {}}}",
                         Quote(st.id), Quote(st.option), st.max_cars, st.window_cars,
                         st.high_priority ? "true" : "false"));
      }
    }
    if (!l.share_limits.empty()) {
      line("    share_limits:");
      for (const auto& sl : l.share_limits) {
        line(fmt::format("      - {{powertrain: {}, max_share: {}}}", model::ToString(sl.powertrain),
                         Num(sl.max_share)));
      }
    }
  }
  line("markets:");
  for (const auto& m : s.markets) {
    line(fmt::format("  - {{id: {}, name: {}, countries: {}}}", Quote(m.id), Quote(m.name),
                     FlowList(m.countries, [](const std::string& c) { return Quote(c); })));
  }
  line("models:");
  for (size_t mi = 0; mi < s.models.size(); ++mi) {
    const auto& m = s.models[mi];
    line(fmt::format("  - id: {}", Quote(m.id)));
    line(fmt::format("    name: {}", Quote(m.name)));
    line(fmt::format("    brand: {}", Quote(s.brands[m.brand].id)));
    line(fmt::format("    platform: {}", Quote(s.platforms[m.platform].id)));
    line("    variants:");
    for (const auto& v : s.variants) {
      if (v.model != static_cast<int>(mi)) continue;
      line(fmt::format("      - id: {}", Quote(v.id)));
      line(fmt::format("        name: {}", Quote(v.name)));
      line(fmt::format("        powertrain: {}", model::ToString(v.powertrain)));
      line("        options: " + FlowMap(v.options, [](const model::OptionShare& o) {
             return std::pair{o.option, o.share};
           }));
      line("        paint: " + FlowMap(v.paint, [](const model::PaintShare& p) {
             return std::pair{p.colour, p.share};
           }));
      line(fmt::format("        unit_variable_cost_gbp: {}", Num(v.unit_variable_cost_gbp)));
      std::string prices = "{";
      bool first = true;
      for (size_t k = 0; k < v.price_gbp.size(); ++k) {
        if (v.price_gbp[k] <= 0) continue;
        prices += fmt::format("{}{}: {}", first ? "" : ", ", Quote(s.markets[k].id), Num(v.price_gbp[k]));
        first = false;
      }
      line("        price_gbp: " + prices + "}");
      line("        local_content: " + FlowMap(v.local_content, [](const model::LocalContent& c) {
             return std::pair{c.country, c.share};
           }));
      if (!v.plant_costs.empty()) line("        plant_costs:");
      for (const auto& pc : v.plant_costs) {
        line(fmt::format("          - {{plant: {}, unit_variable_cost_gbp: {}}}",
                         Quote(s.plants[pc.plant].id), Num(pc.unit_variable_cost_gbp)));
      }
      if (v.has_launch) {
        line(fmt::format("        launch: {{month: {}, ramp_up: {}}}",
                         model::ToString(H.MonthAt(v.launch_month)),
                         FlowList(v.launch_ramp_up, [](double x) { return Num(x); })));
      }
    }
  }
  line("demand:");
  for (int v = 0; v < s.demand.num_variants; ++v) {
    for (int m = 0; m < s.demand.num_markets; ++m) {
      std::string months;
      for (int t = 0; t < s.demand.num_months; ++t) {
        const double units = s.demand.at(v, m, t);
        if (units == 0) continue;
        months +=
            fmt::format("{}{}: {}", months.empty() ? "" : ", ", model::ToString(H.MonthAt(t)), Num(units));
      }
      if (months.empty()) continue;
      line(fmt::format("  - variant: {}", Quote(s.variants[v].id)));
      line(fmt::format("    market: {}", Quote(s.markets[m].id)));
      line("    units_per_month: {" + months + "}");
    }
  }
  line(s.routes.empty() ? "routes: []" : "routes:");
  for (const auto& r : s.routes) {
    line(fmt::format("  - {{plant: {}, market: {}, freight_cost_per_car_gbp: {}, transit_days: {}}}",
                     Quote(s.plants[r.plant].id), Quote(s.markets[r.market].id),
                     Num(r.freight_cost_per_car_gbp), r.transit_days));
  }
  if (!s.pipeline.empty()) line("pipeline:");
  for (const auto& a : s.pipeline) {
    line(fmt::format("  - {{variant: {}, market: {}, month: {}, units: {}}}", Quote(s.variants[a.variant].id),
                     Quote(s.markets[a.market].id), model::ToString(H.MonthAt(a.month)), Num(a.units)));
  }
  if (!s.tariffs.empty()) line("tariffs:");
  for (const auto& t : s.tariffs) {
    line(fmt::format("  - {{origin: {}, market: {}, powertrains: {}, rate: {}}}", Quote(t.origin_country),
                     Quote(s.markets[t.market].id), PowertrainList(t.powertrains), Num(t.rate)));
  }
  if (!s.local_content_rules.empty()) line("local_content_rules:");
  for (const auto& r : s.local_content_rules) {
    line(
        fmt::format("  - {{origin: {}, market: {}, powertrains: {}, min_local_content: {}, "
                    "preferential_rate: {}}}",
                    Quote(r.origin_country), Quote(s.markets[r.market].id), PowertrainList(r.powertrains),
                    Num(r.min_local_content), Num(r.preferential_rate)));
  }
  if (!s.kits.empty()) line("kits:");
  for (const auto& k : s.kits) {
    line(fmt::format(
        "  - {{variant: {}, host_plant: {}, from_plant: {}, kit_cost_gbp: {}, "
        "freight_per_kit_gbp: {}, assembly_cost_gbp: {}}}",
        Quote(s.variants[k.variant].id), Quote(s.plants[k.host_plant].id), Quote(s.plants[k.from_plant].id),
        Num(k.kit_cost_gbp), Num(k.freight_per_kit_gbp), Num(k.assembly_cost_gbp)));
  }
  if (!s.contracts.empty()) line("contracts:");
  for (const auto& c : s.contracts) {
    line(fmt::format("  - id: {}", Quote(c.id)));
    line(fmt::format("    host: {}", Quote(s.companies[c.host].id)));
    line(fmt::format("    partner: {}", Quote(s.companies[c.partner].id)));
    line(fmt::format("    brands: {}", FlowList(c.brands, [&](int b) { return Quote(s.brands[b].id); })));
    line(fmt::format("    plants: {}", FlowList(c.plants, [&](int p) { return Quote(s.plants[p].id); })));
    line(fmt::format("    fee_per_car_gbp: {}", Num(c.fee_per_car_gbp)));
    line(fmt::format("    min_units_per_year: {}", Num(c.min_units_per_year)));
    line(fmt::format("    max_units_per_year: {}", Num(c.max_units_per_year)));
    if (c.first_year) line(fmt::format("    first_year: {}", c.first_year));
    if (c.last_year) line(fmt::format("    last_year: {}", c.last_year));
    if (c.tooling_partner_share != 0)
      line(fmt::format("    tooling_paid_by: {}", Num(c.tooling_partner_share)));
  }
  o += WriteEventSectionsYaml(s);  // io/event_reader.h
  return o;
}

}  // namespace cobuild::io
