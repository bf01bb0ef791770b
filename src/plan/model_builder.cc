#include "plan/model_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "plan/economics.h"
#include "plan/ramp_up.h"

namespace cobuild::plan {
namespace {

// Production of (line, variant, month) is the sum of `count` consecutive
// columns from `first` (the ship columns of a line that alone builds the
// variant at its plant, or one production column).
struct ProductionTerm {
  int line;
  int variant;
  int month;
  int first;
  int count;
};

// Stock entering and leaving a plant's month of a variant: the stock
// columns of the previous month's end and this month's end (or -1), and the
// initial stock (month 0 only).
struct StockFlow {
  int in = -1;
  int out = -1;
  double initial = 0;
};

// One market a plant's month of a variant can serve: arrival month, margin
// per car and the most cars that market can take.
struct Source {
  int market;
  int arrival;
  double margin;
  double upper;
};

std::string AtMonth(const std::string& what, int index, int num_months) {
  return what + "[" + std::to_string(index) + "] needs " + std::to_string(num_months) + " monthly values";
}

Result<void> ValidateRequest(const model::Scenario& scenario, const PlanRequest& request,
                             const Levers& levers) {
  const int n = scenario.horizon.num_months;
  const int num_lines = static_cast<int>(scenario.lines.size());
  if (!request.line_availability.empty() &&
      request.line_availability.size() != static_cast<size_t>(num_lines) * n) {
    return InvalidInput(
        "plan request: line_availability has " + std::to_string(request.line_availability.size()) +
        " entries, expected lines * months = " + std::to_string(static_cast<size_t>(num_lines) * n));
  }
  for (size_t i = 0; i < request.supply_caps.size(); ++i) {
    if (request.supply_caps[i].units_per_month.size() != static_cast<size_t>(n)) {
      return InvalidInput("plan request: " + AtMonth("supply_caps", static_cast<int>(i), n));
    }
  }
  if (request.frozen_months < 0 || request.frozen_months > n) {
    return InvalidInput("plan request: frozen_months must be in [0, " + std::to_string(n) + "], got " +
                        std::to_string(request.frozen_months));
  }
  if (request.frozen_months > 0 && request.baseline == nullptr) {
    return InvalidInput("plan request: frozen_months > 0 needs a baseline plan");
  }
  if (!request.fixed_integer_months.empty() &&
      (request.fixed_integer_months.size() != static_cast<size_t>(n) || request.baseline == nullptr)) {
    return InvalidInput("plan request: fixed_integer_months needs a baseline and " + std::to_string(n) +
                        " entries, got " + std::to_string(request.fixed_integer_months.size()));
  }
  if (levers.backlog.max_months < 0 || levers.extra_shifts_per_day < 0 || levers.weekend_days_per_month < 0) {
    return InvalidInput(
        "plan request: lever limits (backlog months, extra shifts, weekend days) must be >= 0");
  }
  // A baseline (kept in frozen months, fixed where integers are) must keep
  // the levers' rules (the extra-shift cap, the month's weekend days, levers
  // only at the line's maximum regular shifts), or the fixed months would
  // build lever use the model does not allow.
  if (request.baseline != nullptr) {
    for (const ShiftEntry& e : request.baseline->shifts) {
      if (e.line < 0 || e.line >= num_lines || e.month < 0 || e.month >= n) continue;
      const model::Line& line = scenario.lines[e.line];
      const std::string month = model::ToString(scenario.horizon.MonthAt(e.month));
      const int limit = ExtraShiftsPerDay(scenario, levers, e.line);
      if (e.extra_shifts_per_day > limit) {
        return InvalidInput(fmt::format(
            "baseline plan: line {} month {}: {} extra shifts a day, at most {} fit ({} shifts of {} h "
            "a day, 24 h)",
            line.id, month, e.extra_shifts_per_day, limit, line.max_shifts_per_day, line.hours_per_shift));
      }
      const int weekend_limit = WeekendDaysPerMonth(scenario, levers, e.line, e.month);
      if (e.weekend_days > weekend_limit) {
        return InvalidInput(fmt::format(
            "baseline plan: line {} month {}: {} weekend days, at most {} (the month's working weeks)",
            line.id, month, e.weekend_days, weekend_limit));
      }
      if ((e.extra_shifts_per_day > 0 || e.weekend_days > 0) && e.shifts_per_day < line.max_shifts_per_day) {
        return InvalidInput(
            fmt::format("baseline plan: line {} month {}: levers ({} extra shifts, {} weekend days) with {} "
                        "regular shifts "
                        "a day; levers only at the line's maximum of {}",
                        line.id, month, e.extra_shifts_per_day, e.weekend_days, e.shifts_per_day,
                        line.max_shifts_per_day));
      }
    }
  }
  return {};
}

// The baseline's figures a replan keeps in its frozen months (and measures
// its stability against), by key.
struct BaselineTables {
  std::map<std::tuple<int, int, int>, double> production;     // (line, variant, month)
  std::map<std::tuple<int, int, int, int>, double> shipment;  // (plant, variant, market, month)
  std::map<std::pair<int, int>, int> shifts;                  // (line, month)
  std::map<std::pair<int, int>, int> extra;
  std::map<std::pair<int, int>, int> weekend;
  std::map<std::tuple<int, int, int>, int> retool;    // (line, platform, month)
  std::map<std::tuple<int, int, int>, double> stock;  // (plant, variant, month)

  explicit BaselineTables(const Plan* baseline) {
    if (baseline == nullptr) return;
    for (const auto& e : baseline->production) production[{e.line, e.variant, e.month}] += e.units;
    for (const auto& e : baseline->shipments) shipment[{e.plant, e.variant, e.market, e.month}] += e.units;
    for (const auto& e : baseline->shifts) {
      shifts[{e.line, e.month}] = e.shifts_per_day;
      extra[{e.line, e.month}] = e.extra_shifts_per_day;
      weekend[{e.line, e.month}] = e.weekend_days;
    }
    for (const auto& e : baseline->retooling) retool[{e.line, e.platform, e.month}] = 1;
    for (const auto& e : baseline->stock) stock[{e.plant, e.variant, e.month}] += e.units;
  }

  template <typename Table, typename Key>
  static double Value(const Table& table, const Key& key) {
    auto it = table.find(key);
    return it == table.end() ? 0.0 : static_cast<double>(it->second);
  }
};

// Builds the model block by block (docs/planning-model.md): supply
// (production and shipping), sales (demand, unmet, backlog), each line's
// month (shifts and capacity, levers, cover, share limits, station loads),
// retooling, contracts, supply caps, stability. The order of columns and
// rows is part of the result: the solver's path, and so a time-limited
// plan, depends on it.
class ModelBuilder {
 public:
  ModelBuilder(const model::Scenario& scenario, const PlanRequest& request, const BuildOptions& options,
               const Levers& levers)
      : s_(scenario),
        request_(request),
        options_(options),
        levers_(levers),
        n_(scenario.horizon.num_months),
        num_lines_(static_cast<int>(scenario.lines.size())),
        num_variants_(static_cast<int>(scenario.variants.size())),
        num_markets_(static_cast<int>(scenario.markets.size())),
        frozen_(request.frozen_months),
        routes_(scenario),
        baseline_(request.baseline),
        demand_(scenario.OpenDemand()) {}

  BuiltModel Build() {
    built_.num_months = n_;
    ComputeLineCapacity();
    ComputeFirstMonths();
    AddStockColumns();
    AddSupply();
    AddStockRows();
    AddDemand();
    AddLineMonths();
    AddShiftChanges();
    AddRetooling();
    AddLaunchRamps();
    AddContracts();
    AddSupplyCaps();
    AddStability();
    AddParticipation();
    AddHostFirst();
    return std::move(built_);
  }

