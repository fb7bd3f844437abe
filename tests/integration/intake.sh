#!/usr/bin/env bash
# Integration test of the webhook intake: starts `halyard serve` as a real process on
# 127.0.0.1 (a free port), posts deliveries to it with curl and reads the database back.
#   tests/integration/intake.sh BUILD_DIR
# Prints one line per failed check and "N passed, M failed" at the end; exits 1 on a failure.
set -uo pipefail

build_dir=${1:?usage: intake.sh BUILD_DIR}
halyard=$build_dir/halyard
query_db=$build_dir/intake-query-db
for program in "$halyard" "$query_db"; do
    if [ ! -x "$program" ]; then
        echo "intake.sh: $program is missing; build first (scripts/setup.sh)" >&2
        exit 1
    fi
done
if ! command -v curl >/dev/null; then
    echo "intake.sh: the curl command is missing; install Debian's curl package" >&2
    exit 1
fi
unset HALYARD_CONFIG

work=$(mktemp -d /tmp/halyard-intake-XXXXXX)
data_dir=$work/data
database=$data_dir/halyard.db
server_pid=
loader_pid=

stop_everything() {
    if [ -n "$loader_pid" ] && kill -0 "$loader_pid" 2>/dev/null; then
        kill "$loader_pid" 2>/dev/null
    fi
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -KILL "$server_pid" 2>/dev/null
    fi
    rm -rf "$work"
}
trap stop_everything EXIT

passed=0
failed=0

# check NAME EXPECTED ACTUAL
check() {
    if [ "$2" = "$3" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $1: expected '$2', got '$3'" >&2
    fi
}

# check_true NAME COMMAND...: passes when the command succeeds.
check_true() {
    local name=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $name: '$*' was false" >&2
    fi
}

sql() {
    "$query_db" "$database" "$1"
}

# Starts halyard serve and waits (up to 10 s) for its "listening on" line; sets base_url.
start_server() {
    "$halyard" serve --data-dir "$data_dir" --listen 127.0.0.1:0 >>"$work/serve.log" 2>&1 &
    server_pid=$!
    local port=
    for _ in $(seq 1 100); do
        # The start line of this server is the server_starts-th in the shared log.
        port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/serve.log" |
            sed -n "${server_starts}p")
        if [ -n "$port" ]; then
            break
        fi
        sleep 0.1
    done
    if [ -z "$port" ]; then
        echo "intake.sh: halyard serve did not start within 10 s; its log:" >&2
        cat "$work/serve.log" >&2
        exit 1
    fi
    base_url=http://127.0.0.1:$port
    intake_url=$base_url/hooks/halopsa/default
}

# Waits up to 20 s for the server to exit and sets exit_status to its status (or "timeout").
wait_for_exit() {
    exit_status=timeout
    for _ in $(seq 1 200); do
        if ! kill -0 "$server_pid" 2>/dev/null; then
            wait "$server_pid"
            exit_status=$?
            return
        fi
        sleep 0.1
    done
}

# post BODY [CURL OPTIONS...]: posts to the intake with the MSP's credentials and prints the
# status code; the response body goes to $work/response.
post() {
    local body=$1
    shift
    rm -f "$work/response"
    printf '%s' "$body" | curl -sS -o "$work/response" -w '%{http_code}' --max-time 10 \
        -u "$username:$password" -H 'Content-Type: application/json' --data-binary @- "$@" \
        "$intake_url"
}

event() {
    printf '{"id":"%s","webhook_id":"5d2a8c1e-1111-4f2b-8c3d-2b1e0f9a7c64","notification_id":41,"event":"ticket status changed","message":"The status has been changed for Ticket ID: 0004242.","object_id":%s,"agent_id":3,"timestamp":"2026-09-25T06:41:08.7895915Z","ticket":{"id":%s,"summary":"Printer offline","status_id":9,"client_id":1}}' \
        "$1" "$2" "$2"
}

