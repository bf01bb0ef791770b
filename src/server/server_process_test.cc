// Tests of the real `cobuild serve` process: kill -9 and restart, SIGTERM,
// hostile requests during a solve, and where the token comes from.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace cobuild::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A `cobuild serve --port 0` child process and a client for it. The child
// sees COBUILD_TOKEN only when `env` sets it (so a token in the shell that
// runs the tests changes nothing), and its stderr goes to `db` + ".stderr".
class ServerProcess {
 public:
  ServerProcess(const std::string& bin, const std::string& db,
                const std::vector<std::string>& extra_args = {},
                const std::vector<std::pair<std::string, std::string>>& env = {})
      : stderr_path_(db + ".stderr") {
    // Everything the child needs is built before the fork: between fork and
    // exec it only calls functions that are safe in a forked child.
    std::vector<std::string> args = {bin, "serve", "--port", "0", "--db", db, "--web-dir", ""};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> variables;
    for (char** e = environ; *e != nullptr; ++e) {
      if (!std::string_view(*e).starts_with("COBUILD_TOKEN=")) variables.emplace_back(*e);
    }
    for (const auto& [name, value] : env) variables.push_back(name + "=" + value);
    std::vector<char*> envp;
    for (std::string& v : variables) envp.push_back(v.data());
    envp.push_back(nullptr);
    const int err = ::open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int out[2];
    if (err < 0) return;
    if (::pipe(out) != 0) {
      ::close(err);
      return;
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      ::dup2(err, STDERR_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      ::execve(bin.c_str(), argv.data(), envp.data());
      ::_exit(127);
    }
    ::close(err);
    ::close(out[1]);
    // Wait for "listening on http://127.0.0.1:PORT/".
    std::string text;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    const std::regex listening(R"(listening on http://127\.0\.0\.1:(\d+)/)");
    std::smatch match;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{.fd = out[0], .events = POLLIN, .revents = 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      char buffer[512];
      const ssize_t n = ::read(out[0], buffer, sizeof buffer);
      if (n <= 0) break;
      text.append(buffer, static_cast<size_t>(n));
      if (std::regex_search(text, match, listening)) {
        port_ = std::stoi(match[1].str());
        break;
      }
    }
    ::close(out[0]);
    if (port_ > 0) {
      client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
      client_->set_read_timeout(20, 0);
    }
  }
  ~ServerProcess() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  bool started() const { return port_ > 0; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  httplib::Client& client() { return *client_; }
  // What the process wrote to stderr so far.
  std::string Stderr() const {
    std::ifstream in(stderr_path_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // Sends `signal` and waits up to `timeout` for the exit; the wait status or -1.
  int Signal(int signal, std::chrono::seconds timeout) {
    ::kill(pid_, signal);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        reaped_ = true;
        return status;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }

 private:
  std::string stderr_path_;
  pid_t pid_ = -1;
  int port_ = 0;
  bool reaped_ = false;
  std::unique_ptr<httplib::Client> client_;
};

// The pids of live `cobuild job-worker --db DB` processes: the job processes
// a server started on `db` (their command line names the database).
std::vector<pid_t> JobProcessesOn(const std::string& db) {
  std::vector<pid_t> pids;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "cmdline", std::ios::binary);
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ifstream stat_file(entry.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
    const size_t paren = stat.rfind(')');
    if (paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'Z')
      continue;  // a zombie
    if (cmdline.find("job-worker") != std::string::npos && cmdline.find(db) != std::string::npos)
      pids.push_back(static_cast<pid_t>(std::stol(name)));
  }
  return pids;
}

// Waits up to `timeout` for every job process on `db` to exit; whether they did.
bool JobProcessesExit(const std::string& db, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!JobProcessesOn(db).empty()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

class ServerProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("COBUILD_BIN");
    if (bin == nullptr || !fs::exists(bin)) GTEST_SKIP() << "COBUILD_BIN is not set";
    bin_ = bin;
    std::ifstream in("scenarios/uk-2026.yaml");
    if (!in) GTEST_SKIP() << "scenarios/uk-2026.yaml not found (run from the repository root)";
    std::stringstream text;
    text << in.rdbuf();
    yaml_ = text.str();
    dir_ = fs::temp_directory_path() / ("cobuild_server_process_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "cobuild.db").string();
  }
  // A job process whose server was killed stops on its own (its stop pipe
  // closed) but may still be winding down its solve: wait for it, so that it
  // writes nothing into the directory while it is removed; then remove it
  // without throwing (a failure to clean up is not the test's failure).
  void TearDown() override {
    if (dir_.empty()) return;
    EXPECT_TRUE(JobProcessesExit(db_, std::chrono::seconds(20)))
        << "a job process outlived its server by 20 s: " << JobProcessesOn(db_).size() << " left";
    std::error_code ec;
    for (int attempt = 0; attempt < 20 && fs::exists(dir_, ec); ++attempt) {
      fs::remove_all(dir_, ec);
      if (ec) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  static json Get(ServerProcess& server, const std::string& path) {
    auto r = server.client().Get(path);
    return r ? json::parse(r->body, nullptr, false) : json();
  }
  static json WaitWhile(ServerProcess& server, int64_t job, std::initializer_list<const char*> states) {
    json j;
    for (int i = 0; i < 600; ++i) {
      j = Get(server, "/api/jobs/" + std::to_string(job));
      bool waiting = false;
      for (const char* s : states) waiting = waiting || j.value("status", "") == s;
      if (!waiting) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return j;
  }
  // Uploads the default scenario; its id.
  int64_t Upload(ServerProcess& server) {
    auto created = server.client().Post("/api/scenarios?file_name=uk-2026.yaml", yaml_, "application/yaml");
    EXPECT_TRUE(created && created->status == 201) << (created ? created->body : "no answer");
    return created ? json::parse(created->body).value("id", int64_t{0}) : 0;
  }
  // Starts a plan of `scenario` with a 300 s limit and waits until it runs.
  int64_t StartLongPlan(ServerProcess& server, int64_t scenario, json params) {
    params["time_limit_seconds"] = 300;
    const int64_t job = StartJob(server, {{"kind", "plan"}, {"scenario_id", scenario}, {"params", params}});
    EXPECT_EQ(WaitWhile(server, job, {"queued"})["status"], "running");
    return job;
  }
  int64_t StartJob(ServerProcess& server, const json& body) {
    auto r = server.client().Post("/api/jobs", body.dump(), "application/json");
    EXPECT_TRUE(r && r->status == 202) << (r ? r->body : "no answer");
    return r ? json::parse(r->body).value("id", int64_t{0}) : 0;
  }

  std::string bin_;
  std::string yaml_;
  fs::path dir_;
  std::string db_;
};

TEST_F(ServerProcessTest, FinishedResultSurvivesKill9AndRunningJobIsFailedAtRestart) {
  int64_t done = 0;
  int64_t interrupted = 0;
  std::string result;
  {
    ServerProcess server(bin_, db_);
    ASSERT_TRUE(server.started());
    auto created = server.client().Post("/api/scenarios?file_name=uk-2026.yaml", yaml_, "application/yaml");
    ASSERT_TRUE(created);
    ASSERT_EQ(created->status, 201) << created->body;
    const int64_t scenario = json::parse(created->body)["id"];
    done = StartJob(server, {{"kind", "validate"}, {"scenario_id", scenario}});
    ASSERT_EQ(WaitWhile(server, done, {"queued", "running"})["status"], "succeeded");
    result = server.client().Get("/api/jobs/" + std::to_string(done) + "/result")->body;
    interrupted = StartJob(
        server, {{"kind", "plan"}, {"scenario_id", scenario}, {"params", {{"time_limit_seconds", 300}}}});
    ASSERT_EQ(WaitWhile(server, interrupted, {"queued"})["status"], "running");
    // "running" is stored as the job is taken, a moment before its process starts.
    bool started = false;
    for (int i = 0; i < 200 && !started; ++i) {
      started = JobProcessesOn(db_).size() == 1;
      if (!started) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_TRUE(started) << "the running plan has no job process of its own after 10 s";
    const int status = server.Signal(SIGKILL, std::chrono::seconds(10));
    ASSERT_TRUE(WIFSIGNALED(status));
  }
  // The plan's job process sees its stop pipe close and exits by itself:
  // no solve is left running without a server.
  EXPECT_TRUE(JobProcessesExit(db_, std::chrono::seconds(15)))
      << "the job process still runs 15 s after its server was killed";
  ServerProcess restarted(bin_, db_);
  ASSERT_TRUE(restarted.started());
  EXPECT_EQ(restarted.client().Get("/api/jobs/" + std::to_string(done) + "/result")->body, result);
  json job = Get(restarted, "/api/jobs/" + std::to_string(interrupted));
  EXPECT_EQ(job["status"], "failed");
  EXPECT_NE(job.value("error", "").find("stopped"), std::string::npos) << job.dump();
  EXPECT_EQ(Get(restarted, "/api/scenarios").size(), 1u);
}

TEST_F(ServerProcessTest, SigtermStopsPromptlyEvenDuringASolve) {
  ServerProcess server(bin_, db_);
  ASSERT_TRUE(server.started());
  const int64_t job = StartLongPlan(server, Upload(server), json::object());
  const auto start = std::chrono::steady_clock::now();
  const int status = server.Signal(SIGTERM, std::chrono::seconds(20));
  ASSERT_NE(status, -1) << "cobuild serve did not stop within 20 s of SIGTERM";
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));

  ServerProcess restarted(bin_, db_);
  ASSERT_TRUE(restarted.started());
  EXPECT_EQ(Get(restarted, "/api/jobs/" + std::to_string(job))["status"], "failed");
}

// A cancelled plan job stops its solve within about a second: the worker
// and the solver are free again, and the next job runs at once.
TEST_F(ServerProcessTest, CancelStopsARunningSolveAndTheNextJobSucceeds) {
  ServerProcess server(bin_, db_);
  ASSERT_TRUE(server.started());
  const int64_t scenario = Upload(server);
  const int64_t job = StartLongPlan(server, scenario, {{"relative_gap", 0}});
  // Into the search: primal improvement ("improve: best GBP ..., gap ...")
  // or branch and cut ("mip: ..."); a cancel must stop either.
  const auto searching = [](const json& j) {
    const std::string message = j.value("message", "");
    return message.starts_with("mip") || message.starts_with("improve");
  };
  json running;
  for (int i = 0; i < 600; ++i) {
    running = Get(server, "/api/jobs/" + std::to_string(job));
    if (searching(running)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(running["status"], "running") << running.dump();
  ASSERT_TRUE(searching(running)) << running.dump();

  const auto asked = std::chrono::steady_clock::now();
  auto cancelled =
      server.client().Post("/api/jobs/" + std::to_string(job) + "/cancel", "", "application/json");
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->status, 200) << cancelled->body;
  EXPECT_EQ(json::parse(cancelled->body)["status"], "cancelled");
  // The worker is free once the solve has stopped.
  json health;
  for (int i = 0; i < 200; ++i) {
    health = Get(server, "/api/health");
    if (health.value("jobs_running", -1) == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - asked).count();
  std::cout << "plan job's worker free " << seconds << " s after the cancel\n";
  EXPECT_EQ(health.value("jobs_running", -1), 0) << health.dump();
  EXPECT_LT(seconds, 5.0);
  EXPECT_EQ(Get(server, "/api/jobs/" + std::to_string(job))["status"], "cancelled");

  const int64_t next = StartJob(
      server, {{"kind", "plan"}, {"scenario_id", scenario}, {"params", {{"time_limit_seconds", 10}}}});
  const json done = WaitWhile(server, next, {"queued", "running"});
  EXPECT_EQ(done["status"], "succeeded") << done.dump();
  auto result = server.client().Get("/api/jobs/" + std::to_string(next) + "/result");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
}

// A connection to 127.0.0.1:port; -1 when it failed.
int Connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends `request` as is; the answer's status line ("" when none came).
std::string SendRaw(int port, const std::string& request) {
  const int fd = Connect(port);
  if (fd < 0) return "";
  std::string answer;
  if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
    char buffer[4096];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) {
      answer.append(buffer, static_cast<size_t>(n));
      if (answer.size() > (1 << 20)) break;
    }
  }
  ::close(fd);
  return answer.substr(0, answer.find("\r\n"));
}

std::string Post(const std::string& path, const std::string& type, const std::string& body,
                 const std::string& extra_headers = "") {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: " + type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" + body;
}

// One request of each hostile class of issue 13 while a plan solves; then
// the server still answers /api/health within 1 s and the plan finishes.
TEST_F(ServerProcessTest, HostileRequestsNeitherStopNorStallTheServer) {
  ServerProcess server(bin_, db_);
  ASSERT_TRUE(server.started());
  const int64_t job = StartJob(
      server, {{"kind", "plan"}, {"scenario_id", Upload(server)}, {"params", {{"time_limit_seconds", 10}}}});
  ASSERT_EQ(WaitWhile(server, job, {"queued"})["status"], "running");
  const int port = server.port();
  // 5: slow clients, kept open through the rest.
  std::vector<int> slow;
  for (int i = 0; i < 20; ++i) {
    slow.push_back(Connect(port));
    ASSERT_EQ(::send(slow.back(), "GET /api/he", 11, MSG_NOSIGNAL), 11);
  }
  // 1: a byte that is not UTF-8 in a path.
  EXPECT_NE(SendRaw(port, "GET /%ff HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").find("404"),
            std::string::npos);
  // 2: 65,000 levels of JSON.
  const std::string deep = std::string(65000, '[') + std::string(65000, ']');
  EXPECT_NE(
      SendRaw(port, Post("/api/jobs", "application/json", R"({"kind": "plan", "scenario_id": )" + deep + "}"))
          .find("400"),
      std::string::npos);
  // 3: billion laughs.
  std::string laughs = "a0: &a0 [lol]\n";
  for (int level = 1; level <= 9; ++level) {
    laughs += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) laughs += (i ? ", *a" : "*a") + std::to_string(level - 1);
    laughs += "]\n";
  }
  EXPECT_NE(SendRaw(port, Post("/api/scenarios/validate", "application/yaml", laughs)).find("422"),
            std::string::npos);
  // 4: a cross-site text/plain write, a foreign Origin, a rebinding Host.
  EXPECT_NE(
      SendRaw(port, Post("/api/jobs/" + std::to_string(job) + "/cancel", "text/plain", "x")).find("415"),
      std::string::npos);
  EXPECT_NE(SendRaw(port, Post("/api/jobs/" + std::to_string(job) + "/cancel", "application/json", "",
                               "Origin: http://evil.example\r\n"))
                .find("403"),
            std::string::npos);
  EXPECT_NE(SendRaw(port, "GET /api/scenarios HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
                .find("421"),
            std::string::npos);
  // 6: 2,500 ranges.
  std::string ranges = "bytes=0-";
  for (int i = 0; i < 2499; ++i) ranges += ",0-";
  EXPECT_NE(
      SendRaw(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nRange: " + ranges + "\r\n\r\n")
          .find("200"),
      std::string::npos);
  // 7: a fractional seed.
  EXPECT_NE(SendRaw(port, Post("/api/jobs", "application/json",
                               R"({"kind": "plan", "scenario_id": 1, "params": {"seed": 1.5}})"))
                .find("422"),
            std::string::npos);
  // 8: HEAD on the API.
  EXPECT_NE(
      SendRaw(port, "HEAD /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").find("200"),
      std::string::npos);

  const auto asked = std::chrono::steady_clock::now();
  auto health = server.client().Get("/api/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - asked, std::chrono::seconds(1));
  json done = WaitWhile(server, job, {"running"});
  if (done["status"] == "running") done = WaitWhile(server, job, {"running"});  // slow (sanitizer) builds
  EXPECT_EQ(done["status"], "succeeded") << done.dump();

  // Shutdown does not wait for the slow clients.
  const auto stop = std::chrono::steady_clock::now();
  const int status = server.Signal(SIGTERM, std::chrono::seconds(20));
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_LT(std::chrono::steady_clock::now() - stop, std::chrono::seconds(3));
  for (int fd : slow) ::close(fd);
}

// The status of GET `path` with `token` as its bearer token ("": none); 0
// when no answer came.
int StatusWithToken(ServerProcess& server, const std::string& path, const std::string& token) {
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  auto answer = server.client().Get(path, headers);
  return answer ? answer->status : 0;
}

// The token can come from a file, so that `ps` does not show it.
TEST_F(ServerProcessTest, TokenFromAFile) {
  const fs::path token_file = dir_ / "token";
  std::ofstream(token_file) << "  s3cret-from-file \n";
  ServerProcess server(bin_, db_, {"--token-file", token_file.string()});
  ASSERT_TRUE(server.started());
  EXPECT_EQ(StatusWithToken(server, "/api/health", ""), 401);
  EXPECT_EQ(StatusWithToken(server, "/api/health", "s3cret-from-file"), 200);
}

// COBUILD_TOKEN guards the API as --token does, and the command line that
// `ps` shows does not carry it.
TEST_F(ServerProcessTest, TokenFromTheEnvironment) {
  ServerProcess server(bin_, db_, {}, {{"COBUILD_TOKEN", "s3cret-from-env"}});
  ASSERT_TRUE(server.started()) << server.Stderr();
  EXPECT_EQ(StatusWithToken(server, "/api/health", ""), 401);
  EXPECT_EQ(StatusWithToken(server, "/api/health", "s3cret-from-other"), 401);
  EXPECT_EQ(StatusWithToken(server, "/api/scenarios", "s3cret-from-env"), 200);
  std::ifstream cmdline("/proc/" + std::to_string(server.pid()) + "/cmdline", std::ios::binary);
  std::stringstream args;
  args << cmdline.rdbuf();
  EXPECT_NE(args.str().find("serve"), std::string::npos);
  EXPECT_EQ(args.str().find("s3cret-from-env"), std::string::npos);
}

// The token's sources, as `cobuild serve --help` and docs/api.md state them:
// --token on the command line wins over COBUILD_TOKEN.
TEST_F(ServerProcessTest, TokenOptionWinsOverTheEnvironment) {
  ServerProcess server(bin_, db_, {"--token", "from-option"}, {{"COBUILD_TOKEN", "from-env"}});
  ASSERT_TRUE(server.started()) << server.Stderr();
  EXPECT_EQ(StatusWithToken(server, "/api/health", "from-env"), 401);
  EXPECT_EQ(StatusWithToken(server, "/api/health", "from-option"), 200);
}

// --token-file is a source on its own: beside --token or COBUILD_TOKEN the
// server refuses to start (exit 2) rather than pick one of two tokens.
TEST_F(ServerProcessTest, TokenFileBesideAnotherSourceIsRefused) {
  const fs::path token_file = dir_ / "token";
  std::ofstream(token_file) << "from-file\n";
  const std::vector<std::pair<std::string, std::string>> no_env;
  const std::vector<std::pair<std::string, std::string>> env = {{"COBUILD_TOKEN", "from-env"}};
  for (const auto& [args, variables] :
       {std::pair{std::vector<std::string>{"--token-file", token_file.string()}, env},
        std::pair{std::vector<std::string>{"--token-file", token_file.string(), "--token", "from-option"},
                  no_env}}) {
    ServerProcess server(bin_, db_, args, variables);
    EXPECT_FALSE(server.started());
    const int status = server.Signal(0, std::chrono::seconds(10));
    ASSERT_TRUE(WIFEXITED(status)) << status;
    EXPECT_EQ(WEXITSTATUS(status), 2) << server.Stderr();
    EXPECT_NE(server.Stderr().find("give the token once"), std::string::npos) << server.Stderr();
  }
}

// An empty COBUILD_TOKEN is no token: loopback only, nothing asked.
TEST_F(ServerProcessTest, EmptyTokenVariableSetsNoToken) {
  ServerProcess server(bin_, db_, {}, {{"COBUILD_TOKEN", ""}});
  ASSERT_TRUE(server.started()) << server.Stderr();
  EXPECT_EQ(StatusWithToken(server, "/api/health", ""), 200);
}

}  // namespace
}  // namespace cobuild::server
