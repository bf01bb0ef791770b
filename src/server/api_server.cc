#include "server/api_server.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <thread>
#include <utility>

#include "cobuild/version.h"
#include "io/xlsx_export.h"
#include "server/http_server.h"

namespace cobuild::server {
namespace {

using nlohmann::json;

constexpr const char* kJson = "application/json";

// Listed at most in a 422; the response says how many there were.
constexpr size_t kMaxListedErrors = 100;

void SendJson(httplib::Response& response, int status, const json& body) {
  response.status = status;
  response.set_content(SafeDump(body), kJson);
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
    if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=') {
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
    if (io::HasWorkbook(job.kind)) out["result"]["xlsx"] = base + "/result.xlsx";
  }
  return out;
}

json DiagnosticsJson(const std::vector<ScenarioDiagnostic>& errors) {
  json out = json::array();
  for (const auto& d : std::span(errors).first(std::min(errors.size(), kMaxListedErrors))) {
    out.push_back(
        {{"file", d.file}, {"line", d.line}, {"column", d.column}, {"path", d.path}, {"message", d.message}});
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

// Sent with every response. The dashboard loads only its own script and
// stylesheet; no page may frame it (clickjacking).
const httplib::Headers& SecurityHeaders() {
  static const httplib::Headers headers = {
      {"X-Content-Type-Options", "nosniff"},
      {"Content-Security-Policy",
       "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
  };
  return headers;
}

// The tab icon: a small blue square with a white "c".
constexpr const char* kFavicon =
    R"svg(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">)svg"
    R"svg(<rect width="16" height="16" rx="3" fill="#1f5f99"/>)svg"
    R"svg(<text x="8" y="12.5" font-family="sans-serif" font-size="12" font-weight="bold" )svg"
    R"svg(fill="#fff" text-anchor="middle">c</text></svg>)svg";

constexpr const char* kNoDashboardPage = R"html(<!doctype html>
<html><head><meta charset="utf-8"><title>cobuild</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml"></head>
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
  std::map<std::string, std::function<void(const httplib::Request&, httplib::Response&)>> by_method;
};

// "[::1]" -> "::1": the form of an IPv6 address that bind() takes.
std::string BindAddress(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return std::string(host);
}

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
      guard_(GuardPolicy::ForBind("127.0.0.1", options_.allowed_hosts, !options_.token.empty())),
      http_(std::make_unique<HttpServer>(HttpLimits{.max_connections = options_.max_connections,
                                                    .idle_timeout = options_.idle_timeout,
                                                    .header_timeout = options_.header_timeout,
                                                    .body_timeout = options_.body_timeout,
                                                    .write_timeout = options_.write_timeout,
                                                    .listen_backlog = options_.listen_backlog})) {
  auto& http = *http_;
  http.set_payload_max_length(options_.max_body_bytes);
  http.set_default_headers(SecurityHeaders());

  http.set_pre_routing_handler([this](const httplib::Request& request, httplib::Response& response) {
    HttpServer::HeadersRead();
    // cpp-httplib 0.11 would answer every range of a multi-range request
    // (100 ranges of "0-" make a response 100 times the file): one range is
    // served, several are ignored and the whole file is sent (RFC 9110
    // allows a server to ignore Range).
    if (request.ranges.size() > 1) {
      auto& writable = const_cast<httplib::Request&>(request);
      writable.ranges.clear();
      writable.headers.erase("Range");
    }
    return Refused(request, response) ? httplib::Server::HandlerResponse::Handled
                                      : httplib::Server::HandlerResponse::Unhandled;
  });
  // cpp-httplib chose 206 before the ranges were dropped above.
  http.set_post_routing_handler([](const httplib::Request& request, httplib::Response& response) {
    if (response.status == 206 && request.ranges.empty()) response.status = 200;
  });
  // Called for every response with status >= 400; fills in the ones that
  // cpp-httplib produced itself (413, 400 on a bad request line, 404).
  http.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
    if (!response.body.empty()) return;
    std::string message = "request failed";
    switch (response.status) {
      case 400:
        message = "malformed HTTP request";
        break;
      case 404:
        message = "no such page: " + Excerpt(request.path);
        break;
      case 413:
        message = "request body is larger than the server accepts";
        break;
      case 414:
        message = "request URI too long";
        break;
      case 416:
        message = "range not satisfiable";
        break;
      default:
        break;
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
        SendError(response, 500, "internal error: " + Excerpt(what, 200));
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
  // Unless the dashboard brings its own.
  for (const char* icon : {"/favicon.svg", "/favicon.ico"}) {
    http.Get(icon, [](const httplib::Request&, httplib::Response& response) {
      response.set_header("Cache-Control", "max-age=86400");
      response.set_content(kFavicon, "image/svg+xml");
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
  AddRoute("/api/scenarios/validate", "POST", [this](Req q, Res s) { CreateScenario(q, s, false); });
  AddRoute(R"(/api/scenarios/(\d+))", "GET", [this](Req q, Res s) { GetScenario(q, s); });
  AddRoute(R"(/api/scenarios/(\d+))", "DELETE", [this](Req q, Res s) { DeleteScenario(q, s); });
  AddRoute("/api/jobs", "GET", [this](Req q, Res s) { ListJobs(q, s); });
  AddRoute("/api/jobs", "POST", [this](Req q, Res s) { StartJob(q, s); });
  AddRoute(R"(/api/jobs/(\d+))", "GET", [this](Req q, Res s) { GetJob(q, s); });
  AddRoute(R"(/api/jobs/(\d+)/cancel)", "POST", [this](Req q, Res s) { CancelJob(q, s); });
  AddRoute(R"(/api/jobs/(\d+)/result)", "GET", [this](Req q, Res s) { GetResult(q, s, "json"); });
  AddRoute(R"(/api/jobs/(\d+)/result\.csv)", "GET", [this](Req q, Res s) { GetResult(q, s, "csv"); });
  AddRoute(R"(/api/jobs/(\d+)/result\.xlsx)", "GET", [this](Req q, Res s) { GetResult(q, s, "xlsx"); });

  const auto dispatch = [this](Req q, Res s) { SafeDispatch(q, s); };
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
    if (!q.has_header("Content-Length") && !q.has_header("Transfer-Encoding")) {
      return SafeDispatch(q, s);
    }
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
        return SendError(
            s, 413, "request body is larger than the server accepts (" + std::to_string(limit) + " bytes)");
      }
      return SendError(s, 400, "could not read the request body");
    }
    SafeDispatch(q, s);
  });
  http.Put(all_api, dispatch);
  http.Patch(all_api, dispatch);
  http.Delete(all_api, dispatch);
  http.Options(all_api, dispatch);
}

ApiServer::~ApiServer() = default;

void ApiServer::AddRoute(std::string pattern, std::string method, Handler handler) {
  auto it = std::find_if(routes_.begin(), routes_.end(), [&](const Route& r) { return r.text == pattern; });
  if (it == routes_.end()) {
    std::regex compiled(pattern);
    routes_.push_back(Route{.text = std::move(pattern), .pattern = std::move(compiled), .by_method = {}});
    it = std::prev(routes_.end());
  }
  it->by_method[std::move(method)] = std::move(handler);
}

void ApiServer::SafeDispatch(const httplib::Request& request, httplib::Response& response) {
  try {
    Dispatch(request, response);
  } catch (const std::exception& e) {
    response = httplib::Response();
    SendError(response, 500, "internal error: " + Excerpt(e.what(), 200));
  } catch (...) {
    response = httplib::Response();
    SendError(response, 500, "internal error: unknown exception");
  }
}

void ApiServer::HandleForTest(httplib::Request& request, httplib::Response& response) {
  if (Refused(request, response)) return;
  if (request.path == "/api" || request.path.starts_with("/api/")) {
    return SafeDispatch(request, response);
  }
  response.status = 404;
  SendError(response, 404, "no such page: " + Excerpt(request.path));
}

bool ApiServer::Refused(const httplib::Request& request, httplib::Response& response) {
  // get_header_value returns a copy: kept here while facts point at them.
  const std::string host = request.get_header_value("Host");
  const std::string origin = request.get_header_value("Origin");
  const std::string content_type = request.get_header_value("Content-Type");
  const RequestFacts facts{
      .method = request.method,
      .path = request.path,
      .host = host,
      .origin = origin,
      .content_type = content_type,
      .has_body = !request.body.empty() ||
                  std::strtoull(request.get_header_value("Content-Length").c_str(), nullptr, 10) > 0 ||
                  request.has_header("Transfer-Encoding")};
  if (auto rejection = CheckRequest(facts, guard_)) {
    SendError(response, rejection->status, rejection->message);
    return true;
  }
  if (Authorized(request)) return false;
  // "/?token=T" lets a browser in: the cookie carries the token from then on.
  if (!options_.token.empty() && request.path == "/" &&
      SameSecret(request.get_param_value("token"), options_.token)) {
    response.set_header("Set-Cookie",
                        "cobuild_token=" + options_.token + "; Path=/; HttpOnly; SameSite=Strict");
    return false;
  }
  SendError(response, 401, "missing or wrong bearer token");
  response.set_header("WWW-Authenticate", "Bearer");
  return true;
}

void ApiServer::Dispatch(const httplib::Request& request, httplib::Response& response) {
  // HEAD is GET without the body, which cpp-httplib leaves out.
  const std::string method = request.method == "HEAD" ? "GET" : request.method;
  for (const Route& route : routes_) {
    std::smatch match;
    if (!std::regex_match(request.path, match, route.pattern)) continue;
    auto handler = route.by_method.find(method);
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
              Excerpt(request.method) + " is not allowed on " + Excerpt(request.path) +
                  " (allowed: " + allow + ")");
    return;
  }
  SendError(response, 404, "no such endpoint: " + Excerpt(request.method) + " " + Excerpt(request.path));
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
  guard_ = GuardPolicy::ForBind(host, options_.allowed_hosts, !options_.token.empty());
  if (!IsLoopbackAddress(host) && options_.token.empty()) {
    return InvalidInput("--bind " + host + ": refusing to listen on a non-loopback address without --token");
  }
  const bool token_ok = std::all_of(options_.token.begin(), options_.token.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("-._~+/=").find(c) != std::string_view::npos;
  });
  if (!token_ok) {
    return InvalidInput("--token: use letters, digits and -._~+/= only");
  }
  if (port < 0 || port > 65535) {
    return InvalidInput("--port: expected 0..65535, got " + std::to_string(port));
  }
  const std::string address = BindAddress(host);
  int bound = port;
  if (port == 0) {
    bound = http_->bind_to_any_port(address);
    if (bound <= 0) return Internal("cannot listen on " + host + " (any port)");
  } else if (!http_->bind_to_port(address, port)) {
    return Internal("cannot listen on " + host + ":" + std::to_string(port) +
                    " (in use, or not an address of this machine)");
  }
  http_->RaiseListenBacklog();
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
  http_->CloseConnections();
}
bool ApiServer::IsRunning() const { return http_->is_running(); }

