-- The hot-reload figures of `scripts/bench.sh lua`, run by halytest with halosim and
-- `halyard serve` as real processes on 127.0.0.1:
--   1. change to serving: the time from writing a workflow file to the version with the change
--      serving, with inotify and with polling (goal: within 2 s);
--   2. deliveries during reloads: webhook deliveries posted at a fixed rate by
--      bench-delivery-load (tests/bench/delivery_load.c), once with no file changes and once
--      with a workflow file rewritten every second. For each delivery it reports the time to
--      halyard's response (goal: none delayed by more than 1 s) and, for a delivery that brings
--      a new ticket, the time from the response to the plan note in the simulator;
--   3. a backlog: the time to the plan note of a new ticket posted behind 20,000 deliveries.
-- The MSP's script folder contains generated keyword workflows (tests/bench/lua_bench.lua, narrow
-- rules, 1,000 by default), so every reload builds a realistic state. Figures are printed with
-- their goals and never checked: a test here fails only when the benchmark cannot run.
--
-- Settings, from the environment (scripts/bench.sh sets them):
--   BENCH_RELOAD_CHANGES    file changes timed per watch method (default 20)
--   BENCH_RELOAD_SECONDS    length of each delivery run, in seconds (default 20)
--   BENCH_RELOAD_RATE       deliveries per second (default 200)
--   BENCH_RELOAD_WORKFLOWS  generated workflow files (default 1000)

local testing = require "testing"
local http = require "http"
local json = require "json"
local proc = require "proc"
local runner = require "halytest.runner"
local sim = require "sim"
local util = require "util"

-- The repository's root, from this file's path (tests/bench/reload_bench.lua).
local SOURCE_DIR = runner.test_file():match("^(.*)/tests/bench/[^/]+$") or "."
package.path = SOURCE_DIR .. "/tests/integration/?.lua;" .. package.path
local support = require "support"

local test, expect = testing.test, testing.expect

local function setting(name, default, minimum)
  local text = os.getenv(name)
  if text == nil or text == "" then
    return default
  end
  local value = math.tointeger(tonumber(text))
  if value == nil or value < minimum then
    error(string.format("%s is %q; set a whole number of at least %d", name, text, minimum))
  end
  return value
end

local CHANGES = setting("BENCH_RELOAD_CHANGES", 20, 1)
local LOAD_SECONDS = setting("BENCH_RELOAD_SECONDS", 20, 2)
local RATE = setting("BENCH_RELOAD_RATE", 200, 1)
local WORKFLOWS = setting("BENCH_RELOAD_WORKFLOWS", 1000, 1)

local GOAL_CHANGE_TO_SERVING_MS = 2000
local GOAL_DELIVERY_DELAY_MS = 1000

--[[
What the deliveries carry, in turns of 20. The first brings a new ticket, which halyard plans
and notes. The 6th and 16th update one of POOL_SIZE tickets planned before the runs, which
costs halyard a sync of the ticket (two HaloPSA reads) but no plan. The other 17 name no
ticket: halyard stores them and returns 200 as for any delivery, and its pipeline has nothing
to do for them. So the intake gets the whole rate, and the pipeline gets work from 3
deliveries in 20 (30 a second at 200/s), which it keeps up with. When every delivery named a
ticket, the plan notes of a 5-second run at 200/s came 3.6 s late at the median, 5.7 s at most.
]]
local TURN = 20
local NEW_TICKET_TURNS = {[0] = true}
local UPDATE_TURNS = {[5] = true, [15] = true}
local POOL_SIZE = 20
-- The backlog measured last: update events for the pool's tickets queued ahead of a new ticket,
-- posted BACKLOG_BATCH to a body (about 100 bytes each, well under the 1 MiB body limit).
local BACKLOG_EVENTS = 20000
local BACKLOG_BATCH = 5000
local FIRST_TICKET_ID = 5001
local CLIENT_ID = 12
local USER_ID = 77

-- The timeout of every wait (a reload, the deliveries, the notes). It bounds the run and is no
-- measured figure.
local WAIT_MS = 60000
-- How often the benchmark reads the status endpoint. Reading it only detects a new version. The
-- figures come from the version's loaded_at, not from when the benchmark saw it.
local STATUS_POLL_MS = 50
local WORKFLOW_FILE = "narrow_0001.lua"
-- The generator's seed, so every run measures the same workflow files.
local GENERATOR_SEED = 20240601

