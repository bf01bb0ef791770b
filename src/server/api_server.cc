#include "server/api_server.h"

#include <httplib.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <map>
#include <regex>
#include <thread>
#include <utility>

#include "cobuild/version.h"

namespace cobuild::server {
namespace {

using nlohmann::json;

constexpr const char* kJson = "application/json";

void SendJson(httplib::Response& response, int status, const json& body) {
  response.status = status;
  response.set_content(body.dump(), kJson);
}

void SendError(httplib::Response& response, int status, std::string_view message) {
  SendJson(response, status, {{"error", message}, {"status", status}});
}

int StatusFor(const Error& error) {
  switch (error.kind) {
    case ErrorKind::kInvalidInput:
      return 422;
    case ErrorKind::kNotFound:
      return 404;
    case ErrorKind::kInternal:
      return 500;
  }
  return 500;
}

void SendError(httplib::Response& response, const Error& error) {
  SendError(response, StatusFor(error), error.message);
}

std::optional<int64_t> ParseId(std::string_view text) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

// Compares without an early exit, so response time does not reveal how much
// of a guessed token was right.
bool SameSecret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  }
  return diff == 0;
}

std::string CookieValue(const httplib::Request& request, std::string_view name) {
  const std::string cookies = request.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < cookies.size()) {
    size_t end = cookies.find(';', pos);
    if (end == std::string::npos) end = cookies.size();
    std::string_view part(cookies.data() + pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    pos = end + 1;
  }
  return "";
}

json ScenarioJson(const ScenarioRecord& s) {
  return {{"id", s.id}, {"name", s.name}, {"file_name", s.file_name}, {"created_at", s.created_at}};
}

json JobJson(const JobRecord& job) {
  json out = {{"id", job.id},
              {"kind", job.kind},
              {"scenario_id", job.scenario_id ? json(*job.scenario_id) : json(nullptr)},
              {"params", json::parse(job.params_json, nullptr, false)},
              {"status", ToString(job.status)},
              {"progress", job.progress},
              {"message", job.message},
              {"error", job.error},
              {"created_at", job.created_at},
              {"started_at", job.started_at},
              {"finished_at", job.finished_at}};
  if (out["params"].is_discarded()) out["params"] = json::object();
  if (job.status == JobStatus::kSucceeded) {
    const std::string base = "/api/jobs/" + std::to_string(job.id);
    out["result"] = {{"json", base + "/result"}, {"csv", base + "/result.csv"}};
  }
  return out;
}

json DiagnosticsJson(const std::vector<ScenarioDiagnostic>& errors) {
  json out = json::array();
  for (const auto& d : errors) {
    out.push_back({{"file", d.file},
                   {"line", d.line},
                   {"column", d.column},
                   {"path", d.path},
                   {"message", d.message}});
  }
  return out;
}

// A file name for messages: the last path component, printable ASCII only.
std::string CleanFileName(std::string_view raw) {
  if (auto slash = raw.find_last_of("/\\"); slash != std::string_view::npos) {
    raw.remove_prefix(slash + 1);
  }
  std::string out;
  for (char c : raw.substr(0, 128)) {
    if (c > ' ' && c < 127) out.push_back(c);
  }
  return out.empty() ? "upload.yaml" : out;
}

// cpp-httplib (0.11) listens with a backlog of 5 connections, so a burst of
// clients overflows the accept queue and some wait for TCP retransmission
// (seconds). listen() again on the bound socket raises the backlog.
class HttpServer : public httplib::Server {
 public:
  void SetListenBacklog(int backlog) { ::listen(svr_sock_, backlog); }
};

constexpr const char* kNoDashboardPage = R"html(<!doctype html>
<html><head><meta charset="utf-8"><title>cobuild</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>cobuild server</h1>
<p>The JSON API is running under <code>/api</code> (see <code>docs/api.md</code>).</p>
<p>The web dashboard was not found: build it with <code>scripts/install-deps --web</code>
and then <code>cmake --build build</code>, or pass <code>--web-dir</code> to
<code>cobuild serve</code>.</p>
</body></html>
)html";

}  // namespace

struct ApiServer::Route {
  std::string text;
  std::regex pattern;
  std::map<std::string, std::function<void(const httplib::Request&, httplib::Response&)>>
      by_method;
};

bool IsLoopbackAddress(std::string_view host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  in_addr v4{};
  const std::string text(host);
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  return false;
}

