#include "io/xlsx_export.h"

#include <fmt/format.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>

#include "io/table.h"

namespace cobuild::io {
namespace {

using nlohmann::json;

// Excel's limit on a cell's text.
constexpr size_t kMaxCellChars = 32767;
// Column widths in characters: wide enough for a header, never a whole screen.
constexpr double kMinWidth = 6;
constexpr double kMaxWidth = 60;

// Number formats. Money in whole pounds: the plans' figures are in the
// millions, pennies would be noise; the cell keeps the exact value.
const char* NumberFormat(XlsxFormat f) {
  switch (f) {
    case XlsxFormat::kCars:
      return "#,##0";
    case XlsxFormat::kGbp:
      return "\"GBP \"#,##0;[Red]\"GBP \"-#,##0";
    case XlsxFormat::kPercent:
      return "0.0%";
    case XlsxFormat::kNumber:
      return "#,##0.00";
    case XlsxFormat::kText:
      return nullptr;
  }
  return nullptr;
}

// The characters a cell shows, for the column width.
size_t ShownWidth(const json& v, XlsxFormat f) {
  if (v.is_string()) return static_cast<size_t>(DisplayWidth(v.get_ref<const std::string&>()));
  if (v.is_boolean()) return 5;
  if (!v.is_number()) return 0;
  const double x = v.get<double>();
  switch (f) {
    case XlsxFormat::kCars:
      return FormatThousands(x).size();
    case XlsxFormat::kGbp:
      return FormatThousands(x).size() + 4;
    case XlsxFormat::kPercent:
      return FormatPercent(x).size();
    case XlsxFormat::kNumber:
    case XlsxFormat::kText:
      return FormatThousands(x).size() + 3;
  }
  return 0;
}

struct WorkbookCloser {
  void operator()(lxw_workbook* w) const {
    if (w != nullptr) workbook_close(w);
  }
};

bool ValidSheetName(const std::string& name) {
  return !name.empty() && name.size() <= 31 && name.find_first_of("[]:*?/\\") == std::string::npos;
}

}  // namespace

Result<void> CheckXlsxPath(const std::filesystem::path& path) {
  std::error_code ec;
  const bool existed = std::filesystem::exists(path, ec);
  {
    std::ofstream probe(path, std::ios::binary | std::ios::app);
    if (!probe) {
      return InvalidInput(
          fmt::format("{}: cannot write the workbook: {}", path.string(), std::strerror(errno)));
    }
  }
  if (!existed) std::filesystem::remove(path, ec);
  return {};
}

Result<void> WriteXlsx(const std::filesystem::path& path, std::span<const XlsxSheet> sheets) {
  if (sheets.empty()) return Internal("an .xlsx workbook needs at least one sheet");
  for (const XlsxSheet& sheet : sheets) {
    if (!ValidSheetName(sheet.name)) return Internal("invalid sheet name '" + sheet.name + "'");
  }
  // libxlsxwriter opens the output only when the workbook is closed, after
  // every sheet is built; trying the path first gives the reason (errno) the
  // library's own message lacks.
  if (auto writable = CheckXlsxPath(path); !writable) return writable;
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (workbook == nullptr) return Internal(path.string() + ": libxlsxwriter could not start a workbook");
  std::unique_ptr<lxw_workbook, WorkbookCloser> owner(workbook);

  lxw_format* header = workbook_add_format(workbook);
  format_set_bold(header);
  format_set_bottom(header, LXW_BORDER_THIN);
  std::map<XlsxFormat, lxw_format*> formats;
  for (XlsxFormat f :
       {XlsxFormat::kCars, XlsxFormat::kGbp, XlsxFormat::kPercent, XlsxFormat::kNumber, XlsxFormat::kText}) {
    lxw_format* format = workbook_add_format(workbook);
    if (const char* number = NumberFormat(f)) format_set_num_format(format, number);
    formats[f] = format;
  }

  for (const XlsxSheet& sheet : sheets) {
    lxw_worksheet* ws = workbook_add_worksheet(workbook, sheet.name.c_str());
    if (ws == nullptr)
      return Internal("libxlsxwriter refused sheet '" + sheet.name + "' (a duplicate name?)");
    std::vector<size_t> width(sheet.columns.size());
    for (size_t c = 0; c < sheet.columns.size(); ++c) {
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), sheet.columns[c].header.c_str(), header);
      width[c] = static_cast<size_t>(DisplayWidth(sheet.columns[c].header)) + 2;
    }
    for (size_t r = 0; r < sheet.rows.size(); ++r) {
      const auto row = static_cast<lxw_row_t>(r + 1);
      for (size_t c = 0; c < sheet.rows[r].size() && c < sheet.columns.size(); ++c) {
        const XlsxCell& cell = sheet.rows[r][c];
        const XlsxFormat f = cell.format.value_or(sheet.columns[c].format);
        const auto col = static_cast<lxw_col_t>(c);
        const json& v = cell.value;
        lxw_error written = LXW_NO_ERROR;
        if (v.is_string()) {
          std::string text = v.get<std::string>();
          if (text.size() > kMaxCellChars) text.resize(kMaxCellChars);
          written = worksheet_write_string(ws, row, col, text.c_str(), formats[XlsxFormat::kText]);
        } else if (v.is_boolean()) {
          written = worksheet_write_boolean(ws, row, col, v.get<bool>() ? 1 : 0, nullptr);
        } else if (v.is_number()) {
          double x = v.get<double>();
          if (!std::isfinite(x)) {
            written = worksheet_write_string(ws, row, col, std::isnan(x) ? "NaN" : (x > 0 ? "inf" : "-inf"),
                                             nullptr);
          } else {
            // Whole cars as integers: the solver's 1e-9 noise is not a car.
            if (f == XlsxFormat::kCars) x = std::round(x);
            written = worksheet_write_number(ws, row, col, x, formats[f]);
          }
        }
        if (written != LXW_NO_ERROR) {
          return Internal(fmt::format("{}: sheet '{}' row {} column {}: {}", path.string(), sheet.name, r + 2,
                                      c + 1, lxw_strerror(written)));
        }
        width[c] = std::max(width[c], ShownWidth(v, f) + 2);
      }
    }
    for (size_t c = 0; c < width.size(); ++c) {
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                           std::clamp(static_cast<double>(width[c]), kMinWidth, kMaxWidth), nullptr);
    }
    worksheet_freeze_panes(ws, 1, 0);
  }
  owner.release();
  if (const lxw_error closed = workbook_close(workbook); closed != LXW_NO_ERROR) {
    const bool io = closed == LXW_ERROR_CREATING_XLSX_FILE || closed == LXW_ERROR_CREATING_TMPFILE;
    const std::string message =
        fmt::format("{}: cannot write the workbook: {}", path.string(), lxw_strerror(closed));
    return io ? InvalidInput(message) : Internal(message);
  }
  return {};
}

