// Small hand-built scenarios for the planner's tests, and the recovery
// settings the replanner's and the server's tests share.
#pragma once

#include <string>

#include "model/scenario.h"
#include "plan/plan_request.h"

namespace cobuild::plan::testing {

// A UK-like network over 12 months from 2026-01: JLR (Halewood with two
// lines, one retoolable for Chery's T1X platform) and Chery (Wuhu, China);
// markets UK, EU and CN; a contract lets JLR build Omoda cars at Halewood;
// China-built cars pay duty into the UK and EU (more for BEVs); UK-built
// cars with enough local content enter the EU duty-free.
model::Scenario MiniUk();

// tests/data/golden/FILE, read from the source root (where ctest runs the
// tests); a read failure is a test failure and gives an empty scenario.
model::Scenario Golden(const std::string& file);

// tests/data/golden/one-line.yaml, read from the source root (where ctest
// runs the tests): one line, one variant, two markets, two months, optimum
// GBP 14,850,000 worked out by hand in tests/data/golden/README.md. A read
// failure is a test failure and gives an empty scenario.
model::Scenario GoldenOneLine();

// Replan settings with every recovery lever on (backlog up to 2 months,
// one extra shift a day, 4 weekend days a month), a stability penalty of
// GBP 20 a car and a 30 s limit.
model::ReplanSettings RecoveryLevers();

// A request the small scenarios solve to proven optimality: 30 s limit,
// relative gap 1e-6.
PlanRequest QuickRequest();

}  // namespace cobuild::plan::testing
