// Events in command-line form (io::ParseEventText, as `replan --event` and
// the replan job's params.events read them), against the default scenario.
#include "fuzz_support.h"
#include "io/event_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cobuild;
  const model::Scenario& scenario = fuzz::DefaultScenario();
  auto event = io::ParseEventText(fuzz::AsText(data, size), scenario, "fuzz", "event-1");
  if (event) {
    const model::Event events[] = {*event};
    (void)io::CheckEvents(scenario, events);
    (void)io::EventToText(scenario, *event);
  }
  return 0;
}
