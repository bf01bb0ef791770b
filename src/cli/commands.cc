#include "cli/commands.h"

#include <string>
#include <utility>
#include <vector>

namespace cobuild::cli {

// One declaration and one call per domain, in the order of a planner's
// work, which `cobuild --help` follows: check the scenario, plan, weigh the
// deal, replan for disruptions and risk, sequence a line's day, serve the
// dashboard.

void AddAllCommands(CLI::App& app, int& exit_code) {
  AddScenarioCommands(app, exit_code);
  AddPlanCommands(app, exit_code);
  AddDealCommands(app, exit_code);
  AddReplanCommands(app, exit_code);
  AddSequenceCommands(app, exit_code);
  AddServerCommands(app, exit_code);
  // Headings in --help (CLI11 lists groups in the order they first appear).
  // A command not named here keeps its own group (a hidden one stays hidden).
  const std::vector<std::pair<std::string, std::string>> kGroups = {
      {"validate", "1. Check a scenario"},
      {"info", "1. Check a scenario"},
      {"plan", "2. Plan the network"},
      {"check-plan", "2. Plan the network"},
      {"generate", "2. Plan the network"},
      {"deal", "3. Weigh a contract"},
      {"replan", "4. Disruptions and risk"},
      {"compare", "4. Disruptions and risk"},
      {"risk", "4. Disruptions and risk"},
      {"sequence", "5. Sequence a line's day"},
      {"evaluate", "5. Sequence a line's day"},
      {"bound", "5. Sequence a line's day"},
      {"sequence-month", "5. Sequence a line's day"},
      {"serve", "6. Serve the API and dashboard"}};
  for (const auto& [name, group] : kGroups) {
    for (CLI::App* sub : app.get_subcommands({})) {
      if (sub->get_name() == name) sub->group(group);
    }
  }
  app.footer(
      "Examples:\n"
      "  cobuild validate scenarios/uk-2026.yaml\n"
      "  cobuild plan scenarios/uk-2026.yaml --out out/plan --xlsx out/plan.xlsx\n"
      "  cobuild deal scenarios/uk-2026.yaml --contract jlr-builds-chery --sweep\n"
      "  cobuild replan scenarios/uk-2026.yaml --baseline out/plan/plan.json\n"
      "  cobuild serve --port 8080\n"
      "`cobuild COMMAND --help` gives a command's options; README.md and docs/ describe them.");
}

void RegisterWorkKinds() {
  RegisterReplanWorkKinds();
  RegisterSequenceWorkKinds();
  RegisterDealWorkKinds();
}

}  // namespace cobuild::cli