# Step 1: credentials for the default MSP, made before the server starts.
"$halyard" intake credentials --data-dir "$data_dir" >"$work/credentials" 2>"$work/credentials.err"
check "credentials command exit" 0 $?
username=$(sed -n 's/^username: //p' "$work/credentials")
password=$(sed -n 's/^password: //p' "$work/credentials")
check "credentials created" "credentials: created" "$(grep '^credentials:' "$work/credentials")"
check_true "password is long" test "${#password}" -ge 32
check_true "new credentials say HaloPSA lacks them" grep -q "HaloPSA does not have them yet" "$work/credentials.err"
check_true "new credentials mention no old ones" sh -c "! grep -q 'old credentials' '$work/credentials.err'"
again=$("$halyard" intake credentials --data-dir "$data_dir" | sed -n 's/^password: //p')
check "credentials kept" "$password" "$again"

server_starts=1
start_server

# Step 2: health.
check "healthz" 200 "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$base_url/healthz")"

# Step 3: a single event.
check "single status" 200 "$(post "$(event single-1 4242)")"
check "single response" '{"stored":1,"flagged":0}' "$(cat "$work/response")"
# The pipeline may already have queued the event (state 'queued') by the time it is read.
check "single row" "single-1|ticket status changed|4242|readable|NULL" \
    "$(sql "SELECT event_guid, event, ticket_id, CASE WHEN state IN ('new', 'queued', 'done') THEN 'readable' ELSE state END, flag FROM deliveries WHERE event_guid = 'single-1'")"

# Step 4: a batch of three.
check "batch status" 200 "$(post "[$(event batch-1 1),$(event batch-2 2),$(event batch-3 3)]")"
check "batch response" '{"stored":3,"flagged":0}' "$(cat "$work/response")"
check "batch rows" 3 "$(sql "SELECT count(*) FROM deliveries WHERE event_guid LIKE 'batch-%'")"

# Step 5: a GUID sent twice, alone and inside a batch, is stored once.
check "duplicate status" 200 "$(post "$(event single-1 4242)")"
check "duplicate response" '{"stored":0,"flagged":0}' "$(cat "$work/response")"
check "duplicate in batch" 200 "$(post "[$(event batch-2 2),$(event dup-new 5)]")"
check "duplicate in batch response" '{"stored":1,"flagged":0}' "$(cat "$work/response")"
check "duplicate rows" 1 "$(sql "SELECT count(*) FROM deliveries WHERE event_guid = 'single-1'")"

# Step 6: unreadable bodies are stored, flagged and answered 200.
check "not json status" 200 "$(post 'this is not json')"
check "not json response" '{"stored":1,"flagged":1}' "$(cat "$work/response")"
check "not json row" "not_json|flagged|this is not json" \
    "$(sql "SELECT flag, state, CAST(body AS TEXT) FROM deliveries ORDER BY id DESC LIMIT 1")"
check "no id status" 200 "$(post '{"event":"ticket status changed"}')"
check "no id row" "missing_id|flagged" \
    "$(sql "SELECT flag, state FROM deliveries ORDER BY id DESC LIMIT 1")"
check "wrong shape status" 200 "$(post '"just a string"')"
check "wrong shape row" "not_an_event" "$(sql "SELECT flag FROM deliveries ORDER BY id DESC LIMIT 1")"
# A ticket id that is not a positive whole number of 64 bits names no ticket and is flagged;
# HaloPSA's string and decimal forms of a whole number ("4242", 4242.0) name their ticket.
check "string ticket id status" 200 "$(post '{"id":"good-ticket-1","object_id":"4242"}')"
# Its state is not checked: the pipeline may already have queued a delivery naming a ticket.
check "string ticket id row" "NULL|4242|integer" \
    "$(sql "SELECT flag, ticket_id, typeof(ticket_id) FROM deliveries WHERE event_guid = 'good-ticket-1'")"
