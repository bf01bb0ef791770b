// A sequence's criteria and lower bound as JSON, one shape for the CLI
// (`cobuild sequence`, `evaluate`, `bound`) and the line-day results of the
// CLI and the server.
//
//   json j = {{"criteria", io::CriteriaJson(instance, result.criteria)},
//             {"lower_bound", io::LowerBoundJson(instance, result.bound)}};
//
// ROADEF instances: {hprc, lprc, colour_changes}; CSPLib: {violations}. The
// lower bound adds its weighted score.
#pragma once

#include <nlohmann/json.hpp>

#include "sequence/evaluator.h"
#include "sequence/instance.h"
#include "sequence/lower_bound.h"

namespace cobuild::io {

nlohmann::json CriteriaJson(const sequence::Instance& instance, const sequence::Criteria& criteria);
nlohmann::json LowerBoundJson(const sequence::Instance& instance, const sequence::LowerBound& bound);

}  // namespace cobuild::io