Result<std::string> XlsxBytes(std::span<const XlsxSheet> sheets) {
  std::string name = (std::filesystem::temp_directory_path() / "cobuild-XXXXXX.xlsx").string();
  const int fd = mkstemps(name.data(), 5);
  if (fd < 0) return Internal(std::string("cannot create a temporary file: ") + std::strerror(errno));
  close(fd);
  struct Remove {
    std::string path;
    ~Remove() {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
    }
  } remove{name};
  if (auto written = WriteXlsx(name, sheets); !written) {
    return Internal(written.error().message);
  }
  std::ifstream in(name, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) return Internal("cannot read back the temporary workbook " + name);
  return bytes.str();
}

namespace {

const json kNull;

// j[key] when j is an object that has it; null otherwise (stored results of
// older versions may lack a key).
const json& At(const json& j, std::string_view key) {
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}
const json& At(const json& j, std::string_view a, std::string_view b) { return At(At(j, a), b); }
const json& At(const json& j, std::string_view a, std::string_view b, std::string_view c) {
  return At(At(At(j, a), b), c);
}
const json& Index(const json& j, size_t i) { return j.is_array() && i < j.size() ? j[i] : kNull; }
const json& Items(const json& j) {
  static const json kEmpty = json::array();
  return j.is_array() ? j : kEmpty;
}

// id -> name from a list of {id, name} objects.
std::map<std::string, std::string> Names(const json& list) {
  std::map<std::string, std::string> names;
  for (const json& x : Items(list)) {
    if (At(x, "id").is_string()) {
      names[At(x, "id").get<std::string>()] =
          At(x, "name").is_string() ? At(x, "name").get<std::string>() : At(x, "id").get<std::string>();
    }
  }
  return names;
}
json NameOf(const std::map<std::string, std::string>& names, const json& id) {
  if (!id.is_string()) return id;
  auto it = names.find(id.get<std::string>());
  return it == names.end() ? id : json(it->second);
}

// A figure/value sheet: one row per figure, each in its own format.
struct Figures {
  explicit Figures(std::string name) : sheet{std::move(name), {{"figure"}, {"value"}}, {}} {}
  Figures& Add(std::string figure, const json& value, XlsxFormat f) {
    if (!value.is_null()) sheet.rows.push_back({std::move(figure), XlsxCell(value, f)});
    return *this;
  }
  XlsxSheet sheet;
};

// The format a result field's name implies: `..._gbp` is money, cars and
// units are cars, shares are percentages.
XlsxFormat FormatOfKey(std::string_view key) {
  if (key.ends_with("_gbp") || key.ends_with("gbp_per_car")) return XlsxFormat::kGbp;
  if (key == "gap" || key == "utilization" || key == "share" || key == "availability" || key == "rate" ||
      key.ends_with("_share")) {
    return XlsxFormat::kPercent;
  }
  for (std::string_view cars : {"units", "cars", "built", "capacity", "spare", "sold", "imported", "unmet",
                                "peak", "lost", "cap", "kit_units"}) {
    if (key == cars || key.starts_with(std::string(cars) + "_") || key.ends_with("_" + std::string(cars))) {
      return XlsxFormat::kCars;
    }
  }
  return XlsxFormat::kNumber;
}

// "duty_paid_gbp" -> "duty paid GBP".
std::string HeaderOfKey(std::string_view key) {
  std::string out;
  for (size_t i = 0; i < key.size();) {
    const size_t end = std::min(key.find('_', i), key.size());
    std::string word(key.substr(i, end - i));
    if (word == "gbp") word = "GBP";
    if (!out.empty()) out += ' ';
    out += word;
    i = end + 1;
  }
  return out;
}

// A sheet of a list of flat objects: one column per key (`keys` in order);
// names map id columns to names; a number's format follows its key.
XlsxSheet ObjectsSheet(std::string name, const json& list, const std::vector<std::string>& keys,
                       const std::map<std::string, std::map<std::string, std::string>>& names = {}) {
  XlsxSheet sheet{std::move(name), {}, {}};
  for (const std::string& key : keys) {
    const XlsxFormat f = names.contains(key) || key == "month" || key == "year" || key == "company" ||
                                 key == "plant" || key == "line" || key == "brand" || key == "market"
                             ? XlsxFormat::kText
                             : FormatOfKey(key);
    sheet.columns.push_back({HeaderOfKey(key), f});
  }
  for (const json& x : Items(list)) {
    std::vector<XlsxCell> row;
    for (const std::string& key : keys) {
      auto it = names.find(key);
      row.emplace_back(it == names.end() ? At(x, key) : NameOf(it->second, At(x, key)));
    }
    sheet.rows.push_back(std::move(row));
  }
  return sheet;
}

// Rows with, without and change of the deal's accounts (each a {with,
// without, change} of the same fields), one row per side, the fields
// across as in `cobuild deal`'s tables.
XlsxSheet AccountsSheet(std::string name, const json& list, const std::string& key_field,
                        const std::string& key_header, const std::map<std::string, std::string>& names,
                        const std::vector<std::string>& extra = {}) {
  std::vector<std::string> fields;
  for (const json& x : Items(list)) {
    for (const auto& [k, v] : At(x, "with").items()) {
      if (std::ranges::find(fields, k) == fields.end()) fields.push_back(k);
    }
  }
  XlsxSheet sheet{std::move(name), {{key_header}, {"side"}}, {}};
  for (const std::string& f : fields) sheet.columns.push_back({HeaderOfKey(f), FormatOfKey(f)});
  for (const std::string& e : extra) sheet.columns.push_back({HeaderOfKey(e), FormatOfKey(e)});
  for (const json& x : Items(list)) {
    for (const char* side : {"with", "without", "change"}) {
      std::vector<XlsxCell> row = {NameOf(names, At(x, key_field)), side};
      for (const std::string& f : fields) row.emplace_back(At(x, side, f));
      for (const std::string& e : extra)
        row.emplace_back(std::string_view(side) == "with" ? At(x, e) : kNull);
      sheet.rows.push_back(std::move(row));
    }
  }
  return sheet;
}

void AddIfRows(std::vector<XlsxSheet>& sheets, XlsxSheet sheet) {
  if (!sheet.rows.empty()) sheets.push_back(std::move(sheet));
}

std::string Joined(const json& list, std::string_view separator) {
  std::string out;
  for (const json& x : Items(list)) {
    if (!out.empty()) out += separator;
    out += x.is_string() ? x.get<std::string>() : x.dump();
  }
  return out;
}

// The plan's sheets, shared by the plan workbook and the replan's three plans
// (prefix "Baseline ", ...).
void AddPlanSheets(const json& r, const std::string& prefix, std::vector<XlsxSheet>& sheets) {
  const auto plants = Names(At(r, "plants"));
  const auto companies = Names(At(r, "companies"));
  const auto brands = Names(At(r, "brands"));
  std::map<std::string, std::string> host;  // plant id -> host company id
  for (const json& p : Items(At(r, "plants"))) {
    if (At(p, "id").is_string() && At(p, "company").is_string())
      host[At(p, "id").get<std::string>()] = At(p, "company").get<std::string>();
  }

  // As `cobuild plan` prints it: built split into the host's own cars and
  // its partners', and into cars on regular shifts and on levers; spare the
  // regular capacity the line-months leave unused.
  XlsxSheet years{prefix + "Plant years",
                  {{"plant"},
                   {"year"},
                   {"built", XlsxFormat::kCars},
                   {"host's own", XlsxFormat::kCars},
                   {"partners'", XlsxFormat::kCars},
                   {"on regular shifts", XlsxFormat::kCars},
                   {"on levers", XlsxFormat::kCars},
                   {"regular capacity", XlsxFormat::kCars},
                   {"retooling stop", XlsxFormat::kCars},
                   {"spare", XlsxFormat::kCars},
                   {"utilization", XlsxFormat::kPercent},
                   {"with levers", XlsxFormat::kPercent}},
                  {}};
  for (const json& py : Items(At(r, "plant_years"))) {
    json own = nullptr;
    json partners = nullptr;
    const json& plant = At(py, "plant");
    if (plant.is_string() && host.contains(plant.get<std::string>()) && At(py, "built").is_number()) {
      double o = 0;
      for (const json& b : Items(At(py, "built_by_company"))) {
        if (At(b, "company") == host[plant.get<std::string>()] && At(b, "built").is_number())
          o += At(b, "built").get<double>();
      }
      own = o;
      partners = At(py, "built").get<double>() - o;
    }
    years.rows.push_back({NameOf(plants, plant), At(py, "year"), At(py, "built"), own, partners,
                          At(py, "built_regular"), At(py, "built_on_levers"), At(py, "capacity"),
                          At(py, "retooling_stop"), At(py, "spare"), At(py, "utilization"),
                          At(py, "utilization_with_levers")});
  }
  AddIfRows(sheets, std::move(years));

  // Per line and month: cars, capacity and the shifts and levers used.
  XlsxSheet lines{prefix + "Line months",
                  {{"plant"},
                   {"line"},
                   {"month"},
                   {"built", XlsxFormat::kCars},
                   {"capacity", XlsxFormat::kCars},
                   {"availability", XlsxFormat::kPercent},
                   {"shifts per day", XlsxFormat::kNumber},
                   {"extra shifts per day", XlsxFormat::kNumber},
                   {"weekend days", XlsxFormat::kNumber}},
                  {}};
  XlsxSheet production{prefix + "Production",
                       {{"plant"}, {"line"}, {"month"}, {"variant"}, {"brand"}, {"cars", XlsxFormat::kCars}},
                       {}};
  std::map<std::string, std::string> brand_of_variant;
  for (const json& v : Items(At(r, "variants"))) {
    if (At(v, "id").is_string() && At(v, "brand").is_string())
      brand_of_variant[At(v, "id").get<std::string>()] = At(v, "brand").get<std::string>();
  }
  const json& months = At(r, "months");
  for (const json& l : Items(At(r, "lines"))) {
    for (size_t t = 0; t < Items(months).size(); ++t) {
      lines.rows.push_back({NameOf(plants, At(l, "plant")), At(l, "id"), months[t], Index(At(l, "built"), t),
                            Index(At(l, "capacity"), t), Index(At(l, "availability"), t),
                            Index(At(l, "shifts_per_day"), t), Index(At(l, "extra_shifts_per_day"), t),
                            Index(At(l, "weekend_days"), t)});
    }
    for (const json& v : Items(At(l, "variants"))) {
      const json& variant = At(v, "variant");
      json brand = nullptr;
      if (variant.is_string() && brand_of_variant.contains(variant.get<std::string>()))
        brand = NameOf(brands, json(brand_of_variant[variant.get<std::string>()]));
      production.rows.push_back(
          {NameOf(plants, At(l, "plant")), At(l, "id"), At(v, "month"), variant, brand, At(v, "units")});
    }
  }
  AddIfRows(sheets, std::move(lines));
  AddIfRows(sheets, std::move(production));

  AddIfRows(sheets, ObjectsSheet(prefix + "Units by brand", At(r, "units_by_brand"),
                                 {"plant", "brand", "units"}, {{"plant", plants}, {"brand", brands}}));
  AddIfRows(sheets,
            ObjectsSheet(prefix + "Markets", At(r, "markets"),
                         {"market", "sold", "imported", "duty_paid_gbp", "duty_avoided_gbp", "unmet"}));
  AddIfRows(sheets, ObjectsSheet(prefix + "Shift changes", At(r, "shift_changes"),
                                 {"plant", "line", "changes", "shifts_added", "shifts_removed", "cost_gbp"},
                                 {{"plant", plants}}));
  AddIfRows(sheets, ObjectsSheet(prefix + "Contributions", At(r, "contributions"),
                                 {"company", "units_sold", "revenue_gbp", "variable_cost_gbp", "freight_gbp",
                                  "duty_gbp", "fee_income_gbp", "fee_paid_gbp", "shift_cost_gbp",
                                  "shift_change_cost_gbp", "retooling_cost_gbp", "holding_cost_gbp",
                                  "contribution_gbp", "contribution_pv_gbp"},
                                 {{"company", companies}}));
  AddIfRows(sheets, ObjectsSheet(prefix + "Cost per car", At(r, "cost_by_plant"),
                                 {"company", "plant", "units", "kit_units", "cost_per_car_gbp",
                                  "default_cost_per_car_gbp"},
                                 {{"company", companies}, {"plant", plants}}));
  XlsxSheet retooling{prefix + "Retooling",
                      {{"plant"},
                       {"line"},
                       {"platform"},
                       {"decided"},
                       {"ready"},
                       {"downtime weeks", XlsxFormat::kNumber},
                       {"downtime months"},
                       {"capacity lost", XlsxFormat::kCars}},
                      {}};
  for (const json& x : Items(At(r, "retooling"))) {
    retooling.rows.push_back({NameOf(plants, At(x, "plant")), At(x, "line"), At(x, "platform"),
                              At(x, "decided"), At(x, "ready"), At(x, "downtime_weeks"),
                              Joined(At(x, "downtime_months"), ", "), At(x, "downtime_lost_cars")});
  }
  AddIfRows(sheets, std::move(retooling));
  XlsxSheet stock{prefix + "Stock", {{"plant"}, {"month"}, {"cars at month end", XlsxFormat::kCars}}, {}};
  for (const json& x : Items(At(r, "stock"))) {
    for (size_t t = 0; t < Items(At(x, "units")).size(); ++t) {
      stock.rows.push_back({NameOf(plants, At(x, "plant")), Index(months, t), At(x, "units")[t]});
    }
  }
  AddIfRows(sheets, std::move(stock));
  AddIfRows(sheets,
            ObjectsSheet(prefix + "Binding", At(r, "binding"),
                         {"text", "kind", "value_gbp", "dual_gbp_per_car", "line", "contract", "month"}));
}

}  // namespace

