#include "plan/planner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <stop_token>
#include <thread>
#include <vector>

#include "plan/cbc_backend.h"
#include "plan/economics.h"
#include "plan/explainer.h"
#include "plan/improvement.h"
#include "plan/lagrangian.h"
#include "plan/model_builder.h"
#include "plan/model_names.h"
#include "plan/retool_search.h"
#include "plan/rounding.h"
#include "plan/shift_runs.h"
#include "plan/warm_start.h"

namespace cobuild::plan {
namespace {

using Clock = std::chrono::steady_clock;

// The share of the time left that branch and cut's root may take when it
// runs before the primal improvement. On the default scenario and M it
// takes 2 s and 4 s of the 9 and 8 s left at a 10 s limit. Nor more than
// kRootShareOfLimit of the whole limit, or kRootMinSeconds if that is more:
// once L's first LP took 4-5 s instead of 9-10 s (presolve), 80% of the
// larger time left went to the root (47 s of 60, CBC running past its cap by
// about 7 s on L; the bound gained 0 to 0.07%) and the improvement, left
// 3 s, gained nothing: 1.14% and 1.25% at 60 s. With the root held to 30%
// (18 s) the improvement had 22 s and L ended at 0.88%; at 50%, 1.08%. The
// 8 s floor leaves every solve with a 10 s limit as it was (M's root needs
// 3 to 6 s of its 7 to 8 s left, and its bound comes at the end).
constexpr double kRootShare = 0.8;
constexpr double kRootShareOfLimit = 0.3;
constexpr double kRootMinSeconds = 8;

// Rounds of cuts at that root. CBC's own rule runs up to 50 on M: 10 give
// almost all of their bound in a third of the time (M: GBP 24,345.6m in 3.5 s
// against 24,339.0m in 9 s; L: 86,994.9m in 29 s; the default scenario:
// 19,243.2m in 0.6 s, where CBC stops at 13 rounds anyway).
constexpr int kRootCutPasses = 10;

// The share of a wall-clock time limit the search over the retooling
// decisions (Tightening 7) may take; its bound holds wherever it stops. On a
// deal fee point (a 2 s limit, participation rows) 16 branch LPs once took
// 1.6 s: the point found no plan in its time and was solved again at 4 s.
constexpr double kRetoolShare = 0.2;
// The LPs that search may solve in a work-limited solve (a node limit),
// where no clock may decide what it does.
constexpr int kRetoolLps = 16;

// The first run of that search gets the share of a limit this long (2 s at
// the default 0.2); the rest of its share of a longer limit waits until the
// primal improvement has stopped moving the plan. Its first 2 s give most
// of its starting plan (the default scenario's best leaf, the
// retooling-only optimum, came at 4 s) and about half of its bound (GBP
// 19,237m after 2 s, 19,228m after 12 s against the LP's 19,258m), and a
// 60 s solve spent its first 12 s on it before the improvement began.
constexpr double kRetoolFirstLimit = 10;

// The last share of the time limit kept for the work after the search: the
// LP at the plan's integers and the explanation's re-solves (about 10 s of
// re-solves on the generated L network, 2 s on M, 0.2 s on the default
// scenario), so that a plan comes back within its time limit.
constexpr double kPostShare = 0.05;

// kRetoolCutRounds (planner.h) are taken on the wall clock, within
// kCutShare of the search's first run and only when that run has
// kCutMinSeconds.
constexpr double kCutShare = 0.5;
constexpr double kCutMinSeconds = 0.5;

// On the wall clock, polishing the starting-plan candidates may take this
// share of the time limit: the next candidate is polished only when the time
// spent so far plus the longest polishing yet (each solves the same model's
// LP at fixed integers) stays within it. On the generated L network
// (274,612 columns) a polishing took 3 to 10 s, and the second candidate
// (the Lagrangian blocks' shifts, GBP 85,953m against the rounding's
// 86,102m) left the primal improvement 5 s of a 60 s limit; on the default
// scenario and M the four candidates take 0.3 and 0.7 s of a 10 s limit.
constexpr double kCandidateShare = 0.1;

// The retooling search is skipped when the time left after the LP is less
// than this many times the LP's own time: polishing a candidate solves the
// same LP at fixed integers, several times.
constexpr double kPlanFirstFactor = 2;

// On the wall clock, the local search over the retooling search's best
// leaf's months (ClimbRetooling) may take this share of the time limit.
constexpr double kClimbShare = 0.05;

// A plan is started again from the retooling search's best leaf after the
// search's rest only with at least this many seconds left: polishing its
// candidates takes 0.1 to 0.3 s on the default scenario, and the sub-MIPs
// around it need a few rounds of 0.2 to 1 s each to climb.
constexpr double kLeafMinSeconds = 3;
// ... and when the leaf's LP lies above the plan by more than this share.
constexpr double kLeafMinGain = 1e-5;

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Snaps solver noise away: units are kept to 1e-4 cars.
double Snap(double value) { return std::round(value * 1e4) / 1e4; }

void Report(const SolveParams& params, const char* phase, double elapsed, bool has, double incumbent,
            double bound) {
  if (!params.on_progress) return;
  Progress p;
  p.phase = phase;
  p.elapsed_seconds = elapsed;
  p.has_incumbent = has;
  p.incumbent_gbp = incumbent;
  p.bound_gbp = bound;
  p.gap = has ? RelativeGap(incumbent, bound) : 1.0;
  params.on_progress(p);
}

// Rounds the integer columns of an LP point: shifts and levers up, a retooling
// decision where its cumulative LP value first reaches one half.
std::vector<double> RoundIntegers(const BuiltModel& built, const std::vector<double>& lp_values) {
  std::vector<double> rounded(lp_values.size(), 0.0);
  std::map<std::pair<int, int>, double> cumulative;  // (line, platform) -> sum so far
  for (size_t j = 0; j < built.columns.size(); ++j) {
    const ColumnInfo& info = built.columns[j];
    if (info.kind == ColumnKind::kShifts || info.kind == ColumnKind::kExtraShifts ||
        info.kind == ColumnKind::kWeekendDays) {
      rounded[j] = std::min(built.lp.col_upper[j], std::ceil(lp_values[j] - 1e-6));
      rounded[j] = std::max(rounded[j], built.lp.col_lower[j]);
    } else if (info.kind == ColumnKind::kRetool) {
      double& sum = cumulative[{info.line, info.other}];
      const double before = sum;
      sum += lp_values[j];
      rounded[j] = (before < 0.5 && sum >= 0.5) ? 1.0 : 0.0;
      rounded[j] = std::clamp(rounded[j], built.lp.col_lower[j], built.lp.col_upper[j]);
    }
  }
  return rounded;
}

// The integer columns at `plan`'s shifts, levers and retooling, within the
// model's bounds.
std::vector<double> IntegersOf(const BuiltModel& built, const Plan& plan) {
  std::map<std::pair<int, int>, const ShiftEntry*> shifts;
  for (const ShiftEntry& e : plan.shifts) shifts[{e.line, e.month}] = &e;
  std::map<std::tuple<int, int, int>, int> retooled;
  for (const RetoolEntry& e : plan.retooling) retooled[{e.line, e.platform, e.month}] = 1;
  std::vector<double> values(built.columns.size(), 0.0);
  for (size_t j = 0; j < built.columns.size(); ++j) {
    if (!built.lp.is_integer[j]) continue;
    const ColumnInfo& c = built.columns[j];
    const auto it = shifts.find({c.line, c.month});
    const ShiftEntry* e = it == shifts.end() ? nullptr : it->second;
    double v = 0;
    switch (c.kind) {
      case ColumnKind::kShifts:
        v = e ? e->shifts_per_day : 0;
        break;
      case ColumnKind::kExtraShifts:
        v = e ? e->extra_shifts_per_day : 0;
        break;
      case ColumnKind::kWeekendDays:
        v = e ? e->weekend_days : 0;
        break;
      case ColumnKind::kRetool:
        v = retooled.count({c.line, c.other, c.month}) ? 1 : 0;
        break;
      default:
        break;
    }
    values[j] = std::clamp(v, built.lp.col_lower[j], built.lp.col_upper[j]);
  }
  return values;
}

// Whether every integer column of an LP point is a whole number, to `tolerance`.
bool IntegersIntegral(const BuiltModel& built, const std::vector<double>& values, double tolerance = 1e-6) {
  for (size_t j = 0; j < values.size(); ++j) {
    if (built.lp.is_integer[j] && std::abs(values[j] - std::round(values[j])) > tolerance) return false;
  }
  return true;
}

// Fixes every integer column at `values` and solves the LP.
LpSolution SolveFixed(MipSolver& solver, const BuiltModel& built, const std::vector<double>& values,
                      double time_limit, Simplex method = Simplex::kDual) {
  for (int j = 0; j < built.lp.num_cols(); ++j) {
    // At the whole number: CBC's integer tolerance lets a retooling column
    // come back at 1e-8, which a line's big-M row turns into 1e-4 cars of a
    // platform the plan (retooling read at > 0.5) never retools for; the
    // plan checker flagged one such deal fee point.
    if (built.lp.is_integer[j]) solver.SetColumnBounds(j, std::round(values[j]), std::round(values[j]));
  }
  return solver.SolveRelaxation(time_limit, method);
}

void RestoreBounds(MipSolver& solver, const BuiltModel& built) {
  for (int j = 0; j < built.lp.num_cols(); ++j) {
    if (built.lp.is_integer[j]) solver.SetColumnBounds(j, built.lp.col_lower[j], built.lp.col_upper[j]);
  }
}

// Fixes the integers at `*integers`, solves the LP, then improves the shifts
// a few times: drops every shift the LP leaves idle and adds one where the
// capacity dual says the extra cars pay for it. Keeps the best LP found.
// `first` is the simplex method of the first LP (the passes use dual).
// Primal is faster there (every integer moved at once, but shifts rounded up
// keep the last point nearly feasible): on the generated L network that LP
// took 2.2 to 2.7 s idle (2.7 to 3.0 s under load), against 4 to 5 s (4.7 to
// 6.6 s) by dual simplex from the same basis, to the same optimum (GBP
// 85,800.1m). Its optimal vertex differs
// and the passes start from other duals: the default scenario at 10 s ended
// at 0.24 to 0.25% instead of 0.17 to 0.19%, so it is kept for a plan first.
LpSolution Polish(MipSolver& solver, const BuiltModel& built, Clock::time_point deadline,
                  std::vector<double>* integers, Simplex first = Simplex::kDual) {
  auto left = [&] { return std::max(0.0, std::chrono::duration<double>(deadline - Clock::now()).count()); };
  RepairShiftRuns(built, integers);  // every candidate keeps the workforce rules
  LpSolution best = SolveFixed(solver, built, *integers, left(), first);
  if (best.status != LpStatus::kOptimal) return best;
  std::vector<double> best_integers = *integers;
  for (int pass = 0; pass < 4; ++pass) {
    const std::vector<double> activity = RowActivity(built.lp, best.values);
    bool changed = false;
    for (size_t cell = 0; cell < built.shift_column.size(); ++cell) {
      const int s = built.shift_column[cell];
      if (s < 0) continue;
      // Capacity columns of the line-month, cheapest first: shifts, extra
      // shifts, weekend days; each with the cars one unit yields.
      struct Unit {
        int column;
        double cars;
      };
      std::vector<Unit> units = {{s, built.cars_per_shift_month[cell]}};
      if (built.extra_shift_column[cell] >= 0) {
        units.push_back({built.extra_shift_column[cell], built.cars_per_shift_month[cell]});
      }
      if (built.weekend_column[cell] >= 0) {
        units.push_back({built.weekend_column[cell], built.cars_per_weekend_day[cell]});
      }
      // Capacity row: cars - sum(cars per unit * units) <= 0.
      double capacity = 0;
      for (const Unit& u : units) capacity += u.cars * (*integers)[u.column];
      const double cars = activity[built.capacity_row[cell]] + capacity;
      // Drop idle capacity, the dearest first.
      for (auto u = units.rbegin(); u != units.rend(); ++u) {
        double& value = (*integers)[u->column];
        while (value > built.lp.col_lower[u->column] && cars <= capacity - u->cars + 1e-6) {
          value -= 1;
          capacity -= u->cars;
          changed = true;
        }
      }
      // Add the cheapest unit the capacity dual pays for.
      const double dual = best.row_duals[built.capacity_row[cell]];
      for (const Unit& u : units) {
        double& value = (*integers)[u.column];
        if (value < built.lp.col_upper[u.column] && dual * u.cars + built.lp.objective[u.column] > 0) {
          value += 1;
          changed = true;
          break;
        }
      }
    }
    if (!changed) break;
    RepairShiftRuns(built, integers);
    LpSolution next = SolveFixed(solver, built, *integers, left());
    if (next.status != LpStatus::kOptimal) break;
    if (next.objective > best.objective) {
      best = std::move(next);
      best_integers = *integers;
    } else {
      *integers = best_integers;
      break;
    }
  }
  *integers = best_integers;
  return best;
}

// Turns a solution vector into plan entries, contributions and penalties.
void Decode(const model::Scenario& scenario, const PlanRequest& request, const BuiltModel& built,
            const std::vector<double>& x, Plan* plan) {
  const int n = built.num_months;
  std::map<std::tuple<int, int, int>, double> production;                      // (line, variant, month)
  std::map<std::tuple<int, int, int, int>, std::pair<int, double>> shipments;  // -> arrival, units
  const Levers levers = request.LeversFor(scenario);
  double penalties = -built.lp.objective_offset;
  double stability = -built.lp.objective_offset;
  std::map<std::pair<int, int>, ShiftEntry> shifts;  // (line, month)
  for (size_t j = 0; j < built.columns.size(); ++j) {
    const ColumnInfo& c = built.columns[j];
    const double value = Snap(x[j]);
    switch (c.kind) {
      case ColumnKind::kShip:
        if (value <= 0) break;
        shipments[{c.plant, c.variant, c.market, c.month}] = {c.other, value};
        if (c.line >= 0) production[{c.line, c.variant, c.month}] += value;
        break;
      case ColumnKind::kProduce:
        if (value > 0) production[{c.line, c.variant, c.month}] += value;
        break;
      case ColumnKind::kShifts:
        shifts[{c.line, c.month}].shifts_per_day = static_cast<int>(std::lround(x[j]));
        break;
      case ColumnKind::kExtraShifts:
        shifts[{c.line, c.month}].extra_shifts_per_day = static_cast<int>(std::lround(x[j]));
        break;
      case ColumnKind::kWeekendDays:
        shifts[{c.line, c.month}].weekend_days = static_cast<int>(std::lround(x[j]));
        break;
      case ColumnKind::kRetool:
        if (x[j] > 0.5) plan->retooling.push_back({c.line, c.other, c.month});
        break;
      case ColumnKind::kUnmet:
        if (value > 0) plan->unmet.push_back({c.variant, c.market, c.month, value});
        penalties += UnmetPenaltyPerCar(scenario) * value;
        break;
      case ColumnKind::kShortfall:
        if (value > 0) plan->contract_shortfalls.push_back({c.other, c.month, value});
        penalties += ShortfallPenaltyPerCar(scenario) * value;
        break;
      case ColumnKind::kBacklog:
        if (value > 0) plan->backlog.push_back({c.variant, c.market, c.month, value});
        penalties += BacklogCostPerCarMonth(levers) * value;
        break;
      case ColumnKind::kDeviation:
        penalties += StabilityPenaltyPerCar(request) * value;
        stability += StabilityPenaltyPerCar(request) * value;
        break;
      case ColumnKind::kShiftsAdded:
      case ColumnKind::kShiftsRemoved:
      case ColumnKind::kShiftChange:
      case ColumnKind::kAtMaxShifts:
        break;  // recomputed from the shifts below; the levers' gate
      case ColumnKind::kStock:
        if (value > 0) plan->stock.push_back({c.plant, c.variant, c.month, value});
        break;
      case ColumnKind::kSafetyShort:
        penalties += SafetyStockPenaltyPerCarMonth(scenario, c.plant) * value;
        break;
    }
  }
  for (auto& [key, entry] : shifts) {
    entry.line = key.first;
    entry.month = key.second;
    plan->shifts.push_back(entry);
  }
  for (const auto& [key, units] : production) {
    plan->production.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), units});
  }
  for (const auto& [key, value] : shipments) {
    plan->shipments.push_back(
        {std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key), value.first, value.second});
  }
  plan->penalties_gbp = Pennies(penalties);
  plan->basis.stability_penalty_gbp = Pennies(stability);

  // Contributions per company (docs/planning-model.md, "Per-company
  // contribution"), nominal and in present value (each cash flow
  // discounted from its month, "Present value and tooling life"). Every
  // cash flow booked to a company must also go into `present`, times
  // DiscountFactor() of its month, as its objective coefficient does: the
  // objective is the sum of the present values.
  plan->contributions.assign(scenario.companies.size(), {});
  for (size_t i = 0; i < scenario.companies.size(); ++i) plan->contributions[i].company = static_cast<int>(i);
  std::vector<double> present(scenario.companies.size(), 0.0);
  RouteTable routes(scenario);
  for (const ShipmentEntry& s : plan->shipments) {
    const int owner = scenario.VariantOwner(s.variant);
    const int host = scenario.plants[s.plant].company;
    const UnitTerms terms =
        TermsOf(scenario, scenario.routes[routes.Find(s.plant, s.market)], s.variant, s.arrival_month);
    CompanyContribution& o = plan->contributions[owner];
    o.units_sold += s.units;
    o.revenue_gbp += s.units * terms.price_gbp;
    o.variable_cost_gbp += s.units * terms.variable_cost_gbp;
    o.freight_gbp += s.units * terms.freight_gbp;
    o.duty_gbp += s.units * terms.duty_gbp;
    present[owner] += s.units * PresentValue(scenario, terms);
    // Every contract covering the car charges its fee (a host building its
    // own brand pays none), when the car is built.
    const double fee =
        s.units * FeePerCar(scenario, s.plant, s.variant, scenario.horizon.MonthAt(s.month).year);
    if (fee != 0) {
      o.fee_paid_gbp += fee;
      plan->contributions[host].fee_income_gbp += fee;
      present[owner] -= fee * DiscountFactor(scenario, s.month);
      present[host] += fee * DiscountFactor(scenario, s.month);
    }
  }
  // The car's owner pays for holding it in stock.
  for (const StockEntry& e : plan->stock) {
    const int owner = scenario.VariantOwner(e.variant);
    const double cost = e.units * HoldingCostPerCarMonth(scenario, e.plant);
    plan->contributions[owner].holding_cost_gbp += cost;
    present[owner] -= cost * DiscountFactor(scenario, e.month);
  }
  for (const ShiftEntry& e : plan->shifts) {
    const int company = scenario.plants[scenario.lines[e.line].plant].company;
    const double cost = ShiftCost(scenario, levers, e);
    plan->contributions[company].shift_cost_gbp += cost;
    present[company] -= cost * DiscountFactor(scenario, e.month);
  }
  for (const LineShiftChanges& changes : ShiftChangesOf(scenario, plan->shifts)) {
    const int company = scenario.plants[scenario.lines[changes.line].plant].company;
    plan->contributions[company].shift_change_cost_gbp += changes.cost_gbp;
    present[company] -= changes.cost_pv_gbp;
  }
  for (const RetoolEntry& e : plan->retooling) {
    const model::Line& line = scenario.lines[e.line];
    for (const model::Retooling& option : line.retooling) {
      if (option.platform == e.platform) {
        const int company = scenario.plants[line.plant].company;
        const double cost = RetoolingCost(scenario, option, e.month);
        plan->contributions[company].retooling_cost_gbp += cost;
        present[company] -= cost * DiscountFactor(scenario, e.month);
        break;
      }
    }
  }
  // Every figure to the penny; the contribution from the rounded figures, so
  // a reader adding them up gets it exactly.
  const bool discounted = scenario.settings.discount_rate_per_year != 0;
  double total = 0;
  for (CompanyContribution& c : plan->contributions) {
    for (double* figure : {&c.revenue_gbp, &c.variable_cost_gbp, &c.freight_gbp, &c.duty_gbp,
                           &c.fee_income_gbp, &c.fee_paid_gbp, &c.shift_cost_gbp, &c.shift_change_cost_gbp,
                           &c.retooling_cost_gbp, &c.holding_cost_gbp}) {
      *figure = Pennies(*figure);
    }
    c.contribution_gbp = Pennies(c.revenue_gbp - c.variable_cost_gbp - c.freight_gbp - c.duty_gbp +
                                 c.fee_income_gbp - c.fee_paid_gbp - c.shift_cost_gbp -
                                 c.shift_change_cost_gbp - c.retooling_cost_gbp - c.holding_cost_gbp);
    c.contribution_pv_gbp = discounted ? Pennies(present[c.company]) : c.contribution_gbp;
    total += c.contribution_pv_gbp;
  }
  plan->objective_gbp = Pennies(total - plan->penalties_gbp);
  (void)n;
}

