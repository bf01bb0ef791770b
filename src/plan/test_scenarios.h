// Small hand-built scenarios for the planner's tests.
#pragma once

#include "model/scenario.h"

namespace cobuild::plan::testing {

// A UK-like network over 12 months from 2026-01: JLR (Halewood with two
// lines, one retoolable for Chery's T1X platform) and Chery (Wuhu, China);
// markets UK, EU and CN; a contract lets JLR build Omoda cars at Halewood;
// China-built cars pay duty into the UK and EU (more for BEVs); UK-built
// cars with enough local content enter the EU duty-free.
model::Scenario MiniUk();

}  // namespace cobuild::plan::testing
