-- wrk script of scripts/bench.sh intake: every request posts one HaloPSA webhook event of about
-- 2 KB (the shape of a "ticket status changed" delivery with the ticket object) whose GUID is
-- unique to the run, with the Basic credentials from BENCH_AUTHORIZATION. At the end it prints
-- one RESULT line that the bench script reads.
--   BENCH_AUTHORIZATION  the whole Authorization header value, e.g. "Basic aGFs..."
--   BENCH_PATH           the request path (default /hooks/halopsa/default)
--   BENCH_RUN            a run label of up to 8 hex digits that keeps GUIDs apart between runs

local path = os.getenv("BENCH_PATH") or "/hooks/halopsa/default"
local run = tonumber(os.getenv("BENCH_RUN") or "0", 16) or 0
local headers = {
  ["Content-Type"] = "application/json",
  ["Authorization"] = os.getenv("BENCH_AUTHORIZATION"),
}

-- The ticket's details pad the event to about 2 KB, as a real ticket's text does.
local details = string.rep("The printer on the second floor shows offline for every user "
  .. "since this morning; a restart of the spooler did not help. ", 12)

local head = '{"id":"'
local tail = '","webhook_id":"5d2a8c1e-1111-4f2b-8c3d-2b1e0f9a7c64","notification_id":41,'
  .. '"escmsg_id":"c3e1a2b4-9d8f-4e7a-a1b2-0c9d8e7f6a5b","event":"ticket status changed",'
  .. '"message":"The status has been changed for Ticket ID: 0004242.","object_id":4242,'
  .. '"agent_id":3,"timestamp":"2026-09-25T06:41:08.7895915Z","ticket":{"id":4242,'
  .. '"summary":"Printer offline on the second floor","details":"' .. details .. '",'
  .. '"status_id":9,"tickettype_id":25,"client_id":1,"site_id":31,"user_id":77,"team_id":5,'
  .. '"agent_id":3,"priority_id":3,"customfields":[],"hasbeenclosed":false}}'

-- setup runs in the main state and numbers the threads; thread:set makes thread_number a
-- global of that thread's own state, where request runs.
local next_thread = 0

function setup(thread)
  thread:set("thread_number", next_thread)
  next_thread = next_thread + 1
end

local counter = 0

function request()
  counter = counter + 1
  local guid = string.format("%08x-%04d-4000-a000-%012d", run, thread_number or 0, counter)
  return wrk.format("POST", path, headers, head .. guid .. tail)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d non2xx=%d connect_errors=%d "
    .. "read_errors=%d write_errors=%d timeouts=%d p50_us=%d p99_us=%d body_bytes=%d\n",
    summary.requests, summary.duration, errors.status, errors.connect, errors.read,
    errors.write, errors.timeout, latency:percentile(50), latency:percentile(99),
    #(head .. "00000000-0000-4000-a000-000000000000" .. tail)))
end
