// Ids a user types (a line, a brand, a company, a contract) resolved to a scenario's
// indices, with one message for a typo: "line: expected a line of scenario
// uk-2026 (halewood-1, halewood-2, ...), got "halewod-2" (did you mean
// 'halewood-2'?)". The CLI and the server put their option or parameter
// name in front.
#pragma once

#include <string_view>

#include "model/error.h"
#include "model/scenario.h"

namespace cobuild::app {

[[nodiscard]] Result<int> ResolveLine(const model::Scenario& scenario, std::string_view id);
[[nodiscard]] Result<int> ResolveBrand(const model::Scenario& scenario, std::string_view id);
[[nodiscard]] Result<int> ResolveCompany(const model::Scenario& scenario, std::string_view id);
[[nodiscard]] Result<int> ResolveContract(const model::Scenario& scenario, std::string_view id);

}  // namespace cobuild::app
