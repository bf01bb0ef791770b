// Contracts between companies: a host builds a partner's cars for a fee.
#pragma once

#include <string>
#include <vector>

namespace cobuild::model {

// The host company builds cars of the partner's `brands` in its `plants`
// (all host plants when empty) and charges `fee_per_car_gbp`. The partner
// commits to between min and max units per calendar year (across those
// plants); a year the horizon covers only partly gets a pro-rata commitment.
struct Contract {
  std::string id;
  int host = -1;     // company
  int partner = -1;  // company
  std::vector<int> brands;
  std::vector<int> plants;
  double fee_per_car_gbp = 0;
  double min_units_per_year = 0;
  double max_units_per_year = 0;  // 0 = no maximum
  int first_year = 0;             // 0 = from the horizon's start
  int last_year = 0;              // 0 = to the horizon's end
  // Share of the contract's retooling the partner pays the host (0: the
  // host pays it all, 1: the partner does). The contract's retoolings are
  // those of a covered host plant's line for a platform that only the
  // contract's brands use (docs/deal.md, "Who pays for tooling"). A
  // transfer like the fee: it moves money between the two companies in the
  // deal's accounts and never changes a plan.
  double tooling_partner_share = 0;
  bool operator==(const Contract&) const = default;
};

}  // namespace cobuild::model
