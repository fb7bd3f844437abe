#!/usr/bin/env bash
# Benchmarks that print figures; none of them is a test, and none fails on a slow machine.
#   scripts/bench.sh intake [--rounds N] [--duration SECONDS] [--connections N]
#   scripts/bench.sh batch [--events N]...
#   scripts/bench.sh lua [--quick] [--rounds N] [--reloads N] [--share DIR] [--changes N]
#                        [--load-seconds SECONDS] [--rate N]
#
# intake: webhook intake throughput and latency on loopback with wrk (one thread, 64
# connections, 10 s per run by default), side by side with
#   bare     tests/bench/bare_server.c, an evhttp server that reads the body and answers 200
#            without storing it: the limit of one libevent thread on this machine;
#   halyard  `halyard serve`, which answers only after the delivery is committed and fsync'd;
#   node     tests/bench/node-receiver, Node.js http + better-sqlite3 (WAL, synchronous=FULL,
#            one transaction per request), the receiver an MSP might otherwise write.
# Each request carries a GUID of its own in a 2 KB HaloPSA-shaped event. The servers take turns
# for each of the rounds (3 by default); the script prints every run, the medians of req/s, p50
# and p99, and the ratios, and checks for both storing servers that the rows stored match the
# 200s returned (a run may store up to one request per connection more than it answered: the
# ones in flight when wrk stops).
#
# batch: one webhook request with a batch of N small events (67 bytes each; 1,000, 10,000 and
# 200,000 by default, one run each), posted with curl to a fresh `halyard serve` while another
# curl requests GET /healthz every 50 ms. It prints the batch's status, its
# response time, the rows stored and the slowest /healthz answer during the request and in the
# 5 s after it, which is how long the event loop was held. No HaloPSA is connected, so the
# sync jobs the batch queues fail at once.
#
# lua: the Lua host through its C API (tests/bench/lua_bench.c). It prints matching time per
# ticket over the 1,000 tickets of tests/data/endava_tickets.jsonl with 10, 100 and 1,000
# generated workflows (narrow and broad keyword rules, and score functions). Then the time to
# create a host from 1,000 workflow files, memory per MSP state, and plan time per ticket
# with the shipped workflows, each against its goal. --rounds sets the timed passes over the tickets
# (3 by default), --reloads the host creations timed per workflow set (5 by default), and
# --share a folder with other bindings/lua/ and workflows/ to measure (another checkout's,
# to compare two versions of the Lua modules).
# Then hot reload, with halosim and `halyard serve` as processes on 127.0.0.1 and 1,000
# generated workflow files in the MSP's folder (tests/bench/reload_bench.lua, run by halytest):
# the time from a changed file to its version serving, with inotify and with polling, timed
# --changes times each (20 by default); then webhook deliveries at --rate per second (200 by
# default) for --load-seconds (20 by default), once without and once with a workflow file
# rewritten every second, each delivery's response time and each new ticket's time to its plan
# note. --quick is --rounds 1 --reloads 2 --changes 5 --load-seconds 5, for a first look in
# about a minute.
#
# Builds into build/ with scripts/setup.sh, or uses HALYARD_BUILD_DIR when set (built with
# cmake --build). For intake, installs wrk from Debian's packages when missing, and runs npm
# install in tests/bench/node-receiver on first use (Node.js 20 or newer is needed for
# better-sqlite3 12). Data goes to BUILD_DIR/bench-data and is removed after each run.
set -euo pipefail

cd "$(dirname "$0")/.."
repository=$(pwd)

usage() {
    echo "usage: scripts/bench.sh intake [--rounds N] [--duration SECONDS] [--connections N]" >&2
    echo "       scripts/bench.sh batch [--events N]..." >&2
    echo "       scripts/bench.sh lua [--quick] [--rounds N] [--reloads N] [--share DIR]" \
        "[--changes N] [--load-seconds SECONDS] [--rate N]" >&2
    exit 2
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        echo "bench: '$*' needs root and sudo is missing; run it as root" >&2
        exit 1
    fi
}

