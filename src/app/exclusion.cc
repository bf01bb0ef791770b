#include "app/exclusion.h"

#include "app/scenario_ids.h"
#include "replan/apply_events.h"

namespace cobuild::app {

Result<void> Exclude(const model::Scenario& s, const Exclusion& exclusion, plan::PlanRequest& request) {
  std::vector<char> excluded(s.brands.size(), 0);
  for (int b : request.excluded_brands) excluded[static_cast<size_t>(b)] = 1;
  for (const std::string& id : exclusion.brands) {
    auto brand = ResolveBrand(s, id);
    if (!brand) return std::unexpected(brand.error());
    excluded[static_cast<size_t>(*brand)] = 1;
  }
  for (const std::string& id : exclusion.companies) {
    auto company = ResolveCompany(s, id);
    if (!company) return std::unexpected(company.error());
    for (size_t b = 0; b < s.brands.size(); ++b) {
      if (s.brands[b].company == *company) excluded[b] = 1;
    }
  }
  request.excluded_brands.clear();
  for (size_t b = 0; b < excluded.size(); ++b) {
    if (excluded[b] != 0) request.excluded_brands.push_back(static_cast<int>(b));
  }
  return {};
}

Result<ContractRemoved> ExcludeContract(const model::Scenario& s, std::string_view id) {
  auto contract = ResolveContract(s, id);
  if (!contract) return std::unexpected(contract.error());
  const int removed[] = {*contract};
  return ContractRemoved{.contract = *contract, .scenario = replan::WithoutContracts(s, removed)};
}

}  // namespace cobuild::app