 private:
  int AddColumn(ColumnInfo info, double lo, double up, double obj, bool integer) {
    built_.columns.push_back(info);
    return lp().AddColumn(lo, up, obj, integer, {});
  }
  int AddRow(RowInfo info, double lo, double up) {
    built_.rows.push_back(info);
    return lp().AddRow(lo, up, {});
  }
  void AddTerm(int row, const ProductionTerm& term, double coefficient) {
    for (int j = 0; j < term.count; ++j) lp().AddEntry(row, term.first + j, coefficient);
  }
  LinearProgram& lp() { return built_.lp; }

  size_t Cell(int l, int t) const { return static_cast<size_t>(l) * n_ + t; }
  double Kappa(int l, int t) const { return built_.cars_per_shift_month[Cell(l, t)]; }
  bool IntegersFixed(int t) const { return t < frozen_ || request_.IntegersFixed(t); }

  // Demand a car arriving in (v, k, t) can serve: its own month, plus with
  // backlog the unserved demand of the previous max_months months.
  double Reach(int v, int k, int t) const {
    if (t >= n_) return TailDemand(s_, v, k, t);  // after the horizon (CollectSources)
    double total = 0;
    for (int tau = std::max(0, t - levers_.backlog.max_months); tau <= t; ++tau) {
      total += demand_.at(v, k, tau);
    }
    return total;
  }

  // The most a line can build in a month with every lever ($\bar C_{lt}$).
  double MaxCars(int l, int t) const {
    return Kappa(l, t) * (s_.lines[l].max_shifts_per_day + ExtraShiftsPerDay(s_, levers_, l)) +
           built_.cars_per_weekend_day[Cell(l, t)] * WeekendDaysPerMonth(s_, levers_, l, t);
  }

  // kappa: cars one shift per working day yields over each month; and the
  // cars of a weekend day at the line's maximum shifts, only in months the
  // line works at all (a shutdown month stays shut).
  void ComputeLineCapacity() {
    built_.cars_per_shift_month.assign(static_cast<size_t>(num_lines_) * n_, 0.0);
    built_.cars_per_weekend_day.assign(static_cast<size_t>(num_lines_) * n_, 0.0);
    for (int l = 0; l < num_lines_; ++l) {
      const model::Line& line = s_.lines[l];
      for (int t = 0; t < n_; ++t) {
        built_.cars_per_shift_month[Cell(l, t)] = line.CarsPerShift() *
                                                  s_.plants[line.plant].calendar.working_days[t] *
                                                  request_.LineAvailability(s_, l, t);
      }
    }
    for (int l = 0; l < num_lines_; ++l) {
      const model::Line& line = s_.lines[l];
      for (int t = 0; t < n_; ++t) {
        if (Kappa(l, t) <= 0) continue;
        built_.cars_per_weekend_day[Cell(l, t)] =
            line.CarsPerShift() * line.max_shifts_per_day * request_.LineAvailability(s_, l, t);
      }
    }
  }

  // First month each line can build each variant (-1: never): now if it
  // builds the platform today, else after the retooling lead time.
  void ComputeFirstMonths() {
    first_month_.assign(static_cast<size_t>(num_lines_) * num_variants_, -1);
    for (int l = 0; l < num_lines_; ++l) {
      for (int v = 0; v < num_variants_; ++v) {
        if (request_.IsExcludedVariant(s_, v)) continue;
        int& first = first_month_[l * num_variants_ + v];
        if (LineBuildsToday(s_, l, v)) {
          first = 0;
        } else if (const model::Retooling* option = RetoolingFor(s_, l, v)) {
          if (option->lead_time_months < n_) first = option->lead_time_months;
        }
        // No car of a variant before its launch.
        const model::Variant& variant = s_.variants[v];
        if (first >= 0 && variant.has_launch) {
          first = variant.launch_month < n_ ? std::max(first, variant.launch_month) : -1;
        }
      }
    }
  }

  size_t DemandIndex(int v, int k, int t) const {
    return (static_cast<size_t>(v) * num_markets_ + k) * n_ + t;
  }

  // ---- Production and shipping, plant by plant: ship columns to every
  // market a (plant, variant, month) can serve, fed straight from the line
  // when one line builds the variant, else through a plant balance row and
  // one production column per line.
  void AddSupply() {
    line_reach_.assign(static_cast<size_t>(num_lines_) * n_, 0.0);
    std::vector<double> ahead(line_reach_.size(), 0.0);
    std::vector<int> capable;
    for (int p = 0; p < static_cast<int>(s_.plants.size()); ++p) {
      for (int v = 0; v < num_variants_; ++v) {
        if (request_.IsExcludedVariant(s_, v)) continue;
        for (int t = 0; t < n_; ++t) {
          const StockFlow flow = StockFlowAt(p, v, t);
          const bool stock = flow.in >= 0 || flow.out >= 0 || flow.initial > 0;
          CapableLines(p, v, t, capable);
          if (capable.empty() && !stock) continue;
          const double reach_total = CollectSources(p, v, t);
          if (sources_.empty() && !stock) continue;
          // With stock a line may build this month for a later one: up to
          // the most the month's end stock can hold (below, over all
          // variants at most the plant's limit).
          const double build_ahead = flow.out >= 0 ? lp().col_upper[flow.out] : 0.0;
          for (int l : capable) {
            line_reach_[Cell(l, t)] += reach_total;
            ahead[Cell(l, t)] += build_ahead;
          }
          if (capable.size() == 1 && !stock) {
            const int l = capable.front();
            const int first = AddShipColumns(p, v, t, l);
            terms_.push_back({l, v, t, first, static_cast<int>(sources_.size())});
          } else {
            AddPlantBalance(p, v, t, capable, reach_total + build_ahead, flow);
          }
        }
      }
    }
    for (int l = 0; l < num_lines_; ++l) {
      const model::PlantStock* stock = s_.StockAt(s_.lines[l].plant);
      if (stock == nullptr) continue;
      for (int t = 0; t < n_; ++t) line_reach_[Cell(l, t)] += std::min(ahead[Cell(l, t)], stock->max_cars);
    }
  }

  // The markets a car of v made at p in month t can reach in time, with a
  // price, demand and a margin that beats leaving the car unmet; returns
  // the demand they can take.
  double CollectSources(int p, int v, int t) {
    const model::Variant& variant = s_.variants[v];
    const double penalty = UnmetPenaltyPerCar(s_);
    sources_.clear();
    double reach_total = 0;
    for (int k = 0; k < num_markets_; ++k) {
      const int r = routes_.Find(p, k);
      if (r < 0) continue;
      const model::Route& route = s_.routes[r];
      const int arrival = t + TransitMonths(s_, route);
      if (!SellableArrival(s_, arrival)) continue;
      const double up = Reach(v, k, arrival);
      if (up <= 0) continue;
      if (k >= static_cast<int>(variant.price_gbp.size()) || variant.price_gbp[k] <= 0) continue;
      const double margin = MarginPerCar(s_, route, v, arrival);
      if (margin + penalty <= 0) continue;  // leaving the car unmet is no worse
      sources_.push_back({k, arrival, margin, up});
      reach_total += up;
    }
    return reach_total;
  }

