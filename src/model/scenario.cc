#include "model/scenario.h"

#include <algorithm>
#include <string_view>

namespace cobuild::model {
namespace {

template <typename T>
int FindById(const std::vector<T>& items, std::string_view id) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

int Scenario::FindCompany(std::string_view id) const { return FindById(companies, id); }
int Scenario::FindBrand(std::string_view id) const { return FindById(brands, id); }
int Scenario::FindPlatform(std::string_view id) const { return FindById(platforms, id); }
int Scenario::FindPlant(std::string_view id) const { return FindById(plants, id); }
int Scenario::FindLine(std::string_view id) const { return FindById(lines, id); }
int Scenario::FindMarket(std::string_view id) const { return FindById(markets, id); }
int Scenario::FindModel(std::string_view id) const { return FindById(models, id); }
int Scenario::FindVariant(std::string_view id) const { return FindById(variants, id); }

int Scenario::VariantOwner(int variant) const {
  return brands[models[variants[variant].model].brand].company;
}

double Scenario::MaxLineCars(int line, int month) const {
  const Line& l = lines[line];
  return l.CarsPerShift() * l.max_shifts_per_day * plants[l.plant].calendar.working_days[month];
}

double Scenario::MaxLineCarsInYear(int line, int year) const {
  double total = 0;
  for (int t = 0; t < horizon.num_months; ++t) {
    if (horizon.MonthAt(t).year == year) total += MaxLineCars(line, t);
  }
  return total;
}

DemandTable Scenario::OpenDemand() const {
  DemandTable open = demand;
  for (const PipelineArrival& arrival : pipeline) {
    double& units = open.at(arrival.variant, arrival.market, arrival.month);
    units = std::max(0.0, units - arrival.units);
  }
  return open;
}

const PlantStock* Scenario::StockAt(int plant) const {
  for (const PlantStock& s : stock) {
    if (s.plant == plant) return &s;
  }
  return nullptr;
}

}  // namespace cobuild::model
