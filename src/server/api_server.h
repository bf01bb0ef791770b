// The HTTP front of the planning server: a JSON API under /api and the
// dashboard's static files under /, on cpp-httplib.
//
//   ApiServer server(storage, jobs, registry, validator, {.web_dir = "build/web"});
//   Result<int> port = server.Bind("127.0.0.1", 8080);   // 0: any free port
//   server.Listen();                                      // until Stop()
//
// Endpoints (docs/api.md has the full reference with curl examples):
//   GET    /api/health                    server status
//   GET    /api/kinds                     job kinds and whether this build runs them
//   GET    /api/scenarios                 list (newest first)
//   POST   /api/scenarios[?file_name=F]   YAML body -> 201, or 422 with a list of errors
//   POST   /api/scenarios/validate        YAML body -> 200, or 422; stores nothing
//   GET    /api/scenarios/{id}            one scenario, with its YAML
//   DELETE /api/scenarios/{id}            204; 409 while an unfinished job uses it
//   GET    /api/jobs[?limit=N]            list (newest first)
//   POST   /api/jobs                      {"kind", "scenario_id", "params"} -> 202 + id
//   GET    /api/jobs/{id}                 status and progress
//   POST   /api/jobs/{id}/cancel          cancel a queued or running job
//   GET    /api/jobs/{id}/result          result as JSON
//   GET    /api/jobs/{id}/result.csv      result as CSV
//
// Every error is JSON: {"error": "what went wrong", "status": 404} (422 adds
// "errors": [{file, line, column, path, message}, ...], the first 100, and
// "errors_total"). Unknown paths get 404, known paths with another method
// 405 with an Allow header (HEAD is answered as GET), bodies over the limit
// 413, malformed or too deeply nested JSON 400. When a token is set, every
// request needs it, as "Authorization: Bearer T", or the cookie that
// "/?token=T" sets for the dashboard; otherwise 401. Before any of that,
// the request guard (request_guard.h) refuses foreign Host names (421),
// cross-site writes (403) and write bodies that are not JSON or YAML (415);
// connections are limited in number and time (http_server.h). No request
// can end the process: every handler's exceptions become a 500, and request
// text is escaped and shortened before it goes into a response.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"
#include "server/job_manager.h"
#include "server/job_registry.h"
#include "server/request_guard.h"
#include "server/storage.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace cobuild::server {

class HttpServer;

// One problem found in an uploaded scenario.
struct ScenarioDiagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  std::string path;
  std::string message;
};

// What a validator says about a scenario file: its name and a summary (any
// JSON object, shown by the API) when valid, its problems otherwise.
struct ScenarioCheck {
  std::string name;
  nlohmann::json summary = nlohmann::json::object();
  std::vector<ScenarioDiagnostic> errors;
  // Problems found beyond those listed (readers list the first 100).
  size_t more_errors = 0;
  bool ok() const { return errors.empty() && more_errors == 0; }
  size_t total_errors() const { return errors.size() + more_errors; }
};

using ScenarioValidator = std::function<ScenarioCheck(std::string_view yaml, std::string_view file_name)>;

struct ApiServerOptions {
  std::string token;  // empty: no authentication (loopback only, see IsLoopbackAddress)
  size_t max_body_bytes = size_t{16} << 20;
  std::string web_dir;  // built dashboard; empty or missing: "/" explains how to build it
  // Host names the server answers to besides the loopback names and the
  // bound address (--allow-host).
  std::vector<std::string> allowed_hosts;
  int max_connections = 256;  // open at once; one more gets 503
  std::chrono::milliseconds idle_timeout{5000};
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds body_timeout{60000};
  std::chrono::milliseconds write_timeout{30000};
  int listen_backlog = 1024;  // pending connections the kernel queues for accept
};

// True for 127.0.0.0/8, ::1 (also as "[::1]") and "localhost".
bool IsLoopbackAddress(std::string_view host);

class ApiServer {
 public:
  ApiServer(Storage& storage, JobManager& jobs, const JobRegistry& registry, ScenarioValidator validator,
            ApiServerOptions options);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds the listening socket; port 0 picks a free port. Returns the port.
  // Refuses a non-loopback host unless a token is set.
  [[nodiscard]] Result<int> Bind(const std::string& host, int port);
  // Serves until Stop(); false when the socket failed.
  bool Listen();
  // Thread-safe; Listen() returns soon after, without waiting for clients.
  void Stop();
  bool IsRunning() const;

  // One request through the same checks and routes as a request from the
  // network (guard, token, API routes; a 404 elsewhere), with no socket:
  // for the fuzz harness and tests. `request.body` is the whole body.
  void HandleForTest(httplib::Request& request, httplib::Response& response);

 private:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;
  struct Route;

  void AddRoute(std::string pattern, std::string method, Handler handler);
  void Dispatch(const httplib::Request& request, httplib::Response& response);
  // Dispatch with every exception turned into a 500.
  void SafeDispatch(const httplib::Request& request, httplib::Response& response);
  // Guard and token checks; true when the request was answered (refused).
  bool Refused(const httplib::Request& request, httplib::Response& response);
  bool Authorized(const httplib::Request& request) const;

  void ListScenarios(const httplib::Request& request, httplib::Response& response);
  void CreateScenario(const httplib::Request& request, httplib::Response& response, bool store);
  void GetScenario(const httplib::Request& request, httplib::Response& response);
  void DeleteScenario(const httplib::Request& request, httplib::Response& response);
  void ListJobs(const httplib::Request& request, httplib::Response& response);
  void StartJob(const httplib::Request& request, httplib::Response& response);
  void GetJob(const httplib::Request& request, httplib::Response& response);
  void CancelJob(const httplib::Request& request, httplib::Response& response);
  // The result as stored ("json", "csv") or as an Excel workbook ("xlsx":
  // plan, replan, deal and risk jobs).
  void GetResult(const httplib::Request& request, httplib::Response& response, std::string_view format);

  Storage& storage_;
  JobManager& jobs_;
  const JobRegistry& registry_;
  ScenarioValidator validator_;
  ApiServerOptions options_;
  std::vector<Route> routes_;
  std::atomic<bool> stop_requested_ = false;
  std::atomic<bool> listening_ = false;
  GuardPolicy guard_;
  std::unique_ptr<HttpServer> http_;
};

}  // namespace cobuild::server
