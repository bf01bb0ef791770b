#include "plan/model_names.h"

#include <cctype>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/calendar.h"

namespace cobuild::plan {
namespace {

class Namer {
 public:
  Namer(const model::Scenario& scenario, const BuiltModel& built) : s_(scenario), built_(built) {}

  std::string Column(const ColumnInfo& c) const {
    switch (c.kind) {
      case ColumnKind::kShip:
        return c.line >= 0 ? Name("ship", {Plant(c.plant), Line(c.line), Variant(c.variant), Market(c.market),
                                           Month(c.month), Month(c.other)})
                           : Name("ship", {Plant(c.plant), Variant(c.variant), Market(c.market),
                                           Month(c.month), Month(c.other)});
      case ColumnKind::kProduce:
        return Name("build", {Line(c.line), Variant(c.variant), Month(c.month)});
      case ColumnKind::kShifts:
        return Name("shifts", {Line(c.line), Month(c.month)});
      case ColumnKind::kExtraShifts:
        return Name("extra_shifts", {Line(c.line), Month(c.month)});
      case ColumnKind::kWeekendDays:
        return Name("weekend_days", {Line(c.line), Month(c.month)});
      case ColumnKind::kRetool:
        return Name("retool", {Line(c.line), Platform(c.other), Month(c.month)});
      case ColumnKind::kUnmet:
        return Name("unmet", {Variant(c.variant), Market(c.market), Month(c.month)});
      case ColumnKind::kShortfall:
        return Name("shortfall", {Contract(c.other), std::to_string(c.month)});
      case ColumnKind::kBacklog:
        return Name("backlog", {Variant(c.variant), Market(c.market), Month(c.month)});
      case ColumnKind::kDeviation:
        return Name("deviation", {Line(c.line), Variant(c.variant), Month(c.month)});
      case ColumnKind::kShiftsAdded:
        return Name("shifts_added", {Line(c.line), Month(c.month)});
      case ColumnKind::kShiftsRemoved:
        return Name("shifts_removed", {Line(c.line), Month(c.month)});
      case ColumnKind::kShiftChange:
        return Name("shift_change", {Line(c.line), Month(c.month)});
      case ColumnKind::kStock:
        return Name("stock", {Plant(c.plant), Variant(c.variant), Month(c.month)});
      case ColumnKind::kSafetyShort:
        return Name("safety_short", {Plant(c.plant), Month(c.month)});
      case ColumnKind::kAtMaxShifts:
        return Name("at_max_shifts", {Line(c.line), Month(c.month)});
    }
    return "column";
  }

  std::string Row(const RowInfo& r) const {
    switch (r.kind) {
      case RowKind::kCapacity:
        return Name("capacity", {Line(r.a), Month(r.b)});
      case RowKind::kCover:
        return Name("cover", {Line(r.a), Month(r.b)});
      case RowKind::kDemand:
        return Name("demand", {Variant(r.a), Market(r.b), Month(r.c)});
      case RowKind::kBalance:
        return Name("balance", {Plant(r.a), Variant(r.b), Month(r.c)});
      case RowKind::kRetoolLink:
        return Name("retool_link", {Line(r.a), Platform(r.b), Month(r.c)});
      case RowKind::kRetoolOnce:
        return Name("retool_once", {Line(r.a), Platform(r.b)});
      case RowKind::kShare:
        return Name("share", {Line(r.a), Month(r.b), std::to_string(r.c)});
      case RowKind::kStationLoad: {
        const bool known = Valid(r.a, s_.lines.size()) && Valid(r.c, s_.lines[r.a].stations.size());
        return Name("station_load",
                    {Line(r.a), Month(r.b), known ? s_.lines[r.a].stations[r.c].id : std::to_string(r.c)});
      }
      case RowKind::kContractMin:
        return Name("contract_min", {Contract(r.a), std::to_string(r.b)});
      case RowKind::kContractMax:
        return Name("contract_max", {Contract(r.a), std::to_string(r.b)});
      case RowKind::kSupplyCap:
        return Name("supply_cap", {std::to_string(r.a), Month(r.b)});
      case RowKind::kStability:
        return Name("stability", {Line(r.a), Variant(r.b), Month(r.c)});
      case RowKind::kFrozen:
        return Name("frozen", {Line(r.a), Variant(r.b), Month(r.c)});
      case RowKind::kDowntime: {
        // c is the retooling decision's column.
        if (Valid(r.c, built_.columns.size())) {
          const ColumnInfo& d = built_.columns[r.c];
          return Name("downtime", {Line(r.a), Month(r.b), Platform(d.other), Month(d.month)});
        }
        return Name("downtime", {Line(r.a), Month(r.b)});
      }
      case RowKind::kLaunchRamp:
        return Name("launch_ramp", {Line(r.a), Variant(r.b), Month(r.c)});
      case RowKind::kShiftStep:
        return Name("shift_step", {Line(r.a), Month(r.b)});
      case RowKind::kShiftChangeLink:
        return Name("shift_change_link", {Line(r.a), Month(r.b)});
      case RowKind::kShiftHold:
        return Name("shift_hold", {Line(r.a), Month(r.b)});
      case RowKind::kStockLimit:
        return Name("stock_limit", {Plant(r.a), Month(r.b)});
      case RowKind::kSafetyStock:
        return Name("safety_stock", {Plant(r.a), Month(r.b)});
      case RowKind::kTailDemand:
        return Name("tail_demand", {Variant(r.a), Market(r.b), Month(r.c)});
      case RowKind::kParticipation:
        return Name("participation", {Company(r.a)});
      case RowKind::kHostFirst:
        return Name("host_first", {Plant(r.a), std::to_string(r.b)});
      case RowKind::kLeverGate: {
        static constexpr const char* kGated[] = {"extra_shifts", "weekend_days", "shifts"};
        return Name("lever_gate", {Line(r.a), Month(r.b), Valid(r.c, 3) ? kGated[r.c] : std::to_string(r.c)});
      }
    }
    return "row";
  }

