// `cobuild validate FILE` and `cobuild info FILE`.
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "io/scenario_reader.h"
#include "io/scenario_report.h"

namespace cobuild::cli {
namespace {

nlohmann::json DiagnosticsJson(const std::vector<io::Diagnostic>& diagnostics) {
  nlohmann::json out = nlohmann::json::array();
  for (const io::Diagnostic& d : diagnostics) {
    out.push_back({{"file", d.file},
                   {"line", d.line},
                   {"column", d.column},
                   {"path", d.path},
                   {"message", d.message},
                   {"text", d.ToString()}});
  }
  return out;
}

// Prints the diagnostics (stderr for tables, stdout JSON) and returns the
// exit code for a scenario that failed to load.
int ReportDiagnostics(const std::string& path, const io::ScenarioParse& parse, OutputFormat format) {
  if (format == OutputFormat::kJson) {
    std::cout << nlohmann::json{{"file", path},
                                {"valid", false},
                                {"errors", DiagnosticsJson(parse.diagnostics)}}
                     .dump(2, ' ', false, kJsonInvalidUtf8)
              << "\n";
  } else {
    for (const io::Diagnostic& d : parse.diagnostics) std::cerr << d.ToString() << "\n";
    std::cerr << path << ": " << parse.diagnostics.size()
              << (parse.diagnostics.size() == 1 ? " error" : " errors") << "\n";
  }
  return kExitInvalidInput;
}

// Warnings of a valid scenario, one per line on stderr.
void PrintWarnings(const io::ScenarioParse& parse) {
  for (const io::Diagnostic& d : parse.warnings) std::cerr << "warning: " << d.ToString() << "\n";
}

}  // namespace

void AddScenarioCommands(CLI::App& app, int& exit_code) {
  struct Options {
    std::string path;
    OutputFormat format = OutputFormat::kTable;
  };

  auto validate_options = std::make_shared<Options>();
  CLI::App* validate = app.add_subcommand(
      "validate", "Check a scenario file and report every error as file:line:column: field: what is wrong");
  validate->add_option("FILE", validate_options->path, "Scenario YAML file")->required();
  AddFormatOption(validate, &validate_options->format);
  validate->callback([validate_options, &exit_code] {
    const Options& o = *validate_options;
    const io::ScenarioParse parse = io::LoadScenarioDetailed(o.path);
    if (!parse.scenario) {
      exit_code = ReportDiagnostics(o.path, parse, o.format);
      return;
    }
    if (o.format == OutputFormat::kJson) {
      std::cout << nlohmann::json{{"file", o.path},
                                  {"valid", true},
                                  {"errors", nlohmann::json::array()},
                                  {"warnings", DiagnosticsJson(parse.warnings)},
                                  {"summary", io::ScenarioCounts(*parse.scenario)}}
                       .dump(2, ' ', false, kJsonInvalidUtf8)
                << "\n";
    } else {
      PrintWarnings(parse);
      std::cout << o.path << ": valid (" << io::ScenarioCounts(*parse.scenario) << ")\n";
    }
    exit_code = kExitOk;
  });

  auto info_options = std::make_shared<Options>();
  CLI::App* info = app.add_subcommand(
      "info", "Show a scenario: plants and lines with yearly capacity, models, demand per year");
  info->add_option("FILE", info_options->path, "Scenario YAML file")->required();
  AddFormatOption(info, &info_options->format);
  info->callback([info_options, &exit_code] {
    const Options& o = *info_options;
    const io::ScenarioParse parse = io::LoadScenarioDetailed(o.path);
    if (!parse.scenario) {
      exit_code = ReportDiagnostics(o.path, parse, o.format);
      return;
    }
    if (o.format == OutputFormat::kJson) {
      nlohmann::json info = io::ScenarioInfoJson(*parse.scenario);
      info["warnings"] = DiagnosticsJson(parse.warnings);
      std::cout << info.dump(2, ' ', false, kJsonInvalidUtf8) << "\n";
    } else {
      PrintWarnings(parse);
      std::cout << io::ScenarioInfoText(*parse.scenario);
    }
    exit_code = kExitOk;
  });
}

}  // namespace cobuild::cli