# prepare_build TARGET...: builds the targets (everything when HALYARD_BUILD_DIR is unset);
# sets build_dir.
prepare_build() {
    if [ -n "${HALYARD_BUILD_DIR:-}" ]; then
        build_dir=$HALYARD_BUILD_DIR
        cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
        cmake --build "$build_dir" -j "$(nproc)" --target "$@" >/dev/null
    else
        build_dir=build
        scripts/setup.sh >/dev/null
    fi
    build_dir=$(cd "$build_dir" && pwd)
}

prepare_wrk() {
    if ! command -v wrk >/dev/null; then
        echo "bench: installing wrk from Debian's packages"
        as_root apt-get update -qq
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq wrk >/dev/null
    fi
}

prepare_node() {
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        echo "bench: installing Node.js from Debian's packages"
        as_root apt-get update -qq
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nodejs npm >/dev/null
    fi
    local major
    major=$(node -p 'process.versions.node.split(".")[0]')
    if [ "$major" -lt 20 ]; then
        echo "bench: Node.js $(node --version) is too old: better-sqlite3 12 needs Node.js 20 or" \
            "newer; install one and run again" >&2
        exit 1
    fi
    local receiver=tests/bench/node-receiver
    if [ ! -d "$receiver/node_modules/better-sqlite3" ]; then
        echo "bench: npm install in $receiver (builds better-sqlite3; takes a minute or two)"
        # With the headers Node.js installed, node-gyp needs to download nothing.
        local node_headers
        node_headers=$(dirname "$(dirname "$(command -v node)")")
        if [ -f "$node_headers/include/node/node.h" ]; then
            export npm_config_nodedir=$node_headers
        fi
        (cd "$receiver" && npm install --no-audit --no-fund --loglevel=error)
    fi
}

# start_server NAME DATA_DIR: starts one server in the background with its output in
# DATA_DIR/server.log, waits up to 15 s for its "listening on" line and sets server_pid, url
# and authorization.
start_server() {
    local name=$1
    local data=$2
    local log=$data/server.log
    case "$name" in
    bare)
        "$build_dir/bench-bare-server" --listen 127.0.0.1:0 >"$log" 2>&1 &
        server_pid=$!
        authorization="Basic $(printf 'bench:unused' | base64 -w0)"
        ;;
    halyard)
        "$build_dir/halyard" intake credentials --data-dir "$data" >"$data/credentials"
        local username password
        username=$(sed -n 's/^username: //p' "$data/credentials")
        password=$(sed -n 's/^password: //p' "$data/credentials")
        authorization="Basic $(printf '%s:%s' "$username" "$password" | base64 -w0)"
        env -u HALYARD_CONFIG "$build_dir/halyard" serve --data-dir "$data" --listen 127.0.0.1:0 \
            >"$log" 2>&1 &
        server_pid=$!
        ;;
    node)
        head -c 24 /dev/urandom | base64 -w0 | tr '+/' '-_' >"$data/password"
        authorization="Basic $(printf 'bench:%s' "$(cat "$data/password")" | base64 -w0)"
        node tests/bench/node-receiver/server.js --database "$data/node.db" --username bench \
            --password-file "$data/password" --listen 127.0.0.1:0 >"$log" 2>&1 &
        server_pid=$!
        ;;
    esac
    url=
    for _ in $(seq 1 150); do
        url=$(sed -n 's|.*listening on \(http://[0-9.]*:[0-9]*\).*|\1|p' "$log" | head -n 1)
        if [ -n "$url" ]; then
            return
        fi
        if ! kill -0 "$server_pid" 2>/dev/null; then
            break
        fi
        sleep 0.1
    done
    echo "bench: the $name server did not start; its log:" >&2
    cat "$log" >&2
    exit 1
}