void ApiServer::ListScenarios(const httplib::Request&, httplib::Response& response) {
  auto list = storage_.ListScenarios();
  if (!list) return SendError(response, list.error());
  json out = json::array();
  for (const auto& s : *list) out.push_back(ScenarioJson(s));
  SendJson(response, 200, out);
}

void ApiServer::CreateScenario(const httplib::Request& request, httplib::Response& response, bool store) {
  const std::string file_name =
      CleanFileName(request.has_param("file_name") ? request.get_param_value("file_name") : "upload.yaml");
  if (request.body.empty()) {
    return SendJson(response, 422,
                    {{"error", "the request body is empty; send the scenario YAML"},
                     {"status", 422},
                     {"errors", json::array()}});
  }
  const ScenarioCheck check = validator_(request.body, file_name);
  if (!check.ok()) {
    return SendJson(
        response, 422,
        {{"error", file_name + ": " + std::to_string(check.total_errors()) + " problem(s) in the scenario"},
         {"status", 422},
         {"errors", DiagnosticsJson(check.errors)},
         {"errors_total", check.total_errors()}});
  }
  if (!store) {
    return SendJson(response, 200, {{"valid", true}, {"name", check.name}, {"summary", check.summary}});
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
  if (!id) return SendError(response, 404, "no scenario with id " + Excerpt(request.matches[1].str()));
  auto record = storage_.GetScenario(*id);
  if (!record) return SendError(response, record.error());
  json out = ScenarioJson(*record);
  out["yaml"] = record->yaml;
  // Its summary as at upload (lines that can be sequenced, plants, horizon),
  // for the pages that pick from it; re-read, since only the YAML is stored.
  const ScenarioCheck check = validator_(record->yaml, record->file_name);
  if (check.ok()) out["summary"] = check.summary;
  SendJson(response, 200, out);
}

void ApiServer::DeleteScenario(const httplib::Request& request, httplib::Response& response) {
  const auto id = ParseId(request.matches[1].str());
  if (!id) return SendError(response, 404, "no scenario with id " + Excerpt(request.matches[1].str()));
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
      return SendError(
          response, 400,
          "limit: expected an integer in 1..1000, got '" + Excerpt(request.get_param_value("limit")) + "'");
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
  Result<json> parsed = ParseJsonBody(request.body);
  if (!parsed) return SendError(response, 400, parsed.error().message);
  const json& body = *parsed;
  if (!body.is_object()) return SendError(response, 400, "expected a JSON object");
  for (const auto& [key, value] : body.items()) {
    if (key != "kind" && key != "scenario_id" && key != "params") {
      return SendError(response, 422,
                       "unknown field '" + Excerpt(key) + "' (expected kind, scenario_id, params)");
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
                       "scenario_id: expected an integer, got " + Excerpt(SafeDump(body["scenario_id"])));
    }
    scenario_id = body["scenario_id"].get<int64_t>();
  }
  json params = body.value("params", json::object());
  if (!params.is_object()) {
    return SendError(response, 422, "params: expected an object, got " + Excerpt(SafeDump(params)));
  }
  const JobKind* job_kind = registry_.Find(kind);
  if (job_kind == nullptr) {
    if (JobRegistry::IsPlannedKind(kind)) {
      return SendError(response, 501, "kind: '" + kind + "' jobs are not available in this build of cobuild");
    }
    std::string known;
    for (std::string_view k : JobRegistry::PlannedKinds())
      known += (known.empty() ? "" : ", ") + std::string(k);
    return SendError(response, 422,
                     "kind: unknown job kind '" + Excerpt(kind) + "' (expected one of " + known + ")");
  }
  // The parameters are checked now, so a typo is a 422 here rather than a
  // failed job later.
  if (job_kind->check_params) {
    if (auto checked = job_kind->check_params(params); !checked) {
      return SendError(response, 422, Excerpt(checked.error().message, 400));
    }
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
  if (!id) return SendError(response, 404, "no job with id " + Excerpt(request.matches[1].str()));
  auto job = storage_.GetJob(*id);
  if (!job) return SendError(response, job.error());
  SendJson(response, 200, JobJson(*job));
}

void ApiServer::CancelJob(const httplib::Request& request, httplib::Response& response) {
  const auto id = ParseId(request.matches[1].str());
  if (!id) return SendError(response, 404, "no job with id " + Excerpt(request.matches[1].str()));
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
                          std::string_view format) {
  const auto id = ParseId(request.matches[1].str());
  if (!id) return SendError(response, 404, "no job with id " + Excerpt(request.matches[1].str()));
  auto job = storage_.GetJob(*id);
  if (!job) return SendError(response, job.error());
  if (format == "xlsx" && !io::HasWorkbook(job->kind)) {
    return SendError(response, 404,
                     "job " + std::to_string(*id) + " is a " + job->kind +
                         " job; Excel workbooks are for plan, replan, deal and risk jobs");
  }
  if (job->status != JobStatus::kSucceeded) {
    return SendError(response, 409,
                     "job " + std::to_string(*id) + " has no result (status " +
                         std::string(ToString(job->status)) + (job->error.empty() ? "" : ": " + job->error) +
                         ")");
  }
  auto result = storage_.GetResult(*id);
  if (!result) return SendError(response, result.error());
  const std::string file_name = "job-" + std::to_string(*id) + "-" + job->kind + "." + std::string(format);
  if (format == "csv") {
    response.set_header("Content-Disposition", "attachment; filename=\"" + file_name + "\"");
    response.set_content(result->csv, "text/csv; charset=utf-8");
  } else if (format == "xlsx") {
    // Built from the stored JSON on each request (milliseconds; nothing more to store).
    const json document = json::parse(result->json, nullptr, false);
    if (document.is_discarded()) {
      return SendError(response, 500, "job " + std::to_string(*id) + ": the stored result is not JSON");
    }
    auto sheets = io::ResultWorkbook(job->kind, document);
    if (!sheets) return SendError(response, sheets.error());
    auto bytes = io::XlsxBytes(*sheets);
    if (!bytes) return SendError(response, bytes.error());
    response.set_header("Content-Disposition", "attachment; filename=\"" + file_name + "\"");
    response.set_content(*bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  } else {
    response.set_content(result->json, kJson);
  }
}

}  // namespace cobuild::server