ApiServer::ApiServer(Storage& storage, JobManager& jobs, const JobRegistry& registry,
                     ScenarioValidator validator, ApiServerOptions options)
    : storage_(storage),
      jobs_(jobs),
      registry_(registry),
      validator_(std::move(validator)),
      options_(std::move(options)),
      http_(std::make_unique<HttpServer>()) {
  auto& http = *http_;
  const int threads = std::max(1, options_.http_threads);
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_payload_max_length(options_.max_body_bytes);
  http.set_default_headers({{"X-Content-Type-Options", "nosniff"}});

  http.set_pre_routing_handler([this](const httplib::Request& request,
                                      httplib::Response& response) {
    if (Authorized(request)) return httplib::Server::HandlerResponse::Unhandled;
    // "/?token=T" lets a browser in: the cookie carries the token from then on.
    if (!options_.token.empty() && request.path == "/" &&
        SameSecret(request.get_param_value("token"), options_.token)) {
      response.set_header("Set-Cookie",
                          "cobuild_token=" + options_.token + "; Path=/; HttpOnly; SameSite=Strict");
      return httplib::Server::HandlerResponse::Unhandled;
    }
    SendError(response, 401, "missing or wrong bearer token");
    response.set_header("WWW-Authenticate", "Bearer");
    return httplib::Server::HandlerResponse::Handled;
  });
  // Called for every response with status >= 400; fills in the ones that
  // cpp-httplib produced itself (413, 400 on a bad request line, 404).
  http.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
    if (!response.body.empty()) return;
    std::string message = "request failed";
    switch (response.status) {
      case 400: message = "malformed HTTP request"; break;
      case 404: message = "no such page: " + request.path; break;
      case 413: message = "request body is larger than the server accepts"; break;
      case 414: message = "request URI too long"; break;
      case 416: message = "range not satisfiable"; break;
      default: break;
    }
    SendError(response, response.status, message);
  });
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& response, std::exception_ptr error) {
        std::string what = "unknown exception";
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        SendError(response, 500, "internal error: " + what);
      });

  namespace fs = std::filesystem;
  std::error_code ec;
  if (!options_.web_dir.empty() && fs::is_regular_file(fs::path(options_.web_dir) / "index.html", ec)) {
    http.set_mount_point("/", options_.web_dir);
  } else {
    http.Get("/", [](const httplib::Request&, httplib::Response& response) {
      response.set_content(kNoDashboardPage, "text/html; charset=utf-8");
    });
  }

  using Req = const httplib::Request&;
  using Res = httplib::Response&;
  AddRoute("/api/health", "GET", [this](Req, Res response) {
    SendJson(response, 200,
             {{"status", "ok"},
              {"version", kVersion},
              {"workers", jobs_.num_workers()},
              {"jobs_running", jobs_.busy()},
              {"jobs_queued", jobs_.queued()}});
  });
  AddRoute("/api/kinds", "GET", [this](Req, Res response) {
    json kinds = json::array();
    for (std::string_view name : JobRegistry::PlannedKinds()) {
      const JobKind* kind = registry_.Find(name);
      kinds.push_back({{"name", name},
                       {"available", kind != nullptr},
                       {"description", kind ? kind->description : ""},
                       {"needs_scenario", kind ? kind->needs_scenario : true}});
    }
    for (const JobKind* kind : registry_.Kinds()) {
      if (JobRegistry::IsPlannedKind(kind->name)) continue;
      kinds.push_back({{"name", kind->name},
                       {"available", true},
                       {"description", kind->description},
                       {"needs_scenario", kind->needs_scenario}});
    }
    SendJson(response, 200, kinds);
  });
  AddRoute("/api/scenarios", "GET", [this](Req q, Res s) { ListScenarios(q, s); });
  AddRoute("/api/scenarios", "POST", [this](Req q, Res s) { CreateScenario(q, s, true); });
  AddRoute("/api/scenarios/validate", "POST",
           [this](Req q, Res s) { CreateScenario(q, s, false); });
  AddRoute(R"(/api/scenarios/(\d+))", "GET", [this](Req q, Res s) { GetScenario(q, s); });
  AddRoute(R"(/api/scenarios/(\d+))", "DELETE", [this](Req q, Res s) { DeleteScenario(q, s); });
  AddRoute("/api/jobs", "GET", [this](Req q, Res s) { ListJobs(q, s); });
  AddRoute("/api/jobs", "POST", [this](Req q, Res s) { StartJob(q, s); });
  AddRoute(R"(/api/jobs/(\d+))", "GET", [this](Req q, Res s) { GetJob(q, s); });
  AddRoute(R"(/api/jobs/(\d+)/cancel)", "POST", [this](Req q, Res s) { CancelJob(q, s); });
  AddRoute(R"(/api/jobs/(\d+)/result)", "GET", [this](Req q, Res s) { GetResult(q, s, false); });
  AddRoute(R"(/api/jobs/(\d+)/result\.csv)", "GET",
           [this](Req q, Res s) { GetResult(q, s, true); });

  const auto dispatch = [this](Req q, Res s) { Dispatch(q, s); };
  const std::string all_api = "/api(/.*)?";
  http.Get(all_api, dispatch);
  // POST bodies are read here rather than by cpp-httplib, which would parse a
  // body sent as application/x-www-form-urlencoded (curl's default for -d)
  // as a form and refuse it above 8 KiB.
  http.Post(all_api, [this](Req q, Res s, const httplib::ContentReader& read) {
    auto& request = const_cast<httplib::Request&>(q);
    request.body.clear();
    // A request with neither length nor chunked encoding has no body
    // (`curl -X POST .../cancel`); cpp-httplib's reader would refuse it.
    if (!q.has_header("Content-Length") && !q.has_header("Transfer-Encoding")) return Dispatch(q, s);
    const size_t limit = options_.max_body_bytes;
    bool too_large = false;
    const bool complete = read([&](const char* data, size_t size) {
      too_large = request.body.size() + size > limit;
      if (too_large) return false;
      request.body.append(data, size);
      return true;
    });
    if (!complete) {
      if (too_large || s.status == 413) {
        return SendError(s, 413, "request body is larger than the server accepts (" +
                                     std::to_string(limit) + " bytes)");
      }
      return SendError(s, 400, "could not read the request body");
    }
    Dispatch(q, s);
  });
  http.Put(all_api, dispatch);
  http.Patch(all_api, dispatch);
  http.Delete(all_api, dispatch);
  http.Options(all_api, dispatch);
}