// Starting-plan candidates from an LP point: its integers rounded (RoundIntegers),
// and the same with the shifts each line and month would choose at the
// point's prices (Lagrangian blocks). A point of the retooling search's LP
// has its cuts' prices too; the blocks price the model's rows only.
// `priced_bound`, when given, gets the blocks' bound if it is valid.
std::vector<std::vector<double>> CandidatesFrom(const BuiltModel& built, const LpSolution& point,
                                                Clock::time_point deadline, double* priced_bound = nullptr) {
  std::vector<std::vector<double>> candidates;
  std::vector<double> rounded = RoundIntegers(built, point.values);
  const LagrangianResult priced =
      LagrangianBound(built, std::span(point.row_duals).first(static_cast<size_t>(built.lp.num_rows())),
                      -kInfinity, 1, deadline);
  candidates.push_back(rounded);
  if (priced.valid) {
    std::vector<double> mixed = std::move(rounded);
    for (size_t cell = 0; cell < built.shift_column.size(); ++cell) {
      for (const int s :
           {built.shift_column[cell], built.extra_shift_column[cell], built.weekend_column[cell]}) {
        if (s >= 0) mixed[s] = priced.shifts[s];
      }
    }
    candidates.push_back(std::move(mixed));
    if (priced_bound != nullptr) *priced_bound = priced.bound;
  }
  return candidates;
}