std::vector<XlsxSheet> PlanWorkbook(const json& r) {
  std::vector<XlsxSheet> sheets;
  Figures summary("Summary");
  summary.Add("scenario", At(r, "scenario"), XlsxFormat::kText)
      .Add("status", At(r, "status"), XlsxFormat::kText)
      .Add("objective", At(r, "objective_gbp"), XlsxFormat::kGbp)
      .Add("objective, nominal", At(r, "objective_nominal_gbp"), XlsxFormat::kGbp)
      .Add("bound", At(r, "bound_gbp"), XlsxFormat::kGbp)
      .Add("gap", At(r, "gap"), XlsxFormat::kPercent)
      .Add("penalties", At(r, "penalties_gbp"), XlsxFormat::kGbp)
      .Add("unmet demand (cars)", At(r, "unmet_units"), XlsxFormat::kCars)
      .Add("sold after the horizon (cars)", At(r, "sold_after_horizon"), XlsxFormat::kCars)
      .Add("stopped by", At(r, "stats", "stop_rule"), XlsxFormat::kText)
      .Add("solve seconds", At(r, "stats", "solve_seconds"), XlsxFormat::kNumber);
  sheets.push_back(std::move(summary.sheet));
  AddPlanSheets(r, "", sheets);
  return sheets;
}