local bench_data = dofile(SOURCE_DIR .. "/tests/bench/lua_bench.lua")
local ticket_count = assert(bench_data.read_tickets(SOURCE_DIR
  .. "/tests/data/endava_tickets.jsonl"))

-- Ticket number index (from 1) as its summary and details, from the real tickets.
local function ticket_text(index)
  local row = json.decode((bench_data.ticket((index - 1) % ticket_count + 1)))
  return row.summary, row.details
end

--- Time and statistics ---------------------------------------------------------------------

-- Days since 1970-01-01 of a Gregorian date.
local function days_from_civil(year, month, day)
  if month <= 2 then
    year = year - 1
  end
  local era = (year >= 0 and year or year - 399) // 400
  local year_of_era = year - era * 400
  local day_of_year = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
  local day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
  return era * 146097 + day_of_era - 719468
end

-- Milliseconds since the epoch of an ISO 8601 UTC time such as "2026-12-04T21:24:17.123Z"
-- (halyard) or "2026-12-04T21:24:17.1230000Z" (halosim); nil for anything else.
local function iso_ms(text)
  if type(text) ~= "string" then
    return nil
  end
  local year, month, day, hour, minute, second, fraction =
    text:match("^(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)%.?(%d*)Z?$")
  if year == nil then
    return nil
  end
  local days = days_from_civil(tonumber(year), tonumber(month), tonumber(day))
  local ms = ((days * 24 + tonumber(hour)) * 60 + tonumber(minute)) * 60000
    + tonumber(second) * 1000
  if fraction ~= "" then
    ms = ms + tonumber(fraction:sub(1, 3) .. string.rep("0", 3 - #fraction:sub(1, 3)))
  end
  return ms
end

-- Nearest-rank percentile of a sorted list (0 < percent <= 100).
local function percentile(sorted, percent)
  if #sorted == 0 then
    return nil
  end
  return sorted[math.max(1, math.ceil(percent / 100 * #sorted))]
end

-- count, mean, p50, p99 and max of a list of numbers.
local function summarise(values)
  local sorted = table.move(values, 1, #values, 1, {})
  table.sort(sorted)
  local sum = 0
  for _, value in ipairs(sorted) do
    sum = sum + value
  end
  return {count = #sorted, mean = #sorted > 0 and sum / #sorted or nil,
    p50 = percentile(sorted, 50), p99 = percentile(sorted, 99), max = sorted[#sorted]}
end

local function ms_text(value)
  if value == nil then
    return "-"
  end
  return string.format("%.0f", value)
end

local function verdict(met)
  return met and "met" or "NOT met"
end

--- Setup ---------------------------------------------------------------------------------------

-- The simulator's seed: the tickets the deliveries name, with the real tickets' text.
local function seed(ticket_total)
  local tickets = {}
  for index = 1, ticket_total do
    local summary, details = ticket_text(index)
    tickets[index] = {id = FIRST_TICKET_ID + index - 1, summary = summary, details = details,
      client_id = CLIENT_ID, site_id = 31, user_id = USER_ID, status_id = 1, priority_id = 3,
      agent_id = 0, team = "1st Line"}
  end
  return {tickets = tickets}
end

-- Starts halosim (seeded with ticket_total tickets) and `halyard serve` with script_reload set
-- to the given fields, the generated workflows in the MSP's folder, connected, client imported.
-- Returns the simulator, the workspace and the server (with its admin token).
local function start(script_reload, ticket_total)
  local simulator = sim.start{rate_limit = "off", seed = seed(ticket_total)}
  local space = support.workspace()
  local settings = {scripts_dir = space.folder .. "/scripts", script_reload = script_reload}
  support.configure(space, settings)
  space.workflows = space.folder .. "/scripts/default/workflows"
  assert(support.mkdir(space.workflows))
  assert(bench_data.write_workflows(space.workflows, "narrow", WORKFLOWS, GENERATOR_SEED))

  local code, token, err = support.halyard(space, "token", "create")
  expect.eq(code, 0, "token create; stderr: " .. err)
  local server = support.serve(space)
  settings.public_url = server.url
  support.configure(space, settings)
  code, _, err = support.connect(space, simulator)
  expect.eq(code, 0, "connect; stderr: " .. err)
  code, _, err = support.halyard(space, "clients", "import", tostring(CLIENT_ID))
  expect.eq(code, 0, "import; stderr: " .. err)
  server.token = token:match("^(%S+)")
  return simulator, space, server
end

-- GET /api/v1/workflows/status, decoded.
local function status(server)
  local response, message = http.request{method = "GET",
    url = server.url .. "/api/v1/workflows/status",
    headers = {Authorization = "Bearer " .. server.token}, timeout_ms = 10000}
  assert(response, message)
  expect.status(response, 200)
  return json.decode(response.body)
end

-- Polls the status until accept(status) holds; fails after WAIT_MS.
local function wait_for_status(server, accept, description)
  local deadline = util.monotonic_ms() + WAIT_MS
  local last
  while util.monotonic_ms() < deadline do
    last = status(server)
    if accept(last) then
      return last
    end
    util.sleep_ms(STATUS_POLL_MS)
  end
  expect.fail(description .. " within " .. WAIT_MS .. " ms; last status: " .. json.encode(last))
end

local function serving(server)
  return wait_for_status(server, function(current)
    return current.state == "serving" and not current.reloading
  end, "the first version serving")
end

local function version_after(server, before, description)
  return wait_for_status(server, function(current)
    return current.state == "serving" and current.version ~= json.null
      and current.version > before and not current.reloading
  end, description)
end

-- Replaces a file the way editors do: a temporary file renamed over the old one.
local function save(path, text)
  assert(util.write_file(path .. ".tmp", text))
  assert(os.rename(path .. ".tmp", path))
end

-- The text of the benchmark's workflow file after edit number edit: its trigger changes, so
-- the file changes and still loads.
local function edited_workflow(original, edit)
  local text, replaced = original:gsub('trigger = "Generated', string.format(
    'trigger = "Edit %d. Generated', edit), 1)
  assert(replaced == 1, "the generated workflow has no trigger line to edit")
  return text
end

-- seen_to_serving_ms of each version, from the reload lines of halyard's log.
local function logged_seen_to_serving(server)
  local by_version = {}
  for version, value in (util.read_file(server.log) or ""):gmatch(
      "msp=default version=(%d+) serving:[^\n]- seen_to_serving_ms=(%d+)") do
    by_version[tonumber(version)] = tonumber(value)
  end
  return by_version
end

--- Change to serving -----------------------------------------------------------------------

-- Writes the workflow file CHANGES times, each after a random pause so the writes fall at
-- every point of a polling interval, and times each until its version serves.
local function time_changes(watch_fields, method, pause_ms)
  local _, space, server = start(watch_fields, 1)
  local path = space.workflows .. "/" .. WORKFLOW_FILE
  local original = assert(util.read_file(path))
  local version = serving(server).version
  local written_to_loaded = {}
  local versions = {}
  local build_ms = {}
  local swap_us = {}
  local files = 0
  math.randomseed(GENERATOR_SEED)
  for edit = 1, CHANGES do
    util.sleep_ms(math.random(0, pause_ms))
    local written_at = util.now_ms()
    save(path, edited_workflow(original, edit))
    local current = version_after(server, version, "the version with edit " .. edit)
    version = current.version
    expect.eq(#current.problems, 0, "problems after edit " .. edit)
    written_to_loaded[#written_to_loaded + 1] = iso_ms(current.loaded_at) - written_at
    versions[#versions + 1] = math.tointeger(version)
    build_ms[#build_ms + 1] = current.build_ms
    swap_us[#swap_us + 1] = current.swap_us
    files = math.tointeger(current.files)
  end

  local logged = logged_seen_to_serving(server)
  local seen_to_serving = {}
  for _, number in ipairs(versions) do
    seen_to_serving[#seen_to_serving + 1] = logged[number]
  end
  expect.eq(#seen_to_serving, #versions, "reload lines in the log")

  local written = summarise(written_to_loaded)
  local seen = summarise(seen_to_serving)
  local builds = summarise(build_ms)
  print(string.format("  %-8s %d changes, %d files per build: write to serving mean %s ms, "
    .. "p50 %s, max %s; seen_to_serving_ms mean %s, p50 %s, max %s; build_ms mean %s, max %s; "
    .. "swap_us max %s (goal < %d ms: %s)", method, written.count, files,
    ms_text(written.mean), ms_text(written.p50), ms_text(written.max), ms_text(seen.mean),
    ms_text(seen.p50), ms_text(seen.max), ms_text(builds.mean), ms_text(builds.max),
    ms_text(summarise(swap_us).max), GOAL_CHANGE_TO_SERVING_MS,
    verdict(written.max < GOAL_CHANGE_TO_SERVING_MS)))
end

-- The machine's CPUs and load, for the header: figures from a busy machine read differently.
local function machine()
  local nproc = io.popen("nproc")
  local cpus = nproc and nproc:read("l") or "?"
  if nproc then
    nproc:close()
  end
  local load = (util.read_file("/proc/loadavg") or "?"):match("^(%S+ %S+ %S+)") or "?"
  return string.format("%s CPUs, load average %s", cpus, load)
end

print(string.format("reload benchmark: %d generated narrow workflow files, halyard serve and "
  .. "halosim on 127.0.0.1, %s", WORKFLOWS, machine()))
print("change to serving: from writing a workflow file (temporary file renamed over it) to "
  .. "loaded_at of the version with the change")

test("change to serving with inotify", function()
  time_changes({'watch = "inotify"'}, "inotify", 300)
end)

test("change to serving with polling", function()
  time_changes({'watch = "polling"'}, "polling", 1000)
end)

--- Deliveries during reloads ---------------------------------------------------------------

local EVENTS = {
  new = {name = "New Ticket Logged", notification_id = 3,
    message = "A new ticket has been logged. Ticket ID: %07d."},
  update = {name = "Ticket Updated", notification_id = 2,
    message = "The ticket has been updated. Ticket ID: %07d."},
  no_ticket = {name = "Benchmark event", notification_id = 9999,
    message = "An event that names no ticket."},
}

-- Encodes one webhook event of kind new or update as HaloPSA's default payload carries it, with
-- the ticket object. A no_ticket event has neither object_id nor ticket, and the ticket text of
-- index in a field of its own, so its body is as large as the others.
local function event_body(guid, kind, ticket_id, index)
  local event = EVENTS[kind]
  local summary, details = ticket_text(index)
  if kind == "no_ticket" then
    return json.encode({id = guid, webhook_id = "5d2a8c1e-1111-4f2b-8c3d-2b1e0f9a7c64",
      notification_id = event.notification_id, event = event.name, message = event.message,
      agent_id = 0, timestamp = "2026-09-25T06:41:08.7895915Z",
      detail = {summary = summary, details = details}})
  end
  return json.encode({
    id = guid,
    webhook_id = "5d2a8c1e-1111-4f2b-8c3d-2b1e0f9a7c64",
    notification_id = event.notification_id,
    event = event.name,
    message = string.format(event.message, ticket_id),
    object_id = ticket_id,
    agent_id = 0,
    timestamp = "2026-09-25T06:41:08.7895915Z",
    ticket = {id = ticket_id, summary = summary, details = details, status_id = 1,
      tickettype_id = 1, priority_id = 3, client_id = CLIENT_ID, site_id = 31,
      user_id = USER_ID, team = "1st Line", agent_id = 0, hasbeenclosed = false},
  })
end

-- The GUIDs of one benchmark run: a stamp of the run, then the delivery's number.
local run_stamp = util.now_ms() % 0x100000000
local guid_count = 0
local function next_guid()
  guid_count = guid_count + 1
  return string.format("%08x-0000-4000-a000-%012d", run_stamp, guid_count)
end

-- Writes the bodies of one delivery run to path: RATE per second for LOAD_SECONDS, in turns
-- as TURN describes, new tickets numbered from next_new[1] (advanced), updates to the pool's
-- tickets in order. Returns {index = ticket id} of the new tickets (index from 0) and the
-- mean body size in bytes.
local function write_bodies(path, next_new)
  local lines = {}
  local new_tickets = {}
  local pool_turn = 0
  for index = 0, RATE * LOAD_SECONDS - 1 do
    local turn = index % TURN
    if NEW_TICKET_TURNS[turn] then
      local number = next_new[1]
      next_new[1] = number + 1
      local ticket_id = FIRST_TICKET_ID + number - 1
      new_tickets[index] = ticket_id
      lines[#lines + 1] = event_body(next_guid(), "new", ticket_id, number)
    elseif UPDATE_TURNS[turn] then
      local number = pool_turn % POOL_SIZE + 1
      pool_turn = pool_turn + 1
      lines[#lines + 1] = event_body(next_guid(), "update", FIRST_TICKET_ID + number - 1, number)
    else
      lines[#lines + 1] = event_body(next_guid(), "no_ticket", nil, index % ticket_count + 1)
    end
  end
  local text = table.concat(lines, "\n") .. "\n"
  assert(util.write_file(path, text))
  return new_tickets, (#text - #lines) / #lines
end

-- The time of halyard's plan note on a ticket, in ms since the epoch, or nil while it has none.
local function note_time(simulator, ticket_id)
  local response = simulator:control("GET", "/tickets/" .. ticket_id)
  expect.status(response, 200)
  for _, action in ipairs(response.json.actions) do
    if (action.note or ""):find("halyard run", 1, true) then
      return iso_ms(action.datetime)
    end
  end
  return nil
end

-- Waits until every ticket has its plan note; returns {ticket id = note time}.
local function wait_for_notes(simulator, server, ticket_ids)
  local times = {}
  local deadline = util.monotonic_ms() + WAIT_MS
  local missing = #ticket_ids
  while missing > 0 and util.monotonic_ms() < deadline do
    missing = 0
    for _, ticket_id in ipairs(ticket_ids) do
      if times[ticket_id] == nil then
        times[ticket_id] = note_time(simulator, ticket_id)
        missing = missing + (times[ticket_id] == nil and 1 or 0)
      end
    end
    if missing > 0 then
      util.sleep_ms(200)
    end
  end
  expect.eq(missing, 0, "tickets without a plan note after " .. WAIT_MS .. " ms; halyard log: "
    .. server.log)
  return times
end

-- Reads bench-delivery-load's output: {index = {due, sent, response, status}}, times in ms.
local function read_responses(path)
  local responses = {}
  for index, due, sent, response, code in (assert(util.read_file(path))):gmatch(
      "\n(%d+) ([%d.]+) ([%d.]+) ([%d.]+) (%d+)") do
    responses[tonumber(index)] = {due = tonumber(due), sent = tonumber(sent),
      response = tonumber(response), status = tonumber(code)}
  end
  return responses
end

-- True when the span from..to overlaps one of the reload windows.
local function overlaps(windows, from, to)
  for _, window in ipairs(windows) do
    if from <= window.to and to >= window.from then
      return true
    end
  end
  return false
end

--[[
Runs one delivery run: bench-delivery-load posts the bodies while this loop polls the status
every STATUS_POLL_MS and, when rewrite is true, rewrites the workflow file once a second.
Returns the responses, the new tickets ({index = ticket id}), the reload windows (each from the
write to loaded_at of the version that followed) and the mean body size.
]]
local function delivery_run(context, label, rewrite)
  local bodies = context.space.folder .. "/bodies-" .. label
  local output = context.space.folder .. "/responses-" .. label
  local new_tickets, body_bytes = write_bodies(bodies, context.next_new)
  local loader = assert(proc.spawn({runner.build_dir() .. "/bench-delivery-load", "--url",
    context.server.url .. "/hooks/halopsa/default", "--authorization-file",
    context.authorization, "--bodies", bodies, "--rate", tostring(RATE), "--output", output},
    {stdout = output .. ".out", stderr = output .. ".err"}))

  local started = util.monotonic_ms()
  local version = status(context.server).version
  local windows = {}
  local pending_write = nil
  local edits = 0
  local limit = started + LOAD_SECONDS * 1000 + WAIT_MS
  while (loader:running() or pending_write ~= nil) and util.monotonic_ms() < limit do
    local elapsed = util.monotonic_ms() - started
    if rewrite and pending_write == nil and elapsed >= (edits + 1) * 1000
        and elapsed < (LOAD_SECONDS - 1) * 1000 then
      edits = edits + 1
      context.edit = context.edit + 1
      pending_write = util.now_ms()
      save(context.path, edited_workflow(context.original, context.edit))
    end
    local current = status(context.server)
    if current.version ~= json.null and current.version > version and not current.reloading then
      version = current.version
      if pending_write ~= nil then
        windows[#windows + 1] = {from = pending_write, to = iso_ms(current.loaded_at),
          build_ms = current.build_ms, swap_us = current.swap_us}
        pending_write = nil
      end
    end
    util.sleep_ms(STATUS_POLL_MS)
  end
  local code = loader:wait(WAIT_MS)
  expect.eq(code, 0, "bench-delivery-load: " .. (util.read_file(output .. ".err") or ""))
  expect.eq(#windows, edits, "reloads finished of the " .. label .. " run's file changes")
  local responses = read_responses(output)
  local count = 0
  for _ in pairs(responses) do
    count = count + 1
  end
  expect.eq(count, RATE * LOAD_SECONDS, "deliveries in the output of the " .. label .. " run")
  return responses, new_tickets, windows, body_bytes
end

-- Prints one line of figures.
local function print_figures(label, figures, goal_ms)
  local goal = ""
  if goal_ms ~= nil then
    goal = string.format(" (goal max < %d ms: %s)", goal_ms,
      verdict(figures.max ~= nil and figures.max < goal_ms))
  end
  print(string.format("    %-36s %5d  p50 %6s ms  p99 %6s ms  max %6s ms%s", label,
    figures.count, ms_text(figures.p50), ms_text(figures.p99), ms_text(figures.max), goal))
end

-- Prints the figures of one run; windows is empty for the run without reloads.
local function report_run(label, simulator, server, responses, new_tickets, windows,
    body_bytes)
  local response_ms, response_in_reload_ms = {}, {}
  local failed = 0
  local sender_lag_ms = 0
  for _, delivery in pairs(responses) do
    local latency = delivery.response - delivery.due
    sender_lag_ms = math.max(sender_lag_ms, delivery.sent - delivery.due)
    response_ms[#response_ms + 1] = latency
    if overlaps(windows, delivery.due, delivery.response) then
      response_in_reload_ms[#response_in_reload_ms + 1] = latency
    end
    failed = failed + (delivery.status == 200 and 0 or 1)
  end
  expect.eq(failed, 0, "deliveries without a 200 response in the " .. label .. " run")

  local ticket_ids = {}
  for _, ticket_id in pairs(new_tickets) do
    ticket_ids[#ticket_ids + 1] = ticket_id
  end
  local notes = wait_for_notes(simulator, server, ticket_ids)
  local note_ms, note_in_reload_ms = {}, {}
  for index, ticket_id in pairs(new_tickets) do
    local accepted = responses[index].response
    local latency = notes[ticket_id] - accepted
    note_ms[#note_ms + 1] = latency
    if overlaps(windows, accepted, notes[ticket_id]) then
      note_in_reload_ms[#note_in_reload_ms + 1] = latency
    end
  end

  print(string.format("  %s (mean body %.0f bytes; bench-delivery-load sent each delivery at "
    .. "most %s ms after it was due):", label, body_bytes, ms_text(sender_lag_ms)))
  print_figures("response, all deliveries", summarise(response_ms), GOAL_DELIVERY_DELAY_MS)
  if #windows > 0 then
    print_figures("response, overlapping a reload", summarise(response_in_reload_ms),
      GOAL_DELIVERY_DELAY_MS)
  end
  print_figures("plan note, all new tickets", summarise(note_ms))
  if #windows > 0 then
    print_figures("plan note, overlapping a reload", summarise(note_in_reload_ms))
    local builds, spans, swaps = {}, {}, {}
    for _, window in ipairs(windows) do
      builds[#builds + 1] = window.build_ms
      spans[#spans + 1] = window.to - window.from
      swaps[#swaps + 1] = window.swap_us
    end
    local build, span = summarise(builds), summarise(spans)
    print(string.format("    %d reloads: write to serving mean %s ms, max %s; build_ms mean %s, "
      .. "max %s; swap_us max %s", #windows, ms_text(span.mean), ms_text(span.max),
      ms_text(build.mean), ms_text(build.max), ms_text(summarise(swaps).max)))
  end
end

test("deliveries during reloads", function()
  local per_run = RATE * LOAD_SECONDS // TURN + 1
  local simulator, space, server = start({'watch = "inotify"'}, POOL_SIZE + 2 * per_run)
  serving(server)

  -- The webhook's Basic credentials, as `halyard intake credentials` prints them.
  local code, out, err = support.halyard(space, "intake", "credentials")
  expect.eq(code, 0, "intake credentials; stderr: " .. err)
  local username = out:match("username: (%S+)")
  local password = out:match("password: (%S+)")
  expect.truthy(username and password, "credentials in: " .. out)
  local authorization = space.folder .. "/authorization"
  local base64 = assert(proc.spawn({"sh", "-c", 'printf "%s" "$1" | base64 -w0', "sh",
    username .. ":" .. password}, {stdout = authorization .. ".base64"}))
  expect.eq(base64:wait(10000), 0, "base64")
  assert(util.write_file(authorization, "Basic "
    .. assert(util.read_file(authorization .. ".base64")) .. "\n"))

  local path = space.workflows .. "/" .. WORKFLOW_FILE
  local context = {space = space, server = server, authorization = authorization,
    path = path, original = assert(util.read_file(path)), edit = 0,
    next_new = {POOL_SIZE + 1}}

  -- Warm-up: the pool's tickets are planned and noted before anything is measured.
  local warm_up = {}
  for number = 1, POOL_SIZE do
    local ticket_id = FIRST_TICKET_ID + number - 1
    warm_up[#warm_up + 1] = ticket_id
    local response = http.request{method = "POST", url = server.url .. "/hooks/halopsa/default",
      headers = {["Content-Type"] = "application/json",
        Authorization = (util.read_file(authorization):gsub("\n$", ""))},
      body = event_body(next_guid(), "new", ticket_id, number)}
    expect.status(response, 200, "warm-up delivery")
  end
  wait_for_notes(simulator, server, warm_up)

  print(string.format("deliveries: %d/s for %d s per run; of every %d, one a new ticket, two "
    .. "updates of %d planned tickets, the rest naming no ticket; response = from due to "
    .. "halyard's 200, plan note = from the 200 to the note in halosim", RATE, LOAD_SECONDS,
    TURN, POOL_SIZE))
  report_run("without reloads", simulator, server, delivery_run(context, "steady", false))
  report_run("with a reload every second", simulator, server,
    delivery_run(context, "reloading", true))

  -- A backlog: BACKLOG_EVENTS small update events for the pool's tickets, posted in batches as
  -- HaloPSA's batching does, then one new ticket, timed from its 200 to its plan note.
  local batches = 0
  for first = 1, BACKLOG_EVENTS, BACKLOG_BATCH do
    local events = {}
    for index = first, math.min(first + BACKLOG_BATCH - 1, BACKLOG_EVENTS) do
      events[#events + 1] = {id = next_guid(), event = EVENTS.update.name,
        object_id = FIRST_TICKET_ID + index % POOL_SIZE}
    end
    local response = http.request{method = "POST", url = server.url .. "/hooks/halopsa/default",
      headers = {["Content-Type"] = "application/json",
        Authorization = (util.read_file(authorization):gsub("\n$", ""))},
      body = json.encode(events)}
    expect.status(response, 200, "backlog batch")
    batches = batches + 1
  end
  local ticket_id = FIRST_TICKET_ID + context.next_new[1] - 1
  local response = http.request{method = "POST", url = server.url .. "/hooks/halopsa/default",
    headers = {["Content-Type"] = "application/json",
      Authorization = (util.read_file(authorization):gsub("\n$", ""))},
    body = event_body(next_guid(), "new", ticket_id, context.next_new[1])}
  expect.status(response, 200, "the new ticket behind the backlog")
  local answered_ms = util.now_ms()
  local times = wait_for_notes(simulator, server, {ticket_id})
  print(string.format("backlog: a new ticket behind %d update deliveries (%d batches) got its "
    .. "plan note %s ms after its 200", BACKLOG_EVENTS, batches,
    ms_text(times[ticket_id] - answered_ms)))
end)