// Whether two points make the same retooling decisions (each column rounded).
bool SameRetooling(const std::vector<RetoolOption>& options, const std::vector<double>& a,
                   const std::vector<double>& b) {
  for (const RetoolOption& option : options) {
    for (const int j : option.columns) {
      if (std::round(a[j]) != std::round(b[j])) return false;
    }
  }
  return true;
}

}  // namespace

Result<BuiltModel> BuildSolvedModel(const model::Scenario& scenario, const PlanRequest& request) {
  return BuildPlanModel(scenario, request, {.shift_cover_cuts = request.options.shift_cover_cuts});
}

Result<void> WritePlanModel(const model::Scenario& scenario, const PlanRequest& request,
                            const std::string& path, ModelFileFormat format) {
  Result<BuiltModel> built = BuildSolvedModel(scenario, request);
  if (!built) return std::unexpected(built.error());
  const ModelNames names =
      NameModel(scenario, *built, format == ModelFileFormat::kMps ? NameRules::kMps : NameRules::kLp);
  const int integers =
      static_cast<int>(std::count(built->lp.is_integer.begin(), built->lp.is_integer.end(), 1));
  std::vector<std::string> comment = {
      "cobuild planning model of scenario \"" + scenario.name + "\" (docs/planning-model.md)",
      std::to_string(built->lp.num_cols()) + " columns (" + std::to_string(integers) + " integer), " +
          std::to_string(built->lp.num_rows()) + " rows, " + std::to_string(built->lp.num_entries()) +
          " nonzeros",
      "objective: contribution in GBP less penalties, maximised",
  };
  if (format == ModelFileFormat::kMps) {
    comment.push_back("this file MINIMISES the objective's negative (OBJROW; its RHS is the constant):");
    comment.push_back("a solver's objective value here is minus cobuild's (CBC ignores OBJSENSE MAX)");
  }
  return WriteModelFile(built->lp, names.columns, names.rows, comment, path, format);
}