ApiServer::~ApiServer() = default;

void ApiServer::AddRoute(std::string pattern, std::string method, Handler handler) {
  auto it = std::find_if(routes_.begin(), routes_.end(),
                         [&](const Route& r) { return r.text == pattern; });
  if (it == routes_.end()) {
    std::regex compiled(pattern);
    routes_.push_back(Route{.text = std::move(pattern), .pattern = std::move(compiled), .by_method = {}});
    it = std::prev(routes_.end());
  }
  it->by_method[std::move(method)] = std::move(handler);
}

void ApiServer::Dispatch(const httplib::Request& request, httplib::Response& response) {
  for (const Route& route : routes_) {
    std::smatch match;
    if (!std::regex_match(request.path, match, route.pattern)) continue;
    auto handler = route.by_method.find(request.method);
    if (handler != route.by_method.end()) {
      // Hand the captures over in the request, as cpp-httplib does for its own routes.
      auto& writable = const_cast<httplib::Request&>(request);
      writable.matches = match;
      handler->second(request, response);
      return;
    }
    std::string allow;
    for (const auto& [method, fn] : route.by_method) {
      allow += (allow.empty() ? "" : ", ") + method;
    }
    response.set_header("Allow", allow);
    SendError(response, 405,
              request.method + " is not allowed on " + request.path + " (allowed: " + allow + ")");
    return;
  }
  SendError(response, 404, "no such endpoint: " + request.method + " " + request.path);
}

bool ApiServer::Authorized(const httplib::Request& request) const {
  if (options_.token.empty()) return true;
  const std::string header = request.get_header_value("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() > kBearer.size() && header.compare(0, kBearer.size(), kBearer) == 0 &&
      SameSecret(std::string_view(header).substr(kBearer.size()), options_.token)) {
    return true;
  }
  return SameSecret(CookieValue(request, "cobuild_token"), options_.token);
}