check "bad ticket id status" 200 "$(post '{"id":"bad-ticket-1","object_id":"42x"}')"
check "bad ticket id response" '{"stored":1,"flagged":1}' "$(cat "$work/response")"
check "bad ticket id row" "bad_ticket_id|flagged|NULL" \
    "$(sql "SELECT flag, state, ticket_id FROM deliveries WHERE event_guid = 'bad-ticket-1'")"
check "2^63 ticket id status" 200 "$(post '{"id":"bad-ticket-2","object_id":9223372036854775808}')"
check "2^63 ticket id row" "bad_ticket_id|NULL" \
    "$(sql "SELECT flag, ticket_id FROM deliveries WHERE event_guid = 'bad-ticket-2'")"
check_true "bad ticket id logged" grep -q 'with flag bad_ticket_id' "$work/serve.log"

# Step 7: wrong or missing credentials: 401 with the challenge, nothing stored.
rows_before=$(sql "SELECT count(*) FROM deliveries")
code=$(printf '%s' "$(event wrong-1 1)" | curl -s -D "$work/headers" -o /dev/null -w '%{http_code}' \
    --max-time 10 -u "$username:not-the-password" --data-binary @- "$intake_url")
check "wrong password status" 401 "$code"
check "wrong password challenge" 'WWW-Authenticate: Basic realm="halyard"' \
    "$(grep -i '^WWW-Authenticate' "$work/headers" | tr -d '\r')"
code=$(printf '%s' "$(event wrong-2 1)" | curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
    --data-binary @- "$intake_url")
check "missing credentials status" 401 "$code"
code=$(printf '%s' "$(event wrong-3 1)" | curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
    -H 'Authorization: Basic %%%' --data-binary @- "$intake_url")
check "garbled credentials status" 401 "$code"
check "nothing stored on 401" "$rows_before" "$(sql "SELECT count(*) FROM deliveries")"
check_true "401 logged" grep -q 'with 401: wrong username or password' "$work/serve.log"
check_true "password never logged" test "$(grep -c -- "$password" "$work/serve.log")" -eq 0

# Step 8: unknown MSP, wrong method, oversized body.
code=$(printf '%s' "$(event unknown-1 1)" | curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
    -u "$username:$password" --data-binary @- "$base_url/hooks/halopsa/no-such-msp")
check "unknown msp status" 404 "$code"
check "wrong method status" 405 \
    "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -u "$username:$password" "$intake_url")"
head -c $((16 * 1024 * 1024 + 1)) /dev/zero | tr '\0' 'x' >"$work/oversized"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -u "$username:$password" \
    --data-binary @"$work/oversized" "$intake_url")
check "oversized status" 413 "$code"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -u "$username:$password" \
    -H 'Transfer-Encoding: chunked' --data-binary @"$work/oversized" "$intake_url")
check "oversized chunked status" 413 "$code"
check "nothing stored on 404 and 413" "$rows_before" "$(sql "SELECT count(*) FROM deliveries")"

# Step 8b: an event over the stored limit (1 MiB) keeps only its GUID, event and ticket id, in
# state new so it is still worked. An unreadable body that long keeps its first 1 MiB.
big_details=$(head -c $((1024 * 1024)) /dev/zero | tr '\0' 'y')
big_event="{\"id\":\"big-1\",\"event\":\"ticket logged\",\"object_id\":\"4343\",\"ticket\":{\"id\":4343,\"details\":\"$big_details\"}}"
printf '%s' "$big_event" >"$work/big_event"
code=$(curl -s -o "$work/response" -w '%{http_code}' --max-time 10 -u "$username:$password" \
    --data-binary @"$work/big_event" "$intake_url")
check "big event status" 200 "$code"
check "big event response" '{"stored":1,"flagged":0,"truncated":1}' "$(cat "$work/response")"
check "big event row" 'truncated|readable|4343|{"id":"big-1","event":"ticket logged","ticket":{"id":4343}}' \
    "$(sql "SELECT flag, CASE WHEN state IN ('new', 'queued', 'done') THEN 'readable' ELSE state END, ticket_id, CAST(body AS TEXT) FROM deliveries WHERE event_guid = 'big-1'")"
