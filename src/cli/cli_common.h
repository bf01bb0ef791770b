// Shared pieces of the command-line front end: output formats and the
// exit-code convention (0 ok, 1 internal failure, 2 invalid input).
//
// Every domain adds its subcommands through one `Add...Commands()` function
// declared in commands.h; each subcommand's callback stores its exit code in
// the `int&` it was given, and main() returns it.
#pragma once

#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "model/error.h"

namespace cobuild::cli {

enum class OutputFormat { kTable, kJson, kCsv };

// Adds `--format` with the given choices (the first is the default).
inline void AddFormatOption(CLI::App* command, OutputFormat* format,
                            const std::vector<std::string>& choices = {"table", "json"}) {
  static const std::map<std::string, OutputFormat> kByName = {
      {"table", OutputFormat::kTable}, {"json", OutputFormat::kJson}, {"csv", OutputFormat::kCsv}};
  std::map<std::string, OutputFormat> allowed;
  for (const auto& name : choices) allowed.emplace(name, kByName.at(name));
  *format = allowed.at(choices.front());
  std::string help = "Output format: ";
  for (size_t i = 0; i < choices.size(); ++i) help += (i ? "|" : "") + choices[i];
  command->add_option("--format", *format, help + " (default " + choices.front() + ")")
      ->transform(CLI::CheckedTransformer(allowed, CLI::ignore_case));
}

// Prints an Error to stderr and returns its exit code.
inline int ReportError(const Error& error) {
  std::cerr << "error: " << error.message << "\n";
  return ExitCode(error);
}

}  // namespace cobuild::cli
