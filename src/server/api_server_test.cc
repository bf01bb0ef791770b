#include "server/api_server.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

namespace cobuild::server {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// A test-only validator: a scenario is any text with a "name: X" line; a
// line "bad: N" is reported as an error at line N.
ScenarioCheck FakeValidate(std::string_view yaml, std::string_view file_name) {
  ScenarioCheck check;
  size_t pos = 0;
  int line = 0;
  while (pos < yaml.size()) {
    size_t end = yaml.find('\n', pos);
    if (end == std::string_view::npos) end = yaml.size();
    std::string_view text = yaml.substr(pos, end - pos);
    ++line;
    if (text.starts_with("name: ")) check.name = std::string(text.substr(6));
    if (text.starts_with("bad: ")) {
      check.errors.push_back({.file = std::string(file_name),
                              .line = line,
                              .column = 6,
                              .path = "bad",
                              .message = "must not be " + std::string(text.substr(5))});
    }
    pos = end + 1;
  }
  if (check.name.empty() && check.errors.empty()) {
    check.errors.push_back({.file = std::string(file_name),
                            .line = 1,
                            .column = 1,
                            .path = "name",
                            .message = "required field is missing"});
  }
  check.summary = {{"lines", line}};
  return check;
}

class ApiServerTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer({}); }
  void TearDown() override { StopServer(); }

  void StartServer(ApiServerOptions options) {
    storage_ = std::move(*Storage::Open(":memory:"));
    registry_.Register({.name = "validate",
                        .description = "counts the scenario's lines",
                        .needs_scenario = true,
                        .handler = [this](const JobContext& job) -> Result<JobOutput> {
                          while (hold_ && !job.stop.stop_requested()) {
                            job.report_progress(0.5, "holding");
                            std::this_thread::sleep_for(std::chrono::milliseconds(1));
                          }
                          const auto check = FakeValidate(job.scenario->yaml, "x.yaml");
                          return JobOutput{.json = {{"name", check.name}, {"summary", check.summary}},
                                           .csv = "name\n" + check.name + "\n"};
                        },
                        .check_params = [](const json& params) -> Result<void> {
                          for (const auto& [key, value] : params.items()) {
                            if (key != "seed" || !value.is_number_integer()) {
                              return InvalidInput("params." + key + ": not accepted");
                            }
                          }
                          return {};
                        }});
    // A risk result as the risk job writes it, cut short: for the workbook.
    registry_.Register({.name = "risk",
                        .description = "a fixed risk result",
                        .needs_scenario = false,
                        .handler = [](const JobContext&) -> Result<JobOutput> {
                          return JobOutput{.json = {{"samples", 2},
                                                    {"baseline_contribution_gbp", 5e6},
                                                    {"loss_gbp", {{"p10", 0}, {"p50", 1e5}, {"p90", 4e5}}},
                                                    {"losses_gbp", {0, 4e5}}},
                                           .csv = "sample\n"};
                        }});
    jobs_ = std::make_unique<JobManager>(*storage_, registry_,
                                         JobManagerOptions{.num_workers = 1, .max_queued = 2});
    server_ = std::make_unique<ApiServer>(*storage_, *jobs_, registry_, FakeValidate, std::move(options));
    auto port = server_->Bind("127.0.0.1", 0);
    ASSERT_TRUE(port.has_value()) << port.error().message;
    port_ = *port;
    thread_ = std::thread([this] { server_->Listen(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client_->set_read_timeout(10, 0);
  }
  void StopServer() {
    hold_ = false;
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
    jobs_.reset();
  }

  static json Body(const httplib::Result& r) { return json::parse(r->body, nullptr, false); }

  // Sends `request` as is on a new connection; the whole answer.
  std::string RawRequest(const std::string& request) const {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port_));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string answer;
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0 &&
        ::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size())) {
      char buffer[4096];
      for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) {
        answer.append(buffer, static_cast<size_t>(n));
      }
    }
    ::close(fd);
    return answer;
  }

  int64_t Upload(const std::string& yaml) {
    auto r = client_->Post("/api/scenarios?file_name=uk.yaml", yaml, "application/yaml");
    EXPECT_EQ(r->status, 201) << r->body;
    return Body(r)["id"].get<int64_t>();
  }

  json WaitForJob(int64_t id) {
    json job;
    for (int i = 0; i < 2000; ++i) {
      job = Body(client_->Get("/api/jobs/" + std::to_string(id)));
      const std::string status = job.value("status", "");
      if (status != "queued" && status != "running") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return job;
  }

  std::unique_ptr<Storage> storage_;
  JobRegistry registry_;
  std::unique_ptr<JobManager> jobs_;
  std::unique_ptr<ApiServer> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
  int port_ = 0;
  std::atomic<bool> hold_ = false;
};