stop_server() {
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 150); do
        if ! kill -0 "$server_pid" 2>/dev/null; then
            wait "$server_pid" 2>/dev/null || true
            server_pid=
            return
        fi
        sleep 0.1
    done
    echo "bench: the server did not stop within 15 s; killing it" >&2
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
}

count_rows() {
    local database=$1
    if [ -f "$database" ]; then
        "$build_dir/intake-query-db" "$database" "SELECT count(*) FROM deliveries"
    else
        echo 0
    fi
}

# wrk_run URL SECONDS RUN_LABEL: prints wrk's RESULT line.
wrk_run() {
    BENCH_AUTHORIZATION=$authorization BENCH_RUN=$3 \
        wrk -t1 -c"$connections" -d"$2"s --timeout 10s -s tests/bench/intake.lua \
        "$1/hooks/halopsa/default" | sed -n 's/^RESULT //p'
}

field() {
    printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

median() {
    sort -g | awk '{ values[NR] = $1 } END {
        if (NR == 0) { print "nan"; exit }
        if (NR % 2) { print values[(NR + 1) / 2] } else { print (values[NR / 2] + values[NR / 2 + 1]) / 2 }
    }'
}

# run_one NAME ROUND: one measured run; appends "NAME rps p50_ms p99_ms" to the results file.
run_one() {
    local name=$1
    local round=$2
    local data=$bench_data/$name-$round
    rm -rf "$data"
    mkdir -p "$data"
    start_server "$name" "$data"
    local database=
    case "$name" in
    halyard) database=$data/halyard.db ;;
    node) database=$data/node.db ;;
    esac

    # A short warm-up, then the measured run; rows are counted around the measured run only.
    wrk_run "$url" 2 "$(printf '%02x%02x0001' "$round" "${#name}")" >/dev/null
    sleep 1 # the warm-up's requests in flight when wrk stopped are answered and stored first
    local before=0
    if [ -n "$database" ]; then
        before=$(count_rows "$database")
    fi
    local result
    result=$(wrk_run "$url" "$duration" "$(printf '%02x%02x0002' "$round" "${#name}")")
    sleep 0.5
    stop_server
    if [ -z "$result" ]; then
        echo "bench: wrk printed no result for $name" >&2
        exit 1
    fi

    local requests duration_us non2xx socket_errors p50 p99 rps
    requests=$(field "$result" requests)
    duration_us=$(field "$result" duration_us)
    non2xx=$(field "$result" non2xx)
    socket_errors=$(($(field "$result" connect_errors) + $(field "$result" read_errors) + \
        $(field "$result" write_errors) + $(field "$result" timeouts)))
    p50=$(awk -v us="$(field "$result" p50_us)" 'BEGIN { printf "%.2f", us / 1000 }')
    p99=$(awk -v us="$(field "$result" p99_us)" 'BEGIN { printf "%.2f", us / 1000 }')
    rps=$(awk -v n="$requests" -v us="$duration_us" 'BEGIN { printf "%.0f", n / (us / 1e6) }')
    local ok=$((requests - non2xx))

    local check="-"
    if [ -n "$database" ]; then
        local after extra
        after=$(count_rows "$database")
        extra=$((after - before - ok))
        if [ "$extra" -ge 0 ] && [ "$extra" -le "$connections" ] && [ "$non2xx" -eq 0 ]; then
            check="ok: $((after - before)) rows for $ok 200s"
        else
            check="MISMATCH: $((after - before)) rows for $ok 200s, $non2xx non-2xx"
            mismatches=$((mismatches + 1))
        fi
    fi
    printf '%-8s round %d  %8s req/s  p50 %6s ms  p99 %6s ms  socket errors %d  rows %s\n' \
        "$name" "$round" "$rps" "$p50" "$p99" "$socket_errors" "$check"
    echo "$name $rps $p50 $p99" >>"$results"
    rm -rf "$data"
}

bench_intake() {
    rounds=3
    duration=10
    connections=64
    while [ $# -gt 0 ]; do
        case "$1" in
        --rounds) rounds=${2:?}; shift ;;
        --duration) duration=${2:?}; shift ;;
        --connections) connections=${2:?}; shift ;;
        *) usage ;;
        esac
        shift
    done

    prepare_build halyard bench-bare-server intake-query-db
    prepare_wrk
    prepare_node
    bench_data=$build_dir/bench-data
    mkdir -p "$bench_data"
    if [ "$(stat -f -c %T "$bench_data")" = tmpfs ]; then
        echo "bench: warning: $bench_data is on tmpfs, where fsync costs nothing" >&2
    fi
    results=$(mktemp)
    mismatches=0
    server_pid=
    trap 'if [ -n "${server_pid:-}" ]; then kill -KILL "$server_pid" 2>/dev/null || true; fi; rm -f "$results"' EXIT

    echo "intake benchmark: wrk -t1 -c$connections -d${duration}s, $rounds rounds, $(nproc) CPUs," \
        "data in $bench_data ($(stat -f -c %T "$bench_data"))"
    local order=(bare halyard node)
    for round in $(seq 1 "$rounds"); do
        for turn in 0 1 2; do
            run_one "${order[$(((round - 1 + turn) % 3))]}" "$round"
        done
    done

    echo
    echo "medians of $rounds rounds:"
    local name rps p50 p99
    declare -A median_rps
    for name in bare halyard node; do
        rps=$(awk -v n="$name" '$1 == n { print $2 }' "$results" | median)
        p50=$(awk -v n="$name" '$1 == n { print $3 }' "$results" | median)
        p99=$(awk -v n="$name" '$1 == n { print $4 }' "$results" | median)
        median_rps[$name]=$rps
        printf '  %-8s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms\n' "$name" "$rps" "$p50" "$p99"
        if [ "$name" = halyard ]; then
            halyard_p99=$p99
        fi
    done
    local versus_bare versus_node
    versus_bare=$(awk -v a="${median_rps[halyard]}" -v b="${median_rps[bare]}" 'BEGIN { printf "%.2f", a / b }')
    versus_node=$(awk -v a="${median_rps[halyard]}" -v b="${median_rps[node]}" 'BEGIN { printf "%.2f", a / b }')
    echo
    echo "ratios: halyard / bare = $versus_bare (goal >= 0.50), halyard / node = $versus_node" \
        "(goal >= 2.00), halyard p99 = $halyard_p99 ms (goal < 10 ms at $connections connections)"
    if [ "$mismatches" -gt 0 ]; then
        echo "bench: $mismatches run(s) stored a different number of rows than the 200s returned" >&2
        exit 1
    fi
}

