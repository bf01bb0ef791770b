#include "app/scenario_ids.h"

#include <string>
#include <vector>

#include "io/yaml_reader.h"

namespace cobuild::app {
namespace {

// `items` are the scenario's lines, brands or companies (each with an id).
template <typename T>
[[nodiscard]] Result<int> Resolve(const model::Scenario& s, const std::vector<T>& items, const char* kind,
                                  std::string_view id) {
  std::vector<std::string> ids;
  std::string list;
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].id == id) return static_cast<int>(i);
    ids.push_back(items[i].id);
    list += (list.empty() ? "" : ", ") + items[i].id;
  }
  return InvalidInput(std::string(kind) + ": expected a " + kind + " of scenario " + s.name + " (" + list +
                      "), got \"" + std::string(id) + "\"" + io::DidYouMean(id, ids));
}

}  // namespace

Result<int> ResolveLine(const model::Scenario& s, std::string_view id) {
  return Resolve(s, s.lines, "line", id);
}
Result<int> ResolveBrand(const model::Scenario& s, std::string_view id) {
  return Resolve(s, s.brands, "brand", id);
}
Result<int> ResolveCompany(const model::Scenario& s, std::string_view id) {
  return Resolve(s, s.companies, "company", id);
}
Result<int> ResolveContract(const model::Scenario& s, std::string_view id) {
  return Resolve(s, s.contracts, "contract", id);
}

}  // namespace cobuild::app