 private:
  static bool Valid(int i, size_t n) { return i >= 0 && static_cast<size_t>(i) < n; }
  static std::string Name(std::string_view kind, std::initializer_list<std::string> parts) {
    std::string name(kind);
    name += '[';
    bool first = true;
    for (const std::string& p : parts) {
      if (!first) name += ',';
      name += p;
      first = false;
    }
    name += ']';
    return name;
  }
  std::string Month(int t) const { return t >= 0 ? model::ToString(s_.horizon.MonthAt(t)) : "-"; }
  std::string Plant(int i) const { return Valid(i, s_.plants.size()) ? s_.plants[i].id : "-"; }
  std::string Line(int i) const { return Valid(i, s_.lines.size()) ? s_.lines[i].id : "-"; }
  std::string Variant(int i) const { return Valid(i, s_.variants.size()) ? s_.variants[i].id : "-"; }
  std::string Market(int i) const { return Valid(i, s_.markets.size()) ? s_.markets[i].id : "-"; }
  std::string Platform(int i) const { return Valid(i, s_.platforms.size()) ? s_.platforms[i].id : "-"; }
  std::string Company(int i) const { return Valid(i, s_.companies.size()) ? s_.companies[i].id : "-"; }
  std::string Contract(int i) const { return Valid(i, s_.contracts.size()) ? s_.contracts[i].id : "-"; }

  const model::Scenario& s_;
  const BuiltModel& built_;
};

// MPS: any printable character but a blank; at most 255 characters.
std::string SanitiseMps(std::string_view name) {
  std::string out;
  for (const char ch : name) {
    const auto u = static_cast<unsigned char>(ch);
    out += (u > 32 && u < 127) ? ch : '_';
  }
  if (out.size() > 240) out.resize(240);
  return out;
}

// LP (CoinLpIO::is_invalid_name): letters, digits and "!#$%&().;?@_'`{}~,
// not starting with a digit, at most 96 characters (100 less the "_low" a
// ranged row's second half gets).
std::string SanitiseLp(std::string_view name) {
  static constexpr std::string_view kAllowed = "\"!#$%&().;?@_'`{}~";
  std::string out;
  for (const char ch : name) {
    if (ch == '[') {
      out += '(';
    } else if (ch == ']') {
      out += ')';
    } else if (ch == ',') {
      out += ';';
    } else if (std::isalnum(static_cast<unsigned char>(ch)) || kAllowed.find(ch) != std::string_view::npos) {
      out += ch;
    } else {
      out += '_';
    }
  }
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out.insert(out.begin(), '_');
  if (out.size() > 88) out.resize(88);  // room for "#NNNNNNN"
  return out;
}

// Appends "#2", "#3"... to repeated names.
void MakeUnique(std::vector<std::string>* names) {
  std::unordered_map<std::string, int> seen;
  seen.reserve(names->size());
  for (std::string& name : *names) {
    int& count = seen[name];
    if (++count == 1) continue;
    std::string candidate;
    do {
      candidate = name + "#" + std::to_string(count++);
    } while (seen.count(candidate) > 0);
    seen[candidate] = 1;
    name = std::move(candidate);
  }
}

}  // namespace

ModelNames NameModel(const model::Scenario& scenario, const BuiltModel& built, NameRules rules) {
  const Namer namer(scenario, built);
  auto clean = [rules](const std::string& name) {
    return rules == NameRules::kMps ? SanitiseMps(name) : SanitiseLp(name);
  };
  ModelNames names;
  names.columns.reserve(built.columns.size());
  for (const ColumnInfo& c : built.columns) names.columns.push_back(clean(namer.Column(c)));
  names.rows.reserve(built.rows.size());
  for (const RowInfo& r : built.rows) names.rows.push_back(clean(namer.Row(r)));
  MakeUnique(&names.columns);
  MakeUnique(&names.rows);
  return names;
}

}  // namespace cobuild::plan
