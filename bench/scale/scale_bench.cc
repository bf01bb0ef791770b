// Rank 0's capacity: how many work items a second rank 0 can hand out and
// gather when items cost nothing (each item is one message out and one
// back). Run under mpirun; the ranks other than 0 echo at once, and rank 0
// does not solve. Not a Google Benchmark: it must run as an MPI job.
//
// A rank waiting for its next item polls every 1 ms (src/scale/work_items.cc:
// a blocking receive in Open MPI spins a core), so each echo rank manages
// about 300 items a second and the figure is a lower bound on rank 0's
// capacity while it grows with the ranks (docs/benchmarks.md, "Scale-out").
//
//   mpirun -np 9 --oversubscribe build-bench/bench/scale/scale_bench 20000
//   -> items 20000 ranks 9 seconds 8.160 items/s 2451 messages/s 4902
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "scale/work_items.h"

int main(int argc, char** argv) {
  using namespace cobuild;
  scale::RegisterWorkKind("echo", [](std::string_view) -> Result<scale::ItemSolver> {
    return [](int i) { return std::to_string(i); };
  });
  if (auto started = scale::StartMpiIfLaunched(argc, argv); !started) {
    std::fprintf(stderr, "%s\n", started.error().message.c_str());
    return 2;
  }
  if (scale::IsWorkerRank()) return scale::ServeWorkerRank();
  const int items = argc > 1 ? std::atoi(argv[1]) : 100000;
  const auto start = std::chrono::steady_clock::now();
  auto results = scale::RunWorkItems(items, [](int i) { return std::to_string(i); },
                                     {.kind = "echo", .context = "", .root_solves = false});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!results) {
    std::fprintf(stderr, "%s\n", results.error().message.c_str());
    return scale::FinishMpi(1);
  }
  for (int i = 0; i < items; ++i) {
    if ((*results)[static_cast<size_t>(i)] != std::to_string(i)) return scale::FinishMpi(1);
  }
  std::printf("items %d ranks %d seconds %.3f items/s %.0f messages/s %.0f\n", items, scale::Size(), seconds,
              items / seconds, 2 * items / seconds);
  return scale::FinishMpi(0);
}