  // One ship column per source; the first column's index.
  int AddShipColumns(int p, int v, int t, int line) {
    const int first = lp().num_cols();
    for (const Source& source : sources_) {
      double lo = 0;
      double up = source.upper;
      if (t < frozen_) {
        lo = up = BaselineTables::Value(baseline_.shipment, std::make_tuple(p, v, source.market, t));
      }
      const int col = AddColumn({.kind = ColumnKind::kShip,
                                 .plant = p,
                                 .line = line,
                                 .variant = v,
                                 .market = source.market,
                                 .month = t,
                                 .other = source.arrival},
                                lo, up, source.margin, false);
      if (source.arrival < n_) {
        demand_entries_.emplace_back(DemandIndex(v, source.market, source.arrival), col);
      } else {
        tail_entries_[{v, source.market, source.arrival}].push_back(col);
      }
    }
    return first;
  }

  // Lines of plant p that can build v in month t (none where the plant may
  // not build the variant that year).
  void CapableLines(int p, int v, int t, std::vector<int>& capable) const {
    capable.clear();
    if (!MayBuild(s_, p, v, s_.horizon.MonthAt(t).year)) return;
    for (int l = 0; l < num_lines_; ++l) {
      if (s_.lines[l].plant != p) continue;
      const int from = first_month_[l * num_variants_ + v];
      if (from < 0 || t < from || Kappa(l, t) <= 0) continue;
      capable.push_back(l);
    }
  }

  // Plant balance: the plant's lines' production and the stock carried in
  // equal its shipments and the stock carried out,
  // sum_l y + I(t-1) - sum_k x - I(t) = 0, with I(-1) the initial stock
  // (a constant, so the row's right-hand side).
  void AddPlantBalance(int p, int v, int t, const std::vector<int>& capable, double reach_total,
                       const StockFlow& flow) {
    const int first_ship = AddShipColumns(p, v, t, -1);
    const int balance = AddRow({RowKind::kBalance, p, v, t}, -flow.initial, -flow.initial);
    for (int i = 0; i < static_cast<int>(sources_.size()); ++i) lp().AddEntry(balance, first_ship + i, -1.0);
    if (flow.in >= 0) lp().AddEntry(balance, flow.in, 1.0);
    if (flow.out >= 0) lp().AddEntry(balance, flow.out, -1.0);
    for (int l : capable) {
      double lo = 0;
      double up = std::min(reach_total, MaxCars(l, t));
      if (t < frozen_) lo = up = BaselineTables::Value(baseline_.production, std::make_tuple(l, v, t));
      const int col =
          AddColumn({.kind = ColumnKind::kProduce, .plant = p, .line = l, .variant = v, .month = t}, lo, up,
                    0.0, false);
      lp().AddEntry(balance, col, 1.0);
      terms_.push_back({l, v, t, col, 1});
    }
  }

  // ---- Finished-goods stock (docs/planning-model.md, "Finished-goods
  // stock"): a column per (plant, variant, month's end) only where it can
  // pay, that is where the plant can have the car by then (built or in its
  // initial stock) and a later month has demand the plant can reach; a
  // plant's safety stock or an initial stock keeps the columns in every
  // month (a safety stock can pay without a later sale, and initial cars the
  // plant cannot sell stay where they are). Bounds: the limits, the cars
  // the plant can have by then and the demand it can still reach.
  void AddStockColumns() {
    stock_column_.assign(static_cast<size_t>(s_.plants.size()) * num_variants_ * n_, -1);
    initial_stock_.assign(static_cast<size_t>(s_.plants.size()) * num_variants_, 0.0);
    std::vector<int> capable;
    std::vector<double> reach(n_), made(n_);
    for (const model::PlantStock& stock : s_.stock) {
      const int p = stock.plant;
      for (const model::InitialStock& initial : stock.initial) {
        if (!request_.IsExcludedVariant(s_, initial.variant)) {
          initial_stock_[static_cast<size_t>(p) * num_variants_ + initial.variant] = initial.units;
        }
      }
      for (int v = 0; v < num_variants_; ++v) {
        if (request_.IsExcludedVariant(s_, v)) continue;
        const double initial = initial_stock_[static_cast<size_t>(p) * num_variants_ + v];
        for (int t = 0; t < n_; ++t) {
          CapableLines(p, v, t, capable);
          made[t] = 0;
          for (int l : capable) made[t] += MaxCars(l, t);
          reach[t] = CollectSources(p, v, t);
        }
        double can_have = initial;
        for (int t = 0; t < n_; ++t) {
          can_have += made[t];
          double later = 0;
          for (int tau = t + 1; tau < n_; ++tau) later += reach[tau];
          const double need = std::max(later, stock.safety_stock_cars) + initial;
          double up = std::min({stock.max_cars_per_variant, stock.max_cars, can_have, need});
          if (up <= 0) continue;
          double lo = 0;
          if (t < frozen_) lo = up = BaselineTables::Value(baseline_.stock, std::make_tuple(p, v, t));
          stock_column_[StockIndex(p, v, t)] =
              AddColumn({.kind = ColumnKind::kStock, .plant = p, .variant = v, .month = t}, lo, up,
                        -HoldingCostPerCarMonth(s_, p) * DiscountFactor(s_, t), false);
        }
      }
    }
  }

  size_t StockIndex(int p, int v, int t) const {
    return (static_cast<size_t>(p) * num_variants_ + v) * n_ + t;
  }

  StockFlow StockFlowAt(int p, int v, int t) const {
    if (s_.stock.empty()) return {};
    return {.in = t > 0 ? stock_column_[StockIndex(p, v, t - 1)] : -1,
            .out = stock_column_[StockIndex(p, v, t)],
            .initial = t == 0 ? initial_stock_[static_cast<size_t>(p) * num_variants_ + v] : 0.0};
  }

  // A plant's stock over all variants at each month's end: at most its
  // max_cars (where the columns' bounds do not already say so), and at
  // least its safety stock, short by a penalised shortfall column.
  void AddStockRows() {
    for (const model::PlantStock& stock : s_.stock) {
      const int p = stock.plant;
      for (int t = 0; t < n_; ++t) {
        std::vector<int> columns;
        double most = 0;
        for (int v = 0; v < num_variants_; ++v) {
          const int col = stock_column_[StockIndex(p, v, t)];
          if (col < 0) continue;
          columns.push_back(col);
          most += lp().col_upper[col];
        }
        if (most > stock.max_cars + 1e-9) {
          const int row = AddRow({RowKind::kStockLimit, p, t}, -kInfinity, stock.max_cars);
          for (int col : columns) lp().AddEntry(row, col, 1.0);
        }
        if (stock.safety_stock_cars > 0) {
          const int row = AddRow({RowKind::kSafetyStock, p, t}, stock.safety_stock_cars, kInfinity);
          for (int col : columns) lp().AddEntry(row, col, 1.0);
          const int short_col =
              AddColumn({.kind = ColumnKind::kSafetyShort, .plant = p, .month = t}, 0,
                        stock.safety_stock_cars, -SafetyStockPenaltyPerCarMonth(s_, p), false);
          lp().AddEntry(row, short_col, 1.0);
        }
      }
    }
  }

