// Registration of every cobuild subcommand. Each domain's commands live in
// their own file (scenario_commands.cc, sequence_commands.cc, ...).
#pragma once

#include <CLI/CLI.hpp>

namespace cobuild::cli {

// Adds every subcommand to `app`; a command's callback writes its exit code.
void AddAllCommands(CLI::App& app, int& exit_code);

// Registers the kinds of work item other MPI ranks solve (scale/work_items.h);
// called in every process before the command line is read.
void RegisterWorkKinds();
void RegisterReplanWorkKinds();    // risk draws
void RegisterSequenceWorkKinds();  // line-months
void RegisterDealWorkKinds();      // deal sweep points

void AddScenarioCommands(CLI::App& app, int& exit_code);  // validate, info
void AddPlanCommands(CLI::App& app, int& exit_code);      // plan, check-plan, generate
void AddReplanCommands(CLI::App& app, int& exit_code);    // replan, compare, risk
void AddDealCommands(CLI::App& app, int& exit_code);      // deal
void AddSequenceCommands(CLI::App& app, int& exit_code);  // evaluate, bound, sequence
void AddServerCommands(CLI::App& app, int& exit_code);    // serve

}  // namespace cobuild::cli
