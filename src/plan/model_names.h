// Readable names for the columns and rows of a built planning model, for
// writing it as MPS or LP (`cobuild plan --write-mps/--write-lp`):
//
//   build[halewood-2,T1X,2027-03]     cars line halewood-2 builds of T1X in March 2027
//   ship[halewood,halewood-2,T1X,UK,2027-03,2027-04]
//   shifts[halewood-2,2027-03]        capacity[halewood-2,2027-03]
//
// Names are unique (a repeated one gets "#2", "#3"...) and keep to the rules
// of the format they are made for: MPS names have no blanks; LP names
// (CoinLpIO's and CPLEX's rules) use only letters, digits and
// !"#$%&().;?@_'`{}~, do not start with a digit and have at most 96
// characters, so brackets become parentheses, commas semicolons and any
// other character an underscore.
#pragma once

#include <string>
#include <vector>

#include "model/scenario.h"
#include "plan/model_builder.h"

namespace cobuild::plan {

enum class NameRules { kMps, kLp };

struct ModelNames {
  std::vector<std::string> columns;
  std::vector<std::string> rows;
};

ModelNames NameModel(const model::Scenario& scenario, const BuiltModel& built, NameRules rules);

}  // namespace cobuild::plan