std::vector<XlsxSheet> ReplanWorkbook(const json& r) {
  std::vector<XlsxSheet> sheets;
  const json& rep = At(r, "report");
  const auto companies = Names(At(r, "baseline", "companies"));
  XlsxSheet summary{
      "Summary",
      {{"figure"}, {"baseline"}, {"no action"}, {"recovered"}},
      {{"status", At(r, "baseline", "status"), At(r, "disrupted", "status"), At(r, "recovered", "status")},
       {"objective", XlsxCell(At(rep, "baseline_objective_gbp"), XlsxFormat::kGbp),
        XlsxCell(At(rep, "disrupted_objective_gbp"), XlsxFormat::kGbp),
        XlsxCell(At(rep, "recovered_objective_gbp"), XlsxFormat::kGbp)},
       {"cars sold", XlsxCell(At(rep, "baseline_units_sold"), XlsxFormat::kCars),
        XlsxCell(At(rep, "disrupted_units_sold"), XlsxFormat::kCars),
        XlsxCell(At(rep, "recovered_units_sold"), XlsxFormat::kCars)},
       {"cost of the events", nullptr, XlsxCell(At(rep, "cost_gbp", "disrupted"), XlsxFormat::kGbp),
        XlsxCell(At(rep, "cost_gbp", "recovered"), XlsxFormat::kGbp)},
       {"cars lost", nullptr, XlsxCell(At(rep, "units_lost", "disrupted"), XlsxFormat::kCars),
        XlsxCell(At(rep, "units_lost", "recovered"), XlsxFormat::kCars)},
       {"frozen months", XlsxCell(At(rep, "frozen_months"), XlsxFormat::kNumber), nullptr, nullptr},
       {"served late (cars)", nullptr, nullptr, XlsxCell(At(rep, "served_late_units"), XlsxFormat::kCars)},
       {"moved away (cars)", nullptr, nullptr, XlsxCell(At(rep, "moved_away_units"), XlsxFormat::kCars)}}};
  sheets.push_back(std::move(summary));
  XlsxSheet events{"Events", {{"event"}}, {}};
  for (const json& e : Items(At(r, "events"))) events.rows.push_back({e});
  AddIfRows(sheets, std::move(events));
  AddIfRows(sheets, ObjectsSheet("Companies", At(rep, "companies"),
                                 {"company", "baseline_gbp", "disrupted_gbp", "recovered_gbp",
                                  "disrupted_cost_gbp", "recovered_cost_gbp"},
                                 {{"company", companies}}));
  AddIfRows(sheets, ObjectsSheet("Recovery levers", At(rep, "levers"), {"lever", "units", "value_gbp"}));
  for (const auto& [key, label, id] : {std::tuple{"by_month", "Losses by month", "month"},
                                       std::tuple{"by_brand", "Losses by brand", "brand"},
                                       std::tuple{"by_market", "Losses by market", "market"}}) {
    XlsxSheet losses{
        label, {{id}, {"lost, no action", XlsxFormat::kCars}, {"lost, recovered", XlsxFormat::kCars}}, {}};
    for (const json& x : Items(At(rep, "losses", key))) {
      losses.rows.push_back({At(x, id), At(x, "disrupted"), At(x, "recovered")});
    }
    AddIfRows(sheets, std::move(losses));
  }
  AddIfRows(sheets, ObjectsSheet("Short months", At(rep, "short_months"), {"month", "units"}));
  for (const auto& [key, prefix] : {std::pair{"baseline", "Baseline "}, std::pair{"disrupted", "No action "},
                                    std::pair{"recovered", "Recovered "}}) {
    XlsxSheet years{std::string(prefix) + "plant years",
                    {{"plant"},
                     {"year"},
                     {"built", XlsxFormat::kCars},
                     {"on levers", XlsxFormat::kCars},
                     {"capacity", XlsxFormat::kCars},
                     {"spare", XlsxFormat::kCars},
                     {"utilization", XlsxFormat::kPercent}},
                    {}};
    const auto plants = Names(At(r, key, "plants"));
    for (const json& py : Items(At(r, key, "plant_years"))) {
      years.rows.push_back({NameOf(plants, At(py, "plant")), At(py, "year"), At(py, "built"),
                            At(py, "built_on_levers"), At(py, "capacity"), At(py, "spare"),
                            At(py, "utilization")});
    }
    AddIfRows(sheets, std::move(years));
  }
  return sheets;
}

