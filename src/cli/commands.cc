#include "cli/commands.h"

namespace cobuild::cli {

// One declaration and one call per domain; keep the list in CLI --help order.

void AddAllCommands(CLI::App& app, int& exit_code) {
  AddScenarioCommands(app, exit_code);
  AddSequenceCommands(app, exit_code);
  AddServerCommands(app, exit_code);
  AddPlanCommands(app, exit_code);
  AddReplanCommands(app, exit_code);
  AddDealCommands(app, exit_code);
}

void RegisterWorkKinds() {
  RegisterReplanWorkKinds();
  RegisterSequenceWorkKinds();
  RegisterDealWorkKinds();
}

}  // namespace cobuild::cli
