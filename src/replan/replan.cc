#include "replan/replan.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "plan/economics.h"
#include "plan/plan_checker.h"
#include "plan/planner.h"
#include "plan/ramp_up.h"
#include "replan/apply_events.h"

namespace cobuild::replan {
namespace {

template <typename T>
bool Contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

int BrandOf(const model::Scenario& s, int variant) {
  return s.models[static_cast<size_t>(s.variants[static_cast<size_t>(variant)].model)].brand;
}

// Scales the production entries selected by `key_of` (which returns a group
// key, or nullopt for entries outside every group) so that each group's
// total is at most `limit(group)`.
template <typename Key, typename KeyOf, typename Limit>
void ClipGroups(std::vector<plan::ProductionEntry>& production, KeyOf key_of, Limit limit, bool exact) {
  std::map<Key, double> total;
  for (const auto& e : production) {
    if (auto k = key_of(e)) total[*k] += e.units;
  }
  std::map<Key, double> factor;
  for (const auto& [k, units] : total) {
    const double cap = std::max(0.0, limit(k));
    // Solver output may exceed a bound by rounding; unless `exact`, only real
    // excess is cut (the same tolerance as the plan checker).
    const double slack = exact ? 0.0 : 0.01 + 1e-7 * cap;
    if (units > cap + slack) factor[k] = units > 0 ? cap / units : 0.0;
  }
  for (auto& e : production) {
    auto k = key_of(e);
    if (!k) continue;
    auto it = factor.find(*k);
    if (it != factor.end()) e.units *= it->second;
  }
}

using PlantKey = std::tuple<int, int, int>;  // (plant, variant, month)

std::map<PlantKey, double> PlantOutput(const model::Scenario& s,
                                       const std::vector<plan::ProductionEntry>& production) {
  std::map<PlantKey, double> out;
  for (const auto& e : production)
    out[{s.lines[static_cast<size_t>(e.line)].plant, e.variant, e.month}] += e.units;
  return out;
}

// Walks each (plant, variant) of a plant with finished-goods stock through
// the months, with the output that is left: the plan's shipments go out
// while the cars are there, so a cut comes out of the stock first and then
// out of shipments; the stock is never above the plan's (cars beyond it are
// not built). Plants without stock are left to the caller.
void FollowStock(const model::Scenario& s, plan::Plan& out) {
  if (s.stock.empty()) return;
  const int n = s.horizon.num_months;
  const auto made = PlantOutput(s, out.production);
  std::map<PlantKey, double> shipped;
  std::map<PlantKey, double> planned;
  for (const auto& e : out.shipments) shipped[{e.plant, e.variant, e.month}] += e.units;
  for (const auto& e : out.stock) planned[{e.plant, e.variant, e.month}] += e.units;
  std::map<PlantKey, double> ship_factor;
  std::map<PlantKey, double> build_cut;  // cars of the key's output not built
  std::vector<plan::StockEntry> stock;
  for (const model::PlantStock& block : s.stock) {
    for (int v = 0; v < static_cast<int>(s.variants.size()); ++v) {
      double carry = 0;
      for (const auto& initial : block.initial) {
        if (initial.variant == v) carry = initial.units;
      }
      for (int t = 0; t < n; ++t) {
        const PlantKey key{block.plant, v, t};
        const double built = made.count(key) ? made.at(key) : 0.0;
        const double available = carry + built;
        const double sent = shipped.count(key) ? shipped.at(key) : 0.0;
        const double keep = planned.count(key) ? planned.at(key) : 0.0;
        const double now_sent = std::min(sent, available);
        if (sent > 0 && now_sent < sent) ship_factor[key] = now_sent / sent;
        double left = available - now_sent;
        if (left > keep) {
          const double cut = std::min(left - keep, built);
          if (cut > 0) build_cut[key] = cut;
          left -= cut;
        }
        if (left > 1e-9) stock.push_back({block.plant, v, t, left});
        carry = left;
      }
    }
  }
  for (auto& e : out.shipments) {
    const auto it = ship_factor.find({e.plant, e.variant, e.month});
    if (it != ship_factor.end()) e.units *= it->second;
  }
  for (auto& e : out.production) {
    const PlantKey key{s.lines[static_cast<size_t>(e.line)].plant, e.variant, e.month};
    const auto it = build_cut.find(key);
    if (it == build_cut.end() || made.at(key) <= 0) continue;
    e.units *= std::max(0.0, 1 - it->second / made.at(key));
  }
  out.stock = std::move(stock);
}

}  // namespace

plan::PlanRequest ReplanResult::RecoveryRequest() const {
  plan::PlanRequest request = recovery_request;
  request.baseline = &frozen_reference;
  return request;
}

namespace {

// The baseline cut to what `request` allows; with `exact`, even by the
// rounding the checker tolerates.
plan::Plan CutPlan(const model::Scenario& s, const plan::Plan& baseline, const plan::PlanRequest& request,
                   bool exact) {
  const int n = s.horizon.num_months;
  plan::Plan out = baseline;
  out.binding.clear();
  out.unmet_causes.clear();
  out.stats = {};
  out.stats.solver_message = "baseline cut to the capacity the events leave, no re-optimisation";
  std::vector<plan::ProductionEntry>& production = out.production;

  // 1. Each line's output fits its shifts and levers at the remaining availability.
  std::map<std::pair<int, int>, plan::ShiftEntry> shifts;
  for (const auto& e : baseline.shifts) shifts[{e.line, e.month}] = e;
  ClipGroups<std::pair<int, int>>(
      production,
      [](const plan::ProductionEntry& e) { return std::optional(std::make_pair(e.line, e.month)); },
      [&](const std::pair<int, int>& k) {
        const auto it = shifts.find(k);
        if (it == shifts.end()) return 0.0;
        // Less the weeks a retooling stops the line (docs/planning-model.md,
        // "Retooling downtime and ramp-up").
        return plan::ShiftCapacity(s, it->second, request.LineAvailability(s, k.first, k.second)) *
               (1 - plan::StoppedShare(s, baseline.retooling, k.first, k.second));
      },
      exact);
  // 2. Supply caps.
  for (const auto& cap : request.supply_caps) {
    ClipGroups<int>(
        production,
        [&](const plan::ProductionEntry& e) -> std::optional<int> {
          const int plant = s.lines[static_cast<size_t>(e.line)].plant;
          if (!cap.plants.empty() && !Contains(cap.plants, plant)) return std::nullopt;
          const auto p = s.variants[static_cast<size_t>(e.variant)].powertrain;
          if (!cap.powertrains.empty() && !Contains(cap.powertrains, p)) return std::nullopt;
          return e.month;
        },
        [&](int t) { return cap.units_per_month[static_cast<size_t>(t)]; }, exact);
  }
  // 3. Contract maxima (a contract change may lower them), each over every
  // car it covers (docs/planning-model.md, "Contracts").
  for (int c = 0; c < static_cast<int>(s.contracts.size()); ++c) {
    if (s.contracts[static_cast<size_t>(c)].max_units_per_year <= 0) continue;
    ClipGroups<int>(
        production,
        [&](const plan::ProductionEntry& e) -> std::optional<int> {
          const int year = s.horizon.MonthAt(e.month).year;
          if (!plan::ContractCovers(s, c, s.lines[static_cast<size_t>(e.line)].plant, e.variant, year)) {
            return std::nullopt;
          }
          return year;
        },
        [&](int year) { return plan::ContractLimits(s, c, year).max_units; }, exact);
  }

  // 4. Shipments follow the plant output they come from (which also mends
  // a plan file's rounding: built and shipped agree exactly).
  auto after = PlantOutput(s, production);
  std::map<PlantKey, double> shipped;
  for (const auto& e : out.shipments) shipped[{e.plant, e.variant, e.month}] += e.units;
  for (auto& e : out.shipments) {
    if (s.StockAt(e.plant) != nullptr) continue;  // FollowStock below
    const PlantKey key{e.plant, e.variant, e.month};
    const double now = after.count(key) ? after.at(key) : 0.0;
    const double sent = shipped.at(key);
    if (sent > 0) e.units *= now / sent;
  }
  FollowStock(s, out);

  // 5. Demand after the events: arrivals beyond it are not shipped (and not
  // built); what arrives short of it is unmet.
  const size_t markets = s.markets.size();
  auto cell = [&](int v, int k, int t) { return (static_cast<size_t>(v) * markets + k) * n + t; };
  std::vector<double> carried(s.variants.size() * markets * n, 0.0);
  for (const auto& e : out.backlog) carried[cell(e.variant, e.market, e.month)] += e.units;
  std::vector<std::vector<size_t>> arriving(carried.size());
  for (size_t i = 0; i < out.shipments.size(); ++i) {
    const auto& e = out.shipments[i];
    // Sold after the horizon (horizon_end_value: margin): no event changes that demand.
    if (e.arrival_month < n) arriving[cell(e.variant, e.market, e.arrival_month)].push_back(i);
  }
  std::map<PlantKey, double> cut;  // plant output no longer shipped
  std::vector<double> unmet(carried.size(), 0.0);
  const model::DemandTable demand = s.OpenDemand();  // after the initial pipeline
  for (size_t v = 0; v < s.variants.size(); ++v) {
    if (request.IsExcludedVariant(s, static_cast<int>(v))) continue;  // no demand, as planned
    for (size_t k = 0; k < markets; ++k) {
      for (int t = 0; t < n; ++t) {
        const size_t c = cell(static_cast<int>(v), static_cast<int>(k), t);
        const double inflow =
            demand.at(static_cast<int>(v), static_cast<int>(k), t) + (t > 0 ? carried[c - 1] : 0.0);
        double arrived = 0;
        for (size_t i : arriving[c]) arrived += out.shipments[i].units;
        double excess = arrived + carried[c] - inflow;
        if (excess <= (exact ? 0.0 : 0.01 + 1e-7 * inflow)) excess = 0;  // rounding, as the checker allows
        if (excess > 0 && arrived > 0) {
          const double keep = std::max(0.0, arrived - excess) / arrived;
          for (size_t i : arriving[c]) {
            auto& e = out.shipments[i];
            cut[{e.plant, e.variant, e.month}] += e.units * (1 - keep);
            e.units *= keep;
          }
          excess -= arrived * (1 - keep);
          arrived *= keep;
        }
        if (excess > 0) carried[c] = std::max(0.0, carried[c] - excess);
        unmet[c] = std::max(0.0, inflow - arrived - carried[c]);
      }
    }
  }
  if (!cut.empty()) {
    after = PlantOutput(s, production);
    for (auto& e : production) {
      const PlantKey key{s.lines[static_cast<size_t>(e.line)].plant, e.variant, e.month};
      const auto it = cut.find(key);
      if (it == cut.end() || after[key] <= 0) continue;
      e.units *= std::max(0.0, 1 - it->second / after[key]);
    }
  }
  // A plant with stock keeps the cars of a cut shipment its output cannot
  // give up within the plan's stock.
  FollowStock(s, out);
  std::erase_if(production, [](const plan::ProductionEntry& e) { return e.units <= 1e-9; });
  std::erase_if(out.shipments, [](const plan::ShipmentEntry& e) { return e.units <= 1e-9; });
  out.backlog.clear();
  out.unmet.clear();
  for (size_t v = 0; v < s.variants.size(); ++v) {
    for (size_t k = 0; k < markets; ++k) {
      for (int t = 0; t < n; ++t) {
        const size_t c = cell(static_cast<int>(v), static_cast<int>(k), t);
        if (carried[c] > 1e-9)
          out.backlog.push_back({static_cast<int>(v), static_cast<int>(k), t, carried[c]});
        if (unmet[c] > 1e-9) out.unmet.push_back({static_cast<int>(v), static_cast<int>(k), t, unmet[c]});
      }
    }
  }

  // 6. Contract shortfalls of what is left.
  std::map<std::pair<int, int>, double> built;
  for (const auto& [key, units] : PlantOutput(s, production)) {
    const int year = s.horizon.MonthAt(std::get<2>(key)).year;
    for (int c = 0; c < static_cast<int>(s.contracts.size()); ++c) {
      if (plan::ContractCovers(s, c, std::get<0>(key), std::get<1>(key), year)) built[{c, year}] += units;
    }
  }
  out.contract_shortfalls.clear();
  for (size_t c = 0; c < s.contracts.size(); ++c) {
    for (int year : s.horizon.Years()) {
      const plan::YearLimits limits = plan::ContractLimits(s, static_cast<int>(c), year);
      if (!limits.covered) continue;
      const double min_units = limits.min_units;
      const double have =
          built.count({static_cast<int>(c), year}) ? built.at({static_cast<int>(c), year}) : 0.0;
      if (min_units - have > 1e-9)
        out.contract_shortfalls.push_back({static_cast<int>(c), year, min_units - have});
    }
  }

  // 7. Money, recomputed from scratch.
  const plan::CheckReport check = plan::CheckPlan(s, out, request);
  out.contributions = check.contributions;
  out.penalties_gbp = check.penalties_gbp;
  out.objective_gbp = check.objective_gbp;
  out.bound_gbp = out.objective_gbp;
  out.gap = 0;
  return out;
}

}  // namespace

plan::Plan DisruptedPlan(const model::Scenario& s, const plan::Plan& baseline,
                         const plan::PlanRequest& request) {
  return CutPlan(s, baseline, request, false);
}

namespace {

ReplanReport BuildReport(const ReplanResult& r, const AppliedEvents& applied) {
  const model::Scenario& ds = r.disrupted_scenario;
  const int n = ds.horizon.num_months;
  const size_t markets = ds.markets.size();
  ReplanReport report;
  report.frozen_months = r.recovery_request.frozen_months;

  // Sales by (brand, market, month of arrival).
  using Cell = std::tuple<int, int, int>;
  auto sales = [&](const plan::Plan& p, double& total) {
    std::map<Cell, double> out;
    for (const auto& e : p.shipments) {
      out[{BrandOf(ds, e.variant), e.market, e.arrival_month}] += e.units;
      total += e.units;
    }
    return out;
  };
  const auto base = sales(r.baseline, report.baseline_units_sold);
  const auto dis = sales(r.disrupted, report.disrupted_units_sold);
  const auto rec = sales(r.recovered, report.recovered_units_sold);
  report.disrupted_lost = SalesDifference(ds, r.baseline, r.disrupted);
  report.recovered_lost = SalesDifference(ds, r.baseline, r.recovered);
  {
    std::map<std::pair<int, int>, std::array<double, 3>> by_brand_market;  // baseline, disrupted, recovered
    auto add = [&](const std::map<Cell, double>& plan_sales, size_t which) {
      for (const auto& [k, u] : plan_sales) by_brand_market[{std::get<0>(k), std::get<1>(k)}][which] += u;
    };
    add(base, 0);
    add(dis, 1);
    add(rec, 2);
    for (const auto& [key, units] : by_brand_market) {
      const auto [b, d, v] = units;
      report.won_back_units += std::clamp(v - d, 0.0, std::max(0.0, b - d));
      if (v - b > 1e-6) {
        report.beyond_baseline_units += v - b;
        report.beyond_baseline.push_back({key.first, key.second, -1, v - b});
      }
    }
  }

  // Levers: where the recovery's extra shipments come from.
  const size_t num_lines = ds.lines.size();
  std::vector<bool> stopped_line(ds.lines.size(), false);
  for (size_t l = 0; l < num_lines; ++l) {
    for (int t = 0; t < n; ++t) stopped_line[l] = stopped_line[l] || applied.days_lost[l * n + t] > 0;
  }
  std::map<std::tuple<int, int, int, int>, double> delta;  // (plant, variant, market, month)
  for (const auto& e : r.recovered.shipments) delta[{e.plant, e.variant, e.market, e.month}] += e.units;
  for (const auto& e : r.disrupted.shipments) delta[{e.plant, e.variant, e.market, e.month}] -= e.units;
  // Per plant, variant and month: cars gained on the same lines, other
  // lines, from extra shifts and from weekend days. A line-month's gain comes
  // first from the lever capacity the recovery added there (extra shifts,
  // then weekend days), the rest from its regular shifts.
  std::map<PlantKey, std::array<double, 4>> line_gain;
  {
    std::map<std::pair<int, int>, std::array<double, 2>> lever_cars;  // (line, month) -> extra, weekend added
    auto add_levers = [&](const plan::Plan& p, double sign) {
      for (const auto& e : p.shifts) {
        const double alpha = r.recovery_request.LineAvailability(ds, e.line, e.month);
        plan::ShiftEntry extra{
            .line = e.line, .month = e.month, .extra_shifts_per_day = e.extra_shifts_per_day};
        plan::ShiftEntry weekend{.line = e.line, .month = e.month, .weekend_days = e.weekend_days};
        auto& cars = lever_cars[{e.line, e.month}];
        cars[0] += sign * plan::ShiftCapacity(ds, extra, alpha);
        cars[1] += sign * plan::ShiftCapacity(ds, weekend, alpha);
      }
    };
    add_levers(r.recovered, 1);
    add_levers(r.disrupted, -1);
    std::map<std::tuple<int, int, int>, double> d;  // (line, variant, month)
    std::map<std::pair<int, int>, double> line_month_gain;
    for (const auto& e : r.recovered.production) d[{e.line, e.variant, e.month}] += e.units;
    for (const auto& e : r.disrupted.production) d[{e.line, e.variant, e.month}] -= e.units;
    for (const auto& [k, units] : d) {
      if (units > 0) line_month_gain[{std::get<0>(k), std::get<2>(k)}] += units;
    }
    for (const auto& [k, units] : d) {
      if (units <= 0) continue;
      const auto [l, v, t] = k;
      const size_t line = static_cast<size_t>(l);
      const double total = line_month_gain[{l, t}];
      const auto it = lever_cars.find({l, t});
      const double extra = it == lever_cars.end() ? 0.0 : std::clamp(it->second[0], 0.0, total);
      const double weekend = it == lever_cars.end() ? 0.0 : std::clamp(it->second[1], 0.0, total - extra);
      const double share = units / total;
      auto& gain = line_gain[{ds.lines[line].plant, v, t}];
      gain[2] += extra * share;
      gain[3] += weekend * share;
      gain[stopped_line[line] ? 0 : 1] += units - (extra + weekend) * share;
    }
  }
  std::array<double, 5> levers{};
  for (const auto& [k, units] : delta) {
    if (units < 0) {
      report.moved_away_units += units;
      continue;
    }
    const auto [p, v, m, t] = k;
    const auto& plant = ds.plants[static_cast<size_t>(p)];
    if (!Contains(ds.markets[static_cast<size_t>(m)].countries, plant.country)) {
      levers[2] += units;
    } else {
      const auto it = line_gain.find({p, v, t});
      const double total =
          it == line_gain.end() ? 0.0 : it->second[0] + it->second[1] + it->second[2] + it->second[3];
      if (total <= 0) {
        bool stopped = false;
        for (size_t l = 0; l < num_lines; ++l)
          stopped = stopped || (ds.lines[l].plant == p && stopped_line[l]);
        levers[stopped ? 0 : 1] += units;
        continue;
      }
      levers[0] += units * it->second[0] / total;
      levers[1] += units * it->second[1] / total;
      levers[3] += units * it->second[2] / total;
      levers[4] += units * it->second[3] / total;
    }
  }
  for (size_t i = 0; i < levers.size(); ++i) report.levers.push_back({kLevers[i], levers[i]});

  // Demand served late through the backlog (oldest first).
  {
    std::vector<double> carried(ds.variants.size() * markets * n, 0.0), arrived(carried.size(), 0.0);
    auto cell = [&](int v, int k, int t) { return (static_cast<size_t>(v) * markets + k) * n + t; };
    for (const auto& e : r.recovered.backlog) carried[cell(e.variant, e.market, e.month)] += e.units;
    for (const auto& e : r.recovered.shipments) {
      if (e.arrival_month < n) arrived[cell(e.variant, e.market, e.arrival_month)] += e.units;
    }
    for (size_t c = 0; c < carried.size(); ++c) {
      if (c % n == 0) continue;
      report.served_late_units += std::min(carried[c - 1], arrived[c]);
    }
  }

  for (size_t c = 0; c < ds.companies.size(); ++c) {
    CompanyDelta d{.company = static_cast<int>(c)};
    auto of = [&](const plan::Plan& p) {
      for (const auto& x : p.contributions) {
        if (x.company == static_cast<int>(c)) return x.contribution_gbp;
      }
      return 0.0;
    };
    d.baseline_gbp = of(r.baseline);
    d.disrupted_gbp = of(r.disrupted);
    d.recovered_gbp = of(r.recovered);
    report.companies.push_back(d);
  }
  // GBP per lever: the recovery's contribution gain over doing nothing,
  // spread over the net cars it sells beyond the disrupted plan.
  {
    double gain_gbp = 0;
    for (const auto& c : report.companies) gain_gbp += c.recovered_gbp - c.disrupted_gbp;
    const double net_units = report.recovered_units_sold - report.disrupted_units_sold;
    const double per_car = std::abs(net_units) > 0.5 ? gain_gbp / net_units : 0.0;
    for (auto& l : report.levers) l.value_gbp = l.units * per_car;
    report.moved_away_gbp = report.moved_away_units * per_car;
  }
  report.baseline_objective_gbp = r.baseline.objective_gbp;
  report.disrupted_objective_gbp = r.disrupted.objective_gbp;
  report.recovered_objective_gbp = r.recovered.objective_gbp;

  std::vector<double> short_units(static_cast<size_t>(n), 0.0);
  // Sales after the horizon (horizon_end_value: margin) are in no month of it.
  for (const auto& cell : report.recovered_lost) {
    if (cell.month < n) short_units[static_cast<size_t>(cell.month)] += cell.units;
  }
  for (int t = 0; t < n; ++t) {
    if (short_units[static_cast<size_t>(t)] > 0.5)
      report.short_months.emplace_back(t, short_units[static_cast<size_t>(t)]);
  }
  return report;
}

}  // namespace

namespace {

// Events equal up to their reason (a plan file records events without it).
bool SameEvent(model::Event a, model::Event b) {
  a.reason.clear();
  b.reason.clear();
  return a == b;
}

}  // namespace

plan::PlanRequest BaselineWarmStartRequest(const model::Scenario& scenario, const plan::Plan& baseline,
                                           const plan::PlanOptions& options) {
  plan::PlanRequest reference;
  reference.options = options;
  reference.excluded_brands = baseline.basis.excluded_brands;
  reference.baseline = &baseline;
  reference.stability_penalty_gbp_per_car = scenario.replan.stability_penalty_gbp_per_car;
  reference.fixed_integer_months.assign(static_cast<size_t>(scenario.horizon.num_months), 1);
  return reference;
}

Result<plan::LpWarmStart> BaselineWarmStart(const model::Scenario& scenario, const plan::Plan& baseline,
                                            const plan::PlanOptions& options) {
  return plan::SolveWarmStart(scenario, BaselineWarmStartRequest(scenario, baseline, options));
}

Result<ReplanResult> Replan(const model::Scenario& scenario, const plan::Plan& baseline,
                            std::span<const model::Event> events, const ReplanOptions& options) {
  // Like for like: the baseline must have been planned with the levers every
  // plan of this scenario gets.
  const plan::Levers levers = plan::ScenarioLevers(scenario);
  if (baseline.basis.levers != levers) {
    return InvalidInput(
        "the baseline plan was made with other levers (extra shifts, weekend days, backlog) than "
        "the scenario's `replan:` keys give; plan the baseline again with this scenario");
  }
  // Events the baseline already includes (a replan of a recovered plan) stay
  // applied; the new ones are what this replan is about.
  const std::vector<model::Event>& prior = baseline.basis.events;
  std::vector<model::Event> fresh;
  for (const model::Event& e : events) {
    const bool known =
        std::any_of(prior.begin(), prior.end(), [&](const model::Event& p) { return SameEvent(p, e); });
    if (!known) fresh.push_back(e);
  }
  if (fresh.empty()) {
    return InvalidInput(events.empty()
                            ? "nothing to replan: give events (--event, or an `events:` list in the scenario)"
                            : "nothing to replan: the baseline plan already includes every event given");
  }
  std::vector<model::Event> all = prior;
  all.insert(all.end(), fresh.begin(), fresh.end());
  auto applied = ApplyEvents(scenario, all);
  if (!applied) return std::unexpected(applied.error());
  auto fresh_applied = ApplyEvents(scenario, fresh);
  if (!fresh_applied) return std::unexpected(fresh_applied.error());
  ReplanResult r;
  r.events = all;
  r.baseline = baseline;
  r.disrupted_scenario = applied->scenario;
  applied->AddTo(r.disrupted_request);
  r.disrupted_request.excluded_brands = baseline.basis.excluded_brands;
  r.disrupted = DisruptedPlan(r.disrupted_scenario, baseline, r.disrupted_request);
  r.disrupted.basis = baseline.basis;
  r.disrupted.basis.events = all;

  plan::PlanRequest request;
  applied->AddTo(request);
  request.excluded_brands = baseline.basis.excluded_brands;
  request.options = options.plan;
  if (options.use_scenario_time_limit) {
    request.options.solve.time_limit_seconds = scenario.replan.time_limit_seconds;
    request.options.solve.relative_gap = scenario.replan.relative_gap;
  }
  // A replan of a replan keeps the months its baseline kept frozen.
  request.frozen_months = std::max(fresh_applied->first_month, baseline.basis.frozen_months);
  request.stability_penalty_gbp_per_car = scenario.replan.stability_penalty_gbp_per_car;
  // The recovery freezes the months before the events at the baseline. A
  // solver's plan may exceed a demand or a capacity by rounding (1e-5 cars),
  // which, fixed exactly, can make the frozen months infeasible; the frozen
  // reference is the baseline with that rounding cut away, under the events
  // it was planned with.
  {
    plan::PlanRequest before;
    before.excluded_brands = baseline.basis.excluded_brands;
    model::Scenario planned_on = scenario;
    if (!prior.empty()) {
      auto earlier = ApplyEvents(scenario, prior);
      if (!earlier) return std::unexpected(earlier.error());
      earlier->AddTo(before);
      planned_on = earlier->scenario;
    }
    r.frozen_reference = CutPlan(planned_on, baseline, before, true);
  }
  std::string approximation;
  if (options.fix_integers_outside_window) {
    // Each capacity event's own window, from its first month to
    // recovery_months after its last: two outages years apart leave the
    // years between them as the baseline has them.
    const int n = scenario.horizon.num_months;
    request.fixed_integer_months.assign(static_cast<size_t>(n), 1);
    for (const model::Event& e : fresh) {
      if (e.kind != model::EventKind::kOutage && e.kind != model::EventKind::kRateReduction &&
          e.kind != model::EventKind::kSupplyCap) {
        continue;
      }
      const int first = std::max(0, scenario.horizon.IndexOf(model::MonthOf(e.from)));
      const int last =
          std::min(n - 1, scenario.horizon.IndexOf(model::MonthOf(e.to)) + scenario.replan.recovery_months);
      for (int t = first; t <= last; ++t) request.fixed_integer_months[static_cast<size_t>(t)] = 0;
    }
    std::string windows;
    for (int t = 0; t < n; ++t) {
      if (request.fixed_integer_months[static_cast<size_t>(t)] ||
          (t > 0 && !request.fixed_integer_months[t - 1]))
        continue;
      int end = t;
      while (end + 1 < n && !request.fixed_integer_months[static_cast<size_t>(end + 1)]) ++end;
      windows +=
          fmt::format("{}{} to {}", windows.empty() ? "" : ", ", model::ToString(scenario.horizon.MonthAt(t)),
                      model::ToString(scenario.horizon.MonthAt(end)));
    }
    approximation = windows.empty()
                        ? "recovery re-solved as an LP: shifts and retooling fixed at the baseline"
                        : "recovery re-solved with shifts and retooling fixed at the baseline outside "
                          "the recovery windows (" +
                              windows + ")";
  }
  r.recovery_request = request;
  r.recovery_request.baseline = nullptr;
  request.baseline = &r.frozen_reference;
  request.start = &r.disrupted;  // doing nothing is a feasible recovery
  request.warm_start = options.warm_start;
  auto recovered = plan::SolvePlan(r.disrupted_scenario, request);
  if (!recovered) return std::unexpected(recovered.error());
  if (recovered->status == plan::SolveStatus::kInfeasible) {
    // Every month after the frozen ones may leave demand unmet and contracts
    // short, so only the frozen months can make the recovery infeasible.
    return Internal(fmt::format(
        "the recovery is infeasible: the baseline's months before {} cannot be kept "
        "as they are under the events ({})",
        model::ToString(scenario.horizon.MonthAt(request.frozen_months)), recovered->stats.solver_message));
  }
  if (!recovered->HasSolution()) {
    return Internal("the recovery solve ended " + std::string(plan::ToString(recovered->status)) +
                    " without a plan; raise replan.time_limit_seconds");
  }
  r.recovered = std::move(*recovered);
  r.recovered.basis.events = all;
  r.report = BuildReport(r, *applied);
  r.report.approximation = std::move(approximation);
  return r;
}

}  // namespace cobuild::replan