TEST_F(ApiServerTest, HealthAnswersJson) {
  auto r = client_->Get("/api/health");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(Body(r)["status"], "ok");
}

TEST_F(ApiServerTest, KindsSayWhatThisBuildRuns) {
  json kinds = Body(client_->Get("/api/kinds"));
  ASSERT_TRUE(kinds.is_array());
  std::map<std::string, bool> available;
  for (const auto& k : kinds) available[k["name"]] = k["available"];
  EXPECT_TRUE(available.at("validate"));
  EXPECT_FALSE(available.at("plan"));
}

TEST_F(ApiServerTest, ScenarioCreateListGetDelete) {
  const int64_t id = Upload("name: uk-2026\nplants: []\n");
  json list = Body(client_->Get("/api/scenarios"));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["name"], "uk-2026");
  EXPECT_EQ(list[0]["file_name"], "uk.yaml");
  json one = Body(client_->Get("/api/scenarios/" + std::to_string(id)));
  EXPECT_EQ(one["yaml"], "name: uk-2026\nplants: []\n");
  auto del = client_->Delete("/api/scenarios/" + std::to_string(id));
  EXPECT_EQ(del->status, 204);
  EXPECT_EQ(client_->Get("/api/scenarios/" + std::to_string(id))->status, 404);
  EXPECT_EQ(client_->Delete("/api/scenarios/" + std::to_string(id))->status, 404);
}

TEST_F(ApiServerTest, InvalidScenarioIs422WithEveryError) {
  auto r =
      client_->Post("/api/scenarios?file_name=broken.yaml", "name: x\nbad: 1\nbad: 2\n", "application/yaml");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422);
  json body = Body(r);
  ASSERT_EQ(body["errors"].size(), 2u);
  EXPECT_EQ(body["errors"][1], (json{{"file", "broken.yaml"},
                                     {"line", 3},
                                     {"column", 6},
                                     {"path", "bad"},
                                     {"message", "must not be 2"}}));
  EXPECT_TRUE(Body(client_->Get("/api/scenarios")).empty());
}

TEST_F(ApiServerTest, ValidateEndpointStoresNothing) {
  auto ok = client_->Post("/api/scenarios/validate", "name: a\n", "application/yaml");
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(Body(ok)["valid"], true);
  EXPECT_EQ(client_->Post("/api/scenarios/validate", "", "application/yaml")->status, 422);
  // A large body is not parsed (or limited) as a form; one sent as a form
  // (curl -d) is refused with a message naming the right type.
  const std::string large = "name: a\n" + std::string(20000, '#') + "\n";
  EXPECT_EQ(client_->Post("/api/scenarios/validate", large, "application/yaml")->status, 200);
  auto form = client_->Post("/api/scenarios/validate", large, "application/x-www-form-urlencoded");
  EXPECT_EQ(form->status, 415);
  EXPECT_NE(Body(form)["error"].get<std::string>().find("application/yaml"), std::string::npos);
  EXPECT_TRUE(Body(client_->Get("/api/scenarios")).empty());
}

