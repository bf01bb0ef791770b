# Quick start: `make demo` and `make test`; each installs what is missing.
BUILD_DIR ?= build
ASAN_DIR ?= build-asan
BENCH_DIR ?= build-bench
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
COBUILD := $(BUILD_DIR)/cobuild
SCENARIO ?= scenarios/uk-2026.yaml
# The build prints its progress only: no "Entering directory" lines from the
# makefiles CMake generates (they inherit MAKEFLAGS).
MAKEFLAGS += --no-print-directory

.PHONY: all deps bench-deps configure build build-cobuild demo test test-asan bench bench-sequencing format clean

all: build

# What each target needs: the browser test's tools and clang-format with `make test`, the
# benchmarks' tools (Google Benchmark, MiniZinc) with `make bench*` only.
deps:
	@scripts/install-deps $(if $(filter test,$(MAKECMDGOALS)),--test)

bench-deps:
	@scripts/install-deps --bench

configure: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null

# Every target (the tests too); `make demo` builds the cobuild binary only.
build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

build-cobuild: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target cobuild

# The main job on the default scenario: check it, plan it (Halewood with and
# without Chery's models side by side), then replay the cyber-attack case
# (all three UK plants stopped five weeks in autumn 2026) and its recovery,
# with the scenario's levers in every plan, and what it costs each company
# like for like.
# Plans and reports are written under out/demo/.
# The deal's two plans, with the contract (the demo's plan) and without it
# (`plan --without-contract`, as the deal plans it), are solved side by
# side, each on its own core of a 2-core machine; both are re-checked, and
# the deal takes them (`deal --plan --plan-without`) without solving
# either again. The plan without the contract writes its report to
# out/demo/plan-without/report.txt; the deal report prints its line. The
# deal, the replan and the sequenced day each start from the plan files and
# nothing else, so they run two at a time: the deal and the replan, then the
# day in the slot the deal leaves. Each prints its report when it ends
# (--output-sync; the day without its progress lines).
DEMO_OUT ?= out/demo
DEMO_CONTRACT ?= jlr-builds-chery
demo: build-cobuild
	$(COBUILD) validate $(SCENARIO)
	$(COBUILD) info $(SCENARIO)
	@$(MAKE) -j2 --output-sync=target demo-plan demo-plan-without
	$(COBUILD) check-plan $(SCENARIO) $(DEMO_OUT)/plan/plan.json
	$(COBUILD) check-plan $(SCENARIO) $(DEMO_OUT)/plan-without/plan.json
	@$(MAKE) -j2 --output-sync=target demo-deal demo-replan demo-day

.PHONY: demo-plan demo-plan-without demo-deal demo-replan demo-day
demo-plan:
	$(COBUILD) plan $(SCENARIO) --out $(DEMO_OUT)/plan

demo-plan-without:
	@mkdir -p $(DEMO_OUT)/plan-without
	$(COBUILD) plan $(SCENARIO) --without-contract $(DEMO_CONTRACT) --out $(DEMO_OUT)/plan-without \
	  >$(DEMO_OUT)/plan-without/report.txt

demo-deal:
	$(COBUILD) deal $(SCENARIO) --contract $(DEMO_CONTRACT) --plan $(DEMO_OUT)/plan/plan.json \
	  --plan-without $(DEMO_OUT)/plan-without/plan.json --out $(DEMO_OUT)/deal

demo-replan:
	$(COBUILD) replan $(SCENARIO) --baseline $(DEMO_OUT)/plan/plan.json --out $(DEMO_OUT)/replan

demo-day:
	$(COBUILD) sequence --scenario $(SCENARIO) --plan $(DEMO_OUT)/plan/plan.json --line halewood-2 \
	  --date 2027-03-10 --time-limit 10 --seed 1 --quiet --out $(DEMO_OUT)/halewood-2-2027-03-10.csv

test: build
	@scripts/check-format
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

# AddressSanitizer + UndefinedBehaviorSanitizer, warnings as errors.
test-asan: deps
	@cmake -S . -B $(ASAN_DIR) -DCMAKE_BUILD_TYPE=Debug -DCOBUILD_SANITIZE=ON -DCOBUILD_WERROR=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(ASAN_DIR) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(ASAN_DIR) --output-on-failure -j $(JOBS) -LE no_asan

bench: bench-deps
	@cmake -S . -B $(BENCH_DIR) -DCMAKE_BUILD_TYPE=Release -DCOBUILD_BUILD_BENCH=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BENCH_DIR) -j $(JOBS)

# Line sequencing: cobuild vs MiniZinc + Gecode on ROADEF set X, 60 s each (docs/benchmarks.md).
bench-sequencing: bench-deps build
	python3 bench/sequencing/run.py run X --time-limit 60 --cobuild $(COBUILD)
	python3 bench/sequencing/run.py report bench/results/sequencing_*.csv --cobuild $(COBUILD)

format:
	@find src tests bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(BENCH_DIR)