Result<int> ApiServer::Bind(const std::string& host, int port) {
  if (!IsLoopbackAddress(host) && options_.token.empty()) {
    return InvalidInput("--bind " + host +
                        ": refusing to listen on a non-loopback address without --token");
  }
  const bool token_ok = std::all_of(options_.token.begin(), options_.token.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-._~+/=").find(c) != std::string_view::npos;
  });
  if (!token_ok) {
    return InvalidInput("--token: use letters, digits and -._~+/= only");
  }
  if (port < 0 || port > 65535) {
    return InvalidInput("--port: expected 0..65535, got " + std::to_string(port));
  }
  int bound = port;
  if (port == 0) {
    bound = http_->bind_to_any_port(host);
    if (bound <= 0) return Internal("cannot listen on " + host + " (any port)");
  } else if (!http_->bind_to_port(host, port)) {
    return Internal("cannot listen on " + host + ":" + std::to_string(port) +
                    " (in use, or not an address of this machine)");
  }
  static_cast<HttpServer&>(*http_).SetListenBacklog(std::max(5, options_.listen_backlog));
  return bound;
}

bool ApiServer::Listen() {
  listening_ = true;
  // A Stop() that came before this point must not be lost: cpp-httplib's
  // stop() does nothing until the accept loop runs.
  const bool ok = stop_requested_ ? true : http_->listen_after_bind();
  listening_ = false;
  return ok;
}

