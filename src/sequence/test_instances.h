// Instances for the sequencing tests: small random ones built in memory, and
// ROADEF instances from the shared data folder (COBUILD_SHARED_DATA), which
// may be absent.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sequence/instance.h"

namespace cobuild::sequence {

// A random ROADEF-style instance: a short D-1, 3 to 6 ratio constraints of
// both priorities (some with P longer than the day), 2 to 5 colours, an
// input order that respects the paint batch limit.
Instance RandomInstance(uint64_t seed, int num_cars);

// Reads the named folders under COBUILD_SHARED_DATA/carseq/roadef2005;
// empty when the data is not there. A folder that fails to read is a test
// failure (ADD_FAILURE) and is left out.
std::vector<Instance> SharedRoadefInstances(const std::vector<std::string>& folders);

}  // namespace cobuild::sequence
