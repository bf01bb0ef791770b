#include "io/deal_sweep_io.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>
#include <utility>

#include "io/csv.h"
#include "io/deal_io.h"
#include "io/text_lines.h"
#include "plan/plan.h"

namespace cobuild::io {
namespace {

using nlohmann::json;

void Record(std::string& out, std::string_view section, double point, std::string_view field,
            std::string_view key, double value) {
  // The deal CSV's columns (section,key,field,with,without,change): the
  // point as the key, "field:id" as the field, the value under "with".
  out += std::string(section) + "," + CsvNumber(point) + "," +
         CsvField(std::string(field) + ":" + std::string(key)) + "," + CsvNumber(value) + ",,\n";
}

std::optional<double> ParseNumber(std::string_view text) {
  double v = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc{} || r.ptr != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

Result<std::vector<double>> ParseFees(std::string_view text) {
  const auto parts = SplitFields(text, ':');
  double v[3] = {0, 0, 0};  // from, to, points
  bool ok = parts.size() == 3;
  for (size_t i = 0; ok && i < 3; ++i) {
    const std::optional<double> x = ParseNumber(parts[i]);
    ok = x.has_value();
    if (ok) v[i] = *x;
  }
  const double from = v[0], to = v[1], points = v[2];
  if (!ok || points != std::floor(points) || points < 2 || points > 101 || !(from < to) ||
      std::abs(from) > 1e7 || std::abs(to) > 1e7) {
    return InvalidInput(fmt::format(
        "--fees: expected FROM:TO:POINTS, GBP a car with FROM < TO (each within +-10,000,000) and 2 to 101 "
        "points, for example 0:3000:11; got \"{}\"",
        text));
  }
  std::vector<double> fees;
  for (int i = 0; i < static_cast<int>(points); ++i) fees.push_back(from + (to - from) * i / (points - 1));
  return fees;
}

Result<deal::TariffLever> ParseTariffLever(const model::Scenario& s, std::string_view text) {
  const auto parts = SplitFields(text, ':');
  auto bad = [&](const std::string& why) {
    return InvalidInput(
        fmt::format("--tariff: {}; expected MARKET:ORIGIN[:POWERTRAIN][:RATES], RATES comma-separated shares "
                    "(for example UK:CN:0,0.1,0.2,0.3,0.4 or EU:CN:BEV:0.1,0.31,0.5), got \"{}\"",
                    why, text));
  };
  if (parts.size() < 2 || parts.size() > 4) return bad("expected 2 to 4 fields separated by ':'");
  deal::TariffLever lever;
  lever.market = s.FindMarket(parts[0]);
  if (lever.market < 0) return bad(fmt::format("unknown market \"{}\"", parts[0]));
  lever.origin = std::string(parts[1]);
  if (lever.origin.size() != 2 ||
      !std::all_of(lever.origin.begin(), lever.origin.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return bad(fmt::format("origin \"{}\" is not a two-letter country code", parts[1]));
  }
  size_t next = 2;
  if (parts.size() > next) {
    if (auto pt = model::ParsePowertrain(parts[next])) {
      lever.powertrain = *pt;
      ++next;
    } else if (parts.size() == 4) {
      return bad(fmt::format("unknown powertrain \"{}\"", parts[next]));
    }
  }
  if (parts.size() > next) {
    for (const std::string& r : SplitFields(parts[next], ',')) {
      const auto rate = ParseNumber(r);
      if (!rate || *rate < 0 || *rate > 5) return bad(fmt::format("rate \"{}\" is not a share in [0, 5]", r));
      lever.rates.push_back(*rate);
    }
    if (lever.rates.size() > 21) return bad("at most 21 rates");
    std::sort(lever.rates.begin(), lever.rates.end());
    lever.rates.erase(std::unique(lever.rates.begin(), lever.rates.end()), lever.rates.end());
  }
  if (lever.rates.empty()) lever.rates = deal::DefaultRates(s, lever);
  return lever;
}

json FeeSweepJson(const model::Scenario& s, const deal::DealReport& r, const deal::FeeSweep& sweep) {
  json plants = json::array();
  for (int p : sweep.plants) plants.push_back(s.plants[p].id);
  json points = json::array();
  for (const auto& p : sweep.points) {
    json gains = json::object();
    for (size_t c = 0; c < p.gain_pv_gbp.size(); ++c)
      gains[s.companies[c].id] = plan::Pennies(p.gain_pv_gbp[c]);
    json cars = json::object();
    for (size_t i = 0; i < sweep.plants.size() && i < p.cars_by_plant.size(); ++i) {
      cars[s.plants[sweep.plants[i]].id] = p.cars_by_plant[i];
    }
    points.push_back({{"fee_gbp", p.fee_gbp},
                      {"status", plan::ToString(p.status)},
                      {"gap", p.gap},
                      {"seconds", p.seconds},
                      {"gain_pv_gbp", std::move(gains)},
                      {"host_gain_pv_gbp", plan::Pennies(p.host_gain_pv_gbp)},
                      {"partner_gain_pv_gbp", plan::Pennies(p.partner_gain_pv_gbp)},
                      {"cars_hosted", p.cars_hosted},
                      {"cars_by_plant", std::move(cars)},
                      {"checker_violations", p.violations}});
  }
  const deal::FeeTerms& t = sweep.pv_terms;
  json zone = t.cars > 0 ? json{{"from", plan::Pennies(t.host_break_even_fee_gbp)},
                                {"to", plan::Pennies(t.partner_max_fee_gbp)},
                                {"exists", t.zone_exists()},
                                {"proposed", plan::Pennies(t.proposed_fee_gbp)}}
                         : json();
  const deal::SweepStart& f = sweep.start;
  json start = {{"fee_gbp", f.fee_gbp},
                {"status", plan::ToString(f.status)},
                {"objective_gbp", plan::Pennies(f.objective_gbp)},
                {"gap", f.gap},
                {"seconds", f.seconds},
                {"cars_hosted", f.cars_hosted},
                {"zone_pv", f.cars_hosted > 0 ? json{{"from", plan::Pennies(f.from_fee_gbp)},
                                                     {"to", plan::Pennies(f.to_fee_gbp)}}
                                              : json()}};
  return {{"host", s.companies[r.host].id}, {"partner", s.companies[r.partner].id},
          {"host_first", sweep.host_first}, {"plants", std::move(plants)},
          {"zone_pv", std::move(zone)},     {"start", std::move(start)},
          {"seconds", sweep.seconds},       {"points", std::move(points)}};
}

json TariffSweepJson(const model::Scenario& s, const deal::TariffSweep& sweep) {
  const deal::TariffLever& l = sweep.lever;
  json points = json::array();
  for (const auto& p : sweep.points) {
    const deal::FeeTerms& t = p.terms;
    const bool priced = t.cars > 0;
    points.push_back(
        {{"rate", p.rate},
         {"cars", t.cars},
         {"host_gain_gbp", plan::Pennies(t.host_gain_gbp)},
         {"partner_gain_gbp", plan::Pennies(t.partner_gain_gbp)},
         {"host_break_even_fee_gbp", priced ? json(plan::Pennies(t.host_break_even_fee_gbp)) : json()},
         {"partner_max_fee_gbp", priced ? json(plan::Pennies(t.partner_max_fee_gbp)) : json()},
         {"zone_exists", t.zone_exists()},
         {"proposed_fee_gbp", priced ? json(plan::Pennies(t.proposed_fee_gbp)) : json()},
         {"gaps", {p.with_gap, p.without_gap}},
         {"checker_violations", p.violations}});
  }
  json crossings = json::array();
  for (const auto& c : sweep.crossings) {
    crossings.push_back(
        {{"company", s.companies[c.company].id}, {"rate", c.rate}, {"starts_paying", c.starts_paying}});
  }
  return {{"lever",
           {{"market", s.markets[l.market].id},
            {"origin", l.origin},
            {"powertrain", l.powertrain ? json(std::string(model::ToString(*l.powertrain))) : json()},
            {"text", l.ToText(s)}}},
          {"rates", l.rates},
          {"seconds", sweep.seconds},
          {"points", std::move(points)},
          {"crossings", std::move(crossings)}};
}

std::string DealSweepsCsv(const model::Scenario& s, const deal::DealReport& r, const deal::FeeSweep* fees,
                          const deal::TariffSweep* tariff) {
  std::string out;
  if (fees != nullptr) {
    for (const auto& p : fees->points) {
      for (size_t c = 0; c < p.gain_pv_gbp.size(); ++c) {
        Record(out, "fee_sweep", p.fee_gbp, "gain_pv_gbp", s.companies[c].id,
               plan::Pennies(p.gain_pv_gbp[c]));
      }
      Record(out, "fee_sweep", p.fee_gbp, "cars_hosted", s.contracts[r.contract].id, p.cars_hosted);
      for (size_t i = 0; i < fees->plants.size() && i < p.cars_by_plant.size(); ++i) {
        Record(out, "fee_sweep", p.fee_gbp, "cars_hosted", s.plants[fees->plants[i]].id, p.cars_by_plant[i]);
      }
    }
  }
  if (tariff != nullptr) {
    for (const auto& p : tariff->points) {
      const std::string& host = s.companies[r.host].id;
      const std::string& partner = s.companies[r.partner].id;
      Record(out, "tariff_sweep", p.rate, "gain_gbp", host, plan::Pennies(p.terms.host_gain_gbp));
      Record(out, "tariff_sweep", p.rate, "gain_gbp", partner, plan::Pennies(p.terms.partner_gain_gbp));
      Record(out, "tariff_sweep", p.rate, "cars", s.contracts[r.contract].id, p.terms.cars);
      if (p.terms.cars > 0) {
        Record(out, "tariff_sweep", p.rate, "break_even_fee_gbp", host,
               plan::Pennies(p.terms.host_break_even_fee_gbp));
        Record(out, "tariff_sweep", p.rate, "max_fee_gbp", partner,
               plan::Pennies(p.terms.partner_max_fee_gbp));
      }
    }
    for (const auto& c : tariff->crossings) {
      Record(out, "tariff_crossing", c.rate, c.starts_paying ? "starts_paying" : "stops_paying",
             s.companies[c.company].id, c.rate);
    }
  }
  return out;
}

nlohmann::json DealResultJson(const model::Scenario& s, const deal::DealReport& report,
                              const deal::FeeSweep* fees, const deal::TariffSweep* tariff) {
  nlohmann::json out = DealJson(s, report);
  out["fee_sweep"] = fees ? FeeSweepJson(s, report, *fees) : nlohmann::json();
  out["tariff_sweep"] = tariff ? TariffSweepJson(s, *tariff) : nlohmann::json();
  nlohmann::json companies = nlohmann::json::object();
  for (const auto& c : s.companies) companies[c.id] = c.name;
  nlohmann::json plants = nlohmann::json::object();
  for (const auto& p : s.plants) plants[p.id] = p.name;
  nlohmann::json markets = nlohmann::json::object();
  for (const auto& m : s.markets) markets[m.id] = m.name;
  out["names"] = {{"companies", companies}, {"plants", plants}, {"markets", markets}};
  return out;
}

}  // namespace cobuild::io
