// Excel workbooks (.xlsx, written with libxlsxwriter) of a plan, a replan, a
// deal and a risk run: one sheet per table, the tables `cobuild` prints and
// its CSV files hold.
//
//   nlohmann::json result = io::PlanResultJson(scenario, plan);   // the API's plan result
//   if (auto w = io::WriteXlsx("plan.xlsx", io::PlanWorkbook(result)); !w) ...
//
// Every workbook is built from the result's JSON document, the one the API
// stores for a job and `cobuild <kind> --format json` prints, so the CLI's
// `--xlsx FILE` and the API's `GET /api/jobs/{id}/result.xlsx` give the same
// sheets. Cells are typed: whole cars are integers (rounded), money is a
// number with a GBP format, shares a percentage; headers are bold, the header
// row is frozen and columns are as wide as their contents (within limits).
// A key the document lacks (a result stored by an older version) leaves its
// cells empty or its sheet out; it is never an error.
#pragma once

#include <concepts>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "model/error.h"

namespace cobuild::io {

enum class XlsxFormat {
  kText,
  kCars,     // a whole number of cars: rounded, "#,##0"
  kGbp,      // money: "GBP #,##0", negative in red
  kPercent,  // a fraction shown as "45.7%"
  kNumber,   // any other number, "#,##0.00"
};

struct XlsxColumn {
  std::string header;
  XlsxFormat format = XlsxFormat::kText;
};

// A cell: a JSON string, number, boolean or null (empty), in its column's
// format unless it names its own (a figure/value sheet mixes cars and GBP
// in one column). A string is written as text whatever the format.
struct XlsxCell {
  template <typename T>
  requires(!std::same_as<std::remove_cvref_t<T>, XlsxCell> && std::constructible_from<nlohmann::json, T>)
      XlsxCell(T&& v)
      : value(std::forward<T>(v)) {}  // NOLINT: implicit, cells are written as values
  XlsxCell(nlohmann::json v, XlsxFormat f) : value(std::move(v)), format(f) {}

  nlohmann::json value;
  std::optional<XlsxFormat> format;
};

// One sheet: a header row and rows of cells.
struct XlsxSheet {
  std::string name;  // at most 31 characters, none of []:*?/\ (Excel's rules)
  std::vector<XlsxColumn> columns;
  std::vector<std::vector<XlsxCell>> rows;
};

// The sheet-writing helper every workbook below goes through. InvalidInput
// names the path when the file cannot be written (a missing directory, no
// permission); Internal when a sheet breaks Excel's rules (a bug).
// Whether `path` can be written (tried, and removed again when it did not
// exist): the CLI checks before a long solve. InvalidInput names the path
// and the reason.
[[nodiscard]] Result<void> CheckXlsxPath(const std::filesystem::path& path);
[[nodiscard]] Result<void> WriteXlsx(const std::filesystem::path& path, std::span<const XlsxSheet> sheets);
// The same workbook as bytes (written to a temporary file and read back:
// libxlsxwriter 1.1.4 writes to files only).
[[nodiscard]] Result<std::string> XlsxBytes(std::span<const XlsxSheet> sheets);

// One function per result kind, each from that kind's result document:
// PlanWorkbook from io::PlanResultJson (plan_views.h), ReplanWorkbook from
// io::ReplanResultJson and RiskWorkbook from io::RiskJson
// (replan_io.h), DealWorkbook from io::DealResultJson (deal_sweep_io.h).
std::vector<XlsxSheet> PlanWorkbook(const nlohmann::json& plan_result);
std::vector<XlsxSheet> ReplanWorkbook(const nlohmann::json& replan_result);
std::vector<XlsxSheet> DealWorkbook(const nlohmann::json& deal_result);
std::vector<XlsxSheet> RiskWorkbook(const nlohmann::json& risk_result);

// The workbook of a job kind's result ("plan", "replan", "deal", "risk");
// NotFound for a kind without one.
[[nodiscard]] Result<std::vector<XlsxSheet>> ResultWorkbook(std::string_view kind,
                                                            const nlohmann::json& result);
// True for the job kinds ResultWorkbook knows.
bool HasWorkbook(std::string_view kind);

}  // namespace cobuild::io
