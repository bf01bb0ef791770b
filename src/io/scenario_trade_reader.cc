// routes, tariffs, local_content_rules and contracts of a scenario file; see
// io/scenario_sections.h.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "io/scenario_sections.h"

namespace cobuild::io::scenario_sections {
namespace {

using model::Powertrain;

class TradeReader : public SectionReader {
 public:
  using SectionReader::SectionReader;

  void ParseRoutes(const YAML::Node& root) {
    std::set<std::pair<int, int>> seen;
    f_.ForEachItem(
        root, "routes", "", Required::kYes, [&](const YAML::Node& n, const std::string& p, size_t) {
          d_.CheckKeys(
              n, p, {"plant", "market", "freight_cost_per_car_gbp", "transit_days", COBUILD_PROVENANCE_KEYS});
          f_.Provenance(n, p);
          model::Route r;
          r.plant = f_.RefField(n, "plant", p, "plant", s_.plants, Required::kYes);
          r.market = f_.RefField(n, "market", p, "market", s_.markets, Required::kYes);
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

  // kits: a host plant assembles a variant from kits shipped from another
  // plant (docs/scenario-format.md, "Kits").
  void ParseKits(const YAML::Node& root) {
    std::set<std::pair<int, int>> seen;
    f_.ForEachItem(root, "kits", "", Required::kNo, [&](const YAML::Node& n, const std::string& p, size_t) {
      d_.CheckKeys(n, p,
                   {"variant", "host_plant", "from_plant", "kit_cost_gbp", "freight_per_kit_gbp",
                    "assembly_cost_gbp", COBUILD_PROVENANCE_KEYS});
      f_.Provenance(n, p);
      model::Kit kit;
      kit.variant = f_.RefField(n, "variant", p, "variant", s_.variants, Required::kYes);
      kit.host_plant = f_.RefField(n, "host_plant", p, "plant", s_.plants, Required::kYes);
      kit.from_plant = f_.RefField(n, "from_plant", p, "plant", s_.plants, Required::kYes);
      kit.kit_cost_gbp =
          d_.Number(n, "kit_cost_gbp", p, Required::kYes, NumberRule::Between(0, kMaxMoney)).value_or(0);
      kit.freight_per_kit_gbp =
          d_.Number(n, "freight_per_kit_gbp", p, Required::kYes, NumberRule::Between(0, kMaxMoney))
              .value_or(0);
      kit.assembly_cost_gbp =
          d_.Number(n, "assembly_cost_gbp", p, Required::kYes, NumberRule::Between(0, kMaxMoney)).value_or(0);
      if (kit.kit_cost_gbp + kit.assembly_cost_gbp <= 0 && n["kit_cost_gbp"].IsDefined() &&
          n["assembly_cost_gbp"].IsDefined()) {
        d_.Error(n, p, "kit_cost_gbp and assembly_cost_gbp must not both be 0");
      }
      if (kit.variant < 0 || kit.host_plant < 0 || kit.from_plant < 0) return;
      const model::Variant& v = s_.variants[static_cast<size_t>(kit.variant)];
      if (kit.host_plant == kit.from_plant) {
        d_.Error(n["from_plant"], PathKey(p, "from_plant"), "a kit comes from another plant than its host");
        return;
      }
      if (!seen.insert({kit.variant, kit.host_plant}).second) {
        d_.Error(n, p,
                 fmt::format("plant \"{}\" already assembles variant \"{}\" from a kit",
                             s_.plants[static_cast<size_t>(kit.host_plant)].id, v.id));
        return;
      }
      // The kit plant builds the variant (its platform and powertrain on one
      // of its lines today): its parts and packing are there.
      const int platform = s_.models[static_cast<size_t>(v.model)].platform;
      const bool builds = std::any_of(s_.lines.begin(), s_.lines.end(), [&](const model::Line& line) {
        return line.plant == kit.from_plant &&
               std::find(line.platforms.begin(), line.platforms.end(), platform) != line.platforms.end() &&
               std::find(line.powertrains.begin(), line.powertrains.end(), v.powertrain) !=
                   line.powertrains.end();
      });
      if (!builds) {
        d_.Error(n["from_plant"], PathKey(p, "from_plant"),
                 fmt::format("plant \"{}\" has no line that builds variant \"{}\" (platform \"{}\", {}), so "
                             "it cannot ship its kits",
                             s_.plants[static_cast<size_t>(kit.from_plant)].id, v.id,
                             s_.platforms[static_cast<size_t>(platform)].id, model::ToString(v.powertrain)));
        return;
      }
      s_.kits.push_back(kit);
    });
  }

  // pipeline: cars on their way at the horizon start (docs/scenario-format.md).
  void ParsePipeline(const YAML::Node& root) {
    std::set<std::tuple<int, int, int>> seen;
    f_.ForEachItem(
        root, "pipeline", "", Required::kNo, [&](const YAML::Node& n, const std::string& p, size_t) {
          d_.CheckKeys(n, p, {"variant", "market", "month", "units", COBUILD_PROVENANCE_KEYS});
          f_.Provenance(n, p);
          model::PipelineArrival a;
          a.variant = f_.RefField(n, "variant", p, "variant", s_.variants, Required::kYes);
          a.market = f_.RefField(n, "market", p, "market", s_.markets, Required::kYes);
          const auto month = d_.Field(n, "month", p, Required::kYes);
          a.month = month ? f_.HorizonMonth(s_.horizon, *month, PathKey(p, "month")) : -1;
          a.units =
              d_.Number(n, "units", p, Required::kYes, {.min = 0, .max = kMaxUnits, .min_exclusive = true})
                  .value_or(0);
          if (a.variant < 0 || a.market < 0 || a.month < 0) return;
          if (!seen.insert({a.variant, a.market, a.month}).second) {
            d_.Error(n, p,
                     fmt::format("pipeline of variant \"{}\" into market \"{}\" in {} is listed twice",
                                 s_.variants[static_cast<size_t>(a.variant)].id,
                                 s_.markets[static_cast<size_t>(a.market)].id,
                                 model::ToString(s_.horizon.MonthAt(a.month))));
          }
          s_.pipeline.push_back(a);
        });
  }

  void ParseTariffs(const YAML::Node& root) {
    std::set<std::tuple<std::string, int, std::vector<Powertrain>>> seen;
    f_.ForEachItem(root, "tariffs", "", Required::kNo,
                   [&](const YAML::Node& n, const std::string& p, size_t) {
                     d_.CheckKeys(n, p, {"origin", "market", "powertrains", "rate", COBUILD_PROVENANCE_KEYS});
                     f_.Provenance(n, p);
                     model::Tariff t;
                     t.origin_country = f_.Country(n, "origin", p);
                     t.market = f_.RefField(n, "market", p, "market", s_.markets, Required::kYes);
                     t.powertrains = f_.PowertrainList(n, "powertrains", p, Required::kNo);
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
    f_.ForEachItem(
        root, "local_content_rules", "", Required::kNo,
        [&](const YAML::Node& n, const std::string& p, size_t) {
          d_.CheckKeys(n, p,
                       {"origin", "market", "powertrains", "min_local_content", "preferential_rate",
                        COBUILD_PROVENANCE_KEYS});
          f_.Provenance(n, p);
          model::LocalContentRule r;
          r.origin_country = f_.Country(n, "origin", p);
          r.market = f_.RefField(n, "market", p, "market", s_.markets, Required::kYes);
          r.powertrains = f_.PowertrainList(n, "powertrains", p, Required::kNo);
          r.min_local_content =
              d_.Number(n, "min_local_content", p, Required::kYes, NumberRule::Share()).value_or(0);
          r.preferential_rate =
              d_.Number(n, "preferential_rate", p, Required::kNo, NumberRule::Between(0, 10)).value_or(0);
          s_.local_content_rules.push_back(std::move(r));
        });
  }

  void ParseContracts(const YAML::Node& root, YamlDecoder& warnings) {
    std::set<std::string> seen;
    std::vector<std::pair<YAML::Node, std::string>> where;  // node and path of each contract
    f_.ForEachItem(
        root, "contracts", "", Required::kNo, [&](const YAML::Node& n, const std::string& p, size_t) {
          where.emplace_back(n, p);
          d_.CheckKeys(
              n, p,
              {"id", "host", "partner", "brands", "plants", "fee_per_car_gbp", "min_units_per_year",
               "max_units_per_year", "first_year", "last_year", "tooling_paid_by", COBUILD_PROVENANCE_KEYS});
          f_.Provenance(n, p);
          model::Contract c;
          c.id = f_.Id(n, p, seen);
          c.host = f_.RefField(n, "host", p, "company", s_.companies, Required::kYes);
          c.partner = f_.RefField(n, "partner", p, "company", s_.companies, Required::kYes);
          c.brands = f_.RefList(n, "brands", p, "brand", s_.brands, Required::kYes);
          c.plants = f_.RefList(n, "plants", p, "plant", s_.plants, Required::kNo);
          c.fee_per_car_gbp =
              d_.Number(n, "fee_per_car_gbp", p, Required::kYes, NumberRule::Between(0, kMaxMoney))
                  .value_or(0);
          c.min_units_per_year =
              d_.Number(n, "min_units_per_year", p, Required::kNo, NumberRule::Between(0, kMaxUnits))
                  .value_or(0);
          c.max_units_per_year =
              d_.Number(n, "max_units_per_year", p, Required::kNo, NumberRule::Between(0, kMaxUnits))
                  .value_or(0);
          c.first_year =
              d_.Integer(n, "first_year", p, Required::kNo, NumberRule::Between(1900, 2200)).value_or(0);
          c.last_year =
              d_.Integer(n, "last_year", p, Required::kNo, NumberRule::Between(1900, 2200)).value_or(0);
          // `tooling_paid_by`: host (the default), partner, or the partner's share in [0, 1].
          if (const YAML::Node t = n["tooling_paid_by"]; t && t.IsScalar() && t.Scalar() == "host") {
            c.tooling_partner_share = 0;
          } else if (t && t.IsScalar() && t.Scalar() == "partner") {
            c.tooling_partner_share = 1;
          } else if (t && t.IsScalar() && !t.Scalar().empty() &&
                     (std::isdigit(static_cast<unsigned char>(t.Scalar()[0])) || t.Scalar()[0] == '.')) {
            c.tooling_partner_share =
                d_.Number(n, "tooling_paid_by", p, Required::kNo, NumberRule::Between(0, 1)).value_or(0);
          } else if (t) {
            d_.Error(t, PathKey(p, "tooling_paid_by"),
                     "expected host, partner or the partner's share of the contract's retooling from 0 to 1");
          }
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
    if (where.size() == s_.contracts.size()) WarnOverlappingContracts(where, warnings);
  }

  // Two contracts overlap where both cover one brand at one plant in one
  // year: a car there counts toward both contracts' volumes and pays both
  // fees (docs/planning-model.md, "Contracts"). Allowed, but worth a look.
  void WarnOverlappingContracts(const std::vector<std::pair<YAML::Node, std::string>>& where,
                                YamlDecoder& warnings) {
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
        warnings.Error(
            where[b].first, where[b].second,
            fmt::format("overlaps contract \"{}\" for {} at {} in {}..{}: a car there counts toward both "
                        "contracts' minimum and maximum and pays both fees",
                        first.id, fmt::join(brands, ", "), fmt::join(plants, ", "), shared_years.front(),
                        shared_years.back()));
      }
    }
  }
};

}  // namespace

void ReadTrade(FieldReader& fields, const YAML::Node& root, model::Scenario& scenario) {
  TradeReader reader(fields, scenario);
  reader.ParseRoutes(root);
  reader.ParseTariffs(root);
  reader.ParseLocalContentRules(root);
}

void ReadPipeline(FieldReader& fields, const YAML::Node& root, model::Scenario& scenario) {
  TradeReader(fields, scenario).ParsePipeline(root);
}

void ReadKits(FieldReader& fields, const YAML::Node& root, model::Scenario& scenario) {
  TradeReader(fields, scenario).ParseKits(root);
}

void ReadContracts(FieldReader& fields, FieldReader& warnings, const YAML::Node& root,
                   model::Scenario& scenario) {
  TradeReader(fields, scenario).ParseContracts(root, warnings.decoder());
}

}  // namespace cobuild::io::scenario_sections
