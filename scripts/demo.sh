#!/usr/bin/env bash
# The main job on the bundled real tickets, on this machine only:
#   1. builds halyard (scripts/setup.sh) and makes a test CA;
#   2. starts halosim, the HaloPSA simulator, over HTTPS with five client companies and their
#      users (tests/data/demo-directory.json);
#   3. connects halyard to it, imports every client but one and starts `halyard serve`;
#   4. has the simulator log the 1,000 real tickets of tests/data as their users would, so its
#      webhook emitter delivers each to the webhook halyard registered;
#   5. waits until halyard has worked them and prints a summary counted through the
#      simulator's API: tickets received, plan notes posted, tickets skipped, failures.
# Exit status: 0 when every ticket of an imported client has exactly one plan note.
#   scripts/demo.sh [--tickets N]   (N: how many of the 1,000 tickets to log; default all)
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
ticket_limit=1000
while [ $# -gt 0 ]; do
    case "$1" in
    --tickets)
        ticket_limit=${2:-}
        if ! [[ "$ticket_limit" =~ ^[0-9]+$ ]] || [ "$ticket_limit" -lt 1 ] ||
            [ "$ticket_limit" -gt 1000 ]; then
            echo "demo.sh: --tickets needs a number from 1 to 1000, not '$ticket_limit'" >&2
            exit 2
        fi
        shift
        ;;
    *)
        echo "demo.sh: unknown option '$1'; the only option is --tickets N" >&2
        exit 2
        ;;
    esac
    shift
done

# The simulator's rate limit for the demo: HaloPSA's default of 500 requests per 300 s would
# make 1,000 tickets take over an hour, so the demo raises it (halyard backs off on 429 either
# way).
demo_rate_limit="20000/300"
# Longest wait for halyard to finish, in seconds.
wait_limit=600

scripts/setup.sh
build=$root/build
certs=$build/test-certs
work=$build/demo
rm -rf "$work"
mkdir -p "$work"

sim_pid=
serve_pid=
stop_processes() {
    for pid in $serve_pid $sim_pid; do
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
}
trap stop_processes EXIT

# Waits for a "listening on URL" line in a log file and prints the URL.
wait_for_url() { # log-file what
    for _ in $(seq 1 100); do
        url=$(grep -o 'listening on https\?://[0-9.]*:[0-9]*' "$1" 2>/dev/null | head -n 1 |
            sed 's/listening on //')
        if [ -n "$url" ]; then
            echo "$url"
            return 0
        fi
        sleep 0.1
    done
    echo "demo.sh: $2 did not start; its log ($1) ends with:" >&2
    tail -n 20 "$1" >&2
    return 1
}

echo
echo "== 1. The HaloPSA simulator"
lua5.4 scripts/make-seed.lua tests/data/demo-directory.json tests/data/endava_tickets.jsonl \
    "$work/seed.json" --without-tickets
"$build/halosim" --port 0 --tls-cert "$certs/server.pem" --tls-key "$certs/server.key" \
    --seed "$work/seed.json" --rate-limit "$demo_rate_limit" >"$work/halosim.log" 2>&1 &
sim_pid=$!
sim_url=$(wait_for_url "$work/halosim.log" halosim)
instance=${sim_url/127.0.0.1/localhost}
echo "halosim serves $instance with rate limit $demo_rate_limit (requests/seconds)"

echo
echo "== 2. halyard serve"
cat >"$work/halyard.lua" <<CONFIG
return {
    data_dir = "$work/data",
    listen = "127.0.0.1:0",
    ca_file = "$certs/ca.pem",
    -- The simulator's numbers for New Ticket Logged, Ticket Updated and Action Added.
    webhook_events = { 3, 2, 8 },
}
CONFIG
halyard="$build/halyard --config $work/halyard.lua"
$halyard serve >"$work/halyard.log" 2>&1 &
serve_pid=$!
serve_url=$(wait_for_url "$work/halyard.log" "halyard serve")
echo "halyard serves $serve_url"
sed -i "s|^return {|return {\n    public_url = \"$serve_url\",|" "$work/halyard.lua"

echo
echo "== 3. Connect, list and import"
echo halyard-sim-secret >"$work/client-secret"
chmod 600 "$work/client-secret"
$halyard connect --instance "$instance" --client-id halyard-sim \
    --client-secret-file "$work/client-secret"
$halyard clients list
# Every client but Kestrel Primary School (25), whose tickets halyard must skip.
$halyard clients import 12 14 17 21

echo
echo "== 4. Logging $ticket_limit real tickets as their users would"
curl_sim() {
    curl --silent --show-error --fail --cacert "$certs/ca.pem" "$@"
}
head -n "$ticket_limit" "$work/seed.json.tickets.jsonl" |
    xargs -d '\n' -P 4 -I @TICKET@ curl --silent --show-error --fail --cacert "$certs/ca.pem" \
        -o /dev/null -H 'Content-Type: application/json' -d @TICKET@ "$sim_url/_sim/tickets"
echo "logged $ticket_limit tickets"

echo
echo "== 5. Waiting for halyard (at most $wait_limit s)"
token=$(curl_sim "$sim_url/auth/token" -d grant_type=client_credentials \
    -d client_id=halyard-sim -d client_secret=halyard-sim-secret -d scope=all |
    lua5.4 -e 'print(require("cjson").decode(io.read("a")).access_token)')
summarise() {
    local pages=$work/tickets
    rm -rf "$pages"
    mkdir -p "$pages"
    local page=1
    while :; do
        curl_sim -H "Authorization: Bearer $token" \
            "$sim_url/api/Tickets?pageinate=true&page_size=100&page_no=$page" \
            >"$pages/$(printf %04d "$page").json"
        local count
        count=$(lua5.4 -e 'print(#require("cjson").decode(io.read("a")).tickets)' \
            <"$pages/$(printf %04d "$page").json")
        [ "$count" -lt 100 ] && break
        page=$((page + 1))
    done
    curl_sim -H "Authorization: Bearer $token" "$sim_url/api/Actions?includehtmlnote=true" \
        >"$work/actions.json"
    lua5.4 scripts/demo-summary.lua "$pages" "$work/actions.json" 12,14,17,21 "$@"
}
started=$(date +%s)
while :; do
    if summarise --quiet; then
        break
    fi
    if [ $(($(date +%s) - started)) -ge $wait_limit ]; then
        echo "demo.sh: halyard did not finish in $wait_limit s" >&2
        break
    fi
    sleep 3
done
# Deliveries of halyard's own notes may still arrive; give them a moment to prove harmless.
sleep 3

echo
echo "== Summary (counted through the simulator's API, took $(($(date +%s) - started)) s)"
status=0
summarise || status=$?
echo
echo "Where to look:"
echo "  halyard:   log $work/halyard.log, database $work/data/halyard.db"
echo "  simulator: log $work/halosim.log, API $instance"
echo "             (client id halyard-sim, secret halyard-sim-secret, CA $certs/ca.pem)"
exit $status
