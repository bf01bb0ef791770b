#include "plan/plan_summary.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "plan/economics.h"
#include "plan/ramp_up.h"

namespace cobuild::plan {

void Output::Add(const Output& o) {
  built += o.built;
  capacity += o.capacity;
  retooling_stop += o.retooling_stop;
  built_regular += o.built_regular;
  built_on_levers += o.built_on_levers;
  spare_regular += o.spare_regular;
  lever_capacity += o.lever_capacity;
}

Output PlanSummary::LineTotal(const model::Scenario& s, int line) const {
  Output total;
  const int n = s.horizon.num_months;
  for (int t = 0; t < n; ++t) total.Add(line_months[static_cast<size_t>(line * n + t)]);
  return total;
}

namespace {

void SummarizeCostByPlant(const model::Scenario& s, const Plan& plan, PlanSummary& out) {
  std::map<std::pair<int, int>, CompanyPlantCost> rows;  // (company, plant)
  std::vector<bool> differs(s.companies.size(), false);
  for (const ShipmentEntry& e : plan.shipments) {
    const int company = s.VariantOwner(e.variant);
    CompanyPlantCost& row = rows[{company, e.plant}];
    row.company = company;
    row.plant = e.plant;
    const PlantCostTerms cost = CostAt(s, e.plant, e.variant, e.month);
    const double own = s.variants[e.variant].unit_variable_cost_gbp;
    row.units += e.units;
    if (cost.from_kit) row.kit_units += e.units;
    row.cost_gbp += e.units * cost.Landed();
    row.default_cost_gbp += e.units * own;
    if (e.units > 0 && cost.Landed() != own) differs[static_cast<size_t>(company)] = true;
  }
  for (const auto& [key, row] : rows) {
    if (differs[static_cast<size_t>(key.first)]) out.cost_by_plant.push_back(row);
  }
}

RetooledLine Retooled(const model::Scenario& s, const Plan& plan, const PlanRequest& request,
                      const RetoolEntry& e) {
  const int n = s.horizon.num_months;
  RetooledLine out{.line = e.line, .platform = e.platform, .decision_month = e.month};
  const model::Retooling* option = RetoolingOption(s, e.line, e.platform);
  if (option == nullptr) return out;
  out.ready_month = e.month + option->lead_time_months;
  out.downtime_weeks = option->downtime_weeks;
  for (const MonthShare& m : RetoolingDowntime(s, e.line, *option, e.month)) {
    out.downtime_months.push_back(m.month);
    out.downtime_lost_cars +=
        m.share * RegularCapacity(s, e.line, m.month, request.LineAvailability(s, e.line, m.month));
  }
  const int start = RampStart(s, request, e.line, e.platform, out.ready_month);
  const size_t months = std::max<size_t>(1, option->ramp_up.size());
  for (size_t j = 0; j < months && start + static_cast<int>(j) < n; ++j) {
    const int t = start + static_cast<int>(j);
    RampMonth r{.month = t, .share = j < option->ramp_up.size() ? option->ramp_up[j] : 1.0};
    r.cap = r.share * RegularCapacity(s, e.line, t, request.LineAvailability(s, e.line, t));
    for (const ProductionEntry& p : plan.production) {
      if (p.line == e.line && p.month == t && s.models[s.variants[p.variant].model].platform == e.platform) {
        r.built += p.units;
      }
    }
    out.ramp.push_back(r);
  }
  return out;
}

}  // namespace

PlanSummary Summarize(const model::Scenario& s, const Plan& plan, const PlanRequest& request) {
  PlanSummary out;
  const int n = s.horizon.num_months;
  const std::vector<int> years = s.horizon.Years();
  for (size_t l = 0; l < s.lines.size(); ++l) {
    for (int t = 0; t < n; ++t) out.line_months.push_back({{}, static_cast<int>(l), t});
  }
  for (size_t p = 0; p < s.plants.size(); ++p) {
    for (int t = 0; t < n; ++t) out.plant_months.push_back({{}, static_cast<int>(p), t});
  }
  std::map<std::pair<int, int>, PlantYear> plant_years;
  for (size_t p = 0; p < s.plants.size(); ++p) {
    for (int y : years) {
      plant_years[{static_cast<int>(p), y}] = {
          {}, static_cast<int>(p), y, std::vector<double>(s.companies.size(), 0.0)};
    }
  }
  const Levers levers = request.LeversFor(s);
  for (size_t l = 0; l < s.lines.size(); ++l) {
    const model::Line& line = s.lines[l];
    const int extra_shifts = ExtraShiftsPerDay(s, levers, static_cast<int>(l));
    for (int t = 0; t < n; ++t) {
      LineMonth& lm = out.line_months[l * n + t];
      const double days = s.plants[line.plant].calendar.working_days[t];
      lm.availability = request.LineAvailability(s, static_cast<int>(l), t);
      lm.capacity = s.MaxLineCars(static_cast<int>(l), t) * lm.availability;
      // The model's lever capacity (docs/planning-model.md, "Line hours"):
      // kappa per extra shift, and weekend days at the maximum shifts, at
      // most the month's working weeks (none in a month the plant does not
      // work).
      const double weekend_days = WeekendDaysPerMonth(s, levers, static_cast<int>(l), t);
      // No car is built in a retooling's stopped days, on any shift
      // (docs/planning-model.md, "Retooling downtime and ramp-up").
      const double open = 1 - StoppedShare(s, plan.retooling, static_cast<int>(l), t);
      lm.retooling_stop = (1 - open) * lm.capacity;
      lm.lever_capacity = open * line.CarsPerShift() * lm.availability *
                          (extra_shifts * days + line.max_shifts_per_day * weekend_days);
    }
  }
  std::map<std::pair<int, int>, double> brand_plant;
  for (const ProductionEntry& e : plan.production) {
    const int plant = s.lines[e.line].plant;
    LineMonth& lm = out.line_months[static_cast<size_t>(e.line * n + e.month)];
    lm.built += e.units;
    if (e.units > 0) lm.variants.push_back({e.variant, e.units});
    plant_years[{plant, s.horizon.MonthAt(e.month).year}]
        .built_by_company[static_cast<size_t>(s.VariantOwner(e.variant))] += e.units;
    brand_plant[{s.models[s.variants[e.variant].model].brand, plant}] += e.units;
  }
  // Split each line-month's cars against its own regular capacity before
  // adding up, so a line on levers and an idle line of the same plant do not
  // cancel out.
  for (LineMonth& lm : out.line_months) {
    const double open = lm.capacity - lm.retooling_stop;
    lm.built_regular = std::min(lm.built, open);
    lm.built_on_levers = std::max(0.0, lm.built - open);
    lm.spare_regular = std::max(0.0, open - lm.built);
    const int plant = s.lines[static_cast<size_t>(lm.line)].plant;
    out.plant_months[static_cast<size_t>(plant * n + lm.month)].Add(lm);
    plant_years[{plant, s.horizon.MonthAt(lm.month).year}].Add(lm);
  }
  for (LineMonth& lm : out.line_months) {
    std::ranges::sort(lm.variants, {}, &VariantUnits::variant);
    std::vector<VariantUnits> merged;  // a plan may list a (line, variant, month) twice
    for (const VariantUnits& v : lm.variants) {
      if (!merged.empty() && merged.back().variant == v.variant) {
        merged.back().units += v.units;
      } else {
        merged.push_back(v);
      }
    }
    lm.variants = std::move(merged);
  }
  for (const ShiftEntry& e : plan.shifts) {
    if (e.line < 0 || e.month < 0 || e.month >= n) continue;
    LineMonth& lm = out.line_months[static_cast<size_t>(e.line * n + e.month)];
    lm.shifts_per_day = e.shifts_per_day;
    lm.extra_shifts_per_day = e.extra_shifts_per_day;
    lm.weekend_days = e.weekend_days;
  }
  for (const auto& [key, py] : plant_years) out.plant_years.push_back(py);
  out.shift_changes = ShiftChangesOf(s, plan.shifts);
  for (const auto& [key, units] : brand_plant) out.brand_plants.push_back({key.first, key.second, units});

  const RouteTable routes(s);
  out.markets.resize(s.markets.size());
  for (size_t k = 0; k < s.markets.size(); ++k) out.markets[k].market = static_cast<int>(k);
  auto local = [&](int plant, int market) {
    const auto& c = s.markets[market].countries;
    return std::find(c.begin(), c.end(), s.plants[plant].country) != c.end();
  };
  // Cheapest duty per (variant, market, arrival month) over import sources able to build it.
  std::map<std::tuple<int, int, int>, double> import_duty;  // (variant, market, arrival month)
  auto alternative_duty = [&](int v, int k, int arrival) {
    auto it = import_duty.find({v, k, arrival});
    if (it != import_duty.end()) return it->second;
    double best = -1;
    for (size_t l = 0; l < s.lines.size(); ++l) {
      const int plant = s.lines[l].plant;
      if (local(plant, k)) continue;
      if (!LineBuildsToday(s, static_cast<int>(l), v) && RetoolingFor(s, static_cast<int>(l), v) == nullptr)
        continue;
      const int r = routes.Find(plant, k);
      if (r < 0) continue;
      const double duty = TermsOf(s, s.routes[r], v, arrival).duty_gbp;
      if (best < 0 || duty < best) best = duty;
    }
    import_duty[{v, k, arrival}] = std::max(0.0, best);
    return std::max(0.0, best);
  };
  for (const ShipmentEntry& e : plan.shipments) {
    MarketTrade& m = out.markets[e.market];
    m.sold += e.units;
    const UnitTerms terms = TermsOf(s, s.routes[routes.Find(e.plant, e.market)], e.variant, e.arrival_month);
    // A kit's duty is paid into the host's market, not the car's.
    m.duty_paid_gbp += e.units * (terms.duty_gbp - terms.kit_duty_gbp);
    if (terms.kit_duty_gbp > 0) {
      for (size_t k = 0; k < s.markets.size(); ++k) {
        if (local(e.plant, static_cast<int>(k))) out.markets[k].duty_paid_gbp += e.units * terms.kit_duty_gbp;
      }
    }
    if (!local(e.plant, e.market)) {
      m.imported += e.units;
      if (terms.duty_gbp <= 0)
        m.duty_avoided_gbp += e.units * alternative_duty(e.variant, e.market, e.arrival_month);
    } else {
      m.duty_avoided_gbp += e.units * alternative_duty(e.variant, e.market, e.arrival_month);
    }
  }
  for (const UnmetEntry& e : plan.unmet) out.markets[e.market].unmet += e.units;
  SummarizeCostByPlant(s, plan, out);
  for (const RetoolEntry& e : plan.retooling) out.retooled.push_back(Retooled(s, plan, request, e));
  for (const model::PlantStock& block : s.stock) {
    PlantStockCurve curve{.plant = block.plant, .units = std::vector<double>(static_cast<size_t>(n), 0.0)};
    for (const StockEntry& e : plan.stock) {
      if (e.plant != block.plant) continue;
      curve.units[static_cast<size_t>(e.month)] += e.units;
      curve.holding_cost_gbp += e.units * block.holding_cost_gbp_per_car_month;
    }
    for (int t = 0; t < n; ++t) {
      const double u = curve.units[static_cast<size_t>(t)];
      if (u > 0 && (curve.peak_month < 0 || u > curve.peak())) curve.peak_month = t;
    }
    out.stock.push_back(std::move(curve));
  }
  for (const ShipmentEntry& e : plan.shipments) {
    if (e.arrival_month >= n) out.sold_after_horizon += e.units;
  }
  return out;
}

}  // namespace cobuild::plan
