#include "io/scenario_reader.h"

#include <fmt/format.h>

#include <filesystem>
#include <utility>

#include "io/event_reader.h"
#include "io/scenario_sections.h"
#include "io/yaml_fields.h"

namespace cobuild::io {
namespace {

using model::Scenario;
namespace sections = scenario_sections;

// Reads a whole scenario: the top-level keys, `horizon` and `settings` here,
// every other section through io/scenario_sections.h and io/event_reader.h.
class ScenarioParser {
 public:
  ScenarioParser(std::string file, std::vector<Diagnostic>* diagnostics)
      : d_(file, diagnostics), w_(file, &warnings_), f_(d_), fw_(w_) {}

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
                  "pipeline",
                  "kits",
                  "events",
                  "replan",
                  "risk",
                  COBUILD_PROVENANCE_KEYS});
    f_.Provenance(root, "");
    if (auto name = d_.String(root, "name", "", Required::kYes)) s_.name = *name;
    if (auto text = d_.String(root, "description", "", Required::kNo)) s_.description = *text;
    const bool horizon_ok = ParseHorizon(root);
    ParseSettings(root);
    sections::ReadCompanies(f_, root, s_);
    if (horizon_ok) {
      sections::ReadPlants(f_, root, s_);
    } else {
      // Plants were not read (their calendars need the horizon): the
      // horizon's error is the one to show, not an "unknown plant" per line.
      f_.SkipRefsTo("plant");
    }
    sections::ReadLines(f_, root, s_);
    sections::ReadMarkets(f_, root, s_);
    sections::ReadModels(f_, root, s_);
    if (horizon_ok) sections::ReadDemand(f_, root, s_);
    sections::ReadTrade(f_, root, s_);
    if (horizon_ok) sections::ReadPipeline(f_, root, s_);
    sections::ReadKits(f_, root, s_);
    sections::ReadStock(f_, root, s_);
    sections::ReadContracts(f_, fw_, root, s_);
    if (d_.ok()) sections::CheckStationMix(f_, fw_, root, s_);
    ResolveDealRules(root);
    if (horizon_ok) ParseEventSections(d_, root, s_);  // io/event_reader.h
    if (!d_.ok()) return std::nullopt;
    return std::move(s_);
  }

 private:
  bool ParseHorizon(const YAML::Node& root) {
    auto node = d_.Field(root, "horizon", "", Required::kYes);
    if (!node || !d_.ExpectMap(*node, "horizon")) return false;
    d_.CheckKeys(*node, "horizon", {"start", "months"});
    auto start_node = d_.Field(*node, "start", "horizon", Required::kYes);
    std::optional<model::YearMonth> start;
    if (start_node) start = f_.Month(*start_node, "horizon.start");
    auto months = d_.Integer(*node, "months", "horizon", Required::kYes,
                             NumberRule::Between(1, sections::kMaxHorizonMonths));
    if (!start || !months) return false;
    s_.horizon = {.first = *start, .num_months = *months};
    return true;
  }

  void ParseSettings(const YAML::Node& root) {
    auto node = d_.Field(root, "settings", "", Required::kNo);
    if (!node || !d_.ExpectMap(*node, "settings")) return;
    d_.CheckKeys(*node, "settings",
                 {"unmet_penalty_gbp_per_car", "transit_rule", "discount_rate_per_year", "horizon_end_value",
                  "participation", "host_first", COBUILD_PROVENANCE_KEYS});
    f_.Provenance(*node, "settings");
    if (auto v = d_.Number(*node, "unmet_penalty_gbp_per_car", "settings", Required::kNo,
                           NumberRule::Between(0, sections::kMaxMoney))) {
      s_.settings.unmet_penalty_gbp_per_car = *v;
    }
    // An annual rate; above 100% is a percentage typed as a number.
    if (auto rate = d_.Number(*node, "discount_rate_per_year", "settings", Required::kNo,
                              NumberRule::Between(0, 1))) {
      s_.settings.discount_rate_per_year = *rate;
    }
    if (auto rule = d_.String(*node, "transit_rule", "settings", Required::kNo)) {
      if (auto parsed = model::ParseTransitRule(*rule)) {
        s_.settings.transit_rule = *parsed;
      } else {
        d_.Error((*node)["transit_rule"], "settings.transit_rule",
                 fmt::format("expected whole_months or mid_month, got \"{}\"", *rule));
      }
    }
    if (auto value = d_.String(*node, "horizon_end_value", "settings", Required::kNo)) {
      if (auto parsed = model::ParseHorizonEndValue(*value)) {
        s_.settings.horizon_end_value = *parsed;
      } else {
        d_.Error((*node)["horizon_end_value"], "settings.horizon_end_value",
                 fmt::format("expected none, cost or margin, got \"{}\"", *value));
      }
    }
  }

  // settings.participation and settings.host_first name a contract, read
  // after the contracts; both set must name the same one (the floors of
  // both come from one plan without it).
  void ResolveDealRules(const YAML::Node& root) {
    const auto node = d_.Field(root, "settings", "", Required::kNo);
    if (!node || !node->IsMap()) return;  // ParseSettings reported it
    const YAML::Node& settings = *node;
    s_.settings.participation_contract =
        f_.RefField(settings, "participation", "settings", "contract", s_.contracts, Required::kNo);
    s_.settings.host_first_contract =
        f_.RefField(settings, "host_first", "settings", "contract", s_.contracts, Required::kNo);
    const int a = s_.settings.participation_contract;
    const int b = s_.settings.host_first_contract;
    if (a >= 0 && b >= 0 && a != b) {
      d_.Error(settings["host_first"], "settings.host_first",
               fmt::format("must name the same contract as settings.participation (\"{}\"), got \"{}\"",
                           s_.contracts[a].id, s_.contracts[b].id));
    }
  }

  YamlDecoder d_;
  std::vector<Diagnostic> warnings_;
  YamlDecoder w_;
  FieldReader f_;
  FieldReader fw_;
  Scenario s_;
};

// Decodes a parsed document into `out`: the scenario only when no diagnostic
// was recorded, the warnings only with it.
void Decode(const YAML::Node& root, std::string file, ScenarioParse& out) {
  ScenarioParser parser{std::move(file), &out.diagnostics};
  out.scenario = parser.Parse(root);
  if (!out.diagnostics.empty()) out.scenario.reset();
  if (out.scenario) out.warnings = parser.TakeWarnings();
}

}  // namespace

ScenarioParse ParseScenarioDetailed(std::string_view yaml_text, std::string_view file_name) {
  ScenarioParse out;
  auto root = ParseYamlText(yaml_text, file_name);
  if (!root) {
    out.diagnostics.push_back(root.error());
    return out;
  }
  Decode(*root, std::string(file_name), out);
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
  Decode(*root, path, out);
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
