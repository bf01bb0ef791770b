// Shared pieces of the command-line front end: output formats and the
// exit-code convention (0 ok, 1 internal failure, 2 invalid input).
//
// Every domain adds its subcommands through one `Add...Commands()` function
// declared in commands.h; each subcommand's callback stores its exit code in
// the `int&` it was given, and main() returns it.
#pragma once

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "io/table.h"
#include "io/xlsx_export.h"
#include "model/error.h"
#include "plan/plan_summary.h"
#include "scale/work_items.h"

namespace cobuild::cli {

// Process exit codes, documented in README.md. Library code returns an
// Error; only the command line turns it into a process exit code.
inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;
inline constexpr int kExitInvalidInput = 2;

inline int ExitCode(const Error& error) {
  return error.kind == ErrorKind::kInternal ? kExitInternal : kExitInvalidInput;
}

enum class OutputFormat { kTable, kJson, kCsv };

// Adds `--format` with the given choices (the first is the default).
inline void AddFormatOption(CLI::App* command, OutputFormat* format,
                            const std::vector<std::string>& choices = {"table", "json"}) {
  static const std::map<std::string, OutputFormat> kByName = {
      {"table", OutputFormat::kTable}, {"json", OutputFormat::kJson}, {"csv", OutputFormat::kCsv}};
  std::map<std::string, OutputFormat> allowed;
  for (const auto& name : choices) allowed.emplace(name, kByName.at(name));
  *format = allowed.at(choices.front());
  // "table (the default), json or csv", not CLI11's own text for the
  // transformer ("ENUM:value in {json->1,table->0} OR {1,0}").
  std::string help = "Output format: " + choices.front() + " (the default)";
  for (size_t i = 1; i < choices.size(); ++i) help += (i + 1 == choices.size() ? " or " : ", ") + choices[i];
  std::string names;
  for (size_t i = 0; i < choices.size(); ++i) names += (i ? "|" : "") + choices[i];
  command->add_option("--format", *format, help)
      ->transform(CLI::CheckedTransformer(allowed, CLI::ignore_case).description(""))
      ->option_text(names);
}

// `--xlsx FILE`: the result also as an Excel workbook (io/xlsx_export.h).
inline void AddXlsxOption(CLI::App* command, std::string* path) {
  command->add_option("--xlsx", *path,
                      "Also write the result as an Excel workbook (.xlsx): one sheet per table, cars as "
                      "whole numbers, money in GBP");
}

// Before a long solve: can the --xlsx file be written? (exit 2 if not).
[[nodiscard]] inline Result<void> CheckXlsxOption(const std::string& path) {
  if (path.empty()) return {};
  if (auto ok = io::CheckXlsxPath(path); !ok) return InvalidInput("--xlsx " + ok.error().message);
  return {};
}

// Writes the --xlsx workbook, if asked for.
[[nodiscard]] inline Result<void> WriteXlsxOption(const std::string& path,
                                                  const std::vector<io::XlsxSheet>& sheets) {
  if (path.empty()) return {};
  if (auto ok = io::WriteXlsx(path, sheets); !ok) {
    return std::unexpected(Error{ok.error().kind, "--xlsx " + ok.error().message});
  }
  return {};
}

// A duration option in seconds, checked as text before CLI11 or the command
// converts it: nan, inf and 1e300 would overflow the conversion to a clock
// duration (undefined behaviour), and 1e-300 ends a solve before it starts.
// Accepts a finite number from 0.01 s to one week (604,800 s), and 0 when
// `zero_means_none`.
inline CLI::Validator Seconds(bool zero_means_none = false) {
  return CLI::Validator(
      [zero_means_none](std::string& text) -> std::string {
        constexpr double kMin = 0.01;
        constexpr double kMax = 604800;
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        const bool number = !text.empty() && end == text.c_str() + text.size() && std::isfinite(value);
        if (number && ((zero_means_none && value == 0) || (value >= kMin && value <= kMax))) return "";
        return "expected seconds from 0.01 to 604800 (one week)" +
               std::string(zero_means_none ? ", or 0 for none" : "") + ", got '" + text + "'";
      },
      zero_means_none ? "SECONDS (0: none)" : "SECONDS");
}

// `--partial FILE`: where rank 0 of an MPI run writes the finished work
// items when the run cannot complete (scale/work_items.h).
inline void AddPartialOption(CLI::App* command, std::string* path) {
  command->add_option(
      "--partial", *path,
      "Under MPI: where the finished work items go when the run cannot complete (default " + *path + ")");
}

// Rank 0's options for a command's work items: progress and incidents on
// stderr, the finished items to `partial` should the run fail.
inline scale::WorkOptions MpiWorkOptions(std::string kind, std::string context, std::string partial,
                                         std::function<void(int, int)> on_progress) {
  return {.kind = std::move(kind),
          .context = std::move(context),
          .partial_path = std::move(partial),
          .on_progress = std::move(on_progress),
          .on_incident = [](const std::string& message) { std::cerr << "mpi: " << message << "\n"; }};
}

// A sum of pounds in a table cell: whole pounds with thousands separators.
inline std::string Gbp(double v) { return io::FormatThousands(v); }

// How JSON output treats text that is not UTF-8 (a file name from a Latin-1
// file system): replaced by U+FFFD instead of failing the command.
inline constexpr auto kJsonInvalidUtf8 = nlohmann::json::error_handler_t::replace;

// Prints an Error to stderr and returns its exit code.
// The with-and-without columns of a plant-year, as `cobuild plan
// --compare-without*` and `cobuild deal` print them: built, on levers, spare
// and utilization of the plan with, then of the plan without.
inline std::vector<std::string> WithWithoutHeader() {
  return {"built with",    "on levers", "spare", "utilization with",
          "built without", "on levers", "spare", "utilization without"};
}
inline std::vector<std::string> WithWithoutCells(const plan::PlantYear& with,
                                                 const plan::PlantYear& without) {
  std::vector<std::string> cells;
  for (const plan::PlantYear* py : {&with, &without}) {
    cells.push_back(io::FormatThousands(py->built));
    cells.push_back(io::FormatThousands(py->built_on_levers));
    cells.push_back(io::FormatThousands(py->spare()));
    cells.push_back(io::FormatPercent(py->utilization()));
  }
  return cells;
}

inline int ReportError(const Error& error) {
  std::cerr << "error: " << error.message << "\n";
  return ExitCode(error);
}

}  // namespace cobuild::cli
