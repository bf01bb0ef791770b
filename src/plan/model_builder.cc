#include "plan/model_builder.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "plan/economics.h"

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

struct Source {
  int market;
  int arrival;
  double margin;
  double upper;
};

std::string AtMonth(const std::string& what, int index, int num_months) {
  return what + "[" + std::to_string(index) + "] needs " + std::to_string(num_months) + " monthly values";
}

}  // namespace

Result<BuiltModel> BuildPlanModel(const model::Scenario& scenario, const PlanRequest& request,
                                  const BuildOptions& options) {
  const int n = scenario.horizon.num_months;
  const int num_lines = static_cast<int>(scenario.lines.size());
  const int num_variants = static_cast<int>(scenario.variants.size());
  const int num_markets = static_cast<int>(scenario.markets.size());
  const int num_plants = static_cast<int>(scenario.plants.size());
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
  const Levers levers = request.LeversFor(scenario);
  if (levers.backlog.max_months < 0 || levers.extra_shifts_per_day < 0 || levers.weekend_days_per_month < 0) {
    return InvalidInput(
        "plan request: lever limits (backlog months, extra shifts, weekend days) must be >= 0");
  }

  BuiltModel built;
  built.num_months = n;
  LinearProgram& lp = built.lp;
  const double penalty = scenario.settings.unmet_penalty_gbp_per_car;
  const int backlog_months = levers.backlog.max_months;
  const int frozen = request.frozen_months;

  auto add_col = [&](ColumnInfo info, double lo, double up, double obj, bool integer) {
    built.columns.push_back(info);
    return lp.AddColumn(lo, up, obj, integer, {});
  };
  auto add_row = [&](RowInfo info, double lo, double up) {
    built.rows.push_back(info);
    return lp.AddRow(lo, up, {});
  };

  // Demand a car arriving in (v, k, t) can serve: its own month, plus with
  // backlog the unserved demand of the previous max_months months.
  auto reach = [&](int v, int k, int t) {
    double total = 0;
    for (int tau = std::max(0, t - backlog_months); tau <= t; ++tau) {
      total += scenario.demand.at(v, k, tau);
    }
    return total;
  };

  const RouteTable routes(scenario);

  // Cars one shift per working day yields over each month.
  built.cars_per_shift_month.assign(static_cast<size_t>(num_lines) * n, 0.0);
  for (int l = 0; l < num_lines; ++l) {
    const model::Line& line = scenario.lines[l];
    for (int t = 0; t < n; ++t) {
      built.cars_per_shift_month[l * n + t] = line.CarsPerShift() *
                                              scenario.plants[line.plant].calendar.working_days[t] *
                                              request.LineAvailability(scenario, l, t);
    }
  }
  auto kappa = [&](int l, int t) { return built.cars_per_shift_month[l * n + t]; };
  // Weekend work: a day at the line's maximum shifts, at the month's
  // availability, only in months the line works at all (a shutdown month
  // stays shut).
  built.cars_per_weekend_day.assign(static_cast<size_t>(num_lines) * n, 0.0);
  for (int l = 0; l < num_lines; ++l) {
    const model::Line& line = scenario.lines[l];
    for (int t = 0; t < n; ++t) {
      if (kappa(l, t) <= 0) continue;
      built.cars_per_weekend_day[l * n + t] =
          line.CarsPerShift() * line.max_shifts_per_day * request.LineAvailability(scenario, l, t);
    }
  }
  // The most a line can build in a month with every lever.
  auto max_cars = [&](int l, int t) {
    return kappa(l, t) * (scenario.lines[l].max_shifts_per_day + levers.extra_shifts_per_day) +
           built.cars_per_weekend_day[l * n + t] * levers.weekend_days_per_month;
  };

  // First month each line can build each variant (-1: never).
  std::vector<int> first_month(static_cast<size_t>(num_lines) * num_variants, -1);
  for (int l = 0; l < num_lines; ++l) {
    for (int v = 0; v < num_variants; ++v) {
      if (request.IsExcludedVariant(scenario, v)) continue;
      if (LineBuildsToday(scenario, l, v)) {
        first_month[l * num_variants + v] = 0;
      } else if (const model::Retooling* option = RetoolingFor(scenario, l, v)) {
        if (option->lead_time_months < n) first_month[l * num_variants + v] = option->lead_time_months;
      }
    }
  }

  // Baseline lookups for frozen months and the stability penalty.
  std::map<std::tuple<int, int, int>, double> baseline_production;
  std::map<std::tuple<int, int, int, int>, double> baseline_shipment;
  std::map<std::pair<int, int>, int> baseline_shifts;
  std::map<std::pair<int, int>, int> baseline_extra;
  std::map<std::pair<int, int>, int> baseline_weekend;
  std::map<std::tuple<int, int, int>, int> baseline_retool;
  if (request.baseline != nullptr) {
    for (const auto& e : request.baseline->production) {
      baseline_production[{e.line, e.variant, e.month}] += e.units;
    }
    for (const auto& e : request.baseline->shipments) {
      baseline_shipment[{e.plant, e.variant, e.market, e.month}] += e.units;
    }
    for (const auto& e : request.baseline->shifts) {
      baseline_shifts[{e.line, e.month}] = e.shifts_per_day;
      baseline_extra[{e.line, e.month}] = e.extra_shifts_per_day;
      baseline_weekend[{e.line, e.month}] = e.weekend_days;
    }
    for (const auto& e : request.baseline->retooling) baseline_retool[{e.line, e.platform, e.month}] = 1;
  }
  auto frozen_value = [](const auto& table, const auto& key) {
    auto it = table.find(key);
    return it == table.end() ? 0.0 : static_cast<double>(it->second);
  };

  // Demand rows are created lazily, in (variant, market, month) order below.
  std::vector<int> demand_row(static_cast<size_t>(num_variants) * num_markets * n, -1);
  auto demand_index = [&](int v, int k, int t) { return (static_cast<size_t>(v) * num_markets + k) * n + t; };

  // ---- Supply columns, plant by plant.
  std::vector<ProductionTerm> terms;
  std::vector<double> line_reach(static_cast<size_t>(num_lines) * n, 0.0);
  // Entries into demand rows, resolved once all demand rows exist.
  std::vector<std::pair<size_t, int>> demand_entries;  // (demand index, column)
  std::vector<Source> sources;
  std::vector<int> capable;
  for (int p = 0; p < num_plants; ++p) {
    for (int v = 0; v < num_variants; ++v) {
      if (request.IsExcludedVariant(scenario, v)) continue;
      const model::Variant& variant = scenario.variants[v];
      for (int t = 0; t < n; ++t) {
        const int year = scenario.horizon.MonthAt(t).year;
        if (!MayBuild(scenario, p, v, year)) continue;
        capable.clear();
        for (int l = 0; l < num_lines; ++l) {
          if (scenario.lines[l].plant != p) continue;
          const int from = first_month[l * num_variants + v];
          if (from < 0 || t < from || kappa(l, t) <= 0) continue;
          capable.push_back(l);
        }
        if (capable.empty()) continue;
        sources.clear();
        double reach_total = 0;
        for (int k = 0; k < num_markets; ++k) {
          const int r = routes.Find(p, k);
          if (r < 0) continue;
          const model::Route& route = scenario.routes[r];
          const int arrival = t + TransitMonths(route);
          if (arrival >= n) continue;
          const double up = reach(v, k, arrival);
          if (up <= 0) continue;
          if (k >= static_cast<int>(variant.price_gbp.size()) || variant.price_gbp[k] <= 0) continue;
          const double margin = TermsOf(scenario, route, v, arrival).Margin();
          if (margin + penalty <= 0) continue;  // leaving the car unmet is no worse
          sources.push_back({k, arrival, margin, up});
          reach_total += up;
        }
        if (sources.empty()) continue;
        for (int l : capable) line_reach[l * n + t] += reach_total;

        const bool single_line = capable.size() == 1;
        auto add_ship_columns = [&](int line) {
          const int first = lp.num_cols();
          for (const Source& s : sources) {
            ColumnInfo info{.kind = ColumnKind::kShip,
                            .plant = p,
                            .line = line,
                            .variant = v,
                            .market = s.market,
                            .month = t,
                            .other = s.arrival};
            double lo = 0;
            double up = s.upper;
            if (t < frozen) {
              lo = up = frozen_value(baseline_shipment, std::make_tuple(p, v, s.market, t));
            }
            const int col = add_col(info, lo, up, s.margin, false);
            demand_entries.emplace_back(demand_index(v, s.market, s.arrival), col);
          }
          return first;
        };
        if (single_line) {
          const int l = capable.front();
          const int first = add_ship_columns(l);
          terms.push_back({l, v, t, first, static_cast<int>(sources.size())});
        } else {
          const int first_ship = add_ship_columns(-1);
          const int balance = add_row({RowKind::kBalance, p, v, t}, 0, 0);
          for (int i = 0; i < static_cast<int>(sources.size()); ++i) {
            lp.AddEntry(balance, first_ship + i, -1.0);
          }
          for (int l : capable) {
            double lo = 0;
            double up = std::min(reach_total, max_cars(l, t));
            if (t < frozen) lo = up = frozen_value(baseline_production, std::make_tuple(l, v, t));
            const int col =
                add_col({.kind = ColumnKind::kProduce, .plant = p, .line = l, .variant = v, .month = t}, lo,
                        up, 0.0, false);
            lp.AddEntry(balance, col, 1.0);
            terms.push_back({l, v, t, col, 1});
          }
        }
      }
    }
  }
  auto add_term = [&](int row, const ProductionTerm& term, double coefficient) {
    for (int j = 0; j < term.count; ++j) lp.AddEntry(row, term.first + j, coefficient);
  };

  // ---- Demand rows with unmet and backlog columns.
  for (int v = 0; v < num_variants; ++v) {
    if (request.IsExcludedVariant(scenario, v)) continue;
    for (int k = 0; k < num_markets; ++k) {
      int previous_backlog = -1;
      for (int t = 0; t < n; ++t) {
        const double d = scenario.demand.at(v, k, t);
        if (d <= 0 && previous_backlog < 0) continue;
        const int row = add_row({RowKind::kDemand, v, k, t}, d, d);
        demand_row[demand_index(v, k, t)] = row;
        const int unmet = add_col({.kind = ColumnKind::kUnmet, .variant = v, .market = k, .month = t}, 0,
                                  reach(v, k, t), -penalty, false);
        lp.AddEntry(row, unmet, 1.0);
        if (previous_backlog >= 0) lp.AddEntry(row, previous_backlog, -1.0);
        previous_backlog = -1;
        if (backlog_months > 0 && t + 1 < n) {
          double up = 0;
          for (int tau = std::max(0, t - backlog_months + 1); tau <= t; ++tau) {
            up += scenario.demand.at(v, k, tau);
          }
          if (up > 0) {
            previous_backlog = add_col({.kind = ColumnKind::kBacklog, .variant = v, .market = k, .month = t},
                                       0, up, -levers.backlog.delay_cost_gbp_per_car_month, false);
            lp.AddEntry(row, previous_backlog, 1.0);
          }
        }
      }
    }
  }
  for (const auto& [index, col] : demand_entries) {
    // Every ship column's arrival demand has reach > 0, so its row exists.
    lp.AddEntry(demand_row[index], col, 1.0);
  }

  // ---- Shifts, capacity and cover rows.
  std::sort(terms.begin(), terms.end(), [](const ProductionTerm& a, const ProductionTerm& b) {
    return std::tie(a.line, a.month, a.variant) < std::tie(b.line, b.month, b.variant);
  });
  built.shift_column.assign(static_cast<size_t>(num_lines) * n, -1);
  built.capacity_row.assign(static_cast<size_t>(num_lines) * n, -1);
  built.extra_shift_column.assign(static_cast<size_t>(num_lines) * n, -1);
  built.weekend_column.assign(static_cast<size_t>(num_lines) * n, -1);
  for (size_t begin = 0; begin < terms.size();) {
    size_t end = begin;
    while (end < terms.size() && terms[end].line == terms[begin].line &&
           terms[end].month == terms[begin].month) {
      ++end;
    }
    const int l = terms[begin].line;
    const int t = terms[begin].month;
    const model::Line& line = scenario.lines[l];
    const double k = kappa(l, t);
    const double reach_lt = line_reach[l * n + t];
    const int needed = static_cast<int>(std::ceil(reach_lt / k - 1e-9));
    double lo = 0;
    double up = std::min(line.max_shifts_per_day, needed);
    if (t < frozen || request.IntegersFixed(t)) lo = up = frozen_value(baseline_shifts, std::make_pair(l, t));
    const double shift_cost =
        line.fixed_cost_per_shift_gbp * scenario.plants[line.plant].calendar.working_days[t];
    const int s = add_col({.kind = ColumnKind::kShifts, .line = l, .month = t}, lo, up, -shift_cost, true);
    built.shift_column[l * n + t] = s;
    const int cap = add_row({RowKind::kCapacity, l, t}, -kInfinity, 0);
    built.capacity_row[l * n + t] = cap;
    lp.AddEntry(cap, s, -k);
    for (size_t i = begin; i < end; ++i) add_term(cap, terms[i], 1.0);
    // Levers, where the reachable demand exceeds the line's maximum shifts:
    // extra shifts per working day at a premium, then weekend days at the
    // line's maximum shifts at the weekend premium.
    // Months whose integers are fixed keep the baseline's lever use as it is.
    const bool fixed_integers = t < frozen || request.IntegersFixed(t);
    const bool beyond_max = needed > line.max_shifts_per_day;
    if (levers.extra_shifts_per_day > 0 &&
        (fixed_integers ? frozen_value(baseline_extra, std::make_pair(l, t)) > 0 : beyond_max)) {
      double x_up = std::min(levers.extra_shifts_per_day, needed - line.max_shifts_per_day);
      x_up = std::max(x_up, 0.0);
      double x_lo = 0;
      if (fixed_integers) x_lo = x_up = frozen_value(baseline_extra, std::make_pair(l, t));
      const int x = add_col({.kind = ColumnKind::kExtraShifts, .line = l, .month = t}, x_lo, x_up,
                            -shift_cost * (1 + levers.extra_shift_premium), true);
      built.extra_shift_column[l * n + t] = x;
      lp.AddEntry(cap, x, -k);
    }
    const double k_weekend = built.cars_per_weekend_day[l * n + t];
    if (levers.weekend_days_per_month > 0 && k_weekend > 0 &&
        (fixed_integers ? frozen_value(baseline_weekend, std::make_pair(l, t)) > 0 : beyond_max)) {
      const double beyond = reach_lt - k * line.max_shifts_per_day;
      double w_up = std::clamp(std::ceil(beyond / k_weekend - 1e-9), 0.0,
                               static_cast<double>(levers.weekend_days_per_month));
      double w_lo = 0;
      if (fixed_integers) w_lo = w_up = frozen_value(baseline_weekend, std::make_pair(l, t));
      const double day_cost =
          line.fixed_cost_per_shift_gbp * line.max_shifts_per_day * (1 + levers.weekend_premium);
      const int w =
          add_col({.kind = ColumnKind::kWeekendDays, .line = l, .month = t}, w_lo, w_up, -day_cost, true);
      built.weekend_column[l * n + t] = w;
      lp.AddEntry(cap, w, -k_weekend);
    }
    // Mixed-integer rounding cover of the reachable demand: with
    // reach = q*kappa + r (0 < r < kappa), cars <= r*s + q*(kappa - r).
    const double q = std::floor(reach_lt / k);
    const double r = reach_lt - q * k;
    // (Valid only for capacity from regular shifts: never beside a lever.)
    const bool has_levers = built.extra_shift_column[l * n + t] >= 0 || built.weekend_column[l * n + t] >= 0;
    if (options.shift_cover_cuts && !has_levers && r > 1e-6 * k && q + 1 <= line.max_shifts_per_day) {
      const int cover = add_row({RowKind::kCover, l, t}, -kInfinity, q * (k - r));
      lp.AddEntry(cover, s, -r);
      for (size_t i = begin; i < end; ++i) add_term(cover, terms[i], 1.0);
    }
    // Share limits.
    for (size_t i = 0; i < line.share_limits.size(); ++i) {
      const model::ShareLimit& limit = line.share_limits[i];
      if (limit.max_share >= 1) continue;
      bool any = false;
      for (size_t j = begin; j < end; ++j) {
        any |= scenario.variants[terms[j].variant].powertrain == limit.powertrain;
      }
      if (!any) continue;
      const int row = add_row({RowKind::kShare, l, t, static_cast<int>(i)}, -kInfinity, 0);
      for (size_t j = begin; j < end; ++j) {
        const bool match = scenario.variants[terms[j].variant].powertrain == limit.powertrain;
        add_term(row, terms[j], (match ? 1.0 : 0.0) - limit.max_share);
      }
    }
    // Station loads: a high-priority station that takes at most N cars with
    // its option in any P consecutive cars cannot take more than N/P of the
    // line's month on average, or the day's sequence overloads it whatever
    // the order. Low-priority stations are soft in sequencing, so not here.
    // Frozen months keep the baseline's production, which was planned under
    // the same rows; its units are read back rounded (plan files keep four
    // decimals), so the rows are left out there rather than made infeasible
    // by a rounding residue.
    for (size_t i = 0; i < line.stations.size() && t >= frozen; ++i) {
      const model::Station& station = line.stations[i];
      if (!station.high_priority) continue;
      const double max_share = static_cast<double>(station.max_cars) / station.window_cars;
      if (max_share >= 1) continue;
      bool any = false;
      for (size_t j = begin; j < end; ++j) {
        any |= scenario.variants[terms[j].variant].OptionShareOf(station.option) > max_share;
      }
      if (!any) continue;
      const int row = add_row({RowKind::kStationLoad, l, t, static_cast<int>(i)}, -kInfinity, 0);
      for (size_t j = begin; j < end; ++j) {
        const double c = scenario.variants[terms[j].variant].OptionShareOf(station.option) - max_share;
        if (c != 0) add_term(row, terms[j], c);
      }
    }
    begin = end;
  }

  // ---- Retooling: decide in month tau, build the platform from tau + lead time.
  for (int l = 0; l < num_lines; ++l) {
    const model::Line& line = scenario.lines[l];
    for (const model::Retooling& option : line.retooling) {
      if (std::find(line.platforms.begin(), line.platforms.end(), option.platform) != line.platforms.end()) {
        continue;
      }
      const int lead = option.lead_time_months;
      // Production terms of this platform on this line, by month.
      std::vector<std::vector<const ProductionTerm*>> by_month(n);
      bool any = false;
      for (const ProductionTerm& term : terms) {
        if (term.line == l &&
            scenario.models[scenario.variants[term.variant].model].platform == option.platform) {
          by_month[term.month].push_back(&term);
          any = true;
        }
      }
      if (!any) continue;
      std::vector<int> decision;
      const int once = add_row({RowKind::kRetoolOnce, l, option.platform}, -kInfinity, 1);
      for (int tau = 0; tau + lead < n; ++tau) {
        double lo = 0;
        double up = 1;
        if (tau < frozen || request.IntegersFixed(tau)) {
          lo = up = frozen_value(baseline_retool, std::make_tuple(l, option.platform, tau));
        }
        const int col =
            add_col({.kind = ColumnKind::kRetool, .line = l, .month = tau, .other = option.platform}, lo, up,
                    -option.cost_gbp, true);
        lp.AddEntry(once, col, 1.0);
        decision.push_back(col);
      }
      for (int t = lead; t < n; ++t) {
        if (by_month[t].empty()) continue;
        double big_m = 0;
        for (const ProductionTerm* term : by_month[t]) {
          for (int j = 0; j < term->count; ++j) big_m += lp.col_upper[term->first + j];
        }
        big_m = std::min(big_m, max_cars(l, t));
        const int row = add_row({RowKind::kRetoolLink, l, option.platform, t}, -kInfinity, 0);
        for (const ProductionTerm* term : by_month[t]) add_term(row, *term, 1.0);
        for (int tau = 0; tau <= t - lead; ++tau) lp.AddEntry(row, decision[tau], -big_m);
      }
    }
  }

  // ---- Contracts: per covered year, min (soft) and max volumes. A car counts
  // for every contract that covers it, not only the first.
  for (int c = 0; c < static_cast<int>(scenario.contracts.size()); ++c) {
    for (int year : scenario.horizon.Years()) {
      const YearLimits limits = ContractLimits(scenario, c, year);
      if (!limits.covered) continue;
      std::vector<const ProductionTerm*> covered;
      for (const ProductionTerm& term : terms) {
        if (scenario.horizon.MonthAt(term.month).year != year) continue;
        if (!ContractCovers(scenario, c, scenario.lines[term.line].plant, term.variant, year)) continue;
        covered.push_back(&term);
      }
      if (limits.min_units > 0) {
        const int row = add_row({RowKind::kContractMin, c, year}, limits.min_units, kInfinity);
        for (const ProductionTerm* term : covered) add_term(row, *term, 1.0);
        const int shortfall = add_col({.kind = ColumnKind::kShortfall, .month = year, .other = c}, 0,
                                      limits.min_units, -penalty, false);
        lp.AddEntry(row, shortfall, 1.0);
      }
      if (std::isfinite(limits.max_units) && !covered.empty()) {
        const int row = add_row({RowKind::kContractMax, c, year}, -kInfinity, limits.max_units);
        for (const ProductionTerm* term : covered) add_term(row, *term, 1.0);
      }
    }
  }

  // ---- Supply caps.
  for (int i = 0; i < static_cast<int>(request.supply_caps.size()); ++i) {
    const SupplyCap& cap = request.supply_caps[i];
    std::vector<int> rows(n, -1);
    for (const ProductionTerm& term : terms) {
      const int plant = scenario.lines[term.line].plant;
      if (!cap.plants.empty() && std::find(cap.plants.begin(), cap.plants.end(), plant) == cap.plants.end()) {
        continue;
      }
      const model::Powertrain pt = scenario.variants[term.variant].powertrain;
      if (!cap.powertrains.empty() &&
          std::find(cap.powertrains.begin(), cap.powertrains.end(), pt) == cap.powertrains.end()) {
        continue;
      }
      int& row = rows[term.month];
      if (row < 0)
        row = add_row({RowKind::kSupplyCap, i, term.month}, -kInfinity, cap.units_per_month[term.month]);
      add_term(row, term, 1.0);
    }
  }

  // ---- Stability: |production - baseline| after the frozen months.
  if (request.baseline != nullptr && request.stability_penalty_gbp_per_car > 0) {
    const double rho = request.stability_penalty_gbp_per_car;
    std::map<std::tuple<int, int, int>, double> unmatched = baseline_production;
    for (const ProductionTerm& term : terms) {
      if (term.month < frozen) continue;
      const auto key = std::make_tuple(term.line, term.variant, term.month);
      const double base = frozen_value(baseline_production, key);
      unmatched.erase(key);
      const int e = add_col(
          {.kind = ColumnKind::kDeviation, .line = term.line, .variant = term.variant, .month = term.month},
          0, kInfinity, -rho, false);
      const int above = add_row({RowKind::kStability, term.line, term.variant, term.month}, -base, kInfinity);
      lp.AddEntry(above, e, 1.0);
      add_term(above, term, -1.0);
      const int below = add_row({RowKind::kStability, term.line, term.variant, term.month}, base, kInfinity);
      lp.AddEntry(below, e, 1.0);
      add_term(below, term, 1.0);
    }
    // Baseline production the new model cannot make at all is a fixed deviation.
    for (const auto& [key, units] : unmatched) {
      if (std::get<2>(key) >= frozen) lp.objective_offset -= rho * units;
    }
  }
  return built;
}

}  // namespace cobuild::plan