# write_batch FILE COUNT: writes a JSON array of COUNT events, each with a GUID and ticket of
# its own.
write_batch() {
    awk -v count="$2" 'BEGIN {
        printf "["
        for (i = 1; i <= count; i++) {
            printf "%s{\"id\":\"batch-%08d\",\"event\":\"ticket updated\",\"object_id\":%d}",
                (i > 1 ? "," : ""), i, i
        }
        printf "]"
    }' >"$1"
}

# max_health_seconds FILE FROM TO: prints the slowest /healthz time of the probes that started
# between FROM and TO (seconds since the epoch, with fractions), or 0 without any.
max_health_seconds() {
    awk -v from="$2" -v to="$3" '$1 >= from && $1 <= to && $2 > slowest { slowest = $2 }
        END { printf "%.3f", slowest + 0 }' "$1"
}

# batch_run EVENTS: one request with a batch of EVENTS events; prints one line of figures.
batch_run() {
    local events=$1
    local data=$bench_data/batch-$events
    rm -rf "$data"
    mkdir -p -m 700 "$data"
    write_batch "$data/body.json" "$events"
    start_server halyard "$data"

    # The probe loop writes "START_SECONDS TOTAL_SECONDS" per /healthz request.
    (
        while [ ! -e "$data/stop" ]; do
            start=$(date +%s.%N)
            total=$(curl -s -o /dev/null -w '%{time_total}' --max-time 60 "$url/healthz")
            echo "$start $total"
            sleep 0.05
        done
    ) >"$data/health" &
    local probe_pid=$!
    sleep 0.5

    local posted answered result
    posted=$(date +%s.%N)
    result=$(curl -s -o "$data/response" -w '%{http_code} %{time_total}' --max-time 120 \
        -H "Authorization: $authorization" -H 'Content-Type: application/json' \
        --data-binary @"$data/body.json" "$url/hooks/halopsa/default")
    answered=$(date +%s.%N)
    sleep 5
    touch "$data/stop"
    wait "$probe_pid" 2>/dev/null || true

    local during after rows
    during=$(max_health_seconds "$data/health" "$posted" "$answered")
    after=$(max_health_seconds "$data/health" "$answered" 9999999999)
    rows=$(count_rows "$data/halyard.db")
    stop_server
    printf '%8d events  %9d bytes  status %s  answered in %6.2f s  rows %7d  slowest /healthz %6.3f s during, %6.3f s after  response %s\n' \
        "$events" "$(stat -c %s "$data/body.json")" "${result% *}" "${result#* }" "$rows" \
        "$during" "$after" "$(head -c 200 "$data/response")"
    rm -rf "$data"
}

