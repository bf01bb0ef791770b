#include "server/job_manager.h"

#include <algorithm>
#include <exception>
#include <string>
#include <utility>

#include "server/request_guard.h"

namespace cobuild::server {
namespace {
constexpr std::string_view kStoppedMessage = "the server stopped while the job ran";
}  // namespace

JobManager::JobManager(Storage& storage, const JobRegistry& registry, JobManagerOptions options)
    : storage_(storage),
      registry_(registry),
      options_(options),
      pool_(options.num_workers, options.max_queued) {}

JobManager::~JobManager() {
  std::lock_guard lock(mutex_);
  shutting_down_ = true;
  for (auto& [id, source] : active_) source.request_stop();
  // pool_ is destroyed next: it drops queued tasks (their jobs stay 'queued'
  // in the database) and joins the running ones, which see their stop token.
}

bool JobManager::Shutdown(std::chrono::milliseconds grace) {
  {
    std::lock_guard lock(mutex_);
    shutting_down_ = true;
    for (auto& [id, source] : active_) source.request_stop();
  }
  pool_.DropQueued();
  if (pool_.WaitIdleFor(grace)) return true;
  std::lock_guard lock(mutex_);
  for (const auto& [id, source] : active_) {
    auto job = storage_.GetJob(id);
    if (job && job->status == JobStatus::kRunning) (void)storage_.FailJob(id, kStoppedMessage);
  }
  return false;
}

Result<int> JobManager::Recover() {
  auto failed = storage_.FailInterruptedJobs(kStoppedMessage);
  if (!failed) return failed;
  auto queued = storage_.QueuedJobIds();
  if (!queued) return std::unexpected(queued.error());
  std::lock_guard lock(mutex_);
  for (int64_t id : *queued) {
    if (!Enqueue(id)) {
      if (auto r = storage_.FailJob(id, "could not be queued again at restart: queue full"); !r) {
        return std::unexpected(r.error());
      }
    }
  }
  return failed;
}

Result<std::optional<int64_t>> JobManager::Start(std::string_view kind, std::optional<int64_t> scenario_id,
                                                 const nlohmann::json& params) {
  const JobKind* job_kind = registry_.Find(kind);
  if (job_kind == nullptr) {
    return InvalidInput("kind: no job kind '" + std::string(kind) + "' in this build");
  }
  if (job_kind->needs_scenario) {
    if (!scenario_id) {
      return InvalidInput("scenario_id: a " + std::string(kind) + " job needs a scenario");
    }
    if (auto s = storage_.GetScenario(*scenario_id); !s) return std::unexpected(s.error());
  }
  std::lock_guard lock(mutex_);
  if (shutting_down_ || pool_.queued() >= options_.max_queued) return std::nullopt;
  auto id = storage_.AddJob(kind, scenario_id, params.dump());
  if (!id) return std::unexpected(id.error());
  if (!Enqueue(*id)) {
    if (auto r = storage_.FailJob(*id, "job queue is full"); !r) return std::unexpected(r.error());
    return std::nullopt;
  }
  return std::optional<int64_t>(*id);
}

bool JobManager::Enqueue(int64_t id) {
  std::stop_source source;
  std::stop_token token = source.get_token();
  active_.insert_or_assign(id, std::move(source));
  if (!pool_.Submit([this, id, token] { Run(id, token); })) {
    active_.erase(id);
    return false;
  }
  return true;
}

Result<void> JobManager::Cancel(int64_t id) {
  auto job = storage_.GetJob(id);
  if (!job) return std::unexpected(job.error());
  auto cancelled = storage_.CancelJob(id);
  if (!cancelled) return std::unexpected(cancelled.error());
  if (!*cancelled) {
    return InvalidInput("job " + std::to_string(id) + " has already finished (" +
                        std::string(ToString(job->status)) + ")");
  }
  std::lock_guard lock(mutex_);
  if (auto it = active_.find(id); it != active_.end()) it->second.request_stop();
  return {};
}

void JobManager::Run(int64_t id, std::stop_token stop) {
  struct Forget {
    JobManager* self;
    int64_t id;
    ~Forget() {
      std::lock_guard lock(self->mutex_);
      self->active_.erase(id);
    }
  } forget{this, id};

  // A job cancelled while queued is no longer 'queued', so StartJob refuses it.
  if (stop.stop_requested() || !storage_.StartJob(id)) return;
  auto fail = [&](std::string_view error) { (void)storage_.FailJob(id, error); };

  auto job = storage_.GetJob(id);
  if (!job) return fail(job.error().message);
  const JobKind* kind = registry_.Find(job->kind);
  if (kind == nullptr) return fail("no engine for job kind '" + job->kind + "' in this build");

  // The first report is always written.
  auto last_write = std::chrono::steady_clock::now() - options_.progress_interval;
  auto report_progress = [&](double fraction, std::string_view message) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_write < options_.progress_interval && fraction < 1) return;
    last_write = now;
    (void)storage_.UpdateProgress(id, std::clamp(fraction, 0.0, 1.0), message);
  };

  Result<JobOutput> output = Internal("the job produced no result");
  if (!options_.process.command.empty()) {
    output = RunJobInChildProcess(options_.process, id, stop, report_progress);
  } else {
    auto inputs = LoadJobInputs(storage_, registry_, *job);
    if (!inputs) return fail(inputs.error().message);
    const JobContext context = MakeJobContext(
        storage_, id, inputs->params, inputs->scenario ? &*inputs->scenario : nullptr, report_progress, stop);
    output = RunHandler(*kind, context);
  }

  if (stop.stop_requested()) {
    // Cancelled: the row already says so. Shutdown: the result may be partial.
    bool shutting_down;
    {
      std::lock_guard lock(mutex_);
      shutting_down = shutting_down_;
    }
    if (shutting_down) fail(kStoppedMessage);
    return;
  }
  if (!output) return fail(output.error().message);
  // Fails only when the job is no longer running (cancelled at the last
  // moment); the result is then dropped, as documented.
  auto finished = storage_.FinishJob(id, {.json = SafeDump(output->json), .csv = std::move(output->csv)});
  if (!finished && finished.error().kind == ErrorKind::kInternal) fail(finished.error().message);
}

}  // namespace cobuild::server
