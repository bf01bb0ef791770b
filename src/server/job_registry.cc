#include "server/job_registry.h"

#include <algorithm>
#include <array>
#include <utility>

namespace cobuild::server {
namespace {
constexpr std::array<std::string_view, 6> kPlannedKinds = {"plan", "replan",   "compare",
                                                           "risk", "sequence", "validate"};
}  // namespace

std::span<const std::string_view> JobRegistry::PlannedKinds() { return kPlannedKinds; }

bool JobRegistry::IsPlannedKind(std::string_view kind) {
  return std::find(kPlannedKinds.begin(), kPlannedKinds.end(), kind) != kPlannedKinds.end();
}

void JobRegistry::Register(JobKind kind) {
  std::string name = kind.name;
  kinds_.insert_or_assign(std::move(name), std::move(kind));
}

const JobKind* JobRegistry::Find(std::string_view name) const {
  auto it = kinds_.find(name);
  return it == kinds_.end() ? nullptr : &it->second;
}

std::vector<const JobKind*> JobRegistry::Kinds() const {
  std::vector<const JobKind*> out;
  out.reserve(kinds_.size());
  for (const auto& [name, kind] : kinds_) out.push_back(&kind);
  return out;
}

}  // namespace cobuild::server