bench_batch() {
    local sizes=()
    while [ $# -gt 0 ]; do
        case "$1" in
        --events) sizes+=("${2:?}"); shift ;;
        *) usage ;;
        esac
        shift
    done
    if [ "${#sizes[@]}" -eq 0 ]; then
        sizes=(1000 10000 200000)
    fi

    prepare_build halyard intake-query-db
    bench_data=$build_dir/bench-data
    mkdir -p "$bench_data"
    server_pid=
    trap 'if [ -n "${server_pid:-}" ]; then kill -KILL "$server_pid" 2>/dev/null || true; fi' EXIT
    echo "batch benchmark: one request per size, $(nproc) CPUs, data in $bench_data"
    for events in "${sizes[@]}"; do
        batch_run "$events"
    done
}

bench_lua() {
    local options=()
    local changes=20
    local load_seconds=20
    local rate=200
    while [ $# -gt 0 ]; do
        case "$1" in
        --quick)
            options+=(--rounds 1 --reloads 2)
            changes=5
            load_seconds=5
            ;;
        --rounds | --reloads | --share)
            options+=("$1" "${2:?}")
            shift
            ;;
        --changes) changes=${2:?}; shift ;;
        --load-seconds) load_seconds=${2:?}; shift ;;
        --rate) rate=${2:?}; shift ;;
        *) usage ;;
        esac
        shift
    done

    prepare_build lua-bench halyard halosim halytest bench-delivery-load halyard_test_certs
    mkdir -p "$build_dir/bench-data"
    lua_data=$(mktemp -d "$build_dir/bench-data/lua.XXXXXX")
    trap 'rm -rf "$lua_data"' EXIT
    "$build_dir/lua-bench" --work "$lua_data" "${options[@]}"

    # halytest puts its temporary folders (halyard's data, the scripts) under TMPDIR, so
    # deliveries are flushed to the same disk as in the intake benchmark.
    echo
    TMPDIR=$lua_data HALYARD_BUILD_DIR=$build_dir BENCH_RELOAD_CHANGES=$changes \
        BENCH_RELOAD_SECONDS=$load_seconds BENCH_RELOAD_RATE=$rate \
        "$build_dir/halytest" "$repository/tests/bench/reload_bench.lua" --timeout 1200
}

case "${1:-}" in
intake)
    shift
    bench_intake "$@"
    ;;
batch)
    shift
    bench_batch "$@"
    ;;
lua)
    shift
    bench_lua "$@"
    ;;
*)
    usage
    ;;
esac