  // ---- Sales: one demand row per (variant, market, month) with demand (or
  // a backlog carried into it), with its unmet and backlog columns; then the
  // ship columns' arrivals.
  void AddDemand() {
    std::vector<int> demand_row(static_cast<size_t>(num_variants_) * num_markets_ * n_, -1);
    for (int v = 0; v < num_variants_; ++v) {
      if (request_.IsExcludedVariant(s_, v)) continue;
      for (int k = 0; k < num_markets_; ++k) {
        int previous_backlog = -1;
        for (int t = 0; t < n_; ++t) {
          const double d = demand_.at(v, k, t);
          if (d <= 0 && previous_backlog < 0) continue;
          const int row = AddRow({RowKind::kDemand, v, k, t}, d, d);
          demand_row[DemandIndex(v, k, t)] = row;
          const int unmet = AddColumn({.kind = ColumnKind::kUnmet, .variant = v, .market = k, .month = t}, 0,
                                      Reach(v, k, t), -UnmetPenaltyPerCar(s_), false);
          lp().AddEntry(row, unmet, 1.0);
          if (previous_backlog >= 0) lp().AddEntry(row, previous_backlog, -1.0);
          previous_backlog = AddBacklog(v, k, t, row);
        }
      }
    }
    for (const auto& [index, col] : demand_entries_) {
      // Every ship column's arrival demand has reach > 0, so its row exists.
      lp().AddEntry(demand_row[index], col, 1.0);
    }
    AddTailDemand();
  }

  // ---- The horizon's end (docs/planning-model.md, "The horizon's end"):
  // with `horizon_end_value: margin` cars shipped in the last months and
  // arriving after the horizon sell against the estimated demand of their
  // arrival month, each at its margin; there is no unmet demand after the
  // horizon (the next plan serves it).
  void AddTailDemand() {
    for (const auto& [key, columns] : tail_entries_) {
      const auto [v, k, a] = key;
      const int row = AddRow({RowKind::kTailDemand, v, k, a}, -kInfinity, TailDemand(s_, v, k, a));
      for (int col : columns) lp().AddEntry(row, col, 1.0);
    }
  }

  // Order bank: demand of (v, k, t) carried to t + 1, at most the demand of
  // the last B months (served oldest first); the column, or -1.
  int AddBacklog(int v, int k, int t, int row) {
    const int backlog_months = levers_.backlog.max_months;
    if (backlog_months <= 0 || t + 1 >= n_) return -1;
    double up = 0;
    for (int tau = std::max(0, t - backlog_months + 1); tau <= t; ++tau) up += demand_.at(v, k, tau);
    if (up <= 0) return -1;
    const int col = AddColumn({.kind = ColumnKind::kBacklog, .variant = v, .market = k, .month = t}, 0, up,
                              -BacklogCostPerCarMonth(levers_), false);
    lp().AddEntry(row, col, 1.0);
    return col;
  }

  // ---- Each line's month with production: shifts and line hours, levers,
  // the shift cover cut, share limits and station loads.
  void AddLineMonths() {
    std::sort(terms_.begin(), terms_.end(), [](const ProductionTerm& a, const ProductionTerm& b) {
      return std::tie(a.line, a.month, a.variant) < std::tie(b.line, b.month, b.variant);
    });
    built_.shift_column.assign(static_cast<size_t>(num_lines_) * n_, -1);
    built_.capacity_row.assign(static_cast<size_t>(num_lines_) * n_, -1);
    built_.extra_shift_column.assign(static_cast<size_t>(num_lines_) * n_, -1);
    built_.weekend_column.assign(static_cast<size_t>(num_lines_) * n_, -1);
    built_.at_max_shifts_column.assign(static_cast<size_t>(num_lines_) * n_, -1);
    cover_row_.assign(static_cast<size_t>(num_lines_) * n_, {-1, 0.0});
    for (size_t begin = 0; begin < terms_.size();) {
      size_t end = begin;
      while (end < terms_.size() && terms_[end].line == terms_[begin].line &&
             terms_[end].month == terms_[begin].month) {
        ++end;
      }
      const std::span<const ProductionTerm> group(terms_.data() + begin, end - begin);
      const int l = terms_[begin].line;
      const int t = terms_[begin].month;
      const int capacity = AddShiftsAndCapacity(l, t, group);
      AddLevers(l, t, capacity);
      AddShiftCover(l, t, group);
      AddShareLimits(l, t, group);
      AddStationLoads(l, t, group);
      begin = end;
    }
  }

  // Shifts needed to build all the demand the line can reach this month.
  int ShiftsNeeded(int l, int t) const {
    return static_cast<int>(std::ceil(line_reach_[Cell(l, t)] / Kappa(l, t) - 1e-9));
  }

  // The shift column, bounded by the shifts the reachable demand fills, and
  // line hours: cars <= kappa * shifts (levers added below). Returns the row.
  int AddShiftsAndCapacity(int l, int t, std::span<const ProductionTerm> group) {
    const model::Line& line = s_.lines[l];
    double lo = 0;
    double up = std::min(line.max_shifts_per_day, ShiftsNeeded(l, t));
    if (IntegersFixed(t)) lo = up = BaselineTables::Value(baseline_.shifts, std::make_pair(l, t));
    const int shifts = AddColumn({.kind = ColumnKind::kShifts, .line = l, .month = t}, lo, up,
                                 -ShiftCostPerMonth(s_, l, t) * DiscountFactor(s_, t), true);
    built_.shift_column[Cell(l, t)] = shifts;
    const int capacity = AddRow({RowKind::kCapacity, l, t}, -kInfinity, 0);
    built_.capacity_row[Cell(l, t)] = capacity;
    lp().AddEntry(capacity, shifts, -Kappa(l, t));
    for (const ProductionTerm& term : group) AddTerm(capacity, term, 1.0);
    return capacity;
  }

  // Levers, where the reachable demand exceeds the line's maximum shifts:
  // extra shifts per working day at a premium, at most the $E_l$ that fit
  // the day's 24 hours beside the regular shifts (no column where none
  // fits), then weekend days at the line's maximum shifts at the weekend
  // premium, at most the month's working weeks $W_{lt}$. Both only when
  // the line runs its maximum regular shifts (AddLeverGate). Months whose
  // integers are fixed keep the baseline's lever use as it is
  // (ValidateRequest refused a baseline outside the levers' rules).
  void AddLevers(int l, int t, int capacity) {
    const model::Line& line = s_.lines[l];
    const double k = Kappa(l, t);
    const int needed = ShiftsNeeded(l, t);
    const bool fixed_integers = IntegersFixed(t);
    const bool beyond_max = needed > line.max_shifts_per_day;
    const int extra_limit = ExtraShiftsPerDay(s_, levers_, l);
    const double baseline_extra = BaselineTables::Value(baseline_.extra, std::make_pair(l, t));
    if (extra_limit > 0 && (fixed_integers ? baseline_extra > 0 : beyond_max)) {
      // On a line whose crews the workforce rule counts, an extra shift may
      // be kept beyond the month's need (ExtraShiftCrew).
      double x_up = HasCrewRows(l) ? extra_limit : std::min(extra_limit, needed - line.max_shifts_per_day);
      x_up = std::max(x_up, 0.0);
      double x_lo = 0;
      if (fixed_integers) x_lo = x_up = baseline_extra;
      const int x = AddColumn({.kind = ColumnKind::kExtraShifts, .line = l, .month = t}, x_lo, x_up,
                              -ExtraShiftCostPerMonth(s_, levers_, l, t) * DiscountFactor(s_, t), true);
      built_.extra_shift_column[Cell(l, t)] = x;
      lp().AddEntry(capacity, x, -k);
    }
    const double k_weekend = built_.cars_per_weekend_day[Cell(l, t)];
    const double baseline_weekend = BaselineTables::Value(baseline_.weekend, std::make_pair(l, t));
    const int weekend_limit = WeekendDaysPerMonth(s_, levers_, l, t);
    if (weekend_limit > 0 && k_weekend > 0 && (fixed_integers ? baseline_weekend > 0 : beyond_max)) {
      const double beyond = line_reach_[Cell(l, t)] - k * line.max_shifts_per_day;
      double w_up = std::clamp(std::ceil(beyond / k_weekend - 1e-9), 0.0, static_cast<double>(weekend_limit));
      double w_lo = 0;
      if (fixed_integers) w_lo = w_up = baseline_weekend;
      const int w = AddColumn({.kind = ColumnKind::kWeekendDays, .line = l, .month = t}, w_lo, w_up,
                              -WeekendDayCost(s_, levers_, l) * DiscountFactor(s_, t), true);
      built_.weekend_column[Cell(l, t)] = w;
      lp().AddEntry(capacity, w, -k_weekend);
    }
    AddLeverGate(l, t);
  }

