#include "plan/warm_start.h"

#include <algorithm>
#include <map>

namespace cobuild::plan {
namespace {

using Key = std::array<int, 8>;

// What a column or row means; the last entry numbers the ones of equal
// meaning in model order (a stability pair: the rows above and below).
Key ColumnKey(const ColumnInfo& c) {
  return {static_cast<int>(c.kind), c.plant, c.line, c.variant, c.market, c.month, c.other, 0};
}

Key RowKey(const RowInfo& r) { return {static_cast<int>(r.kind), r.a, r.b, r.c, 0, 0, 0, 0}; }

template <typename Info>
std::vector<Key> Keys(const std::vector<Info>& infos, Key (*key_of)(const Info&)) {
  std::vector<Key> keys;
  keys.reserve(infos.size());
  std::map<Key, int> seen;
  for (const Info& info : infos) {
    Key key = key_of(info);
    key.back() = seen[key]++;
    keys.push_back(key);
  }
  return keys;
}

template <typename Info>
std::vector<std::pair<Key, BasisStatus>> Remember(const std::vector<Info>& infos,
                                                  const std::vector<BasisStatus>& statuses,
                                                  Key (*key_of)(const Info&)) {
  const std::vector<Key> keys = Keys(infos, key_of);
  std::vector<std::pair<Key, BasisStatus>> out;
  out.reserve(keys.size());
  for (size_t i = 0; i < keys.size() && i < statuses.size(); ++i) out.emplace_back(keys[i], statuses[i]);
  std::sort(out.begin(), out.end());
  return out;
}

template <typename Info>
std::vector<BasisStatus> Recall(const std::vector<std::pair<Key, BasisStatus>>& known,
                                const std::vector<Info>& infos, Key (*key_of)(const Info&),
                                BasisStatus unknown) {
  const std::vector<Key> keys = Keys(infos, key_of);
  std::vector<BasisStatus> out(keys.size(), unknown);
  for (size_t i = 0; i < keys.size(); ++i) {
    const auto it = std::lower_bound(known.begin(), known.end(), keys[i],
                                     [](const auto& entry, const Key& k) { return entry.first < k; });
    if (it != known.end() && it->first == keys[i]) out[i] = it->second;
  }
  return out;
}

}  // namespace

LpWarmStart::LpWarmStart(const BuiltModel& built, const LpBasis& basis)
    : columns_(Remember(built.columns, basis.columns, ColumnKey)),
      rows_(Remember(built.rows, basis.rows, RowKey)) {}

LpBasis LpWarmStart::For(const BuiltModel& built) const {
  return {.columns = Recall(columns_, built.columns, ColumnKey, BasisStatus::kAtLower),
          .rows = Recall(rows_, built.rows, RowKey, BasisStatus::kBasic)};
}

Result<LpWarmStart> SolveWarmStart(const model::Scenario& scenario, const PlanRequest& request) {
  Result<BuiltModel> built =
      BuildPlanModel(scenario, request, {.shift_cover_cuts = request.options.shift_cover_cuts});
  if (!built) return std::unexpected(built.error());
  MipSolver solver(built->lp);
  solver.SetStopCheck(request.options.solve.should_stop);
  const LpSolution lp = solver.SolveRelaxation(request.options.solve.time_limit_seconds);
  if (lp.status != LpStatus::kOptimal)
    return Internal("the LP of the warm start was not solved to optimality");
  return LpWarmStart(*built, solver.Basis());
}

}  // namespace cobuild::plan
