// cobuild: planning engine for shared vehicle production.
// main() only wires subcommands together; each lives in its own file.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cobuild/version.h"

int main(int argc, char** argv) {
  using namespace cobuild;
  using cli::kExitInternal;
  using cli::kExitInvalidInput;
  using cli::kExitOk;
  CLI::App app{"cobuild: plans shared vehicle production across plants, lines and partners."};
  app.set_version_flag("--version", std::string("cobuild ") + kVersion);
  app.require_subcommand(1);
  app.fallthrough(false);

  int exit_code = kExitOk;
  cli::AddAllCommands(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);  // Prints help, version or the parse error.
    return rc == 0 ? kExitOk : kExitInvalidInput;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  return exit_code;
}