void ApiServer::Stop() {
  stop_requested_ = true;
  while (listening_ && !http_->is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  http_->stop();
}
bool ApiServer::IsRunning() const { return http_->is_running(); }

void ApiServer::ListScenarios(const httplib::Request&, httplib::Response& response) {
  auto list = storage_.ListScenarios();
  if (!list) return SendError(response, list.error());
  json out = json::array();
  for (const auto& s : *list) out.push_back(ScenarioJson(s));
  SendJson(response, 200, out);
}

void ApiServer::CreateScenario(const httplib::Request& request, httplib::Response& response,
                               bool store) {
  const std::string file_name = CleanFileName(
      request.has_param("file_name") ? request.get_param_value("file_name") : "upload.yaml");
  if (request.body.empty()) {
    return SendJson(response, 422,
                    {{"error", "the request body is empty; send the scenario YAML"},
                     {"status", 422},
                     {"errors", json::array()}});
  }
  const ScenarioCheck check = validator_(request.body, file_name);
  if (!check.ok()) {
    return SendJson(response, 422,
                    {{"error", file_name + ": " + std::to_string(check.errors.size()) +
                                   " problem(s) in the scenario"},
                     {"status", 422},
                     {"errors", DiagnosticsJson(check.errors)}});
  }
  if (!store) {
    return SendJson(response, 200,
                    {{"valid", true}, {"name", check.name}, {"summary", check.summary}});
  }
  auto id = storage_.AddScenario(check.name, file_name, request.body);
  if (!id) return SendError(response, id.error());
  auto record = storage_.GetScenario(*id);
  if (!record) return SendError(response, record.error());
  json out = ScenarioJson(*record);
  out["summary"] = check.summary;
  response.set_header("Location", "/api/scenarios/" + std::to_string(*id));
  SendJson(response, 201, out);
}

void ApiServer::GetScenario(const httplib::Request& request, httplib::Response& response) {
  const auto id = ParseId(request.matches[1].str());
  if (!id) return SendError(response, 404, "no scenario with id " + request.matches[1].str());
  auto record = storage_.GetScenario(*id);
  if (!record) return SendError(response, record.error());
  json out = ScenarioJson(*record);
  out["yaml"] = record->yaml;
  SendJson(response, 200, out);
}

void ApiServer::DeleteScenario(const httplib::Request& request, httplib::Response& response) {
  const auto id = ParseId(request.matches[1].str());
  if (!id) return SendError(response, 404, "no scenario with id " + request.matches[1].str());
  auto deleted = storage_.DeleteScenario(*id);
  if (!deleted) {
    const Error& e = deleted.error();
    return SendError(response, e.kind == ErrorKind::kInvalidInput ? 409 : StatusFor(e), e.message);
  }
  response.status = 204;
}

void ApiServer::ListJobs(const httplib::Request& request, httplib::Response& response) {
  int limit = 50;
  if (request.has_param("limit")) {
    const auto parsed = ParseId(request.get_param_value("limit"));
    if (!parsed || *parsed > 1000) {
      return SendError(response, 400, "limit: expected an integer in 1..1000, got '" +
                                          request.get_param_value("limit") + "'");
    }
    limit = static_cast<int>(*parsed);
  }
  auto list = storage_.ListJobs(limit);
  if (!list) return SendError(response, list.error());
  json out = json::array();
  for (const auto& job : *list) out.push_back(JobJson(job));
  SendJson(response, 200, out);
}

void ApiServer::StartJob(const httplib::Request& request, httplib::Response& response) {
  json body;
  try {
    body = json::parse(request.body);
  } catch (const json::parse_error& e) {
    return SendError(response, 400, std::string("malformed JSON: ") + e.what());
  }
  if (!body.is_object()) return SendError(response, 400, "expected a JSON object");
  for (const auto& [key, value] : body.items()) {
    if (key != "kind" && key != "scenario_id" && key != "params") {
      return SendError(response, 422,
                       "unknown field '" + key + "' (expected kind, scenario_id, params)");
    }
  }
  if (!body.contains("kind") || !body["kind"].is_string()) {
    return SendError(response, 422, "kind: expected a string such as \"plan\"");
  }
  const std::string kind = body["kind"];
  std::optional<int64_t> scenario_id;
  if (body.contains("scenario_id") && !body["scenario_id"].is_null()) {
    if (!body["scenario_id"].is_number_integer()) {
      return SendError(response, 422,
                       "scenario_id: expected an integer, got " + body["scenario_id"].dump());
    }
    scenario_id = body["scenario_id"].get<int64_t>();
  }
  json params = body.value("params", json::object());
  if (!params.is_object()) {
    return SendError(response, 422, "params: expected an object, got " + params.dump());
  }
  if (registry_.Find(kind) == nullptr) {
    if (JobRegistry::IsPlannedKind(kind)) {
      return SendError(response, 501,
                       "kind: '" + kind + "' jobs are not available in this build of cobuild");
    }
    std::string known;
    for (std::string_view k : JobRegistry::PlannedKinds()) known += (known.empty() ? "" : ", ") + std::string(k);
    return SendError(response, 422, "kind: unknown job kind '" + kind + "' (expected one of " + known + ")");
  }
  auto started = jobs_.Start(kind, scenario_id, params);
  if (!started) return SendError(response, started.error());
  if (!started->has_value()) {
    response.set_header("Retry-After", "5");
    return SendError(response, 503, "the job queue is full; try again later");
  }
  auto job = storage_.GetJob(**started);
  if (!job) return SendError(response, job.error());
  response.set_header("Location", "/api/jobs/" + std::to_string(**started));
  SendJson(response, 202, JobJson(*job));
}

void ApiServer::GetJob(const httplib::Request& request, httplib::Response& response) {
  const auto id = ParseId(request.matches[1].str());
  if (!id) return SendError(response, 404, "no job with id " + request.matches[1].str());
  auto job = storage_.GetJob(*id);
  if (!job) return SendError(response, job.error());
  SendJson(response, 200, JobJson(*job));
}

void ApiServer::CancelJob(const httplib::Request& request, httplib::Response& response) {
  const auto id = ParseId(request.matches[1].str());
  if (!id) return SendError(response, 404, "no job with id " + request.matches[1].str());
  auto cancelled = jobs_.Cancel(*id);
  if (!cancelled) {
    const Error& e = cancelled.error();
    return SendError(response, e.kind == ErrorKind::kInvalidInput ? 409 : StatusFor(e), e.message);
  }
  auto job = storage_.GetJob(*id);
  if (!job) return SendError(response, job.error());
  SendJson(response, 200, JobJson(*job));
}

void ApiServer::GetResult(const httplib::Request& request, httplib::Response& response,
                          bool csv) {
  const auto id = ParseId(request.matches[1].str());
  if (!id) return SendError(response, 404, "no job with id " + request.matches[1].str());
  auto job = storage_.GetJob(*id);
  if (!job) return SendError(response, job.error());
  if (job->status != JobStatus::kSucceeded) {
    return SendError(response, 409,
                     "job " + std::to_string(*id) + " has no result (status " +
                         std::string(ToString(job->status)) +
                         (job->error.empty() ? "" : ": " + job->error) + ")");
  }
  auto result = storage_.GetResult(*id);
  if (!result) return SendError(response, result.error());
  if (csv) {
    response.set_header("Content-Disposition", "attachment; filename=\"job-" +
                                                   std::to_string(*id) + "-" + job->kind +
                                                   ".csv\"");
    response.set_content(result->csv, "text/csv; charset=utf-8");
  } else {
    response.set_content(result->json, kJson);
  }
}

}  // namespace cobuild::server
