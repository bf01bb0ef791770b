#include "plan/plan.h"

#include <algorithm>
#include <cmath>

namespace cobuild::plan {

std::string_view ToString(StopRule rule) {
  switch (rule) {
    case StopRule::kGapTarget:
      return "gap_target";
    case StopRule::kStall:
      return "stall";
    case StopRule::kTimeLimit:
      return "time_limit";
    case StopRule::kNodeLimit:
      return "node_limit";
    case StopRule::kStopRequest:
      return "stop_request";
  }
  return "time_limit";
}

std::string_view ToString(SolveStatus status) {
  switch (status) {
    case SolveStatus::kOptimal:
      return "optimal";
    case SolveStatus::kFeasibleGap:
      return "feasible";
    case SolveStatus::kTimeLimitNoSolution:
      return "time_limit";
    case SolveStatus::kInfeasible:
      return "infeasible";
    case SolveStatus::kError:
      return "error";
  }
  return "error";
}

std::optional<SolveStatus> ParseSolveStatus(std::string_view text) {
  for (SolveStatus s : {SolveStatus::kOptimal, SolveStatus::kFeasibleGap, SolveStatus::kTimeLimitNoSolution,
                        SolveStatus::kInfeasible, SolveStatus::kError}) {
    if (ToString(s) == text) return s;
  }
  return std::nullopt;
}

double RelativeGap(double objective, double bound) {
  return std::max(0.0, bound - objective) / std::max(1.0, std::abs(objective));
}

double Pennies(double gbp) { return std::round(gbp * 100) / 100; }

}  // namespace cobuild::plan
