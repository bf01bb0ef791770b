// Load check of the planning server: many concurrent API reads while a plan
// solves on the worker pool. Reports latency percentiles; every answer is
// checked (status 200 and a JSON body), and the plan must still be solving
// when the reads end, so the numbers are for reads during a solve. Slow
// clients meanwhile hold connections open sending one header byte every 2 s
// (slowloris); /api/health's latency is reported on its own.
//
//   server_load_check [--scenario scenarios/uk-2026.yaml] [--clients 200]
//                     [--requests 25] [--slow-clients 20] [--max-connections 256]
//                     [--time-limit 60]
//
// Each client is one thread with its own connection per request (no
// keep-alive), all released at once by a latch. bench/server/run_load.sh
// builds and runs it.
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <latch>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "server/api_server.h"
#include "server/engines.h"
#include "server/job_manager.h"
#include "server/storage.h"

namespace {

using cobuild::server::ApiServer;
using cobuild::server::JobManager;
using cobuild::server::Storage;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Args {
  std::string scenario = "scenarios/uk-2026.yaml";
  int clients = 200;
  int requests = 25;
  int slow_clients = 20;
  int max_connections = 256;
  double time_limit = 60;
};

Args Parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    const std::string value = argv[i + 1];
    if (key == "--scenario")
      a.scenario = value;
    else if (key == "--clients")
      a.clients = std::stoi(value);
    else if (key == "--requests")
      a.requests = std::stoi(value);
    else if (key == "--slow-clients")
      a.slow_clients = std::stoi(value);
    else if (key == "--max-connections")
      a.max_connections = std::stoi(value);
    else if (key == "--time-limit")
      a.time_limit = std::stod(value);
    else {
      std::fprintf(stderr, "unknown option %s\n", key.c_str());
      std::exit(2);
    }
  }
  return a;
}

// A slowloris client: connects and sends a request's header one byte every
// 2 s until `stop`; counts how often the server closed on it.
void SlowClient(int port, const std::atomic<bool>& stop, std::atomic<int>& closed_by_server) {
  const std::string header =
      "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + std::string(4096, 'x') + "\r\n\r\n";
  while (!stop) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd);
      continue;
    }
    for (size_t i = 0; i < header.size() && !stop; ++i) {
      if (::send(fd, &header[i], 1, MSG_NOSIGNAL) != 1) {
        ++closed_by_server;
        break;
      }
      for (int tick = 0; tick < 20 && !stop; ++tick) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    ::close(fd);
  }
}

double Percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t i = std::min(sorted.size() - 1, static_cast<size_t>(p * (sorted.size() - 1) + 0.5));
  return sorted[i];
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = Parse(argc, argv);
  std::ifstream in(args.scenario);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", args.scenario.c_str());
    return 2;
  }
  std::stringstream yaml;
  yaml << in.rdbuf();

  const auto dir = std::filesystem::temp_directory_path() / "cobuild_server_load_check";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto storage = Storage::Open((dir / "load.db").string());
  if (!storage) {
    std::fprintf(stderr, "%s\n", storage.error().message.c_str());
    return 1;
  }
  const auto registry = cobuild::server::DefaultJobRegistry();
  JobManager jobs(**storage, registry, {.num_workers = 1, .max_queued = 8});
  ApiServer api(
      **storage, jobs, registry, cobuild::server::ValidateScenarioYaml,
      {.token = "", .max_body_bytes = 16 << 20, .web_dir = "", .max_connections = args.max_connections});
  const auto port = api.Bind("127.0.0.1", 0);
  if (!port) {
    std::fprintf(stderr, "%s\n", port.error().message.c_str());
    return 1;
  }
  std::thread server([&] { api.Listen(); });

  httplib::Client setup("127.0.0.1", *port);
  setup.set_read_timeout(30, 0);
  auto created = setup.Post("/api/scenarios?file_name=uk-2026.yaml", yaml.str(), "application/yaml");
  if (!created || created->status != 201) {
    std::fprintf(stderr, "upload failed: %s\n", created ? created->body.c_str() : "no answer");
    return 1;
  }
  const int64_t scenario = json::parse(created->body)["id"];
  auto started = setup.Post(
      "/api/jobs",
      json{{"kind", "plan"}, {"scenario_id", scenario}, {"params", {{"time_limit_seconds", args.time_limit}}}}
          .dump(),
      "application/json");
  const int64_t job = json::parse(started->body)["id"];
  const std::string job_path = "/api/jobs/" + std::to_string(job);
  while (json::parse(setup.Get(job_path)->body)["status"] != "running") {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  const std::vector<std::string> paths = {job_path, "/api/scenarios", "/api/jobs?limit=20", "/api/health"};
  std::atomic<bool> stop_slow = false;
  std::atomic<int> slow_closed = 0;
  std::vector<std::thread> slow;
  for (int i = 0; i < args.slow_clients; ++i) {
    slow.emplace_back([&] { SlowClient(*port, stop_slow, slow_closed); });
  }
  std::this_thread::sleep_for(std::chrono::seconds(3));  // the slow clients are connected

  std::vector<std::vector<double>> latencies(args.clients);
  std::vector<std::vector<double>> health(args.clients);
  std::vector<int> failures(args.clients, 0);
  std::latch go(args.clients + 1);
  std::vector<std::thread> clients;
  for (int c = 0; c < args.clients; ++c) {
    clients.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", *port);
      client.set_read_timeout(60, 0);
      client.set_connection_timeout(60, 0);
      go.arrive_and_wait();
      for (int r = 0; r < args.requests; ++r) {
        const std::string& path = paths[(c + r) % paths.size()];
        const auto t0 = Clock::now();
        auto res = client.Get(path);
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        const bool ok = res && res->status == 200 && !json::parse(res->body, nullptr, false).is_discarded();
        if (!ok) ++failures[c];
        latencies[c].push_back(ms);
        if (path == "/api/health") health[c].push_back(ms);
      }
    });
  }
  const auto t0 = Clock::now();
  go.arrive_and_wait();
  for (auto& t : clients) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  const std::string status_after = json::parse(setup.Get(job_path)->body)["status"];
  stop_slow = true;
  for (auto& t : slow) t.join();

  std::vector<double> all;
  std::vector<double> all_health;
  int failed = 0;
  for (int c = 0; c < args.clients; ++c) {
    all.insert(all.end(), latencies[c].begin(), latencies[c].end());
    all_health.insert(all_health.end(), health[c].begin(), health[c].end());
    failed += failures[c];
  }
  std::sort(all.begin(), all.end());
  std::sort(all_health.begin(), all_health.end());
  std::printf(
      "server load check: %d clients x %d GETs (%zu requests) during a plan solve, "
      "%d slow clients, at most %d connections\n",
      args.clients, args.requests, all.size(), args.slow_clients, args.max_connections);
  std::printf("  failed answers: %d\n", failed);
  std::printf("  latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n", Percentile(all, 0.5),
              Percentile(all, 0.9), Percentile(all, 0.99), all.empty() ? 0.0 : all.back());
  std::printf("  /api/health ms (%zu): p50 %.2f  p99 %.2f  max %.2f\n", all_health.size(),
              Percentile(all_health, 0.5), Percentile(all_health, 0.99),
              all_health.empty() ? 0.0 : all_health.back());
  std::printf("  slow connections closed by the server: %d\n", slow_closed.load());
  std::printf("  throughput: %.0f requests/s over %.2f s\n", all.size() / seconds, seconds);
  std::printf("  plan job status after the reads: %s (must be running)\n", status_after.c_str());

  (void)setup.Post(job_path + "/cancel", "", "application/json");
  api.Stop();
  server.join();
  jobs.Shutdown(std::chrono::milliseconds(0));
  std::fflush(stdout);
  std::filesystem::remove_all(dir);
  // The cancelled solve cannot be interrupted; its row is already final.
  const bool health_ok = !all_health.empty() && Percentile(all_health, 0.99) < 1000;
  std::_Exit(failed == 0 && health_ok && status_after == "running" ? 0 : 1);
}
