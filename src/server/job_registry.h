// The kinds of job the server runs and the engine behind each.
//
// A job is kind + JSON parameters -> JSON result + CSV. A handler receives
// the parameters (the "params" object of POST /api/jobs), the stored
// scenario the job names, a progress callback and a stop token, and returns
// the result or an Error. Handlers run on the server's worker threads; they
// must be safe to run concurrently with each other. A handler that throws
// fails its job (the exception does not escape the worker).
//
//   JobRegistry registry;
//   registry.Register({.name = "validate", .description = "...",
//                      .handler = [](const JobContext& job) -> Result<JobOutput> {
//                        job.report_progress(0.5, "parsing");
//                        if (job.stop.stop_requested()) return JobOutput{};  // discarded
//                        return JobOutput{.json = ..., .csv = ...};
//                      }});
//
// The API accepts the kinds of IsPlannedKind() even when this build has no
// engine for them and answers 501 Not Implemented, naming the kind, so that
// clients (and the dashboard) can tell "not available here" from a typo.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/error.h"
#include "server/storage.h"

namespace cobuild::server {

struct JobContext {
  int64_t job_id = 0;
  const nlohmann::json& params;
  // The scenario named by the job's scenario_id; null when the kind does not
  // take one.
  const ScenarioRecord* scenario = nullptr;
  // Loads another stored scenario (compare takes two).
  std::function<Result<ScenarioRecord>(int64_t)> load_scenario;
  // Loads another job and its result (a replan starts from a plan job's
  // plan): NotFound when there is no such job; an empty result unless it
  // has succeeded (its record's status says how far it got).
  std::function<Result<std::pair<JobRecord, JobResult>>(int64_t)> load_job_result;
  // Progress in [0, 1] and a one-line message; cheap to call often (the
  // server writes it to the database at most a few times per second).
  std::function<void(double, std::string_view)> report_progress;
  // Set when the job is cancelled or the server shuts down. A handler should
  // check it between steps and return early; its result is then discarded.
  std::stop_token stop;
  // The job runs in a process of its own (`cobuild job-worker`), so it may
  // fork worker processes (scale/worker_processes.h); not on the server's
  // threads, where forking beside other jobs' threads is unsafe.
  bool own_process = false;
};

struct JobOutput {
  nlohmann::json json;
  std::string csv;
};

using JobHandler = std::function<Result<JobOutput>(const JobContext&)>;

struct JobKind {
  std::string name;
  std::string description;  // one line, shown by GET /api/kinds
  bool needs_scenario = true;
  JobHandler handler;
  // Checks a job's params when it is posted: POST /api/jobs answers 422 with
  // the message. Null: any object. The handler checks again when the job
  // runs, and then what only the run can know (another job's result).
  std::function<Result<void>(const nlohmann::json& params)> check_params;
};

class JobRegistry {
 public:
  // The kinds the API knows by name, whether or not this build can run
  // them: plan, replan, compare, risk, sequence, validate.
  static std::span<const std::string_view> PlannedKinds();
  static bool IsPlannedKind(std::string_view kind);

  // Replaces a kind registered under the same name.
  void Register(JobKind kind);
  // Nullptr when this build has no engine for `name`.
  const JobKind* Find(std::string_view name) const;
  // Registered kinds, by name.
  std::vector<const JobKind*> Kinds() const;

 private:
  std::map<std::string, JobKind, std::less<>> kinds_;
};

}  // namespace cobuild::server