std::vector<XlsxSheet> DealWorkbook(const json& r) {
  std::vector<XlsxSheet> sheets;
  const json& terms = At(r, "terms");
  Figures summary("Terms");
  summary.Add("contract", At(r, "contract"), XlsxFormat::kText)
      .Add("host", At(r, "host"), XlsxFormat::kText)
      .Add("partner", At(r, "partner"), XlsxFormat::kText)
      .Add("fee per car", At(terms, "fee_gbp"), XlsxFormat::kGbp)
      .Add("cars hosted", At(terms, "cars"), XlsxFormat::kCars)
      .Add("host's gain", At(terms, "host_gain_gbp"), XlsxFormat::kGbp)
      .Add("partner's gain", At(terms, "partner_gain_gbp"), XlsxFormat::kGbp)
      .Add("joint gain", At(terms, "joint_gain_gbp"), XlsxFormat::kGbp)
      .Add("host's break-even fee", At(terms, "host_break_even_fee_gbp"), XlsxFormat::kGbp)
      .Add("partner's highest fee", At(terms, "partner_max_fee_gbp"), XlsxFormat::kGbp)
      .Add("fee splitting the joint gain equally", At(terms, "proposed_fee_gbp"), XlsxFormat::kGbp)
      .Add("contract retooling", At(r, "contract_retooling_gbp"), XlsxFormat::kGbp)
      .Add("tooling share paid by the partner", At(r, "tooling_share_gbp"), XlsxFormat::kGbp);
  for (const char* side : {"with", "without"}) {
    summary
        .Add(std::string("plan ") + side + " the deal: status", At(r, "plans", side, "status"),
             XlsxFormat::kText)
        .Add(std::string("plan ") + side + " the deal: objective", At(r, "plans", side, "objective_gbp"),
             XlsxFormat::kGbp)
        .Add(std::string("plan ") + side + " the deal: gap", At(r, "plans", side, "gap"),
             XlsxFormat::kPercent);
  }
  sheets.push_back(std::move(summary.sheet));
  const auto names = Names(At(r, "names", "companies"));
  const auto plants = Names(At(r, "names", "plants"));
  AddIfRows(sheets, AccountsSheet("Companies", At(r, "companies"), "company", "company", names));
  AddIfRows(sheets, AccountsSheet("Groups", At(r, "groups"), "company", "group", names));
  AddIfRows(sheets, AccountsSheet("Host plants", At(r, "host_plants"), "plant", "plant", plants,
                                  {"cars_hosted", "break_even_fee_gbp"}));
  AddIfRows(sheets,
            ObjectsSheet("Hosted cars", At(r, "hosted"), {"plant", "year", "units"}, {{"plant", plants}}));
  XlsxSheet findings{"Findings", {{"finding"}}, {}};
  for (const json& f : Items(At(r, "findings"))) findings.rows.push_back({f});
  AddIfRows(sheets, std::move(findings));
  // Fee sweep: one row per fee, each company's gain across.
  std::vector<std::string> ids;
  for (const json& p : Items(At(r, "fee_sweep", "points"))) {
    for (const auto& [k, v] : At(p, "gain_pv_gbp").items()) {
      if (std::ranges::find(ids, k) == ids.end()) ids.push_back(k);
    }
  }
  XlsxSheet fees{"Fee sweep",
                 {{"fee per car", XlsxFormat::kGbp},
                  {"status"},
                  {"gap", XlsxFormat::kPercent},
                  {"cars hosted", XlsxFormat::kCars},
                  {"host's gain (PV)", XlsxFormat::kGbp},
                  {"partner's gain (PV)", XlsxFormat::kGbp}},
                 {}};
  for (const std::string& id : ids) {
    fees.columns.push_back({NameOf(names, json(id)).get<std::string>() + " gain (PV)", XlsxFormat::kGbp});
  }
  for (const json& p : Items(At(r, "fee_sweep", "points"))) {
    std::vector<XlsxCell> row = {
        At(p, "fee_gbp"),     At(p, "status"),           At(p, "gap"),
        At(p, "cars_hosted"), At(p, "host_gain_pv_gbp"), At(p, "partner_gain_pv_gbp")};
    for (const std::string& id : ids) row.emplace_back(At(p, "gain_pv_gbp", id));
    fees.rows.push_back(std::move(row));
  }
  AddIfRows(sheets, std::move(fees));
  XlsxSheet tariffs{"Tariff sweep",
                    {{"tariff rate", XlsxFormat::kPercent},
                     {"cars hosted", XlsxFormat::kCars},
                     {"host's gain", XlsxFormat::kGbp},
                     {"partner's gain", XlsxFormat::kGbp},
                     {"host's break-even fee", XlsxFormat::kGbp},
                     {"partner's highest fee", XlsxFormat::kGbp}},
                    {}};
  for (const json& p : Items(At(r, "tariff_sweep", "points"))) {
    tariffs.rows.push_back({At(p, "rate"), At(p, "cars"), At(p, "host_gain_gbp"), At(p, "partner_gain_gbp"),
                            At(p, "host_break_even_fee_gbp"), At(p, "partner_max_fee_gbp")});
  }
  AddIfRows(sheets, std::move(tariffs));
  return sheets;
}