printf '[%s,%s]' "$(event small-beside-big 4344)" "${big_event//big-1/big-2}" >"$work/big_batch"
code=$(curl -s -o "$work/response" -w '%{http_code}' --max-time 10 -u "$username:$password" \
    --data-binary @"$work/big_batch" "$intake_url")
check "big batch status" 200 "$code"
check "big batch response" '{"stored":2,"flagged":0,"truncated":1}' "$(cat "$work/response")"
check "big batch rows" 'big-2|truncated|4343;small-beside-big||4344;' \
    "$(sql "SELECT event_guid, coalesce(flag, ''), ticket_id FROM deliveries WHERE event_guid IN ('big-2', 'small-beside-big') ORDER BY event_guid" | tr '\n' ';')"
check_true "big event logged" grep -q 'with flag truncated' "$work/serve.log"
head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' 'z' >"$work/big_garbage"
code=$(curl -s -o "$work/response" -w '%{http_code}' --max-time 10 -u "$username:$password" \
    --data-binary @"$work/big_garbage" "$intake_url")
check "big unreadable status" 200 "$code"
check "big unreadable row" "not_json|flagged|1048576" \
    "$(sql "SELECT flag, state, length(body) FROM deliveries ORDER BY id DESC LIMIT 1")"

# Step 8c: a batch of 200,000 events (10.7 MB, under the body limit) was stored in one
# transaction that held the database for seconds, while every other request, /healthz too,
# waited. A batch over 10,000 events now gets 413 with JSON naming the limit, and nothing of it
# is stored. A batch of exactly 10,000 is stored. The count reads the array's top level, so
# commas inside strings and nested arrays do not count.
# batch_of COUNT PREFIX [SEPARATOR]: prints a JSON array of COUNT events with GUIDs PREFIX-N.
batch_of() {
    awk -v count="$1" -v prefix="$2" -v separator="${3:-,}" 'BEGIN {
        printf "["
        for (i = 1; i <= count; i++) {
            printf "%s{\"id\":\"%s-%d\",\"event\":\"a, b]\",\"object_id\":%d,\"list\":[1,2]}",
                (i > 1 ? separator : ""), prefix, i, i
        }
        printf "]"
    }'
}
rows_before=$(sql "SELECT count(*) FROM deliveries")
batch_of 10001 over >"$work/batch_over"
code=$(curl -s -o "$work/response" -w '%{http_code}' --max-time 10 -u "$username:$password" \
    --data-binary @"$work/batch_over" "$intake_url")
check "batch over limit status" 413 "$code"
check_true "batch over limit names the limit" grep -q '"max_events":10000' "$work/response"
check_true "batch over limit says what to do" grep -q 'Set the batch limit of this webhook in HaloPSA to 10000 or less' "$work/response"
check "batch over limit stores nothing" "$rows_before" "$(sql "SELECT count(*) FROM deliveries")"
check_true "batch over limit logged" grep -q 'with 413: its batch has more than 10000 events' "$work/serve.log"
# The same limit for a batch with white space around its entries, and for one whose entries
# are not events.
{ printf ' \n'; batch_of 10001 spaced ' ,\n '; } >"$work/batch_spaced"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -u "$username:$password" \
    --data-binary @"$work/batch_spaced" "$intake_url")
check "spaced batch over limit status" 413 "$code"
awk 'BEGIN { printf "["; for (i = 1; i <= 10001; i++) printf "%s%d", (i > 1 ? "," : ""), i; printf "]" }' \
    >"$work/batch_numbers"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -u "$username:$password" \
    --data-binary @"$work/batch_numbers" "$intake_url")
