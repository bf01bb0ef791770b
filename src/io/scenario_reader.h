// Scenario files: YAML in, a validated model::Scenario out.
//
// The format is documented field by field in docs/scenario-format.md.
// Validation reports every problem at once, each as
//   "uk-2026.yaml:41:9: lines[2].rate_jph: must be > 0, got -5"
// Unknown keys (with a did-you-mean), wrong types, out-of-range numbers,
// duplicate ids and references to undefined plants, brands, models and so on
// are all errors. A Scenario that comes back has passed validation (see
// model/scenario.h for what that guarantees).
//
//   Result<model::Scenario> s = io::LoadScenario("scenarios/uk-2026.yaml");
//   if (!s) return cli::ReportError(s.error());  // one diagnostic per line
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/yaml_reader.h"
#include "model/error.h"
#include "model/scenario.h"

namespace cobuild::io {

struct ScenarioParse {
  std::optional<model::Scenario> scenario;  // set only when diagnostics is empty
  std::vector<Diagnostic> diagnostics;
  // Allowed but likely unintended (two contracts covering the same cars);
  // `validate` and `info` show them. Only for a valid scenario.
  std::vector<Diagnostic> warnings;
};

// Full detail: every diagnostic as a structured value (for the HTTP API).
ScenarioParse ParseScenarioDetailed(std::string_view yaml_text, std::string_view file_name);
ScenarioParse LoadScenarioDetailed(const std::string& path);

// The same, with the diagnostics joined one per line into an InvalidInput
// error (NotFound when the file cannot be opened).
[[nodiscard]] Result<model::Scenario> ParseScenario(std::string_view yaml_text, std::string_view file_name);
[[nodiscard]] Result<model::Scenario> LoadScenario(const std::string& path);

// The working days per calendar month (January..December) a plant gets when
// its calendar does not list them: 230 a year, with the August and December
// shutdowns of UK car plants.
inline constexpr double kDefaultWorkingDays[12] = {21, 20, 21, 19, 20, 21, 21, 12, 21, 22, 20, 12};

}  // namespace cobuild::io
