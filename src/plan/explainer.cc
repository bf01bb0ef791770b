#include "plan/explainer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <string>

#include "plan/economics.h"
#include "plan/ramp_up.h"

namespace cobuild::plan {
namespace {

constexpr double kDualTolerance = 1e-6;
constexpr size_t kMaxBinding = 50;

// 12345.6 -> "12,346" (whole cars).
std::string Thousands(double value) {
  const std::string digits = fmt::format("{:.0f}", std::abs(std::round(value)));
  std::string grouped = std::round(value) < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return grouped;
}

std::string Money(double gbp) {
  return fmt::format("{}GBP {}", std::round(gbp) < 0 ? "-" : "", Thousands(std::abs(gbp)));
}

// A line-capacity statement before its value is known: which binding entry
// it is, its row, the cars one more shift (or extra shift) adds and what
// that shift costs, and what it says.
struct CapacityClaim {
  size_t index = 0;
  int row = -1;
  double cars = 0;
  double shift_cost_gbp = 0;
  std::string what;
};

// `gain_gbp`: what the shift's cars add to the objective before its cost;
// `first_car_gbp`: what the first car of that capacity adds.
std::string CapacityText(const std::string& what, double gain_gbp, double cars, double first_car_gbp,
                         double shift_cost_gbp) {
  const double value = gain_gbp - shift_cost_gbp;
  const double average = cars > 0 ? gain_gbp / cars : 0;
  return value >= 0
             ? fmt::format(
                   "{} would be worth {} ({} a car of capacity on average, {} the first, after {} of "
                   "shift cost)",
                   what, Money(value), Money(average), Money(first_car_gbp), Money(shift_cost_gbp))
             : fmt::format(
                   "{} would lose {}: its cars earn {} a car of capacity on average ({} the first), less "
                   "than {} of shift cost",
                   what, Money(-value), Money(average), Money(first_car_gbp), Money(shift_cost_gbp));
}

std::string LineName(const model::Scenario& s, int line) {
  const model::Line& l = s.lines[line];
  return s.plants[l.plant].name + " " + l.id;
}

std::string MonthName(const model::Scenario& s, int month) {
  return model::ToString(s.horizon.MonthAt(month));
}

// Why nothing could be shipped to (variant, market, month) at all.
// A binding row of one line in one month (share limit, station load).
void SetLineMonth(BindingConstraint& b, const char* kind, const RowInfo& row, const model::Scenario& s,
                  double dual) {
  b.kind = kind;
  b.line = row.a;
  b.month = row.b;
  b.year = s.horizon.MonthAt(row.b).year;
  b.value_gbp = dual;
}

std::string NoSourceReason(const model::Scenario& s, int v, int k, int t) {
  const model::Variant& variant = s.variants[v];
  if (k >= static_cast<int>(variant.price_gbp.size()) || variant.price_gbp[k] <= 0) {
    return "the variant has no price in this market";
  }
  bool any_line = false;
  bool any_allowed = false;
  bool any_route = false;
  const RouteTable routes(s);
  for (size_t l = 0; l < s.lines.size(); ++l) {
    const model::Retooling* retool = RetoolingFor(s, static_cast<int>(l), v);
    if (!LineBuildsToday(s, static_cast<int>(l), v) && retool == nullptr) continue;
    any_line = true;
    const int plant = s.lines[l].plant;
    if (!MayBuild(s, plant, v, s.horizon.MonthAt(t).year)) continue;
    any_allowed = true;
    if (routes.Find(plant, k) >= 0) any_route = true;
  }
  if (!any_line) {
    return fmt::format("no line can build platform {} with powertrain {}",
                       s.platforms[s.models[variant.model].platform].id, model::ToString(variant.powertrain));
  }
  if (!any_allowed) return "no contract lets a plant that could build it do so";
  if (!any_route) return "no route from a capable plant to this market";
  return "no capable source can deliver in time (transit, retooling lead time, launch, working days) "
         "at a margin above the unmet penalty";
}

// A binding retooling row: the line is not retooled for the platform, or
// it is and the month lies in the ramp-up after it is ready.
std::string RetoolReason(const model::Scenario& s, const PlanRequest& request, const Plan& plan,
                         const RowInfo& row) {
  if (row.kind == RowKind::kRetoolLink) {
    for (const RetoolEntry& e : plan.retooling) {
      if (e.line != row.a || e.platform != row.b) continue;
      for (const model::Retooling& option : s.lines[row.a].retooling) {
        if (option.platform != row.b) continue;
        const int j = row.c - RampStart(s, request, row.a, row.b, e.month + option.lead_time_months);
        if (j >= 0 && j < static_cast<int>(option.ramp_up.size())) {
          return fmt::format(
              "ramp-up after retooling: {} builds platform {} at {:.0f}% of its capacity in {}",
              LineName(s, row.a), s.platforms[row.b].id, option.ramp_up[j] * 100, MonthName(s, row.c));
        }
      }
    }
  }
  return fmt::format("{} is not retooled for platform {}", LineName(s, row.a), s.platforms[row.b].id);
}

}  // namespace

void Explain(const model::Scenario& scenario, const PlanRequest& request, const BuiltModel& built,
             const LpSolution& at_plan, const RowRelaxation& relax,
             std::chrono::steady_clock::time_point deadline, Plan* plan) {
  const LinearProgram& lp = built.lp;
  const int n = built.num_months;
  // Shifts per (line, month) at the plan.
  std::vector<int> shifts(static_cast<size_t>(scenario.lines.size()) * n, 0);
  std::vector<int> extra(shifts.size(), 0);
  for (const ShiftEntry& e : plan->shifts) {
    shifts[e.line * n + e.month] = e.shifts_per_day;
    extra[e.line * n + e.month] = e.extra_shifts_per_day;
  }

  // Value of one more shift per working day through a month, first order:
  // the shift column's reduced cost at the plan, c_s - sum_i a_is * dual_i,
  // which is dual(capacity) * kappa (plus the cover row's dual times its
  // coefficient where that row exists) minus the month's shift cost.
  std::vector<double> shift_value(lp.num_cols(), 0.0);
  for (int64_t e = 0; e < lp.num_entries(); ++e) {
    const ColumnKind kind = built.columns[lp.entry_col[e]].kind;
    if (kind == ColumnKind::kShifts || kind == ColumnKind::kExtraShifts) {
      shift_value[lp.entry_col[e]] -= lp.entry_value[e] * at_plan.row_duals[lp.entry_row[e]];
    }
  }

  // ---- Binding rows, priced.
  std::vector<BindingConstraint> binding;
  std::vector<CapacityClaim> capacity_claims;
  for (int i = 0; i < lp.num_rows(); ++i) {
    const double dual = at_plan.row_duals[i];
    if (std::abs(dual) < kDualTolerance) continue;
    const RowInfo& row = built.rows[i];
    BindingConstraint b;
    b.dual_gbp_per_car = dual;
    switch (row.kind) {
      case RowKind::kCapacity: {
        const model::Line& line = scenario.lines[row.a];
        const double days = scenario.plants[line.plant].calendar.working_days[row.b];
        const int regular = built.shift_column[row.a * n + row.b];
        if (days <= 0 || regular < 0) continue;
        // At its maximum shifts a line adds a shift only through the extra
        // shift lever (at its premium) where the scenario offers it.
        const int runs = shifts[row.a * n + row.b];
        const int lever = built.extra_shift_column.empty() ? -1 : built.extra_shift_column[row.a * n + row.b];
        const bool at_max = runs >= line.max_shifts_per_day;
        const int column = at_max && lever >= 0 ? lever : regular;
        b.kind = "line capacity";
        b.line = row.a;
        b.month = row.b;
        b.year = scenario.horizon.MonthAt(row.b).year;
        // docs/planning-model.md: a shift is one more shift on every working
        // day of the month (kappa cars at c_sh); positive is a gain.
        b.value_gbp = lp.objective[column] + shift_value[column];
        const std::string cars = Thousands(built.cars_per_shift_month[row.a * n + row.b]);
        capacity_claims.push_back(
            {.index = binding.size(),
             .row = i,
             .cars = built.cars_per_shift_month[row.a * n + row.b],
             .shift_cost_gbp = -lp.objective[column],
             .what =
                 !at_max ? fmt::format("one more shift a day at {} through {} ({} working days, {} cars)",
                                       LineName(scenario, row.a), MonthName(scenario, row.b), days, cars)
                 : column == lever
                     ? fmt::format(
                           "{} runs its maximum {} shifts a day and {} extra in {}; one more extra shift a "
                           "day at the lever's premium ({} working days, {} cars)",
                           LineName(scenario, row.a), line.max_shifts_per_day, extra[row.a * n + row.b],
                           MonthName(scenario, row.b), days, cars)
                 : ShiftsThatFitADay(line) <= line.max_shifts_per_day
                     ? fmt::format(
                           "{} runs its maximum {} shifts a day in {}, and no further shift of {} h fits the "
                           "day's 24 hours; a shift beyond it ({} working days, {} cars)",
                           LineName(scenario, row.a), line.max_shifts_per_day, MonthName(scenario, row.b),
                           line.hours_per_shift, days, cars)
                     : fmt::format(
                           "{} runs its maximum {} shifts a day in {}; a shift beyond it ({} working days, "
                           "{} cars)",
                           LineName(scenario, row.a), line.max_shifts_per_day, MonthName(scenario, row.b),
                           days, cars)});
        // First order until re-priced below: the text says what value_gbp says.
        b.text =
            CapacityText(capacity_claims.back().what, b.value_gbp + capacity_claims.back().shift_cost_gbp,
                         capacity_claims.back().cars, dual, capacity_claims.back().shift_cost_gbp);
        break;
      }
      case RowKind::kContractMin:
      case RowKind::kContractMax: {
        const model::Contract& c = scenario.contracts[row.a];
        const bool is_min = row.kind == RowKind::kContractMin;
        b.kind = is_min ? "contract minimum" : "contract maximum";
        b.contract = row.a;
        b.year = row.b;
        b.value_gbp = is_min ? -dual : dual;
        b.text = fmt::format("{} one car on the {} of contract {} in {} is worth {}",
                             is_min ? "lowering by" : "raising by", is_min ? "minimum" : "maximum", c.id,
                             row.b, Money(b.value_gbp));
        break;
      }
      case RowKind::kShare: {
        const model::ShareLimit& limit = scenario.lines[row.a].share_limits[row.c];
        SetLineMonth(b, "share limit", row, scenario, dual);
        b.text = fmt::format("the {} share limit of {:.0f}% at {} in {} costs {} a car",
                             model::ToString(limit.powertrain), limit.max_share * 100,
                             LineName(scenario, row.a), MonthName(scenario, row.b), Money(dual));
        break;
      }
      case RowKind::kStationLoad: {
        const model::Station& station = scenario.lines[row.a].stations[row.c];
        SetLineMonth(b, "station load", row, scenario, dual);
        b.text = fmt::format("station {} at {} ({} in {} cars with {}) in {} costs {} a car", station.id,
                             LineName(scenario, row.a), station.max_cars, station.window_cars, station.option,
                             MonthName(scenario, row.b), Money(dual));
        break;
      }
      case RowKind::kSupplyCap:
        b.kind = "supply cap";
        b.month = row.b;
        b.year = scenario.horizon.MonthAt(row.b).year;
        b.value_gbp = dual;
        b.text = fmt::format("one more unit of supply cap {} in {} is worth {}", row.a,
                             MonthName(scenario, row.b), Money(dual));
        break;
      default:
        continue;
    }
    binding.push_back(std::move(b));
  }
  // A capacity row's dual is first-order, and where the LP is degenerate it
  // is not the value of more capacity at all: a line that runs no shift and
  // may build nothing that month (not yet retooled, in its downtime, every
  // car held by a ramp-up or station row) has its capacity row and the row
  // that really binds both tight at zero, and the dual may sit on either.
  // The claims that could be listed are re-priced exactly: the plan's LP
  // (integers fixed) re-solved with the row given one more shift's cars.
  // Where the shift's cars gain nothing the row does not bind in effect and
  // the claim is dropped; otherwise the claim's value becomes the shift's
  // exact one (a whole shift of cars is rarely all worth the first car's
  // dual), and the dual stays as the first car's value.
  if (relax) {
    // Every other entry's value is final, and a claim's exact value is at
    // most its first-order one (the LP's value is concave in the row's
    // bound): claims are re-priced from the largest first-order value down
    // until the next one cannot reach the kMaxBinding listed, so every
    // listed claim is re-priced and no more are.
    auto upper = [&](const CapacityClaim& c) {
      const BindingConstraint& b = binding[c.index];
      return std::max(b.value_gbp, b.dual_gbp_per_car * c.cars - c.shift_cost_gbp);
    };
    std::vector<const CapacityClaim*> pending;
    std::vector<bool> is_claim(binding.size(), false);
    for (const CapacityClaim& claim : capacity_claims) {
      pending.push_back(&claim);
      is_claim[claim.index] = true;
    }
    std::stable_sort(pending.begin(), pending.end(),
                     [&](const CapacityClaim* a, const CapacityClaim* b) { return upper(*a) > upper(*b); });
    std::vector<double> known;  // values that are final
    for (size_t k = 0; k < binding.size(); ++k) {
      if (!is_claim[k]) known.push_back(binding[k].value_gbp);
    }
    std::vector<bool> drop(binding.size(), false);
    for (const CapacityClaim* claim : pending) {
      if (known.size() >= kMaxBinding) {
        std::nth_element(known.begin(), known.begin() + (kMaxBinding - 1), known.end(), std::greater<>());
        if (upper(*claim) < known[kMaxBinding - 1]) break;  // it and every later claim fall below the list
      }
      BindingConstraint& b = binding[claim->index];
      if (std::chrono::steady_clock::now() >= deadline) {  // out of time: left out, not listed first order
        drop[claim->index] = true;
        ++plan->stats.binding_not_repriced;
        continue;
      }
      const std::optional<double> shift =
          claim->cars > 0 ? relax(claim->row, claim->cars) : std::optional<double>();
      if (!shift) {  // stays first order
        known.push_back(b.value_gbp);
        continue;
      }
      const double gain = *shift - at_plan.objective;
      if (gain <= kDualTolerance * claim->cars) {
        drop[claim->index] = true;
        continue;
      }
      // The first car's value is the row's dual (the gain shows it binds).
      b.value_gbp = gain - claim->shift_cost_gbp;
      b.text = CapacityText(claim->what, gain, claim->cars, b.dual_gbp_per_car, claim->shift_cost_gbp);
      known.push_back(b.value_gbp);
    }
    std::vector<BindingConstraint> kept;
    for (size_t k = 0; k < binding.size(); ++k) {
      if (!drop[k]) kept.push_back(std::move(binding[k]));
    }
    binding = std::move(kept);
  }
  for (BindingConstraint& b : binding) {
    b.value_gbp = Pennies(b.value_gbp);
    b.dual_gbp_per_car = Pennies(b.dual_gbp_per_car);
  }
  // What would pay first: the largest gains, then the smallest losses.
  std::stable_sort(
      binding.begin(), binding.end(),
      [](const BindingConstraint& a, const BindingConstraint& b) { return a.value_gbp > b.value_gbp; });
  if (binding.size() > kMaxBinding) binding.resize(kMaxBinding);
  plan->binding = std::move(binding);

  // ---- Unmet demand: the binding row with the largest dual among the rows
  // that limit the sources able to serve it.
  if (plan->unmet.empty()) return;
  std::map<std::tuple<int, int, int>, std::vector<int>> sources;    // (v, k, arrival) -> ship columns
  std::map<std::tuple<int, int, int>, std::vector<int>> producers;  // (p, v, t) -> produce columns
  for (int j = 0; j < lp.num_cols(); ++j) {
    const ColumnInfo& c = built.columns[j];
    if (c.kind == ColumnKind::kShip) sources[{c.variant, c.market, c.other}].push_back(j);
    if (c.kind == ColumnKind::kProduce) producers[{c.plant, c.variant, c.month}].push_back(j);
  }
  std::vector<std::vector<int>> rows_of(lp.num_cols());
  for (int64_t e = 0; e < lp.num_entries(); ++e) rows_of[lp.entry_col[e]].push_back(lp.entry_row[e]);

  for (const UnmetEntry& u : plan->unmet) {
    std::string reason;
    auto it = sources.find({u.variant, u.market, u.month});
    if (it == sources.end()) {
      reason = NoSourceReason(scenario, u.variant, u.market, u.month);
    } else {
      std::vector<int> columns = it->second;
      for (int j : it->second) {
        const ColumnInfo& c = built.columns[j];
        if (c.line < 0) {
          auto p = producers.find({c.plant, c.variant, c.month});
          if (p != producers.end()) columns.insert(columns.end(), p->second.begin(), p->second.end());
        }
      }
      int best_row = -1;
      double best_dual = kDualTolerance;
      for (int j : columns) {
        for (int i : rows_of[j]) {
          const RowKind kind = built.rows[i].kind;
          if (kind == RowKind::kDemand || kind == RowKind::kBalance) continue;
          if (std::abs(at_plan.row_duals[i]) > best_dual) {
            best_dual = std::abs(at_plan.row_duals[i]);
            best_row = i;
          }
        }
      }
      if (best_row < 0) {
        reason = "economics: no source earns more than leaving the car unmet";
      } else {
        const RowInfo& row = built.rows[best_row];
        switch (row.kind) {
          case RowKind::kCapacity:
          case RowKind::kCover: {
            const model::Line& line = scenario.lines[row.a];
            if (shifts[row.a * n + row.b] >= line.max_shifts_per_day) {
              reason =
                  fmt::format("line capacity: {} runs its maximum {} shifts in {}", LineName(scenario, row.a),
                              line.max_shifts_per_day, MonthName(scenario, row.b));
            } else {
              reason = fmt::format(
                  "economics: another shift at {} in {} costs more than the cars it would add earn",
                  LineName(scenario, row.a), MonthName(scenario, row.b));
            }
            break;
          }
          case RowKind::kContractMax:
            reason = fmt::format("contract {} maximum for {}", scenario.contracts[row.a].id, row.b);
            break;
          case RowKind::kShare:
            reason = fmt::format("{} share limit at {}",
                                 model::ToString(scenario.lines[row.a].share_limits[row.c].powertrain),
                                 LineName(scenario, row.a));
            break;
          case RowKind::kStationLoad: {
            const model::Station& station = scenario.lines[row.a].stations[row.c];
            reason =
                fmt::format("station {} at {} takes {} in {} cars with {}", station.id,
                            LineName(scenario, row.a), station.max_cars, station.window_cars, station.option);
            break;
          }
          case RowKind::kSupplyCap:
            reason = fmt::format("supply cap {} in {}", row.a, MonthName(scenario, row.b));
            break;
          case RowKind::kRetoolLink:
          case RowKind::kRetoolOnce:
            reason = RetoolReason(scenario, request, *plan, row);
            break;
          case RowKind::kDowntime:
            reason = fmt::format("retooling downtime: {} stops for its retooling in {}",
                                 LineName(scenario, row.a), MonthName(scenario, row.b));
            break;
          case RowKind::kLaunchRamp:
            reason = fmt::format("launch ramp-up: {} at {} in {}", scenario.variants[row.b].id,
                                 LineName(scenario, row.a), MonthName(scenario, row.c));
            break;
          case RowKind::kParticipation:
            reason = fmt::format("participation: {} must earn at least its contribution without the deal",
                                 scenario.companies[row.a].name);
            break;
          case RowKind::kHostFirst:
            reason = fmt::format("host-first: the host keeps its own output at {} in {}",
                                 scenario.plants[row.a].name, row.b);
            break;
          default:
            reason = "another constraint of the plan";
            break;
        }
      }
    }
    plan->unmet_causes.push_back({u.variant, u.market, u.month, u.units, std::move(reason)});
  }
}

}  // namespace cobuild::plan