  // Levers are bought only when the line's own crews are fully used: a
  // binary b (the line runs its maximum regular shifts) with
  //   extra <= E_l b,  weekend <= W_lt b,  S_l b <= shifts.
  // Without it an extra shift or a Saturday at a premium can stand in for
  // a regular crew (a line on 0 shifts working every Saturday), dodging the
  // workforce rule's hiring cost and minimum. Rows on s alone cannot say
  // it: extra <= E_l (s - S_l + 1) forbids s <= S_l - 2 outright.
  void AddLeverGate(int l, int t) {
    const size_t cell = Cell(l, t);
    if (built_.extra_shift_column[cell] >= 0) GateLever(l, t, built_.extra_shift_column[cell], 0);
    if (built_.weekend_column[cell] >= 0) GateLever(l, t, built_.weekend_column[cell], 1);
  }

  // lever <= (its upper bound) b, creating b and S b <= shifts on first use.
  void GateLever(int l, int t, int lever, int which) {
    const size_t cell = Cell(l, t);
    int at_max = built_.at_max_shifts_column[cell];
    if (at_max < 0) {
      double lo = 0;
      double up = 1;
      if (IntegersFixed(t)) {
        const bool used = BaselineTables::Value(baseline_.extra, std::make_pair(l, t)) > 0 ||
                          BaselineTables::Value(baseline_.weekend, std::make_pair(l, t)) > 0;
        lo = up = used ? 1 : 0;
      }
      at_max = AddColumn({.kind = ColumnKind::kAtMaxShifts, .line = l, .month = t}, lo, up, 0.0, true);
      built_.at_max_shifts_column[cell] = at_max;
      const int row = AddRow({RowKind::kLeverGate, l, t, 2}, -kInfinity, 0);
      lp().AddEntry(row, at_max, s_.lines[l].max_shifts_per_day);
      lp().AddEntry(row, built_.shift_column[cell], -1.0);
    }
    const int row = AddRow({RowKind::kLeverGate, l, t, which}, -kInfinity, 0);
    lp().AddEntry(row, lever, 1.0);
    lp().AddEntry(row, at_max, -lp().col_upper[lever]);
  }

  // Mixed-integer rounding cover of the reachable demand: with
  // reach = q*kappa + r (0 < r < kappa), cars <= r*s + q*(kappa - r).
  // Valid only for capacity from regular shifts: never beside a lever.
  void AddShiftCover(int l, int t, std::span<const ProductionTerm> group) {
    const double k = Kappa(l, t);
    const double reach = line_reach_[Cell(l, t)];
    const double q = std::floor(reach / k);
    const double r = reach - q * k;
    const bool has_levers =
        built_.extra_shift_column[Cell(l, t)] >= 0 || built_.weekend_column[Cell(l, t)] >= 0;
    if (!options_.shift_cover_cuts || has_levers || r <= 1e-6 * k || q + 1 > s_.lines[l].max_shifts_per_day) {
      return;
    }
    const int cover = AddRow({RowKind::kCover, l, t}, -kInfinity, q * (k - r));
    cover_row_[Cell(l, t)] = {cover, r};
    lp().AddEntry(cover, built_.shift_column[Cell(l, t)], -r);
    for (const ProductionTerm& term : group) AddTerm(cover, term, 1.0);
  }

  // Share limits: cars of a powertrain <= its share of the line's cars.
  void AddShareLimits(int l, int t, std::span<const ProductionTerm> group) {
    const model::Line& line = s_.lines[l];
    for (size_t i = 0; i < line.share_limits.size(); ++i) {
      const model::ShareLimit& limit = line.share_limits[i];
      if (limit.max_share >= 1) continue;
      auto matches = [&](const ProductionTerm& term) {
        return s_.variants[term.variant].powertrain == limit.powertrain;
      };
      if (std::none_of(group.begin(), group.end(), matches)) continue;
      const int row = AddRow({RowKind::kShare, l, t, static_cast<int>(i)}, -kInfinity, 0);
      for (const ProductionTerm& term : group)
        AddTerm(row, term, (matches(term) ? 1.0 : 0.0) - limit.max_share);
    }
  }

  // Station loads: a high-priority station that takes at most N cars with
  // its option in any P consecutive cars cannot take more than N/P of the
  // line's month on average, or the day's sequence overloads it whatever
  // the order. A day of n cars holds at most n N/P - N(P-N)/P of them
  // after the worst previous-day tail (sequence::DayStationBound), so each
  // car of the month gives up N(P-N)/(P d) of its share, d the cars of one
  // shift a day: a month averaging at least a shift a day then fits its
  // days and the day builder can level them (docs/planning-model.md,
  // "Station loads"). Low-priority stations are soft in sequencing, so not
  // here. Frozen months keep the baseline's production, which was planned
  // under the same rows; its units are read back rounded (plan files keep
  // four decimals), so the rows are left out there rather than made
  // infeasible by a rounding residue.
  //
  // d is the line's own cars a shift (rate x hours x availability), not
  // taken down by an event's availability: an outage removes whole days
  // and the days that run keep their cars, so a month cut to a few days by
  // an outage (the cyber-attack's) is a few full days, whose ends cost no
  // more per car than usual.
  void AddStationLoads(int l, int t, std::span<const ProductionTerm> group) {
    if (t < frozen_) return;
    const model::Line& line = s_.lines[l];
    const double working_days = s_.plants[line.plant].calendar.working_days[t];
    const double shift_day_cars = working_days > 0 ? line.CarsPerShift() : 0;
    for (size_t i = 0; i < line.stations.size(); ++i) {
      const model::Station& station = line.stations[i];
      if (!station.high_priority) continue;
      const double n = station.max_cars;
      const double p = station.window_cars;
      if (n >= p) continue;
      const double allowance = shift_day_cars > 0 ? n * (p - n) / (p * shift_day_cars) : 0;
      const double max_share = std::max(0.0, n / p - allowance);
      auto share = [&](const ProductionTerm& term) {
        return s_.variants[term.variant].OptionShareOf(station.option);
      };
      if (std::none_of(group.begin(), group.end(),
                       [&](const auto& term) { return share(term) > max_share; })) {
        continue;
      }
      const int row = AddRow({RowKind::kStationLoad, l, t, static_cast<int>(i)}, -kInfinity, 0);
      for (const ProductionTerm& term : group) {
        const double c = share(term) - max_share;
        if (c != 0) AddTerm(row, term, c);
      }
    }
  }

  // ---- Workforce (docs/planning-model.md, "Workforce"): on a line with a
  // rule, the regular shift count's changes between consecutive working
  // months, priced per shift added and removed, and at most one change in
  // any `min_months` consecutive working months. A working month without
  // production columns gets an idle shift column, so a crew can be kept
  // through it. Shifts are then bounded by the most the line needs in any
  // month instead of in their own month: keeping a crew can beat laying it
  // off and hiring again.
  bool HasCrewRows(int l) const {
    const std::optional<model::ShiftChangeRule>& rule = s_.lines[l].shift_changes;
    return rule && (rule->added_cost_gbp > 0 || rule->removed_cost_gbp > 0 || rule->min_months > 1);
  }