TEST_F(ApiServerTest, JobRunsAndServesJsonAndCsv) {
  const int64_t scenario = Upload("name: uk-2026\n");
  auto r = client_->Post("/api/jobs", json{{"kind", "validate"}, {"scenario_id", scenario}}.dump(),
                         "application/json");
  ASSERT_EQ(r->status, 202) << r->body;
  const int64_t id = Body(r)["id"];
  EXPECT_EQ(r->get_header_value("Location"), "/api/jobs/" + std::to_string(id));
  json job = WaitForJob(id);
  ASSERT_EQ(job["status"], "succeeded") << job.dump();
  EXPECT_EQ(job["progress"], 1.0);
  auto result = client_->Get("/api/jobs/" + std::to_string(id) + "/result");
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(Body(result)["name"], "uk-2026");
  auto csv = client_->Get("/api/jobs/" + std::to_string(id) + "/result.csv");
  EXPECT_EQ(csv->status, 200);
  EXPECT_EQ(csv->body, "name\nuk-2026\n");
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(Body(client_->Get("/api/jobs")).size(), 1u);
}

TEST_F(ApiServerTest, ResultXlsxForKindsWithAWorkbook) {
  auto r = client_->Post("/api/jobs", json{{"kind", "risk"}}.dump(), "application/json");
  ASSERT_EQ(r->status, 202) << r->body;
  const int64_t id = Body(r)["id"];
  json job = WaitForJob(id);
  ASSERT_EQ(job["status"], "succeeded") << job.dump();
  const std::string path = "/api/jobs/" + std::to_string(id) + "/result.xlsx";
  EXPECT_EQ(job["result"]["xlsx"], path);
  auto xlsx = client_->Get(path);
  ASSERT_EQ(xlsx->status, 200) << xlsx->body;
  EXPECT_EQ(xlsx->get_header_value("Content-Type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_THAT(xlsx->get_header_value("Content-Disposition"),
              HasSubstr("job-" + std::to_string(id) + "-risk.xlsx"));
  EXPECT_EQ(xlsx->body.substr(0, 2), "PK");  // a zip archive

  // A kind without a workbook: no link, and 404 naming the kinds that have one.
  const int64_t scenario = Upload("name: a\n");
  auto v = client_->Post("/api/jobs", json{{"kind", "validate"}, {"scenario_id", scenario}}.dump(),
                         "application/json");
  const int64_t validate = Body(v)["id"];
  json validated = WaitForJob(validate);
  EXPECT_FALSE(validated["result"].contains("xlsx"));
  auto none = client_->Get("/api/jobs/" + std::to_string(validate) + "/result.xlsx");
  EXPECT_EQ(none->status, 404);
  EXPECT_THAT(Body(none)["error"].get<std::string>(), HasSubstr("plan, replan, deal and risk"));
  EXPECT_EQ(client_->Get("/api/jobs/999/result.xlsx")->status, 404);
}

TEST_F(ApiServerTest, RunningJobShowsProgressAndCanBeCancelled) {
  const int64_t scenario = Upload("name: a\n");
  hold_ = true;
  auto r = client_->Post("/api/jobs", json{{"kind", "validate"}, {"scenario_id", scenario}}.dump(),
                         "application/json");
  const std::string path = "/api/jobs/" + std::to_string(Body(r)["id"].get<int64_t>());
  json job = json::object();
  for (int i = 0; i < 2000 && job.value("progress", 0.0) != 0.5; ++i) {
    job = Body(client_->Get(path));
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_EQ(job["status"], "running");
  EXPECT_EQ(job["message"], "holding");
  EXPECT_EQ(client_->Get(path + "/result")->status, 409);
  // The scenario is in use by an unfinished job.
  EXPECT_EQ(client_->Delete("/api/scenarios/" + std::to_string(scenario))->status, 409);
  auto cancel = client_->Post(path + "/cancel", "", "application/json");
  EXPECT_EQ(cancel->status, 200);
  EXPECT_EQ(Body(cancel)["status"], "cancelled");
  EXPECT_EQ(client_->Post(path + "/cancel", "", "application/json")->status, 409);
  // `curl -X POST URL` sends neither a length nor a body: read as empty.
  EXPECT_NE(RawRequest("POST " + path + "/cancel HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .find("HTTP/1.1 409"),
            std::string::npos);
}

TEST_F(ApiServerTest, BadJobRequestsGet4xxJson) {
  const int64_t scenario = Upload("name: a\n");
  struct Case {
    std::string body;
    int status;
  };
  const std::vector<Case> cases = {
      {"{not json", 400},
      {"[1,2]", 400},
      {R"({"kind": 3})", 422},
      {R"({"kind": "validate"})", 422},  // no scenario_id
      {R"({"kind": "validate", "scenario_id": "one"})", 422},
      {R"({"kind": "validate", "scenario_id": 999})", 404},
      {R"({"kind": "validate", "scenario_id": 1, "extra": 1})", 422},
      {R"({"kind": "validate", "scenario_id": 1, "params": [1]})", 422},
      {R"({"kind": "teleport", "scenario_id": 1})", 422},
      {R"({"kind": "plan", "scenario_id": 1})", 501},
  };
  ASSERT_EQ(scenario, 1);
  for (const auto& c : cases) {
    auto r = client_->Post("/api/jobs", c.body, "application/json");
    ASSERT_TRUE(r) << c.body;
    EXPECT_EQ(r->status, c.status) << c.body << " -> " << r->body;
    json body = Body(r);
    EXPECT_TRUE(body.contains("error")) << r->body;
    EXPECT_EQ(body["status"], c.status);
  }
}

TEST_F(ApiServerTest, UnknownIdsPathsAndWrongMethods) {
  EXPECT_EQ(client_->Get("/api/jobs/77")->status, 404);
  EXPECT_EQ(client_->Get("/api/jobs/77/result")->status, 404);
  EXPECT_EQ(client_->Get("/api/jobs/99999999999999999999999")->status, 404);
  EXPECT_EQ(client_->Get("/api/jobs/abc")->status, 404);
  EXPECT_EQ(client_->Get("/api/nothing")->status, 404);
  auto wrong = client_->Put("/api/scenarios", "x", "application/yaml");
  EXPECT_EQ(wrong->status, 405);
  EXPECT_EQ(wrong->get_header_value("Allow"), "GET, POST");
  EXPECT_EQ(Body(wrong)["status"], 405);
  EXPECT_EQ(client_->Delete("/api/jobs")->status, 405);
  EXPECT_EQ(client_->Post("/api/health", "", "text/plain")->status, 405);
}

TEST_F(ApiServerTest, QueueFullIs503) {
  const int64_t scenario = Upload("name: a\n");
  hold_ = true;
  const std::string body = json{{"kind", "validate"}, {"scenario_id", scenario}}.dump();
  // One running (after it starts) plus two queued fill a pool of 1 worker, 2 slots.
  EXPECT_EQ(client_->Post("/api/jobs", body, "application/json")->status, 202);
  while (jobs_->busy() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(client_->Post("/api/jobs", body, "application/json")->status, 202);
  EXPECT_EQ(client_->Post("/api/jobs", body, "application/json")->status, 202);
  auto full = client_->Post("/api/jobs", body, "application/json");
  EXPECT_EQ(full->status, 503);
  EXPECT_EQ(full->get_header_value("Retry-After"), "5");
}

TEST_F(ApiServerTest, OversizedBodyIs413Json) {
  StopServer();
  StartServer({.token = "", .max_body_bytes = 1024, .web_dir = "", .max_connections = 64});
  auto r = client_->Post("/api/scenarios", std::string(4096, 'x'), "application/yaml");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(Body(r)["status"], 413);
}

TEST_F(ApiServerTest, TokenIsRequiredWhenSet) {
  StopServer();
  StartServer({.token = "s3cret", .max_body_bytes = 1 << 20, .web_dir = "", .max_connections = 64});
  EXPECT_EQ(client_->Get("/api/health")->status, 401);
  client_->set_bearer_token_auth("wrong");
  EXPECT_EQ(client_->Get("/api/health")->status, 401);
  client_->set_bearer_token_auth("s3cret");
  EXPECT_EQ(client_->Get("/api/health")->status, 200);

  httplib::Client browser("127.0.0.1", port_);
  auto page = browser.Get("/?token=s3cret");
  EXPECT_EQ(page->status, 200);
  const std::string cookie = page->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("cobuild_token=s3cret"), std::string::npos) << cookie;
  EXPECT_EQ(browser.Get("/api/health", {{"Cookie", "cobuild_token=s3cret"}})->status, 200);
  EXPECT_EQ(browser.Get("/api/health", {{"Cookie", "cobuild_token=nope"}})->status, 401);
}

TEST(ApiServerBindTest, RefusesNonLoopbackWithoutToken) {
  auto storage = std::move(*Storage::Open(":memory:"));
  JobRegistry registry;
  JobManager jobs(*storage, registry, {});
  ApiServer open(*storage, jobs, registry, FakeValidate, {});
  auto refused = open.Bind("0.0.0.0", 0);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message.find("--token"), std::string::npos);
  ApiServer guarded(*storage, jobs, registry, FakeValidate,
                    {.token = "t", .max_body_bytes = 1024, .web_dir = "", .max_connections = 64});
  EXPECT_TRUE(guarded.Bind("0.0.0.0", 0).has_value());
}

// Each test below sends one request of a hostile class from issue 13 and
// checks the answer and that the server still answers afterwards.

TEST_F(ApiServerTest, InvalidUtf8InPathOrBodyIsAnsweredAndServerLives) {
  for (const std::string path : {"/%ff", "/api/%ff", "/api/jobs/%ff%fe", "/%c0%80"}) {
    const std::string answer = RawRequest("GET " + path +
                                          " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                          "Connection: close\r\n\r\n");
    EXPECT_NE(answer.find(" 404 "), std::string::npos) << path << ": " << answer;
    const std::string body = answer.substr(answer.find("\r\n\r\n") + 4);
    EXPECT_FALSE(json::parse(body, nullptr, false).is_discarded()) << body;
  }
  auto r = client_->Post("/api/jobs", "{\"kind\": \"\xff\xfe\", \"scenario_id\": 1}", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400) << r->body;  // JSON must be UTF-8
  EXPECT_FALSE(Body(r).is_discarded()) << r->body;
  EXPECT_EQ(client_->Get("/api/health")->status, 200);
}

TEST_F(ApiServerTest, DeeplyNestedJsonIsRefusedBeforeParsing) {
  for (const std::string field : {"scenario_id", "params"}) {
    const std::string deep = std::string(65000, '[') + std::string(65000, ']');
    auto r = client_->Post("/api/jobs", "{\"kind\": \"validate\", \"" + field + "\": " + deep + "}",
                           "application/json");
    ASSERT_TRUE(r) << field;
    EXPECT_EQ(r->status, 400) << r->body;
    EXPECT_NE(Body(r)["error"].get<std::string>().find("nested deeper"), std::string::npos);
    EXPECT_LT(r->body.size(), 400u);  // the value is not echoed back
  }
  // A wide but shallow value is echoed only in part.
  auto wide = client_->Post("/api/jobs",
                            R"({"kind": "validate", "scenario_id": ")" + std::string(100000, 'x') + "\"}",
                            "application/json");
  EXPECT_EQ(wide->status, 422);
  EXPECT_LT(wide->body.size(), 400u);
  EXPECT_EQ(client_->Get("/api/health")->status, 200);
}

TEST_F(ApiServerTest, DiagnosticsAreCappedWithTheirCount) {
  std::string yaml = "name: a\n";
  for (int i = 0; i < 5000; ++i) yaml += "bad: " + std::to_string(i) + "\n";
  auto r = client_->Post("/api/scenarios/validate", yaml, "application/yaml");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422);
  const json body = Body(r);
  EXPECT_EQ(body["errors"].size(), 100u);
  EXPECT_EQ(body["errors_total"], 5000);
  EXPECT_NE(body["error"].get<std::string>().find("5000 problem(s)"), std::string::npos);
}

TEST_F(ApiServerTest, ForeignHostCrossSiteWritesAndFormBodiesAreRefused) {
  EXPECT_EQ(client_->Get("/api/health", {{"Host", "evil.example"}})->status, 421);
  EXPECT_EQ(client_->Get("/api/scenarios", {{"Host", "evil.example:8080"}})->status, 421);
  EXPECT_EQ(client_->Get("/api/health", {{"Host", "localhost:8080"}})->status, 200);
  EXPECT_EQ(client_->Get("/api/health", {{"Host", "[::1]:8080"}})->status, 200);
  const std::string job = R"({"kind": "validate", "scenario_id": 1})";
  EXPECT_EQ(client_->Post("/api/jobs", job, "text/plain")->status, 415);
  EXPECT_EQ(client_->Post("/api/scenarios", "name: a\n", "text/plain")->status, 415);
  httplib::Headers evil = {{"Origin", "http://evil.example"}};
  EXPECT_EQ(client_->Post("/api/jobs", evil, job, "application/json")->status, 403);
  EXPECT_EQ(client_->Post("/api/jobs/1/cancel", {{"Origin", "null"}}, "", "application/json")->status, 403);
  EXPECT_EQ(client_->Delete("/api/scenarios/1", evil)->status, 403);
  EXPECT_TRUE(Body(client_->Get("/api/scenarios")).empty());  // nothing was created
  // The dashboard's own origin may write.
  const std::string origin = "http://127.0.0.1:" + std::to_string(port_);
  EXPECT_EQ(client_->Post("/api/scenarios", {{"Origin", origin}}, "name: a\n", "application/yaml")->status,
            201);
  auto r = client_->Get("/api/health");
  EXPECT_NE(r->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(r->get_header_value("X-Frame-Options"), "DENY");
}

TEST_F(ApiServerTest, ConfiguredHostNamesAreAnswered) {
  StopServer();
  StartServer({.allowed_hosts = {"plans.example"}});
  EXPECT_EQ(client_->Get("/api/health", {{"Host", "plans.example:8080"}})->status, 200);
  EXPECT_EQ(client_->Get("/api/health", {{"Host", "other.example"}})->status, 421);
}

// Connects and sends the first bytes of a request header, then nothing.
int SlowConnection(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  EXPECT_EQ(::send(fd, "GET /api/h", 10, 0), 10);
  return fd;
}

TEST_F(ApiServerTest, SlowClientsNeitherBlockOthersNorShutdown) {
  StopServer();
  StartServer({.max_connections = 64, .header_timeout = std::chrono::milliseconds(800)});
  std::vector<int> slow;
  for (int i = 0; i < 40; ++i) slow.push_back(SlowConnection(port_));
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(client_->Get("/api/health")->status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(500));
  // The header deadline closes them.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  char byte;
  for (int fd : slow) EXPECT_EQ(::recv(fd, &byte, 1, MSG_DONTWAIT), 0);
  for (int fd : slow) ::close(fd);

  // Stop does not wait for connections that are open and quiet.
  slow.clear();
  for (int i = 0; i < 20; ++i) slow.push_back(SlowConnection(port_));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto t1 = std::chrono::steady_clock::now();
  StopServer();
  EXPECT_LT(std::chrono::steady_clock::now() - t1, std::chrono::milliseconds(500));
  for (int fd : slow) ::close(fd);
}

TEST_F(ApiServerTest, ConnectionsBeyondTheCapGet503) {
  StopServer();
  StartServer({.max_connections = 4});
  std::vector<int> slow;
  for (int i = 0; i < 4; ++i) slow.push_back(SlowConnection(port_));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const std::string answer = RawRequest("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  EXPECT_NE(answer.find(" 503 "), std::string::npos) << answer;
  for (int fd : slow) ::close(fd);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(client_->Get("/api/health")->status, 200);
}

TEST_F(ApiServerTest, MultiRangeRequestsGetTheFileOnce) {
  const auto dir = std::filesystem::temp_directory_path() / ("cobuild_range_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "index.html") << std::string(10000, 'a');
  StopServer();
  StartServer({.web_dir = dir.string()});
  std::string ranges = "bytes=0-";
  for (int i = 0; i < 99; ++i) ranges += ",0-";
  auto many = client_->Get("/index.html", {{"Range", ranges}});
  ASSERT_TRUE(many);
  EXPECT_EQ(many->status, 200);
  EXPECT_EQ(many->body.size(), 10000u);
  auto one = client_->Get("/index.html", {{"Range", "bytes=10-19"}});
  EXPECT_EQ(one->status, 206);
  EXPECT_EQ(one->body.size(), 10u);
  std::filesystem::remove_all(dir);
}

TEST_F(ApiServerTest, JobParamsAreCheckedWhenPosted) {
  const int64_t scenario = Upload("name: a\n");
  const auto post = [&](const json& params) {
    return client_->Post("/api/jobs",
                         json{{"kind", "validate"}, {"scenario_id", scenario}, {"params", params}}.dump(),
                         "application/json");
  };
  EXPECT_EQ(post({{"seed", 1.5}})->status, 422);
  EXPECT_EQ(post({{"typo", 1}})->status, 422);
  EXPECT_TRUE(Body(client_->Get("/api/jobs")).empty());  // nothing was queued
  EXPECT_EQ(post({{"seed", 2}})->status, 202);
}

TEST_F(ApiServerTest, HeadFaviconAndFinalMessage) {
  auto head = client_->Head("/api/health");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
  auto icon = client_->Get("/favicon.ico");
  EXPECT_EQ(icon->status, 200);
  EXPECT_EQ(icon->get_header_value("Content-Type"), "image/svg+xml");
  const int64_t scenario = Upload("name: a\n");
  auto r = client_->Post("/api/jobs", json{{"kind", "validate"}, {"scenario_id", scenario}}.dump(),
                         "application/json");
  const json job = WaitForJob(Body(r)["id"].get<int64_t>());
  EXPECT_EQ(job["status"], "succeeded");
  EXPECT_EQ(job["message"], "done");
}

TEST(ApiServerBindTest, BracketedIpv6LoopbackBinds) {
  auto storage = std::move(*Storage::Open(":memory:"));
  JobRegistry registry;
  JobManager jobs(*storage, registry, {});
  ApiServer server(*storage, jobs, registry, FakeValidate, {});
  const int probe = ::socket(AF_INET6, SOCK_STREAM, 0);
  if (probe < 0) GTEST_SKIP() << "no IPv6 on this machine";
  ::close(probe);
  auto port = server.Bind("[::1]", 0);
  EXPECT_TRUE(port.has_value()) << port.error().message;
}

TEST(ApiServerHandleTest, HandlesRequestsWithoutASocket) {
  auto storage = std::move(*Storage::Open(":memory:"));
  JobRegistry registry;
  JobManager jobs(*storage, registry, {});
  ApiServer server(*storage, jobs, registry, FakeValidate, {});
  httplib::Request request;
  request.method = "GET";
  request.path = "/\xff";
  httplib::Response response;
  server.HandleForTest(request, response);
  EXPECT_EQ(response.status, 404);
  EXPECT_FALSE(json::parse(response.body, nullptr, false).is_discarded());
}

TEST(ApiServerBindTest, LoopbackAddresses) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackAddress("127.1.2.3"));
  EXPECT_TRUE(IsLoopbackAddress("::1"));
  EXPECT_TRUE(IsLoopbackAddress("localhost"));
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0"));
  EXPECT_FALSE(IsLoopbackAddress("10.0.0.1"));
  EXPECT_FALSE(IsLoopbackAddress("::"));
  EXPECT_FALSE(IsLoopbackAddress("example.com"));
}

}  // namespace
}  // namespace cobuild::server
