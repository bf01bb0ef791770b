#!/usr/bin/env bash
# Issue 13's reproducers against two cobuild binaries, side by side: the code
# before the hardening fixes and the code now (docs/hardening.md). Each check
# sends one hostile request or runs one hostile command, and says what the
# binary did: the HTTP status, bytes and seconds of the answer, whether the
# server process is still alive, the exit code and first line of stderr.
#
#   bench/server/prefix_check.sh OLD_COBUILD NEW_COBUILD > table.md
#
# OLD_COBUILD is `cobuild` built from the commit before the fixes:
#   git worktree add --detach /work/wt-prefix f19f124
#   cmake -S /work/wt-prefix -B /work/wt-prefix/build -DCMAKE_BUILD_TYPE=Release
#   cmake --build /work/wt-prefix/build -j2 --target cobuild
# Every server runs on 127.0.0.1 with --port 0 and a scratch database; every
# command has a time limit and a 4 GiB address-space cap, so a binary that
# hangs or grows without bound is reported as such instead of hurting the
# machine. Takes about three minutes per binary. Needs bash, curl, timeout.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
if [[ $# -ne 2 || ! -x "$1" || ! -x "$2" ]]; then
  echo "usage: $0 OLD_COBUILD NEW_COBUILD" >&2
  exit 2
fi
OLD=$(realpath "$1")
NEW=$(realpath "$2")
WORK=$(mktemp -d /tmp/cobuild-prefix-check.XXXXXX)
SCENARIO=scenarios/uk-2026.yaml
SMALL=tests/data/scenarios/small.yaml
PID=""
PORT=""
cleanup() {
  [[ -n "$PID" ]] && kill -9 "$PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

# Inputs the checks share.
mkdir -p "$WORK/web"
echo '<!doctype html><title>cobuild</title>' >"$WORK/web/index.html"
head -c 1350000 /dev/urandom | base64 -w 100 | head -c 1350000 >"$WORK/web/bundle.js"
# The default scenario whose demand list starts with one bad row and 300,000
# aliases of it, as in the issue (2 MB).
{
  sed '/^demand:$/q' "$SCENARIO"
  echo '  - &r {variant: nope, market: UK, units_per_year: {2026: -1}}'
  yes '  - *r' | head -n 300000
  sed '1,/^demand:$/d' "$SCENARIO"
} >"$WORK/alias_bomb.yaml"
cp tests/fuzz/reproducers/scenario/billion_laughs.yaml "$WORK/billion_laughs.yaml"
# 70,000 levels of JSON (140 KB, as in the issue) as scenario_id and as params.
deep=$(printf '[%.0s' $(seq 70000))$(printf ']%.0s' $(seq 70000))
printf '{"kind": "plan", "scenario_id": %s}' "$deep" >"$WORK/deep_id.json"
printf '{"kind": "plan", "scenario_id": 1, "params": %s}' "$deep" >"$WORK/deep_params.json"
cp tests/fuzz/reproducers/plan_json/overflow.json "$WORK/overflow.json"
printf 'name: x\n' >"$WORK/caf$(printf '\xe9').yaml"

# --- helpers ---------------------------------------------------------------

# Starts `BIN serve` on a free port with a fresh database; sets PID and PORT.
# Extra arguments go to serve. Returns 1 (with PID's exit code in EXIT) when
# the server exits before it listens.
start_server() {
  local bin=$1
  shift
  rm -f "$WORK/db" "$WORK/db-wal" "$WORK/db-shm"
  : >"$WORK/serve.out"
  (ulimit -v 4194304; exec "$bin" serve --port 0 --db "$WORK/db" "$@" >"$WORK/serve.out" 2>"$WORK/serve.err") &
  PID=$!
  PORT=""
  for _ in $(seq 200); do
    PORT=$(grep -oE 'listening on http://[^ ]*:[0-9]+/' "$WORK/serve.out" | grep -oE '[0-9]+/$' | tr -d /)
    [[ -n "$PORT" ]] && return 0
    if ! kill -0 "$PID" 2>/dev/null; then
      { wait "$PID"; } 2>/dev/null
      EXIT=$?
      PID=""
      return 1
    fi
    sleep 0.1
  done
  return 1
}

# SIGTERM, then the seconds the process took to exit (SIGKILL after 40 s).
stop_server() {
  [[ -z "$PID" ]] && return
  local start=$SECONDS
  kill -TERM "$PID" 2>/dev/null
  for _ in $(seq 400); do
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$PID" 2>/dev/null; then
    kill -9 "$PID"
    STOP="did not stop within 40 s of SIGTERM"
  else
    STOP="stopped $((SECONDS - start)) s after SIGTERM"
  fi
  { wait "$PID"; } 2>/dev/null
  PID=""
}

# curl against the server: "STATUS, BYTES bytes, SECONDS s" (000 when no answer).
request() {
  curl -s -o "$WORK/body" -w '%{http_code} %{size_download} %{time_total}' --max-time 60 "$@" 2>/dev/null |
    awk '{printf "%s, %d bytes, %.2f s", $1, $2, $3}'
}

# Sets STATE: "server alive" when the server still answers /api/health,
# else how the process ended. Call it directly, not in $(...): only this
# shell can wait for the server it started.
server_state() {
  if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1:$PORT/api/health")
    STATE="server alive (health $code)"
    return
  fi
  if [[ -z "$PID" ]]; then
    STATE="no server"
    return
  fi
  { wait "$PID"; } 2>/dev/null
  local rc=$?
  PID=""
  if ((rc > 128)); then
    STATE="**server died** (signal $((rc - 128)), $(kill -l $((rc - 128))))"
  else
    STATE="**server exited** ($rc)"
  fi
}

url() { echo "http://127.0.0.1:$PORT$1"; }

# Uploads the small scenario; prints its id.
upload() {
  curl -s --max-time 30 -H 'Content-Type: application/yaml' --data-binary "@$SMALL" \
    "$(url '/api/scenarios?file_name=small.yaml')" | grep -oE '"id": ?[0-9]+' | head -1 | grep -oE '[0-9]+$'
}

# Runs the binary with a time limit and the memory cap: "exit N, S s: first stderr line".
run_cli() {
  local limit=$1
  shift
  local start=$SECONDS
  (ulimit -v 4194304; exec timeout -k 5 "$limit" "$@") >"$WORK/cli.out" 2>"$WORK/cli.err"
  local rc=$?
  local took=$((SECONDS - start))
  local first
  first=$(grep -v '^ *$' "$WORK/cli.err" | head -1 | cut -c1-90 | tr '|' '/')
  if ((rc == 124 || rc == 137)); then
    echo "**still running after ${limit} s** (killed)"
  elif ((rc > 128)); then
    echo "**killed by signal $((rc - 128))** after ${took} s: ${first}"
  else
    echo "exit $rc, ${took} s: ${first}"
  fi
}

# --- checks: each prints one cell for the binary in $1 ---------------------

# One GET of the path in $2: its answer and the server's state after it.
get_and_state() {
  start_server "$1" || { echo "did not start"; return; }
  local answer
  answer=$(request "$(url "$2")")
  server_state
  echo "GET $2: $answer; $STATE"
  stop_server
}
check_1_path() { get_and_state "$1" /%ff; }
check_1_api_path() { get_and_state "$1" /api/%ff; }
check_1_body() {
  start_server "$1" || { echo "did not start"; return; }
  local answer
  answer=$(request -H 'Content-Type: application/json' \
    --data-binary "$(printf '{"kind": "\xff", "scenario_id": 1}')" "$(url /api/jobs)")
  server_state
  echo "POST /api/jobs: $answer; $STATE"
  stop_server
}
check_2_deep() {
  local cells=() answer
  for field in id params; do
    start_server "$1" || { echo "did not start"; return; }
    answer=$(request -H 'Content-Type: application/json' --data-binary "@$WORK/deep_$field.json" "$(url /api/jobs)")
    server_state
    cells+=("in $field: $answer; $STATE")
    stop_server
  done
  printf '%s\n' "${cells[@]}"
}
check_3_alias_bomb_api() {
  start_server "$1" || { echo "did not start"; return; }
  local answer rss
  answer=$(request -H 'Content-Type: application/yaml' --data-binary "@$WORK/alias_bomb.yaml" \
    "$(url /api/scenarios/validate)")
  rss=$(awk '/VmRSS/ {printf "%d MB", $2 / 1024}' "/proc/$PID/status" 2>/dev/null)
  server_state
  echo "$answer, server RSS after: ${rss:-?}; $STATE"
  stop_server
}
check_3_billion_laughs_api() {
  start_server "$1" || { echo "did not start"; return; }
  local answer
  answer=$(request -H 'Content-Type: application/yaml' --data-binary "@$WORK/billion_laughs.yaml" \
    "$(url /api/scenarios/validate)")
  server_state
  echo "$answer; $STATE"
  stop_server
}
check_3_alias_bomb_cli() {
  local cell
  cell=$(run_cli 120 "$1" validate "$WORK/alias_bomb.yaml")
  echo "$cell; $(cat "$WORK/cli.out" "$WORK/cli.err" | wc -l) lines, $(cat "$WORK/cli.out" "$WORK/cli.err" |
    wc -c) bytes of output"
}
check_4_text_plain() {
  start_server "$1" || { echo "did not start"; return; }
  local id
  id=$(upload)
  echo "text/plain POST /api/jobs: $(request -H 'Content-Type: text/plain' \
    --data-binary "{\"kind\": \"validate\", \"scenario_id\": ${id:-1}}" "$(url /api/jobs)")"
  stop_server
}
check_4_host() {
  start_server "$1" || { echo "did not start"; return; }
  upload >/dev/null
  echo "Host: evil.example GET /api/scenarios: $(request -H 'Host: evil.example' "$(url /api/scenarios)")"
  stop_server
}
check_4_origin() {
  start_server "$1" || { echo "did not start"; return; }
  echo "Origin: http://evil.example POST /api/scenarios: $(request -H 'Origin: http://evil.example' \
    -H 'Content-Type: application/yaml' --data-binary "@$SMALL" "$(url '/api/scenarios?file_name=small.yaml')")"
  stop_server
}
check_4_headers() {
  start_server "$1" --web-dir "$WORK/web" || { echo "did not start"; return; }
  local headers
  headers=$(curl -s -D - -o /dev/null --max-time 10 "$(url /)" | tr -d '\r' |
    grep -ioE '^(content-security-policy|x-frame-options):' | tr -d : | tr '\n' ' ')
  echo "GET / security headers: ${headers:-none}"
  stop_server
}
check_5_slow() {
  start_server "$1" || { echo "did not start"; return; }
  # 20 connections that send one header byte every 2 s.
  local fds=() fd
  for _ in $(seq 20); do
    exec {fd}<>"/dev/tcp/127.0.0.1/$PORT" && fds+=("$fd")
  done
  (
    for _ in $(seq 30); do
      for fd in "${fds[@]}"; do { printf 'G' 1>&"$fd"; } 2>/dev/null; done
      sleep 2
    done
  ) &
  local dripper=$!
  sleep 1
  echo "/api/health beside 20 slow clients: $(request "$(url /api/health)")"
  stop_server
  echo "$STOP"
  kill "$dripper" 2>/dev/null
  wait "$dripper" 2>/dev/null
  for fd in "${fds[@]}"; do exec {fd}>&-; done
}
check_6_ranges() {
  start_server "$1" --web-dir "$WORK/web" || { echo "did not start"; return; }
  local ranges="bytes=0-" answer
  for _ in $(seq 99); do ranges+=",0-"; done
  answer=$(request -H "Range: $ranges" "$(url /bundle.js)")
  server_state
  echo "100 ranges of 0- on a 1.35 MB file: $answer; $STATE"
  stop_server
}
check_7_params() {
  start_server "$1" || { echo "did not start"; return; }
  local id
  id=$(upload)
  local cells=()
  for params in '{"seed": 1.5}' '{"bogus": 1}' '{"time_limit_seconds": -5}'; do
    cells+=("$params: $(request -H 'Content-Type: application/json' \
      --data-binary "{\"kind\": \"plan\", \"scenario_id\": ${id:-1}, \"params\": $params}" \
      "$(url /api/jobs)" | cut -d, -f1)")
  done
  printf '%s\n' "${cells[@]}"
  stop_server
}
check_8_head() {
  start_server "$1" || { echo "did not start"; return; }
  echo "HEAD /api/health: $(request -I "$(url /api/health)" | cut -d, -f1)"
  stop_server
}
check_8_bind_v6() {
  if start_server "$1" --bind '[::1]'; then
    echo "listens"
    stop_server
  else
    echo "**exit ${EXIT:-?}**: $(head -1 "$WORK/serve.err" | cut -c1-80)"
  fi
}
check_8_bad_options() {
  local cells=()
  for option in "--max-queued -1" "--max-body-mb -5" "--web-dir /nonexistent-cobuild-web"; do
    # shellcheck disable=SC2086
    if start_server "$1" $option; then
      cells+=("$option: **listens**")
      stop_server
    else
      cells+=("$option: exit ${EXIT:-?}")
    fi
  done
  printf '%s\n' "${cells[@]}"
}
check_8_token_file() {
  printf 's3cret\n' >"$WORK/token"
  if start_server "$1" --token-file "$WORK/token"; then
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H 'Authorization: Bearer s3cret' "$(url /api/health)")
    local shown=no
    tr '\0' ' ' <"/proc/$PID/cmdline" | grep -q s3cret && shown=yes
    echo "--token-file: listens, health with the token $code, token in ps: $shown"
    stop_server
  else
    echo "--token-file: **exit ${EXIT:-?}**: $(head -1 "$WORK/serve.err" | cut -c1-60)"
  fi
}
check_8_final_message() {
  start_server "$1" || { echo "did not start"; return; }
  local id job
  id=$(upload)
  job=$(curl -s --max-time 30 -H 'Content-Type: application/json' \
    --data-binary "{\"kind\": \"validate\", \"scenario_id\": ${id:-1}}" "$(url /api/jobs)" |
    grep -oE '"id": ?[0-9]+' | head -1 | grep -oE '[0-9]+$')
  local state=""
  for _ in $(seq 100); do
    state=$(curl -s --max-time 10 "$(url "/api/jobs/${job:-1}")")
    grep -qE '"status": ?"(succeeded|failed)"' <<<"$state" && break
    sleep 0.1
  done
  echo "finished validate job: $(grep -oE '"message": ?"[^"]*"' <<<"$state")"
  stop_server
}
check_8_favicon() {
  start_server "$1" || { echo "did not start"; return; }
  echo "GET /favicon.ico: $(request "$(url /favicon.ico)" | cut -d, -f1)"
  stop_server
}
check_cli_overflow() { run_cli 60 "$1" check-plan "$SCENARIO" "$WORK/overflow.json"; }
check_cli_durations() {
  local cells=()
  for value in nan 0 1e-300 1e10; do
    cells+=("$value: $(run_cli 120 "$1" plan "$SMALL" --time-limit "$value" | cut -d: -f1)")
  done
  cells+=("risk --draw-time-limit nan: $(run_cli 120 "$1" risk "$SMALL" --samples 2 --seed 1 \
    --draw-time-limit nan | cut -d: -f1)")
  printf '%s\n' "${cells[@]}"
}
check_cli_dev_zero() {
  echo "evaluate --csplib /dev/zero: $(run_cli 120 "$1" evaluate --csplib /dev/zero);" \
    "check-plan X /dev/zero: $(run_cli 120 "$1" check-plan "$SCENARIO" /dev/zero)"
}
check_cli_generate() {
  run_cli 30 "$1" generate --plants 2 --lines 2 --models 1000000 --markets 2 --months 12 --seed 1 \
    --out "$WORK/generated.yaml"
}
check_cli_paths() {
  : >"$WORK/not-a-folder"
  echo "plan --out FILE/x: $(run_cli 120 "$1" plan "$SMALL" --time-limit 5 --out "$WORK/not-a-folder/x");" \
    "serve --db /proc/none/x.db: $(run_cli 20 "$1" serve --port 0 --db /proc/cobuild-none/x.db)"
}
check_cli_utf8() { run_cli 30 "$1" validate "$WORK/caf$(printf '\xe9').yaml" --format json; }
check_cli_risk() {
  # Draws that fail: a draw time limit too short to solve anything (refused
  # as input by the fixed binary, whose rule is tested in replan_io_test).
  local args=(risk "$SCENARIO" --samples 2 --seed 1 --time-limit 20 --draw-time-limit 1e-9)
  echo "table: $(run_cli 200 "$1" "${args[@]}" | cut -d: -f1), P10 P50 P90: $(grep -m1 'contribution GBP, recovered' \
    "$WORK/cli.out" | tr -s " " | cut -d" " -f4-)"
  echo "json: $(run_cli 200 "$1" "${args[@]}" --format json | cut -d: -f1), $(tr -d ' \n' <"$WORK/cli.out" |
    grep -oE '"contribution_gbp":(null|\{[^}]*\})' | head -1)"
}

# --- the table -------------------------------------------------------------

# A check's lines as one table cell.
join_lines() { awk 'NR > 1 {printf "; "} {printf "%s", $0}'; }

CHECKS=(
  "1 invalid UTF-8|check_1_path"
  "1 invalid UTF-8 under /api/|check_1_api_path"
  "1 invalid UTF-8 in a JSON body|check_1_body"
  "2 70,000 levels of JSON in a job POST|check_2_deep"
  "3 diagnostic bomb (300,000 aliases, 2 MB) over the API|check_3_alias_bomb_api"
  "3 billion laughs over the API|check_3_billion_laughs_api"
  "3 diagnostic bomb at the CLI (validate)|check_3_alias_bomb_cli"
  "4 cross-site text/plain write|check_4_text_plain"
  "4 DNS rebinding (foreign Host)|check_4_host"
  "4 foreign Origin on a write|check_4_origin"
  "4 CSP and frame headers|check_4_headers"
  "5 20 slow clients|check_5_slow"
  "6 multi-range request|check_6_ranges"
  "7 job params checked at POST|check_7_params"
  "8 HEAD on the API|check_8_head"
  "8 --bind \"[::1]\"|check_8_bind_v6"
  "8 bad serve options|check_8_bad_options"
  "8 token not in ps (--token-file)|check_8_token_file"
  "8 a fast job's final message|check_8_final_message"
  "8 favicon|check_8_favicon"
  "CLI plan JSON with 1e999|check_cli_overflow"
  "CLI durations (plan --time-limit)|check_cli_durations"
  "CLI endless input files|check_cli_dev_zero"
  "CLI generate --models 1000000|check_cli_generate"
  "CLI unwritable --out, unopenable --db|check_cli_paths"
  "CLI --format json with a non-UTF-8 file name|check_cli_utf8"
  "CLI risk with failed draws|check_cli_risk"
)
ONLY=${PREFIX_CHECK_ONLY:-}
echo "| class | check | OLD_COBUILD (before the fixes) | NEW_COBUILD (now) |"
echo "|---|---|---|---|"
for entry in "${CHECKS[@]}"; do
  name=${entry%%|*}
  fn=${entry##*|}
  [[ -n "$ONLY" && "$fn" != *"$ONLY"* ]] && continue
  old=$($fn "$OLD" | join_lines | sed "s|$WORK/||g")
  new=$($fn "$NEW" | join_lines | sed "s|$WORK/||g")
  echo "| ${name%% *} | ${name#* } | $old | $new |"
done

# --- main's process-level tests against both binaries ----------------------
# The tests that run the cobuild binary (COBUILD_BIN) from a build of this
# checkout (PREFIX_CHECK_TESTS, default build/; skipped when absent), each
# alone with a time limit and the same 4 GiB cap (the binary before the fixes
# reads /dev/zero until memory runs out): GNU timeout stops the test and
# every process it started (one process group).
TESTS=${PREFIX_CHECK_TESTS:-build}
PROCESS_TESTS=(
  "src/server/server_process_test:ServerProcessTest.HostileRequestsNeitherStopNorStallTheServer"
  "src/server/server_process_test:ServerProcessTest.Token*"
  "src/server/server_process_test:ServerProcessTest.EmptyTokenVariableSetsNoToken"
  "src/cli/cli_input_limits_test:*"
)
# "OK", "FAILED: first failure" or "**timed out**" for one gtest run.
run_test() {
  local bin=$1 binary=$2 name=$3
  (ulimit -v 4194304; COBUILD_BIN=$bin exec timeout -k 5 150 "$binary" --gtest_filter="$name") >"$WORK/test.out" 2>&1
  local rc=$?
  if ((rc == 124 || rc == 137)); then
    echo "**timed out after 150 s**"
  elif ((rc == 0)); then
    echo "OK"
  else
    echo "**FAILED** ($(grep -c 'Failure$' "$WORK/test.out") failed expectations; first: $(grep -m1 -A2 'Failure$' \
      "$WORK/test.out" | tail -n +2 | tr '\n|' ' /' | cut -c1-100))"
  fi
}
if [[ ( -z "$ONLY" || "$ONLY" == tests ) && -d "$TESTS" ]]; then
  echo
  echo "| test on main (run against each binary) | OLD_COBUILD | NEW_COBUILD |"
  echo "|---|---|---|"
  for entry in "${PROCESS_TESTS[@]}"; do
    binary="$TESTS/${entry%%:*}"
    [[ -x "$binary" ]] || continue
    for name in $("$binary" --gtest_list_tests --gtest_filter="${entry#*:}" |
      awk '/^[^ ]/ {suite = $1} /^  / {print suite $1}'); do
      echo "| \`$(basename "$binary")\` $name | $(run_test "$OLD" "$binary" "$name") | $(run_test "$NEW" "$binary" "$name") |"
    done
  done
fi