check "batch of numbers over limit status" 413 "$code"
check "nothing stored over the limit" "$rows_before" "$(sql "SELECT count(*) FROM deliveries")"
# Sent again in parts at the limit, every event is stored once.
batch_of 10000 over >"$work/batch_at_limit"
code=$(curl -s -o "$work/response" -w '%{http_code}' --max-time 10 -u "$username:$password" \
    --data-binary @"$work/batch_at_limit" "$intake_url")
check "batch at limit status" 200 "$code"
check "batch at limit response" '{"stored":10000,"flagged":0}' "$(cat "$work/response")"
check "batch rest status" 200 "$(post "[$(event over-10001 10001)]")"
check "batch resent rows" 10001 "$(sql "SELECT count(DISTINCT event_guid) FROM deliveries WHERE event_guid LIKE 'over-%'")"

# Step 9: rotated credentials take effect without a restart.
sleep 1.1
"$halyard" intake credentials --rotate --data-dir "$data_dir" >"$work/rotated" 2>"$work/rotated.err"
check_true "rotated credentials say HaloPSA has the old ones" grep -q "still sends the old credentials" "$work/rotated.err"
new_password=$(sed -n 's/^password: //p' "$work/rotated")
check_true "rotation changed the password" test "$new_password" != "$password"
old_password=$password
password=$new_password
check "new credentials accepted" 200 "$(post "$(event rotated-1 7)")"
sleep 5.5
password=$old_password
check "old credentials rejected" 401 "$(post "$(event rotated-2 7)")"
password=$new_password

# Step 10: SIGTERM while deliveries are in flight. Every delivery answered 200 must be in the
# database; the ones cut off by the stop may or may not be, and are not answered 200.
seq 1 600 | xargs -P 48 -I{} sh -c '
    code=$(printf "{\"id\":\"term-%s\",\"event\":\"x\"}" "$1" |
        curl -s -o /dev/null -w "%{http_code}" --max-time 15 -u "$2" --data-binary @- "$3")
    echo "term-$1 $code"' _ {} "$username:$password" "$intake_url" >"$work/term.txt" 2>/dev/null &
loader_pid=$!
for _ in $(seq 1 100); do
    if [ "$(grep -c ' 200$' "$work/term.txt" 2>/dev/null)" -ge 20 ]; then
        break
    fi
    sleep 0.05
done
kill -TERM "$server_pid"
wait_for_exit
check "exit status after SIGTERM" 0 "$exit_status"
wait "$loader_pid"
loader_pid=
answered=$(grep -c ' 200$' "$work/term.txt")
check_true "some deliveries answered before the stop" test "$answered" -ge 20
guids=$(grep ' 200$' "$work/term.txt" | awk '{printf "%s'\''%s'\''", (NR > 1 ? "," : ""), $1}')
check "every 200 is on disk" "$answered" \
    "$(sql "SELECT count(*) FROM deliveries WHERE event_guid IN ($guids)")"
stored=$(sql "SELECT count(*) FROM deliveries WHERE event_guid LIKE 'term-%'")
check_true "rows stored >= 200s returned" test "$stored" -ge "$answered"
check_true "stop logged" grep -q 'stopped; deliveries: ' "$work/serve.log"
others=$(grep -v ' 200$' "$work/term.txt" | awk '{print $2}' | sort | uniq -c | tr -s ' ' | tr '\n' ';')
echo "intake.sh: SIGTERM run: $answered answered 200, $stored stored; other answers: ${others:-none}"

# Step 11: the data survives a restart and a stored GUID is still deduplicated.
server_starts=2
start_server
check "restart duplicate status" 200 "$(post "$(event single-1 4242)")"
check "restart duplicate response" '{"stored":0,"flagged":0}' "$(cat "$work/response")"
kill -INT "$server_pid"
wait_for_exit
check "exit status after SIGINT" 0 "$exit_status"

if [ "$failed" -gt 0 ]; then
    echo "intake.sh: server log:" >&2
    cat "$work/serve.log" >&2
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