  void AddShiftChanges() {
    for (int l = 0; l < num_lines_; ++l) {
      if (!HasCrewRows(l)) continue;
      const model::ShiftChangeRule* rule = &*s_.lines[l].shift_changes;
      ShiftSequence sequence{.line = l, .min_months = rule->min_months};
      bool any = false;
      double most = 0;  // shifts the line needs in its busiest month, or keeps in a fixed month
      for (int t = 0; t < n_; ++t) {
        const int col = built_.shift_column[Cell(l, t)];
        if (col < 0) continue;
        any = true;
        most = std::max({most, lp().col_upper[col], lp().col_lower[col]});
      }
      if (!any) continue;
      const int extra_limit = ExtraShiftsPerDay(s_, levers_, l);
      for (int t = 0; t < n_; ++t) {
        // A working month by the calendar: an outage keeps its crews.
        if (s_.plants[s_.lines[l].plant].calendar.working_days[t] <= 0) continue;
        int col = built_.shift_column[Cell(l, t)];
        const bool idle = col < 0;
        if (idle) {
          double lo = 0;
          double up = most;
          if (IntegersFixed(t)) lo = up = BaselineTables::Value(baseline_.shifts, std::make_pair(l, t));
          col = AddColumn({.kind = ColumnKind::kShifts, .line = l, .month = t}, lo, up,
                          -ShiftCostPerMonth(s_, l, t) * DiscountFactor(s_, t), true);
        } else if (!IntegersFixed(t)) {
          lp().col_upper[col] = most;
        }
        sequence.months.push_back(t);
        sequence.shift.push_back(col);
        sequence.idle.push_back(idle);
        sequence.extra.push_back(idle ? -1 : ExtraShiftCrew(l, t, extra_limit));
      }
      const bool crews_beyond =
          std::any_of(sequence.extra.begin(), sequence.extra.end(), [](int j) { return j >= 0; });
      AddShiftSteps(*rule, most + (crews_beyond ? extra_limit : 0), sequence);
      built_.shift_sequences.push_back(std::move(sequence));
    }
  }

  // An extra shift is a crew (docs/planning-model.md, "Workforce"): on a
  // line with a rule it may be kept through any month with production, not
  // only where demand exceeds the regular maximum, so every such month gets
  // an extra-shift column up to $E_l$ (in the capacity row and the cover
  // cut, whose rounding holds for regular plus extra shifts), gated like
  // every lever. Returns the column, or -1 where the line has no room.
  int ExtraShiftCrew(int l, int t, int extra_limit) {
    const size_t cell = Cell(l, t);
    int col = built_.extra_shift_column[cell];
    if (col >= 0) return col;  // AddLevers bounded it by $E_l$ on such a line
    if (extra_limit <= 0) return -1;
    double lo = 0;
    double up = extra_limit;
    if (IntegersFixed(t)) lo = up = BaselineTables::Value(baseline_.extra, std::make_pair(l, t));
    col = AddColumn({.kind = ColumnKind::kExtraShifts, .line = l, .month = t}, lo, up,
                    -ExtraShiftCostPerMonth(s_, levers_, l, t) * DiscountFactor(s_, t), true);
    built_.extra_shift_column[cell] = col;
    lp().AddEntry(built_.capacity_row[cell], col, -Kappa(l, t));
    if (cover_row_[cell].first >= 0) lp().AddEntry(cover_row_[cell].first, col, -cover_row_[cell].second);
    GateLever(l, t, col, 0);
    return col;
  }

  // crews_t - crews_prev = added_t - removed_t (crews: regular plus extra
  // shifts) for each working month after
  // the first; with a minimum, a binary change indicator per step and one
  // row per window of min_months working months.
  void AddShiftSteps(const model::ShiftChangeRule& rule, double most, ShiftSequence& sequence) {
    const int l = sequence.line;
    const size_t count = sequence.months.size();
    sequence.added.assign(count, -1);
    sequence.removed.assign(count, -1);
    sequence.change.assign(count, -1);
    const bool hold = rule.min_months > 1;
    for (size_t i = 1; i < count; ++i) {
      const int t = sequence.months[i];
      const int step = AddRow({RowKind::kShiftStep, l, t}, 0, 0);
      lp().AddEntry(step, sequence.shift[i], 1.0);
      lp().AddEntry(step, sequence.shift[i - 1], -1.0);
      if (sequence.extra[i] >= 0) lp().AddEntry(step, sequence.extra[i], 1.0);
      if (sequence.extra[i - 1] >= 0) lp().AddEntry(step, sequence.extra[i - 1], -1.0);
      const int added = AddColumn({.kind = ColumnKind::kShiftsAdded, .line = l, .month = t}, 0, most,
                                  -ShiftAddedCost(s_, l) * DiscountFactor(s_, t), false);
      const int removed = AddColumn({.kind = ColumnKind::kShiftsRemoved, .line = l, .month = t}, 0, most,
                                    -ShiftRemovedCost(s_, l) * DiscountFactor(s_, t), false);
      lp().AddEntry(step, added, -1.0);
      lp().AddEntry(step, removed, 1.0);
      sequence.added[i] = added;
      sequence.removed[i] = removed;
      if (!hold) continue;
      const int change =
          AddColumn({.kind = ColumnKind::kShiftChange, .line = l, .month = t}, 0, 1, 0.0, true);
      const int link = AddRow({RowKind::kShiftChangeLink, l, t}, -kInfinity, 0);
      lp().AddEntry(link, added, 1.0);
      lp().AddEntry(link, removed, 1.0);
      lp().AddEntry(link, change, -most);
      sequence.change[i] = change;
    }
    if (!hold || count < 2) return;
    // Windows of min_months consecutive changes; shorter windows at the end
    // lie inside the last full one.
    const size_t window = static_cast<size_t>(rule.min_months);
    const size_t last_start = count > window ? count - window : 1;
    for (size_t start = 1; start <= last_start; ++start) {
      const int row = AddRow({RowKind::kShiftHold, l, sequence.months[start]}, -kInfinity, 1);
      for (size_t i = start; i < std::min(count, start + window); ++i)
        lp().AddEntry(row, sequence.change[i], 1.0);
    }
  }

  // ---- Retooling: decide in month tau, build the platform from tau + lead
  // time, at most once per option.
  void AddRetooling() {
    for (int l = 0; l < num_lines_; ++l) {
      const model::Line& line = s_.lines[l];
      for (const model::Retooling& option : line.retooling) {
        if (std::find(line.platforms.begin(), line.platforms.end(), option.platform) !=
            line.platforms.end()) {
          continue;
        }
        AddRetoolingOption(l, option);
      }
    }
  }