Result<Plan> SolvePlan(const model::Scenario& scenario, const PlanRequest& request) {
  const auto start = Clock::now();
  const SolveParams& params = request.options.solve;
  // A node limit makes the solve work-limited, so its plan depends only on
  // the seed and the limits (risk draws, deal sweep points, `--max-nodes`):
  // the wall-clock rules that end a step sooner on a slower or busier machine
  // (the stall rule, each sub-MIP's time cap, the time kept for the work
  // after the search and the explanation's cut-off) are off, and the time
  // limit stays a safety net only.
  const bool work_limited = params.max_nodes >= 0;
  auto at = [&](double seconds) {
    return start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  };
  const auto end = at(params.time_limit_seconds);
  // The search's own deadline, before the time kept for the work after it.
  const auto deadline = work_limited ? end : at((1 - kPostShare) * params.time_limit_seconds);
  const double stall_seconds = work_limited ? 0.0 : params.stall_seconds;
  // A stop request ends every later step as the deadline would.
  auto stopped = [&] { return params.should_stop && params.should_stop(); };
  // Seconds left until `until` (0 once a stop is requested); remaining()
  // until the search's deadline.
  auto left = [&](Clock::time_point until) {
    if (stopped()) return 0.0;
    return std::max(0.0, std::chrono::duration<double>(until - Clock::now()).count());
  };
  auto remaining = [&] { return left(deadline); };

  Result<BuiltModel> built = BuildSolvedModel(scenario, request);
  if (!built) return std::unexpected(built.error());
  Plan plan;
  plan.scenario_name = scenario.name;
  // What the plan depends on besides the scenario, whether a plan is found or not.
  plan.basis.levers = request.LeversFor(scenario);
  plan.basis.excluded_brands = request.excluded_brands;
  std::sort(plan.basis.excluded_brands.begin(), plan.basis.excluded_brands.end());
  plan.basis.frozen_months = request.frozen_months;
  plan.basis.stability_penalty_gbp_per_car =
      request.baseline != nullptr ? request.stability_penalty_gbp_per_car : 0;
  plan.stats.build_seconds = Since(start);
  plan.stats.columns = built->lp.num_cols();
  plan.stats.rows = built->lp.num_rows();
  plan.stats.nonzeros = built->lp.num_entries();
  plan.stats.integer_columns =
      static_cast<int>(std::count(built->lp.is_integer.begin(), built->lp.is_integer.end(), 1));

  const auto solve_start = Clock::now();
  MipSolver solver(built->lp);
  solver.SetStopCheck(params.should_stop);
  if (request.warm_start != nullptr && !request.warm_start->empty()) {
    solver.SetBasis(request.warm_start->For(*built));
  }
  const LpSolution relaxation = solver.SolveRelaxation(remaining());
  if (relaxation.status == LpStatus::kInfeasible) {
    plan.status = SolveStatus::kInfeasible;
    plan.stats.solver_message = "LP relaxation infeasible (frozen months inconsistent with the scenario)";
    plan.stats.solve_seconds = Since(solve_start);
    return plan;
  }
  if (relaxation.status != LpStatus::kOptimal) {
    plan.status =
        relaxation.status == LpStatus::kTimeLimit ? SolveStatus::kTimeLimitNoSolution : SolveStatus::kError;
    plan.stats.stopped = stopped();
    plan.stats.stop_rule = plan.stats.stopped ? StopRule::kStopRequest : StopRule::kTimeLimit;
    plan.stats.solver_message = plan.stats.stopped ? "stopped on request while solving the LP relaxation"
                                : relaxation.status == LpStatus::kTimeLimit
                                    ? "time limit reached while solving the LP relaxation"
                                    : "CLP failed on the LP relaxation";
    plan.stats.solve_seconds = Since(solve_start);
    return plan;
  }
  const double lp_seconds = Since(solve_start);
  double bound = relaxation.objective;
  // The bound of the second retooling search while it runs on a thread of
  // its own beside the primal side (below): published by that thread as it
  // falls, taken into `bound` by this one.
  std::atomic<double> beside_bound{kInfinity};
  auto sync_bound = [&] { bound = std::min(bound, beside_bound.load(std::memory_order_relaxed)); };
  plan.stats.lp_bound_gbp = bound;
  Report(params, "lp", Since(start), false, 0, bound);

  std::vector<double> best;
  double best_objective = -kInfinity;
  // Whether `best` is an LP optimum at its integers, which are whole numbers
  // (a polished plan): the final re-solve at them would give it again.
  bool best_is_fixed_lp = false;
  auto within_gap = [&] {
    sync_bound();
    return !best.empty() && RelativeGap(best_objective, bound) <= params.relative_gap;
  };
  // An LP optimum with every integer column at a whole number is the MIP's
  // optimum: nothing to round, branch or search (a recovery whose shifts
  // and retooling are all fixed is such an LP).
  if (IntegersIntegral(*built, relaxation.values)) {
    best = relaxation.values;
    best_objective = relaxation.objective;
    best_is_fixed_lp = false;  // whole to 1e-6 only
  }
  // The given starting plan (a replan's plan with no action) first: when it
  // is within the gap target of the LP bound once polished, the heuristics
  // below cannot make the answer better than the target asks, and are
  // skipped (issue 17's stop rule).
  std::optional<LpSolution> start_point;
  std::vector<double> start_integers;
  if (request.options.starting_plan && request.start != nullptr && !within_gap()) {
    start_integers = IntegersOf(*built, *request.start);
    start_point = Polish(solver, *built, deadline, &start_integers);
    RestoreBounds(solver, *built);
    if (start_point->status == LpStatus::kOptimal && start_point->objective > best_objective &&
        RelativeGap(start_point->objective, bound) <= params.relative_gap) {
      best = start_point->values;
      best_objective = start_point->objective;
      best_is_fixed_lp = true;
    }
  }
  // Branch and bound over the retooling decisions: a tighter bound, and its
  // best leaf (or node) is a better point to round. Work-limited: at most
  // kRetoolLps LPs. Wall-clock: at most kRetoolShare of the time limit, of
  // which first what a limit of kRetoolFirstLimit would give it; the rest
  // once the primal improvement has stopped moving the plan (below).
  const std::vector<RetoolOption> options = RetoolOptions(*built);
  // The search's LP: the model's, or (on the wall clock) the model's with
  // rounds of cuts at the root, in a solver of its own (Tightening 7).
  std::optional<MipSolver> cut_solver;
  auto retool_solver = [&]() -> MipSolver& { return cut_solver ? *cut_solver : solver; };
  std::optional<RetoolSearcher> retool;
  std::optional<RetoolClimb> climbed;
  double retool_seconds_left = 0;
  // The search beside the primal side: on the wall clock, when the machine
  // has a core more than CBC's threads, a second search by pseudo-costs runs
  // on a thread of its own from the root with its cuts to the deadline, in a
  // copy of that solver (CLP keeps no global state; CBC's solves stay on
  // this thread), instead of the first search's rest after the improvement.
  // Declared after everything the thread uses, so that on any return it is
  // stopped and joined first.
  const bool beside_allowed = !work_limited && std::thread::hardware_concurrency() >
                                                   static_cast<unsigned>(std::max(1, params.threads));
  bool beside_failed = false;
  std::unique_ptr<MipSolver> beside_solver;
  std::optional<RetoolSearcher> beside_search;
  std::jthread beside;
  if (request.options.starting_plan && !within_gap()) {
    std::vector<const LpSolution*> points = {&relaxation};
    // A plan first: on the wall clock, when the time left after the LP is
    // less than kPlanFirstFactor times what the LP took, the search (its cuts
    // included) is skipped and the LP's own point is rounded and polished.
    // On the generated L network at a 10 s limit the LP took 4.6 to 7 s, the
    // search then had its 2 s, and no candidate was polished in time: the
    // solve ended with no plan.
    const bool plan_first = !work_limited && best.empty() && remaining() < kPlanFirstFactor * lp_seconds;
    if (!plan_first && AnyRetoolingFractional(options, relaxation.values)) {
      const double share = kRetoolShare * params.time_limit_seconds;
      const double first = kRetoolShare * std::min(params.time_limit_seconds, kRetoolFirstLimit);
      const auto first_started = Clock::now();
      double root_objective = relaxation.objective;
      if (!work_limited && first >= kCutMinSeconds) {
        cut_solver.emplace(built->lp);
        cut_solver->SetStopCheck(params.should_stop);
        cut_solver->SetBasis(solver.Basis());
        const CutRounds cut =
            cut_solver->AddCutRounds(kRetoolCutRounds, std::min(kCutShare * first, remaining()));
        plan.stats.root_cuts = cut.cuts;
        if (cut.relaxation.status == LpStatus::kOptimal) {
          root_objective = cut.relaxation.objective;
          bound = std::min(bound, root_objective);
          if (beside_allowed && AnyRetoolingFractional(options, cut.relaxation.values) && remaining() > 0) {
            plan.stats.retool_beside = true;
            beside_solver = cut_solver->Copy();
            beside_search.emplace(*beside_solver, *built, options, root_objective);
            beside = std::jthread([&](std::stop_token token) {
              try {
                beside_solver->SetStopCheck([token, &params] {
                  return token.stop_requested() || (params.should_stop && params.should_stop());
                });
                beside_search->Run(*beside_solver, deadline, std::numeric_limits<int>::max(),
                                   RetoolBranching::kPseudoCost,
                                   [&](double b) { beside_bound.store(b, std::memory_order_relaxed); });
              } catch (...) {
                beside_failed = true;  // the bounds it published hold; its result is not read
              }
            });
          }
        } else {
          cut_solver.reset();
        }
      }
      retool.emplace(retool_solver(), *built, options, root_objective);
      retool->Run(retool_solver(), work_limited ? deadline : std::min(deadline, at(Since(start) + first)),
                  work_limited ? kRetoolLps : std::numeric_limits<int>::max(), RetoolBranching::kFractional);
      if (!work_limited) retool_seconds_left = std::max(0.0, share - Since(first_started));
      // Its point stays put until the search runs again, after the candidates
      // (the search beside the improvement is another).
      const RetoolSearch& searched = retool->Result();
      bound = std::min(bound, searched.bound);
      // Its best leaf is the better point to round (the best candidate on the
      // default scenario and M), so its candidates come first; before them,
      // on the wall clock, the leaf its months' local search reaches.
      if (searched.point.status == LpStatus::kOptimal) {
        points.insert(points.begin(), &searched.point);
        if (!work_limited) {
          climbed =
              ClimbRetooling(retool_solver(), *built, options, searched.point,
                             std::min(deadline, at(Since(start) + kClimbShare * params.time_limit_seconds)),
                             std::numeric_limits<int>::max());
          plan.stats.retool_climb_moves = climbed->moves;
          if (climbed->moves > 0) points.insert(points.begin(), &climbed->point);
        }
      }
      Report(params, "retool", Since(start), false, 0, bound);
    }
    // Candidates from each point (CandidatesFrom).
    std::vector<std::vector<double>> candidates;
    for (const LpSolution* point : points) {
      double priced_bound = kInfinity;
      for (std::vector<double>& candidate : CandidatesFrom(*built, *point, deadline, &priced_bound)) {
        candidates.push_back(std::move(candidate));
      }
      if (point == &relaxation) bound = std::min(bound, priced_bound);
    }
    // The starting plan, polished above, competes last.
    const size_t own = candidates.size();
    double polish_seconds = 0;  // spent polishing candidates, and the longest one
    double longest_polish = 0;
    if (start_point.has_value()) candidates.push_back(std::move(start_integers));
    for (size_t c = 0; c < candidates.size(); ++c) {
      if (c != own && within_gap()) continue;  // the stop rule; the start's LP is already paid for
      // Within kCandidateShare of a wall-clock limit, the rest left for the
      // improvement (the first candidate always runs).
      if (c != own && c > 0 && !work_limited &&
          polish_seconds + longest_polish > kCandidateShare * params.time_limit_seconds)
        continue;
      const double polish_started = Since(start);
      const LpSolution fixed = c == own ? std::move(*start_point)
                                        : Polish(solver, *built, deadline, &candidates[c],
                                                 plan_first ? Simplex::kPrimal : Simplex::kDual);
      if (c != own) {
        const double took = Since(start) - polish_started;
        polish_seconds += took;
        longest_polish = std::max(longest_polish, took);
      }
      if (fixed.status == LpStatus::kOptimal && fixed.objective > best_objective) {
        best = fixed.values;
        best_objective = fixed.objective;
        best_is_fixed_lp = true;
      } else if (plan_first && fixed.status == LpStatus::kTimeLimit && !fixed.values.empty() &&
                 IsFeasiblePoint(built->lp, fixed.values)) {
        // A plan first's primal re-solve stopped by the time limit at a
        // feasible point: a plan, though not the LP optimum at its integers
        // (on L at 10 s the LP takes 4 to 6.5 s, and before its presolve 8 s
        // or more, and can leave too little for the re-solve to finish).
        // Checked whole against the model as well: the plan must not rest on
        // the solver's word alone.
        const double value = built->lp.Evaluate(fixed.values);
        if (value > best_objective) {
          best = fixed.values;
          best_objective = value;
          best_is_fixed_lp = false;
        }
      }
    }
    RestoreBounds(solver, *built);
  }
  if (!best.empty()) {
    plan.stats.starting_plan_objective_gbp = best_objective;
    Report(params, "start", Since(start), true, best_objective, bound);
  }
  // Tighten the bound with subgradient steps on the Lagrangian (a small
  // share of the time; each step is one pass over the matrix).
  if (request.options.lagrangian_iterations > 0 && !best.empty() &&
      RelativeGap(best_objective, bound) > params.relative_gap) {
    const auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(0.2 * remaining()));
    const LagrangianResult tightened = LagrangianBound(*built, relaxation.row_duals, best_objective,
                                                       request.options.lagrangian_iterations, until);
    if (tightened.valid) bound = std::min(bound, std::max(tightened.bound, best_objective));
    Report(params, "bound", Since(start), true, best_objective, bound);
  }

  bool proven = within_gap();
  StopRule stop_rule = StopRule::kTimeLimit;
  // Whether a search has run (branch and cut) or runs beside the
  // improvement (the second retooling search): the improvement then has all
  // the time left, starts without RINS, and the stall rule it reaches is the
  // solve's.
  bool searched = beside.joinable();
  // A bound below a plan already found contradicts it: CBC read it off an
  // LP it did not finish (a deal fee point once reported a bound GBP 110m
  // below the planner's own starting plan, and with it a gap of 0). It is
  // no bound, and is not used.
  auto holds = [&](double candidate) {
    if (best.empty() || candidate >= best_objective - 1e-9 * std::max(1.0, std::abs(best_objective)))
      return true;
    plan.stats.solver_message += "; its bound lay below a plan already found and was not used";
    return false;
  };
  // Takes a branch-and-cut result: its plan when better, its bound when its
  // values keep every row and no plan already found beats it.
  auto absorb = [&](MipSolution result) {
    searched = true;
    stop_rule = result.stop_rule;
    plan.stats.nodes += result.nodes;
    plan.stats.preprocessing_retry = plan.stats.preprocessing_retry || result.preprocessing_retry;
    plan.stats.solver_message = result.message;
    if (result.status == SolveStatus::kOptimal || result.status == SolveStatus::kFeasibleGap) {
      const bool keeps_rows = KeepsEveryRow(built->lp, result.values);
      // The values decide, not the objective CBC reports: after a limit stop
      // CBC can report the objective of the starting plan it was given while
      // handing back other values (on the generated L network, a GBP 86.1bn
      // start came back as values worth GBP -134.1bn, every car unmet).
      // Neither the values nor the bound of a result that breaks rows are
      // the model's.
      const double value = keeps_rows ? built->lp.Evaluate(result.values) : -kInfinity;
      if (!keeps_rows) plan.stats.solver_message += "; its values break the model's rows and were dropped";
      const bool consistent =
          std::abs(value - result.objective) <= 1e-6 * std::max(1.0, std::abs(result.objective));
      if (value > best_objective) {
        best = std::move(result.values);
        best_objective = value;
        best_is_fixed_lp = false;
      }
      const bool bound_holds = keeps_rows && holds(result.bound);
      if (bound_holds) bound = std::min(bound, result.bound);
      // Values that break rows say nothing of the bounds CBC showed at its
      // events: on M, a root stopped by its time cap handed back such values
      // with the bound of its last cut round (GBP 24,342.4m, as a root that
      // finished gives), which was dropped with them, leaving the gap at 1.7%.
      if (!keeps_rows && holds(result.event_bound)) bound = std::min(bound, result.event_bound);
      // CBC's proof counts only with a bound no plan already found beats.
      const bool cbc_proved = consistent && bound_holds && result.status == SolveStatus::kOptimal;
      proven = cbc_proved || within_gap();
      if (cbc_proved) bound = std::max(best_objective, bound);
    } else if (result.status == SolveStatus::kTimeLimitNoSolution && holds(result.bound)) {
      bound = std::min(bound, result.bound);  // CBC may have proved a bound without a plan
    }
    return result.status;
  };
  auto branch_and_cut = [&](double seconds, int64_t max_nodes, int cut_passes) {
    MipParams mip{.time_limit_seconds = seconds,
                  .relative_gap = params.relative_gap,
                  .threads = params.threads,
                  .seed = params.seed,
                  .max_nodes = max_nodes,
                  .stall_seconds = stall_seconds,
                  .preprocess = true,
                  .root_cut_passes = cut_passes,
                  .elapsed_offset_seconds = Since(start),
                  .on_progress = params.on_progress,
                  .should_stop = params.should_stop};
    return absorb(solver.SolveMip(mip, best));
  };
  const bool improve = request.options.improvement && params.max_nodes != 0 &&
                       plan.stats.integer_columns > kImprovementMinIntegers;
  // Branch and cut's root first, when a wall-clock search follows it: its cut
  // rounds give the bound (on the default scenario and M most of what the
  // bound gains in the whole search; the tree after it moves it little), and
  // its heuristics start from our plan. It gets at most kRootShare of the
  // time left, so that the improvement below has time too. A work-limited
  // solve keeps one branch and cut, after the improvement: a second root
  // would be work repeated, and a wall-clock cap would make its result
  // depend on the machine. Nor does it run while the retooling search runs
  // beside: that search's bound is the better one (the default scenario at
  // 10 s: the root took 1.4 s, found no plan and moved the bound from GBP
  // 19,223.1m to 19,221.0m; the search beside proves 19,209.2m), and the
  // improvement starts 1.4 s sooner.
  if (!proven && improve && !work_limited && !best.empty() && remaining() > 0.5 && !beside.joinable()) {
    // It starts from a plan and keeps it, so even a CBC error leaves one.
    branch_and_cut(std::min(kRootShare * remaining(),
                            std::max(kRootShareOfLimit * params.time_limit_seconds, kRootMinSeconds)),
                   0, kRootCutPasses);
    stop_rule = StopRule::kTimeLimit;  // the root's node limit of 0 is this step's, not the solve's
    Report(params, "root", Since(start), true, best_objective, bound);
  }
  // Primal improvement: sub-MIPs around the incumbent (plan/improvement.h).
  // After the root, or beside the retooling search, it has the time left;
  // without either, at most half of it. It ends sooner once a whole round
  // finds nothing better. Branch and cut gets the rest. A node limit of 0
  // asks for the root only: no search, so no improvement either. Work-limited, it has all the time left and
  // ends at that round (or at the time limit, the safety net): half the
  // time left would be a wall-clock rule deciding where it ends, on a slow
  // (sanitizer) build or a busy machine sooner than on an idle one.
  if (!proven && improve && !best.empty() && remaining() > (work_limited ? 0.0 : 0.5)) {
    const double share = searched || work_limited ? 1.0 : 0.5;
    // The retooling search's rest runs after it, so it keeps that much time.
    const bool retool_rest = retool && !beside.joinable() && !retool->Finished() && retool_seconds_left > 0;
    const double kept = retool_rest ? std::min(retool_seconds_left, 0.5 * remaining()) : 0.0;
    // Sub-MIPs around `from` for `seconds`: the better plan is kept. True
    // when the stall rule ended them.
    auto run_improvement = [&](std::vector<double> from, double seconds) {
      ImprovementParams improve_params{
          .deadline = Clock::now() +
                      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds)),
          .seed = params.seed,
          // Work-limited: each sub-MIP ends at its node limit, not at a wall-clock cap.
          .seconds_per_subproblem = work_limited ? std::numeric_limits<double>::infinity()
                                                 : ImprovementParams{}.seconds_per_subproblem,
          .stall_seconds = stall_seconds,
          .rins_first = !searched,
          .target_gap = params.relative_gap,
          .bound = bound,
          .current_bound = [&] { return beside_bound.load(std::memory_order_relaxed); },
          .should_stop = params.should_stop,
          .on_improvement =
              [&](double value) {
                sync_bound();
                Report(params, "improve", Since(start), true, std::max(value, best_objective), bound);
              }};
      ImprovementResult improved =
          ImproveIncumbent(solver, *built, relaxation.values, std::move(from), improve_params);
      plan.stats.improvement_subproblems += improved.subproblems;
      plan.stats.improvements += improved.improvements;
      if (improved.objective > best_objective) {
        best = std::move(improved.values);
        best_objective = improved.objective;
        best_is_fixed_lp = false;
      }
      proven = within_gap();
      return improved.stall_rule;
    };
    // The solve's stall rule ended it: branch and cut after the root would
    // only run until the same rule ends it.
    if (run_improvement(best, share * (remaining() - kept)) && searched) stop_rule = StopRule::kStall;
    // The rest of the retooling search's share, now that the plan has
    // stopped moving (or the improvement's time is up): the bound moves.
    // The search beside the improvement has run all along: it is waited for
    // until it ends (every node closed, or the deadline), unless the plan is
    // proven already.
    bool rest_ran = false;
    auto is_leaf = [&](const LpSolution& p) {
      return p.status == LpStatus::kOptimal && !AnyRetoolingFractional(options, p.values);
    };
    if (beside.joinable()) {
      if (proven) beside.request_stop();
      beside.join();
      rest_ran = !beside_failed;
    } else if (!proven && retool_rest && remaining() > 0) {
      // From the root again, by pseudo-costs (Tightening 7).
      retool->Restart();
      retool->Run(retool_solver(),
                  std::min(deadline, Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                        std::chrono::duration<double>(retool_seconds_left))),
                  std::numeric_limits<int>::max(), RetoolBranching::kPseudoCost);
      rest_ran = true;
    }
    if (rest_ran) {
      bound = std::min(bound, retool->Result().bound);
      // The better leaf of the two searches (each LP over the same cuts).
      const LpSolution* leaf_of = &retool->Result().point;
      if (beside_search) {
        bound = std::min(bound, beside_search->Result().bound);
        const LpSolution& other = beside_search->Result().point;
        if (is_leaf(other) && (!is_leaf(*leaf_of) || other.objective > leaf_of->objective)) leaf_of = &other;
      }
      proven = within_gap();
      Report(params, "retool", Since(start), true, best_objective, bound);
      // The search's best leaf, when it retools otherwise than the plan and
      // its LP (a bound on every plan with its retooling) lies above the
      // plan (by more than kLeafMinGain of it): the improvement keeps each
      // plan's retooling, so a plan started from the leaf is the only way
      // there. Its candidates are polished and the improvement runs again
      // from the better one, with the time left, even when that one is below
      // the plan; the better plan is kept. On the default scenario at 60 s
      // the improvement once stopped at GBP 19,179.0m (0.20%) while the
      // leaf's LP was 19,209.2m; from the leaf it reached 19,198.7m.
      const LpSolution& leaf = *leaf_of;
      if (!proven && is_leaf(leaf) &&
          leaf.objective > best_objective + kLeafMinGain * std::abs(best_objective) &&
          !SameRetooling(options, leaf.values, best) && remaining() > kLeafMinSeconds) {
        std::vector<double> from;
        double from_objective = -kInfinity;
        for (std::vector<double>& candidate : CandidatesFrom(*built, leaf, deadline)) {
          const LpSolution fixed = Polish(solver, *built, deadline, &candidate);
          if (fixed.status == LpStatus::kOptimal && fixed.objective > from_objective) {
            from = fixed.values;
            from_objective = fixed.objective;
          }
        }
        RestoreBounds(solver, *built);
        if (from_objective > best_objective) {
          best = from;
          best_objective = from_objective;
          best_is_fixed_lp = true;
          proven = within_gap();
        }
        Report(params, "leaf", Since(start), true, best_objective, bound);
        if (!from.empty() && !proven && remaining() > 0.5) {
          const bool stalled = run_improvement(std::move(from), remaining());
          if (searched) stop_rule = stalled ? StopRule::kStall : StopRule::kTimeLimit;
        }
      }
    }
  }
  // Branch and cut with the time left (all of it when nothing came before;
  // none once the stall rule ended the improvement). On the wall clock it
  // needs at least 5% of the time limit: CBC spends about 0.2 s on the
  // default scenario before its first event, and a deal sweep point with
  // 0.02 s left ran 0.2 s over its 0.8 s limit that way.
  const double least = searched ? 1.0 : work_limited || best.empty() ? 0.0 : 0.05 * params.time_limit_seconds;
  if (!proven && stop_rule != StopRule::kStall && remaining() > least) {
    if (branch_and_cut(remaining(), params.max_nodes, 0) == SolveStatus::kError && best.empty()) {
      plan.status = SolveStatus::kError;
      plan.stats.solve_seconds = Since(solve_start);
      return plan;
    }
  }
  // A search beside that the improvement did not wait for (none ran, or no
  // plan) ends with the steps before it.
  if (beside.joinable()) {
    beside.request_stop();
    beside.join();
    if (!beside_failed) bound = std::min(bound, beside_search->Result().bound);
  }
  sync_bound();
  if (retool) plan.stats.retool_lps = retool->Result().lps;
  if (beside_search && !beside_failed) plan.stats.retool_lps += beside_search->Result().lps;
  plan.stats.stopped = stopped();
  if (plan.stats.stopped) plan.stats.solver_message = "stopped on request";
  plan.stats.gap_target = params.relative_gap;
  plan.stats.stall_seconds = stall_seconds;
  // Which rule ended the solve: the plan's gap decides last, below.
  plan.stats.stop_rule = plan.stats.stopped ? StopRule::kStopRequest
                         : searched         ? stop_rule
                                            : StopRule::kTimeLimit;
  if (best.empty()) {
    plan.status = SolveStatus::kTimeLimitNoSolution;
    plan.stats.solve_seconds = Since(solve_start);
    return plan;
  }
  // The final plan is re-solved as an LP at its integer decisions: that makes
  // the continuous part exactly optimal for them and yields the duals the
  // explanation needs. A polished plan is such an LP optimum already: without
  // an explanation it is not solved again (on a deal sweep point that took
  // 0.2 to 0.3 s of a 0.8 s limit).
  LpSolution at_plan;
  if (!best_is_fixed_lp || request.options.explain) {
    at_plan = SolveFixed(solver, *built, best, std::max(left(end), 1.0));
  }
  if (at_plan.status == LpStatus::kOptimal &&
      at_plan.objective >= best_objective - 1e-6 * std::max(1.0, std::abs(best_objective))) {
    best = at_plan.values;
    best_objective = at_plan.objective;
  } else if (!IntegersIntegral(*built, best, 0.0)) {
    // Not re-solved (a stop request, or the time ran out): the integer
    // decisions are still set to whole numbers when the plan keeps every
    // row that way.
    std::vector<double> whole = best;
    for (size_t j = 0; j < whole.size(); ++j) {
      if (built->lp.is_integer[j]) whole[j] = std::round(whole[j]);
    }
    if (KeepsEveryRow(built->lp, whole)) {
      best = std::move(whole);
      best_objective = built->lp.Evaluate(best);
    } else {
      plan.stats.solver_message += plan.stats.solver_message.empty() ? "" : "; ";
      plan.stats.solver_message += "its integer decisions could not be set to whole numbers";
    }
  }
  // Whole cars (rounding.h): the rounded plan keeps every row, and its money
  // is recomputed from the whole cars by Decode.
  if (std::optional<std::vector<double>> whole = RoundToWholeCars(*built, best)) {
    plan.stats.rounding_loss_gbp = built->lp.Evaluate(best) - built->lp.Evaluate(*whole);
    best = std::move(*whole);
  } else {
    plan.stats.solver_message += plan.stats.solver_message.empty() ? "" : "; ";
    plan.stats.solver_message += "cars left fractional: rounding to whole cars could not keep every row";
  }
  if (request.options.column_values != nullptr) *request.options.column_values = best;
  Decode(scenario, request, *built, best, &plan);
  plan.bound_gbp = std::max(std::ceil(bound * 100) / 100, plan.objective_gbp);
  plan.gap = RelativeGap(plan.objective_gbp, plan.bound_gbp);
  plan.status = proven || plan.gap <= params.relative_gap ? SolveStatus::kOptimal : SolveStatus::kFeasibleGap;
  if (plan.status == SolveStatus::kOptimal) plan.stats.stop_rule = StopRule::kGapTarget;
  // A search that ended short of the target without a rule of its own ended
  // at the time limit (our deadline stopped CBC inside its root).
  if (plan.status != SolveStatus::kOptimal && plan.stats.stop_rule == StopRule::kGapTarget)
    plan.stats.stop_rule = StopRule::kTimeLimit;
  if (request.options.explain && at_plan.status == LpStatus::kOptimal) {
    // The solver still holds the plan's integers fixed (SolveFixed above).
    const RowRelaxation relax = [&](int row, double delta) -> std::optional<double> {
      const double lower = built->lp.row_lower[row];
      const double upper = built->lp.row_upper[row];
      solver.SetRowBounds(row, lower, upper + delta);
      const LpSolution relaxed = solver.SolveRelaxation(std::max(left(end), 0.01));
      solver.SetRowBounds(row, lower, upper);
      if (relaxed.status != LpStatus::kOptimal) return std::nullopt;
      return relaxed.objective;
    };
    Explain(scenario, request, *built, at_plan, relax, work_limited ? Clock::time_point::max() : end, &plan);
  }
  plan.stats.solve_seconds = Since(solve_start);
  Report(params, "done", Since(start), true, plan.objective_gbp, plan.bound_gbp);
  return plan;
}

}  // namespace cobuild::plan