std::vector<XlsxSheet> RiskWorkbook(const json& r) {
  std::vector<XlsxSheet> sheets;
  Figures summary("Summary");
  summary.Add("draws", At(r, "samples"), XlsxFormat::kCars)
      .Add("draws with events", At(r, "samples_with_events"), XlsxFormat::kCars)
      .Add("failed draws", At(r, "failed_samples"), XlsxFormat::kCars)
      .Add("draws stopped by the time limit", At(r, "time_limited_samples"), XlsxFormat::kCars)
      .Add("baseline contribution", At(r, "baseline_contribution_gbp"), XlsxFormat::kGbp);
  sheets.push_back(std::move(summary.sheet));
  // P90 of the loss is the bad tail; P90 of a contribution the good one.
  XlsxSheet percentiles{"Percentiles", {{"measure"}, {"P10"}, {"P50"}, {"P90"}}, {}};
  const auto add = [&](const std::string& label, const json& p, XlsxFormat f) {
    if (!p.is_object()) return;
    percentiles.rows.push_back(
        {label, XlsxCell(At(p, "p10"), f), XlsxCell(At(p, "p50"), f), XlsxCell(At(p, "p90"), f)});
  };
  add("loss against the baseline (GBP)", At(r, "loss_gbp"), XlsxFormat::kGbp);
  add("contribution after recovery (GBP)", At(r, "percentiles", "contribution_gbp"), XlsxFormat::kGbp);
  add("contribution with no action (GBP)", At(r, "percentiles", "disrupted_contribution_gbp"),
      XlsxFormat::kGbp);
  add("cars lost after recovery", At(r, "percentiles", "units_lost"), XlsxFormat::kCars);
  add("cars lost with no action", At(r, "percentiles", "disrupted_units_lost"), XlsxFormat::kCars);
  sheets.push_back(std::move(percentiles));
  XlsxSheet companies{"Companies",
                      {{"company"},
                       {"baseline", XlsxFormat::kGbp},
                       {"loss P10", XlsxFormat::kGbp},
                       {"loss P50", XlsxFormat::kGbp},
                       {"loss P90", XlsxFormat::kGbp},
                       {"contribution P10", XlsxFormat::kGbp},
                       {"contribution P50", XlsxFormat::kGbp},
                       {"contribution P90", XlsxFormat::kGbp}},
                      {}};
  for (const json& c : Items(At(r, "companies"))) {
    companies.rows.push_back({At(c, "name").is_string() ? At(c, "name") : At(c, "company"),
                              At(c, "baseline_gbp"), At(c, "loss_gbp", "p10"), At(c, "loss_gbp", "p50"),
                              At(c, "loss_gbp", "p90"), At(c, "contribution_gbp", "p10"),
                              At(c, "contribution_gbp", "p50"), At(c, "contribution_gbp", "p90")});
  }
  AddIfRows(sheets, std::move(companies));
  XlsxSheet worst{"Worst draws",
                  {{"draw"},
                   {"loss", XlsxFormat::kGbp},
                   {"cars lost after recovery", XlsxFormat::kCars},
                   {"cars lost with no action", XlsxFormat::kCars},
                   {"events"}},
                  {}};
  for (const json& d : Items(At(r, "worst_draws"))) {
    worst.rows.push_back({At(d, "index"), At(d, "loss_gbp"), At(d, "units_lost"),
                          At(d, "disrupted_units_lost"), Joined(At(d, "events"), "; ")});
  }
  AddIfRows(sheets, std::move(worst));
  XlsxSheet losses{"Losses", {{"successful draw"}, {"loss", XlsxFormat::kGbp}}, {}};
  for (size_t i = 0; i < Items(At(r, "losses_gbp")).size(); ++i) {
    losses.rows.push_back({static_cast<int64_t>(i + 1), At(r, "losses_gbp")[i]});
  }
  AddIfRows(sheets, std::move(losses));
  return sheets;
}

bool HasWorkbook(std::string_view kind) {
  return kind == "plan" || kind == "replan" || kind == "deal" || kind == "risk";
}

Result<std::vector<XlsxSheet>> ResultWorkbook(std::string_view kind, const json& result) {
  if (kind == "plan") return PlanWorkbook(result);
  if (kind == "replan") return ReplanWorkbook(result);
  if (kind == "deal") return DealWorkbook(result);
  if (kind == "risk") return RiskWorkbook(result);
  return NotFound("no Excel workbook for a " + std::string(kind) +
                  " result (there is one for plan, replan, deal and risk)");
}

}  // namespace cobuild::io