  void AddRetoolingOption(int l, const model::Retooling& option) {
    const int lead = option.lead_time_months;
    // Production terms of this platform on this line, by month.
    std::vector<std::vector<const ProductionTerm*>> by_month(n_);
    bool any = false;
    for (const ProductionTerm& term : terms_) {
      if (term.line == l && s_.models[s_.variants[term.variant].model].platform == option.platform) {
        by_month[term.month].push_back(&term);
        any = true;
      }
    }
    if (!any) return;
    std::vector<int> decision;
    const int once = AddRow({RowKind::kRetoolOnce, l, option.platform}, -kInfinity, 1);
    for (int tau = 0; tau + lead < n_; ++tau) {
      double lo = 0;
      double up = 1;
      if (IntegersFixed(tau)) {
        lo = up = BaselineTables::Value(baseline_.retool, std::make_tuple(l, option.platform, tau));
      }
      const int col =
          AddColumn({.kind = ColumnKind::kRetool, .line = l, .month = tau, .other = option.platform}, lo, up,
                    -RetoolingCost(s_, option, tau) * DiscountFactor(s_, tau), true);
      lp().AddEntry(once, col, 1.0);
      decision.push_back(col);
    }
    // The month each decision's ramp-up starts (ramp_up.h, RampStart).
    std::vector<int> ramp_start(decision.size());
    for (size_t tau = 0; tau < decision.size(); ++tau) {
      ramp_start[tau] = option.ramp_up.empty()
                            ? 0
                            : RampStart(s_, request_, l, option.platform, static_cast<int>(tau) + lead);
    }
    for (int t = lead; t < n_; ++t) {
      if (by_month[t].empty()) continue;
      // The tightest bound the platform's cars have, not a global big-M.
      double big_m = 0;
      for (const ProductionTerm* term : by_month[t]) {
        for (int j = 0; j < term->count; ++j) big_m += lp().col_upper[term->first + j];
      }
      big_m = std::min(big_m, MaxCars(l, t));
      const int row = AddRow({RowKind::kRetoolLink, l, option.platform, t}, -kInfinity, 0);
      for (const ProductionTerm* term : by_month[t]) AddTerm(row, *term, 1.0);
      for (int tau = 0; tau <= t - lead; ++tau) {
        // Ramp-up: in month j from the ramp's start the platform's cars are
        // at most rho_j of the line's regular capacity (maximum shifts).
        const int j = t - ramp_start[tau];
        const double cap = j >= 0 && j < static_cast<int>(option.ramp_up.size())
                               ? std::min(big_m, option.ramp_up[static_cast<size_t>(j)] * RegularCars(l, t))
                               : big_m;
        if (cap > 0) lp().AddEntry(row, decision[tau], -cap);
      }
    }
    AddRetoolingDowntime(l, option, decision);
  }

  // The most a line builds in a month on its maximum regular shifts, the
  // capacity ramp-up shares are shares of.
  double RegularCars(int l, int t) const { return Kappa(l, t) * s_.lines[l].max_shifts_per_day; }

  // Retooling downtime (docs/planning-model.md, "Retooling downtime and
  // ramp-up"): a share sigma of the month stopped by decision r leaves
  //   cars <= (1 - sigma) * capacity + sigma * M * (1 - r),
  // capacity = kappa (s + z) + omega g and M the most the month's cars or
  // capacity can be. With r = 1 the cars fit the weeks that run, at every
  // shift count; with r = 0 the row is implied by line hours. One row per
  // decision and month: at most one decision is taken, so each is exact.
  void AddRetoolingDowntime(int l, const model::Retooling& option, const std::vector<int>& decision) {
    if (option.downtime_weeks <= 0) return;
    for (int tau = 0; tau < static_cast<int>(decision.size()); ++tau) {
      for (const auto& [t, share] : RetoolingDowntime(s_, l, option, tau)) {
        const size_t cell = Cell(l, t);
        if (t < frozen_ || built_.capacity_row[cell] < 0) continue;
        const auto [begin, end] = LineMonthTerms(l, t);
        double cars_up = 0;
        for (size_t i = begin; i < end; ++i) {
          for (int j = 0; j < terms_[i].count; ++j) cars_up += lp().col_upper[terms_[i].first + j];
        }
        const double big_m = std::min(cars_up, MaxCars(l, t));
        if (big_m <= 0) continue;
        const double keep = 1 - share;
        const int row = AddRow({RowKind::kDowntime, l, t, decision[tau]}, -kInfinity, share * big_m);
        for (size_t i = begin; i < end; ++i) AddTerm(row, terms_[i], 1.0);
        if (keep > 0) {
          lp().AddEntry(row, built_.shift_column[cell], -keep * Kappa(l, t));
          if (built_.extra_shift_column[cell] >= 0) {
            lp().AddEntry(row, built_.extra_shift_column[cell], -keep * Kappa(l, t));
          }
          if (built_.weekend_column[cell] >= 0) {
            lp().AddEntry(row, built_.weekend_column[cell], -keep * built_.cars_per_weekend_day[cell]);
          }
        }
        lp().AddEntry(row, decision[tau], share * big_m);
      }
    }
  }

  // The production terms of (line, month): terms_ is sorted by line, month
  // and variant once the line months are added.
  std::pair<size_t, size_t> LineMonthTerms(int l, int t) const {
    auto key = [](const ProductionTerm& term) { return std::make_pair(term.line, term.month); };
    const auto lo =
        std::lower_bound(terms_.begin(), terms_.end(), std::make_pair(l, t),
                         [&](const ProductionTerm& a, const std::pair<int, int>& b) { return key(a) < b; });
    const auto hi =
        std::upper_bound(terms_.begin(), terms_.end(), std::make_pair(l, t),
                         [&](const std::pair<int, int>& a, const ProductionTerm& b) { return a < key(b); });
    return {static_cast<size_t>(lo - terms_.begin()), static_cast<size_t>(hi - terms_.begin())};
  }

  // ---- Launch ramp-up: in month j from a variant's launch each line's
  // cars of it are at most rho_j of the line's regular capacity. Rows only
  // where the columns could exceed it.
  void AddLaunchRamps() {
    for (const ProductionTerm& term : terms_) {
      const model::Variant& variant = s_.variants[term.variant];
      if (!variant.has_launch) continue;
      const int j = term.month - variant.launch_month;
      if (j < 0 || j >= static_cast<int>(variant.launch_ramp_up.size())) continue;
      const double cap = variant.launch_ramp_up[static_cast<size_t>(j)] * RegularCars(term.line, term.month);
      double cars_up = 0;
      for (int i = 0; i < term.count; ++i) cars_up += lp().col_upper[term.first + i];
      if (cars_up <= cap) continue;
      const int row = AddRow({RowKind::kLaunchRamp, term.line, term.variant, term.month}, -kInfinity, cap);
      AddTerm(row, term, 1.0);
    }
  }

  // ---- Contracts: per covered year, min (soft) and max volumes. A car
  // counts for every contract that covers it, not only the first.
  void AddContracts() {
    for (int c = 0; c < static_cast<int>(s_.contracts.size()); ++c) {
      for (int year : s_.horizon.Years()) {
        const YearLimits limits = ContractLimits(s_, c, year);
        if (!limits.covered) continue;
        std::vector<const ProductionTerm*> covered;
        for (const ProductionTerm& term : terms_) {
          if (s_.horizon.MonthAt(term.month).year != year) continue;
          if (!ContractCovers(s_, c, s_.lines[term.line].plant, term.variant, year)) continue;
          covered.push_back(&term);
        }
        if (limits.min_units > 0) {
          const int row = AddRow({RowKind::kContractMin, c, year}, limits.min_units, kInfinity);
          for (const ProductionTerm* term : covered) AddTerm(row, *term, 1.0);
          const int shortfall = AddColumn({.kind = ColumnKind::kShortfall, .month = year, .other = c}, 0,
                                          limits.min_units, -ShortfallPenaltyPerCar(s_), false);
          lp().AddEntry(row, shortfall, 1.0);
        }
        if (std::isfinite(limits.max_units) && !covered.empty()) {
          const int row = AddRow({RowKind::kContractMax, c, year}, -kInfinity, limits.max_units);
          for (const ProductionTerm* term : covered) AddTerm(row, *term, 1.0);
        }
      }
    }
  }

