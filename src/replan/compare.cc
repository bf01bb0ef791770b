#include "replan/compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "plan/plan_summary.h"

namespace cobuild::replan {
namespace {

// Rows of one section, keyed in first-seen order.
class Section {
 public:
  Section(std::string name, std::string unit) : name_(std::move(name)), unit_(std::move(unit)) {}
  void Add(const std::string& key, bool side_b, double value) {
    auto it = index_.find(key);
    if (it == index_.end()) {
      it = index_.emplace(key, rows_.size()).first;
      rows_.push_back({.section = name_, .key = key, .unit = unit_, .a = 0, .b = 0});
    }
    (side_b ? rows_[it->second].b : rows_[it->second].a) += value;
  }
  void AppendTo(std::vector<CompareRow>& out) const { out.insert(out.end(), rows_.begin(), rows_.end()); }

 private:
  std::string name_;
  std::string unit_;
  std::map<std::string, size_t> index_;
  std::vector<CompareRow> rows_;
};

struct Sections {
  Section objective{"objective", "GBP"};
  Section contribution{"contribution by company", "GBP"};
  // Only where a plan discounts (docs/planning-model.md, "Present value and
  // tooling life"): the figures the objective adds up.
  Section contribution_pv{"contribution by company in present value", "GBP"};
  Section brand_sales{"units sold by brand", "cars"};
  Section month_sales{"units sold by month", "cars"};
  Section market_sold{"units sold by market", "cars"};
  Section market_imported{"imported by market", "cars"};
  Section market_duty{"duty paid by market", "GBP"};
  Section market_unmet{"unmet demand by market", "cars"};
  Section plant_built{"built by plant and year", "cars"};
  Section plant_utilization{"utilization by plant and year", "share"};
  Section retooling{"retooling decisions", "decisions"};
};

bool Discounted(const plan::Plan& p) {
  return std::ranges::any_of(p.contributions, [](const plan::CompanyContribution& c) {
    return c.contribution_pv_gbp != c.contribution_gbp;
  });
}

void AddPlan(const model::Scenario& s, const plan::Plan& p, const plan::PlanRequest& request, bool side_b,
             bool discounted, Sections& out) {
  out.objective.Add("objective (contribution minus penalties)", side_b, p.objective_gbp);
  out.objective.Add("penalties", side_b, p.penalties_gbp);
  for (const auto& c : p.contributions) {
    out.contribution.Add(s.companies[static_cast<size_t>(c.company)].name, side_b, c.contribution_gbp);
    if (discounted) {
      out.contribution_pv.Add(s.companies[static_cast<size_t>(c.company)].name, side_b,
                              c.contribution_pv_gbp);
    }
  }
  for (const auto& e : p.retooling) {
    out.retooling.Add(fmt::format("{} for {} decided {}", s.lines[static_cast<size_t>(e.line)].id,
                                  s.platforms[static_cast<size_t>(e.platform)].id,
                                  model::ToString(s.horizon.MonthAt(e.month))),
                      side_b, 1);
  }
  for (const auto& e : p.shipments) {
    const auto& variant = s.variants[static_cast<size_t>(e.variant)];
    const int brand = s.models[static_cast<size_t>(variant.model)].brand;
    out.brand_sales.Add(s.brands[static_cast<size_t>(brand)].name, side_b, e.units);
  }
  // Months by name, so plans of horizons that start apart line up by date.
  std::vector<double> by_month(static_cast<size_t>(s.horizon.num_months), 0.0);
  // Cars sold after the horizon (horizon_end_value: margin) are in no month of it.
  for (const auto& e : p.shipments) {
    if (e.arrival_month < s.horizon.num_months) by_month[static_cast<size_t>(e.arrival_month)] += e.units;
  }
  for (int t = 0; t < s.horizon.num_months; ++t) {
    out.month_sales.Add(model::ToString(s.horizon.MonthAt(t)), side_b, by_month[static_cast<size_t>(t)]);
  }
  const plan::PlanSummary summary = plan::Summarize(s, p, request);
  for (const auto& m : summary.markets) {
    const std::string& key = s.markets[static_cast<size_t>(m.market)].id;
    out.market_sold.Add(key, side_b, m.sold);
    out.market_imported.Add(key, side_b, m.imported);
    out.market_duty.Add(key, side_b, m.duty_paid_gbp);
    out.market_unmet.Add(key, side_b, m.unmet);
  }
  for (const auto& py : summary.plant_years) {
    const std::string key = fmt::format("{} {}", s.plants[static_cast<size_t>(py.plant)].id, py.year);
    out.plant_built.Add(key, side_b, py.built);
    out.plant_utilization.Add(key, side_b, py.utilization());
  }
}

}  // namespace

std::vector<UnitsCell> SalesDifference(const model::Scenario& s, const plan::Plan& a, const plan::Plan& b) {
  using Cell = std::tuple<int, int, int>;  // (brand, market, month of arrival)
  auto sales = [&](const plan::Plan& p) {
    std::map<Cell, double> out;
    for (const auto& e : p.shipments) {
      const int brand = s.models[static_cast<size_t>(s.variants[static_cast<size_t>(e.variant)].model)].brand;
      out[{brand, e.market, e.arrival_month}] += e.units;
    }
    return out;
  };
  const std::map<Cell, double> sa = sales(a);
  const std::map<Cell, double> sb = sales(b);
  std::set<Cell> keys;
  for (const auto& [k, u] : sa) keys.insert(k);
  for (const auto& [k, u] : sb) keys.insert(k);
  std::vector<UnitsCell> out;
  for (const Cell& k : keys) {
    const auto ia = sa.find(k);
    const auto ib = sb.find(k);
    const double diff = (ia == sa.end() ? 0.0 : ia->second) - (ib == sb.end() ? 0.0 : ib->second);
    if (std::abs(diff) > 1e-6) out.push_back({std::get<0>(k), std::get<1>(k), std::get<2>(k), diff});
  }
  return out;
}

Comparison ComparePlans(const model::Scenario& scenario_a, const plan::Plan& a,
                        const model::Scenario& scenario_b, const plan::Plan& b,
                        const plan::PlanRequest& request_a, const plan::PlanRequest& request_b) {
  Sections sections;
  const bool discounted = Discounted(a) || Discounted(b);
  AddPlan(scenario_a, a, request_a, false, discounted, sections);
  AddPlan(scenario_b, b, request_b, true, discounted, sections);
  Comparison c{.name_a = scenario_a.name, .name_b = scenario_b.name, .rows = {}};
  for (const Section* section :
       {&sections.objective, &sections.contribution, &sections.contribution_pv, &sections.brand_sales,
        &sections.month_sales, &sections.market_sold, &sections.market_imported, &sections.market_duty,
        &sections.market_unmet, &sections.plant_built, &sections.plant_utilization, &sections.retooling}) {
    section->AppendTo(c.rows);
  }
  return c;
}

}  // namespace cobuild::replan
