// Events, replan settings and risk distributions in scenario files and on the
// command line (docs/scenario-format.md, "Events, replanning and risk").
//
// In a scenario file:
//   events:
//     - {id: cyber, kind: outage, plants: [halewood], from: 2026-10-05, to: 2026-11-08}
//   replan: {stability_penalty_gbp_per_car: 50, backlog_max_months: 2, ...}
//   risk: {outages: [...], demand: [...]}
// On the command line, the same event as one string of key=value pairs after
// the kind, lists comma-separated:
//   --event "outage plants=halewood from=2026-10-05 to=2026-11-08"
//
// Errors use the scenario reader's diagnostics ("file:line:col: path: what
// was expected, what was found"); a command-line event names itself as
// "--event 1" instead of a file.
#pragma once

#include <yaml-cpp/yaml.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "io/yaml_reader.h"
#include "model/error.h"
#include "model/event.h"
#include "model/scenario.h"

namespace cobuild::io {

// Parses the root's `events`, `replan` and `risk` sections into `scenario`,
// whose horizon, plants, lines, brands, markets and contracts are already
// parsed. Problems go to `decoder`'s diagnostics.
void ParseEventSections(YamlDecoder& decoder, const YAML::Node& root, model::Scenario& scenario);

// One event in command-line form. `origin` names it in messages
// ("--event 2"); `default_id` is its id unless it sets `id=`.
[[nodiscard]] Result<model::Event> ParseEventText(std::string_view text, const model::Scenario& scenario,
                                                  std::string_view origin, std::string_view default_id);

// Checks a whole list of events (the scenario's plus the command line's)
// for conflicts that cannot be combined; InvalidInput naming both events.
[[nodiscard]] Result<void> CheckEvents(const model::Scenario& scenario, std::span<const model::Event> events);

// The `events`, `replan` and `risk` sections as YAML (empty when the
// scenario has none), for the scenario writer.
std::string WriteEventSectionsYaml(const model::Scenario& scenario);

// "outage plants=halewood from=2026-10-05 to=2026-11-08": the command-line
// form of an event, which ParseEventText reads back to an equal event.
std::string EventToText(const model::Scenario& scenario, const model::Event& event);

}  // namespace cobuild::io
