#include "io/sequence_json.h"

namespace cobuild::io {

nlohmann::json CriteriaJson(const sequence::Instance& instance, const sequence::Criteria& criteria) {
  if (instance.kind == sequence::ProblemKind::kCsplib) return {{"violations", criteria.violations()}};
  return {{"hprc", criteria.hprc}, {"lprc", criteria.lprc}, {"colour_changes", criteria.colour_changes}};
}

nlohmann::json LowerBoundJson(const sequence::Instance& instance, const sequence::LowerBound& bound) {
  nlohmann::json j = CriteriaJson(instance, bound.criteria);
  j["score"] = bound.score;
  return j;
}

}  // namespace cobuild::io