  // ---- Supply caps (replanning): cars of the cap's powertrains at its
  // plants per month.
  void AddSupplyCaps() {
    for (int i = 0; i < static_cast<int>(request_.supply_caps.size()); ++i) {
      const SupplyCap& cap = request_.supply_caps[i];
      std::vector<int> rows(n_, -1);
      for (const ProductionTerm& term : terms_) {
        const int plant = s_.lines[term.line].plant;
        if (!cap.plants.empty() &&
            std::find(cap.plants.begin(), cap.plants.end(), plant) == cap.plants.end()) {
          continue;
        }
        const model::Powertrain pt = s_.variants[term.variant].powertrain;
        if (!cap.powertrains.empty() &&
            std::find(cap.powertrains.begin(), cap.powertrains.end(), pt) == cap.powertrains.end()) {
          continue;
        }
        int& row = rows[term.month];
        if (row < 0) {
          row = AddRow({RowKind::kSupplyCap, i, term.month}, -kInfinity, cap.units_per_month[term.month]);
        }
        AddTerm(row, term, 1.0);
      }
    }
  }

  // ---- Stability: |production - baseline| after the frozen months.
  void AddStability() {
    const double rho = StabilityPenaltyPerCar(request_);
    if (request_.baseline == nullptr || rho <= 0) return;
    std::map<std::tuple<int, int, int>, double> unmatched = baseline_.production;
    for (const ProductionTerm& term : terms_) {
      if (term.month < frozen_) continue;
      const auto key = std::make_tuple(term.line, term.variant, term.month);
      const double base = BaselineTables::Value(baseline_.production, key);
      unmatched.erase(key);
      const int e = AddColumn(
          {.kind = ColumnKind::kDeviation, .line = term.line, .variant = term.variant, .month = term.month},
          0, kInfinity, -rho, false);
      const int above = AddRow({RowKind::kStability, term.line, term.variant, term.month}, -base, kInfinity);
      lp().AddEntry(above, e, 1.0);
      AddTerm(above, term, -1.0);
      const int below = AddRow({RowKind::kStability, term.line, term.variant, term.month}, base, kInfinity);
      lp().AddEntry(below, e, 1.0);
      AddTerm(below, term, 1.0);
    }
    // Baseline production the new model cannot make at all is a fixed deviation.
    for (const auto& [key, units] : unmatched) {
      if (std::get<2>(key) >= frozen_) lp().objective_offset -= rho * units;
    }
  }

  // ---- Participation (docs/planning-model.md, "Participation and
  // host-first"): each company's contribution in present value, as the
  // objective counts it, at least its value without the deal. Every cash
  // column's objective coefficient is one company's money (a car's margin
  // and stock cost its owner's; shifts, levers, shift changes and retooling
  // the line's plant's company); penalty columns are no company's. Fees
  // cancel in the objective, so here they are added per company: the owner
  // pays and the plant's company earns every covering contract's fee,
  // discounted from the month the car is shipped.
  int CashCompany(const ColumnInfo& col) const {
    switch (col.kind) {
      case ColumnKind::kShip:
      case ColumnKind::kStock:
        return s_.VariantOwner(col.variant);
      case ColumnKind::kShifts:
      case ColumnKind::kExtraShifts:
      case ColumnKind::kWeekendDays:
      case ColumnKind::kRetool:
      case ColumnKind::kShiftsAdded:
      case ColumnKind::kShiftsRemoved:
        return s_.plants[s_.lines[col.line].plant].company;
      case ColumnKind::kProduce:
      case ColumnKind::kUnmet:
      case ColumnKind::kShortfall:
      case ColumnKind::kBacklog:
      case ColumnKind::kDeviation:
      case ColumnKind::kShiftChange:
      case ColumnKind::kAtMaxShifts:
      case ColumnKind::kSafetyShort:
        return -1;
    }
    return -1;
  }

  void AddParticipation() {
    const std::vector<double>& floors = request_.deal_floors.contribution_pv_gbp;
    if (floors.empty()) return;
    const int num_companies = static_cast<int>(s_.companies.size());
    std::vector<int> rows(num_companies);
    for (int c = 0; c < num_companies; ++c) {
      rows[c] = AddRow({RowKind::kParticipation, c}, floors[c], kInfinity);
    }
    std::vector<double> coefficient(num_companies);
    for (int j = 0; j < lp().num_cols(); ++j) {
      const ColumnInfo& col = built_.columns[j];
      std::fill(coefficient.begin(), coefficient.end(), 0.0);
      if (const int company = CashCompany(col); company >= 0) coefficient[company] += lp().objective[j];
      if (col.kind == ColumnKind::kShip) {
        const double fee = FeePerCar(s_, col.plant, col.variant, s_.horizon.MonthAt(col.month).year) *
                           DiscountFactor(s_, col.month);
        coefficient[s_.VariantOwner(col.variant)] -= fee;
        coefficient[s_.plants[col.plant].company] += fee;
      }
      for (int c = 0; c < num_companies; ++c) lp().AddEntry(rows[c], j, coefficient[c]);
    }
  }

  // ---- Host-first: the deal's host builds at least its no-deal output of
  // its own brands in each covered plant and calendar year.
  void AddHostFirst() {
    const DealFloors& floors = request_.deal_floors;
    if (floors.host_output.empty() || floors.contract < 0) return;
    const int host = s_.contracts[floors.contract].host;
    std::map<std::pair<int, int>, int> rows;  // (plant, year) -> row
    for (const OutputFloor& f : floors.host_output) {
      rows[{f.plant, f.year}] = AddRow({RowKind::kHostFirst, f.plant, f.year}, f.units, kInfinity);
    }
    for (const ProductionTerm& term : terms_) {
      if (s_.VariantOwner(term.variant) != host) continue;
      const auto it = rows.find({s_.lines[term.line].plant, s_.horizon.MonthAt(term.month).year});
      if (it != rows.end()) AddTerm(it->second, term, 1.0);
    }
  }

  const model::Scenario& s_;
  const PlanRequest& request_;
  const BuildOptions& options_;
  const Levers levers_;
  const int n_;
  const int num_lines_;
  const int num_variants_;
  const int num_markets_;
  const int frozen_;
  const RouteTable routes_;
  const BaselineTables baseline_;
  const model::DemandTable demand_;  // open demand: the scenario's less the initial pipeline

  BuiltModel built_;
  std::vector<int> first_month_;                   // [line * num_variants + variant]
  std::vector<double> line_reach_;                 // [line * n + month]: demand the line's columns can reach
  std::vector<std::pair<int, double>> cover_row_;  // [line * n + month]: cover row and its shift coefficient
  std::vector<ProductionTerm> terms_;
  std::vector<int> stock_column_;      // [StockIndex(plant, variant, month)]: stock column or -1
  std::vector<double> initial_stock_;  // [plant * num_variants + variant]
  std::vector<Source> sources_;        // of the (plant, variant, month) being added
  // Entries into demand rows, resolved once all demand rows exist.
  std::vector<std::pair<size_t, int>> demand_entries_;  // (demand index, column)
  // Ship columns arriving after the horizon, by (variant, market, arrival month).
  std::map<std::tuple<int, int, int>, std::vector<int>> tail_entries_;
};

}  // namespace

Result<BuiltModel> BuildPlanModel(const model::Scenario& scenario, const PlanRequest& request,
                                  const BuildOptions& options) {
  const Levers levers = request.LeversFor(scenario);
  if (auto valid = ValidateRequest(scenario, request, levers); !valid) return std::unexpected(valid.error());
  return ModelBuilder(scenario, request, options, levers).Build();
}

}  // namespace cobuild::plan
