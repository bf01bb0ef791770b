// cobuild: planning engine for shared vehicle production.
// main() only wires subcommands together; each lives in its own file.
#include <CLI/CLI.hpp>
#include <cstring>
#include <exception>
#include <iostream>
#include <vector>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cobuild/version.h"
#include "scale/work_items.h"

int main(int argc, char** argv) {
  using namespace cobuild;
  using cli::kExitInternal;
  using cli::kExitInvalidInput;
  using cli::kExitOk;
  // Under mpirun (or with --mpi) every rank starts here; rank 0 runs the
  // command and the others serve its work items (scale/work_items.h).
  cli::RegisterWorkKinds();
  if (auto started = scale::StartMpiIfLaunched(argc, argv); !started) {
    std::cerr << "error: " << started.error().message << "\n";
    return kExitInvalidInput;
  }
  if (scale::IsWorkerRank()) return scale::ServeWorkerRank();
  // `--mpi` is read above, wherever it stands; the commands never see it.
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (i == 0 || std::strcmp(argv[i], "--mpi") != 0) args.push_back(argv[i]);
  }
  CLI::App app{"cobuild: plans shared vehicle production across plants, lines and partners."};
  app.set_version_flag("--version", std::string("cobuild ") + kVersion);
  app.require_subcommand(1);
  app.fallthrough(false);

  int exit_code = kExitOk;
  cli::AddAllCommands(app, exit_code);

  try {
    app.parse(static_cast<int>(args.size()), args.data());
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);  // Prints help, version or the parse error.
    return scale::FinishMpi(rc == 0 ? kExitOk : kExitInvalidInput);
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return scale::FinishMpi(kExitInternal);
  }
  return scale::FinishMpi(exit_code);
}
