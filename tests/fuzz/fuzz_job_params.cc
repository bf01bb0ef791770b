// A job's params as POST /api/jobs takes them: the body's JSON (depth
// limited) checked by every kind's check_params.
#include "fuzz_support.h"
#include "server/engines.h"
#include "server/request_guard.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cobuild;
  static const server::JobRegistry registry = server::DefaultJobRegistry();
  auto params = server::ParseJsonBody(fuzz::AsText(data, size));
  if (!params || !params->is_object()) return 0;
  for (const server::JobKind* kind : registry.Kinds()) {
    if (!kind->check_params) continue;
    auto checked = kind->check_params(*params);
    if (!checked) fuzz::Require(!checked.error().message.empty(), "a refusal says why");
  }
  return 0;
}
