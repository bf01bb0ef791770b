// One HTTP request through the API's handler functions (guard, token,
// routes, job-parameter checks, scenario validation), without a socket:
// ApiServer::HandleForTest. The input is a request as text:
//   METHOD PATH[?QUERY]\n
//   Header: value\n ...
//   \n
//   body
// Invariants: the process survives, the status is a real one, and every
// JSON answer parses (a request must never break the response).
#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_support.h"
#include "server/api_server.h"
#include "server/engines.h"
#include "server/job_manager.h"
#include "server/storage.h"

namespace {

using namespace cobuild;

// The server under test. Jobs are accepted with the real kinds' parameter
// checks but run a handler that returns at once, so no solve starts.
struct Server {
  std::unique_ptr<server::Storage> storage;
  server::JobRegistry registry;
  std::unique_ptr<server::JobManager> jobs;
  std::unique_ptr<server::ApiServer> api;

  Server() {
    storage = std::move(*server::Storage::Open(":memory:"));
    const server::JobRegistry real = server::DefaultJobRegistry();
    for (const server::JobKind* kind : real.Kinds()) {
      registry.Register({.name = kind->name,
                         .description = kind->description,
                         .needs_scenario = kind->needs_scenario,
                         .handler = [](const server::JobContext&) -> Result<server::JobOutput> {
                           return server::JobOutput{.json = {{"ok", true}}, .csv = "ok\n"};
                         },
                         .check_params = kind->check_params});
    }
    jobs = std::make_unique<server::JobManager>(*storage, registry,
                                                server::JobManagerOptions{.num_workers = 1, .max_queued = 4});
    api = std::make_unique<server::ApiServer>(*storage, *jobs, registry, server::ValidateScenarioYaml,
                                              server::ApiServerOptions{.max_body_bytes = size_t{1} << 20});
  }
  ~Server() {
    api.reset();
    jobs->Shutdown(std::chrono::seconds(5));
  }
};

httplib::Request ParseRequest(std::string_view text) {
  httplib::Request request;
  const auto take_line = [&text]() {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    return line;
  };
  std::string_view first = take_line();
  const size_t space = first.find(' ');
  request.method = std::string(first.substr(0, space));
  std::string_view target = space == std::string_view::npos ? "/" : first.substr(space + 1);
  const size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) {
    std::string_view query = target.substr(question + 1);
    while (!query.empty()) {
      const size_t amp = query.find('&');
      const std::string_view pair = query.substr(0, amp);
      const size_t eq = pair.find('=');
      request.params.emplace(std::string(pair.substr(0, eq)),
                             eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1)));
      query.remove_prefix(amp == std::string_view::npos ? query.size() : amp + 1);
    }
  }
  while (!text.empty()) {
    const std::string_view line = take_line();
    if (line.empty()) break;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    request.headers.emplace(std::string(line.substr(0, colon)), std::string(value));
  }
  request.body = std::string(text);
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The server starts its job worker thread, which must not exist before
  // AFL++'s fork server forks (afl_main.cc calls once with no input first).
  if (size == 0) return 0;
  // Rebuilt now and then, so stored scenarios and jobs do not pile up.
  static std::unique_ptr<Server> server;
  static int runs = 0;
  if (!server || ++runs % 500 == 0) {
    server.reset();
    server = std::make_unique<Server>();
  }
  httplib::Request request = ParseRequest(fuzz::AsText(data, size));
  httplib::Response response;
  server->api->HandleForTest(request, response);
  fuzz::Require(response.status >= 200 && response.status <= 599, "a real status");
  if (response.get_header_value("Content-Type") == "application/json") {
    fuzz::Require(!nlohmann::json::parse(response.body, nullptr, false).is_discarded(),
                  "a JSON answer parses");
  }
  fuzz::Require(response.body.size() <= (size_t{4} << 20), "an answer stays bounded");
  return 0;
}
