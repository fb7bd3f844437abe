-- Hot reload with real processes: halosim over HTTPS delivers tickets to `halyard serve`, the
-- test edits the MSP's workflow files while halyard runs, and reads which version serves from
-- GET /api/v1/workflows/status. A plan note names the workflows that matched and their files,
-- so a note shows which version of a workflow planned the ticket. Every wait polls for a
-- condition with a deadline; no check depends on how fast a reload is.

local testing = require "testing"
local http = require "http"
local json = require "json"
local proc = require "proc"
local runner = require "halytest.runner"
local sim = require "sim"
local util = require "util"
local support = require "support"

local test, expect = testing.test, testing.expect

local SIM_EVENTS = {3, 2, 8}
local WAIT_MS = 30000

-- A valid workflow file: name, the phrase it matches, and optional Lua run before the return.
local function workflow_text(name, phrase, before)
  return (before or "") .. string.format([[return {
  name = %q,
  status = "active",
  scope = "all",
  trigger = "A ticket mentions %s.",
  match = {any = {%q}},
  instructions = "Call the vendor.",
  samples = {match = {{source = "written", summary = %q, details = ""}}},
}
]], name, phrase, phrase, phrase)
end

-- Starts the simulator and halyard serve with the MSP's scripts in <workspace>/scripts, makes
-- an admin token, connects and imports client 12. options.script_reload is a list of the
-- config's script_reload fields, like {'watch = "polling"'}. options.files maps file names in
-- the MSP's workflows folder to their text, written before halyard starts; options.tools
-- does the same for its tools folder.
local function start(options)
  options = options or {}
  local simulator = sim.start{rate_limit = "off"}
  local space = support.workspace{webhook_events = SIM_EVENTS}
  local settings = {webhook_events = SIM_EVENTS, scripts_dir = space.folder .. "/scripts",
    script_reload = options.script_reload}
  support.configure(space, settings)
  space.workflows = space.folder .. "/scripts/default/workflows"
  if options.files then
    assert(support.mkdir(space.workflows))
    for name, text in pairs(options.files) do
      assert(util.write_file(space.workflows .. "/" .. name, text))
    end
  end
  space.tools = space.folder .. "/scripts/default/tools"
  if options.tools then
    assert(support.mkdir(space.tools))
    for name, text in pairs(options.tools) do
      assert(util.write_file(space.tools .. "/" .. name, text))
    end
  end
  local code, token, err = support.halyard(space, "token", "create")
  expect.eq(code, 0, "token create; stderr: " .. err)
  local server = support.serve(space)
  settings.public_url = server.url
  support.configure(space, settings)
  code, _, err = support.connect(space, simulator)
  expect.eq(code, 0, "connect; stderr: " .. err)
  code, _, err = support.halyard(space, "clients", "import", "12")
  expect.eq(code, 0, "import; stderr: " .. err)
  server.token = token:match("^(%S+)")
  return simulator, space, server
end

local function log_text(server)
  return util.read_file(server.log) or ""
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

-- Polls the status until accept(status) is true; fails the test after WAIT_MS.
local function wait_for_status(server, accept, description)
  local deadline = util.monotonic_ms() + WAIT_MS
  local last
  while util.monotonic_ms() < deadline do
    last = status(server)
    if accept(last) then
      return last
    end
    util.sleep_ms(50)
  end
  expect.fail(description .. " within " .. WAIT_MS .. " ms; last status: " .. json.encode(last)
    .. "; halyard log: " .. log_text(server))
end

-- Waits until a version newer than before serves and no reload is pending.
local function wait_for_version_after(server, before, description)
  return wait_for_status(server, function(current)
    return current.state == "serving" and current.version ~= json.null
      and current.version > before and not current.reloading
  end, description)
end

local function serving_version(server)
  return wait_for_status(server, function(current)
    return current.state == "serving"
  end, "the first version serving").version
end

local function log_ticket(simulator, summary)
  local response = simulator:control("POST", "/tickets",
    {user_id = 77, summary = summary, details = "reported by the reload test"})
  expect.status(response, 201)
  return math.tointeger(response.json.id)
end

-- halyard's plan notes on a ticket, as the simulator has them.
local function notes(simulator, ticket_id)
  local response = simulator:get("/api/Actions", {ticket_id = ticket_id, includehtmlnote = true})
  expect.status(response, 200)
  local found = {}
  for _, action in ipairs(response.json.actions) do
    if (action.note or ""):find("halyard run", 1, true) then
      found[#found + 1] = action.note
    end
  end
  return found
end

-- Logs a ticket and returns the text of its plan note.
local function plan_note(simulator, server, summary)
  local ticket = log_ticket(simulator, summary)
  local deadline = util.monotonic_ms() + WAIT_MS
  while util.monotonic_ms() < deadline do
    local found = notes(simulator, ticket)
    if #found > 0 then
      return found[1]
    end
    util.sleep_ms(100)
  end
  expect.fail("no plan note on ticket " .. ticket .. "; halyard log: " .. log_text(server))
end

-- The problems of the status that belong to a file whose path ends with name.
local function problems_of(current, name)
  local found = {}
  for _, problem in ipairs(current.problems) do
    if problem.file:sub(-#name - 1) == "/" .. name then
      found[#found + 1] = problem
    end
  end
  return found
end

-- Replaces a file the way editors do: write a temporary file, then rename it over the old one.
local function save(path, text)
  assert(util.write_file(path .. ".tmp", text))
  assert(os.rename(path .. ".tmp", path))
end

test("edit takes effect without restart", function()
  local simulator, space, server = start()
  local first = serving_version(server)
  expect.falsy(plan_note(simulator, server, "coffee machine broken"):find("Coffee machine", 1,
    true), "a coffee workflow before there is one")

  -- The MSP's folder did not exist when halyard started.
  assert(support.mkdir(space.workflows))
  save(space.workflows .. "/coffee.lua", workflow_text("Coffee machine", "coffee machine"))
  local second = wait_for_version_after(server, first, "the version with coffee.lua")
  expect.eq(#second.problems, 0, "problems")
  expect.contains(plan_note(simulator, server, "coffee machine broken"), "Coffee machine")

  save(space.workflows .. "/coffee.lua", workflow_text("Coffee machine v2", "coffee machine"))
  local third = wait_for_version_after(server, second.version, "the version with the edit")
  expect.contains(plan_note(simulator, server, "coffee machine leaks"), "Coffee machine v2")
  expect.eq(third.watch, "inotify", "watch method")
  expect.type(third.loaded_at, "string", "loaded_at")
  expect.type(third.change_seen_at, "string", "change_seen_at")
  expect.type(third.build_ms, "number", "build_ms")
  expect.contains(log_text(server), "msp=default version=" .. math.tointeger(third.version)
    .. " serving")
end)

-- A workflow whose step names halo.get_user, a registered read tool, as a write: it serves with
-- the registry's kind and gets a warning on the step's line (line 9).
local function workflow_with_warning(name)
  return (workflow_text(name, "coffee machine"):gsub("\n}\n$",
    '\n  steps = {{tool = "halo.get_user", kind = "write",\n'
    .. '    arguments = {user_id = "{requester.id}"}}},\n}\n'))
end

-- The status listed a file's errors but not its warnings.
test("status lists warnings per file", function()
  local simulator, space, server = start{files = {
    ["coffee.lua"] = workflow_with_warning("Coffee machine")}}
  local version = serving_version(server)
  local path = space.workflows .. "/coffee.lua"

  local current = status(server)
  expect.eq(#current.problems, 0, "problems in " .. json.encode(current))
  expect.eq(#current.warnings, 1, "warnings in " .. json.encode(current))
  local warning = current.warnings[1]
  expect.eq(warning.serving, "current", "what serves")
  expect.eq(warning.file, path, "file")
  expect.eq(math.tointeger(warning.line), 9, "line")
  expect.eq(warning.kind, "workflow", "kind")
  expect.eq(warning.serving_file, json.null, "serving_file")
  expect.contains(warning.message, path .. ":9: warning: steps[1].kind is \"write\"", "message")
  expect.contains(plan_note(simulator, server, "coffee machine broken"), "Coffee machine",
    "the workflow with a warning serves")

  -- A broken edit leaves the previous text serving, and the warning is about that text.
  save(path, "return {\n  name = 'Coffee machine v9',\n  status = \n}\n")
  current = wait_for_version_after(server, version, "the version after the broken edit")
  version = current.version
  expect.eq(#problems_of(current, "coffee.lua"), 1, "problems in " .. json.encode(current))
  expect.eq(#current.warnings, 1, "warnings in " .. json.encode(current))
  warning = current.warnings[1]
  expect.eq(warning.serving, "previous", "what serves after the broken edit")
  expect.eq(warning.file, path, "file after the broken edit")
  expect.eq(warning.serving_file, path, "serving_file after the broken edit")
  expect.eq(math.tointeger(warning.line), 9, "line after the broken edit")

  -- Without the step's kind there is nothing to warn about.
  save(path, workflow_text("Coffee machine", "coffee machine"))
  current = wait_for_version_after(server, version, "the version with the fix")
  expect.eq(#current.problems, 0, "problems after the fix")
  expect.eq(#current.warnings, 0, "warnings after the fix")
end)

-- Each broken edit: the text, the line its problem names, and a word of the problem.
local BROKEN_EDITS = {
  {name = "syntax error", text = "return {\n  name = 'Coffee machine v9',\n  status = \n}\n",
    line = 4, word = "syntax"},
  {name = "failed validation",
    text = workflow_text("Coffee machine v9", "coffee machine"):gsub('"active"', '"enabled"'),
    line = 3, word = "status"},
  {name = "runaway top level",
    text = workflow_text("Coffee machine v9", "coffee machine", "local n = 0\nwhile true do\n"
      .. "  n = n + 1\nend\n"), lines = {2, 3}, word = "timeout"},
}

test("broken edit keeps old version", function()
  local simulator, space, server = start{files = {
    ["coffee.lua"] = workflow_text("Coffee machine", "coffee machine")}}
  local version = serving_version(server)
  local path = space.workflows .. "/coffee.lua"

  for _, edit in ipairs(BROKEN_EDITS) do
    save(path, edit.text)
    local current = wait_for_version_after(server, version, "the version after the " .. edit.name)
    version = current.version

    local problems = problems_of(current, "coffee.lua")
    expect.eq(#problems, 1, edit.name .. ": problems of coffee.lua in " .. json.encode(current))
    local problem = problems[1]
    expect.eq(problem.file, path, edit.name .. ": file")
    expect.eq(problem.serving, "previous", edit.name .. ": what serves")
    expect.contains(problem.message, edit.word, edit.name .. ": message")
    local line = math.tointeger(problem.line)
    if edit.lines then
      expect.truthy(line == edit.lines[1] or line == edit.lines[2],
        edit.name .. ": line " .. tostring(line) .. " is the loop's")
    else
      expect.eq(line, edit.line, edit.name .. ": line")
    end
    expect.contains(log_text(server), "coffee.lua:" .. line .. ":", edit.name .. ": log line")
    local note = plan_note(simulator, server, "coffee machine broken")
    expect.contains(note, "Coffee machine", edit.name .. ": note")
    expect.falsy(note:find("v9", 1, true), edit.name .. ": the broken version planned")
  end

  save(path, workflow_text("Coffee machine fixed", "coffee machine"))
  local fixed = wait_for_version_after(server, version, "the version with the fix")
  expect.eq(#fixed.problems, 0, "problems after the fix")
  expect.contains(plan_note(simulator, server, "coffee machine broken"), "Coffee machine fixed")

  -- The CLI still reads the files on disk, independent of what serves.
  save(path, BROKEN_EDITS[1].text)
  local code, _, err = support.halyard(space, "workflows", "lint")
  expect.eq(code, 1, "lint exit status")
  expect.contains(err, path .. ":4:")
end)

-- Regression: a symbolic link in the MSP's scripts folder was followed to any file, so
-- workflows/shadow.lua -> /etc/shadow was read and the status and the log quoted a word of it
-- next to the syntax error. A link to a file outside the folder is now rejected without being
-- read; a link inside the folder still loads.
test("symlink outside scripts folder rejected", function()
  local _, space, server = start{files = {
    ["coffee.lua"] = workflow_text("Coffee machine", "coffee machine")}}
  local version = serving_version(server)
  local outside = support.file(space, "outside.lua", "return 1 TOPSECRETWORD\n")
  local shared = space.folder .. "/scripts/default/shared"
  assert(support.mkdir(shared))
  assert(util.write_file(shared .. "/tea.lua", workflow_text("Tea machine", "tea machine")))

  local link = proc.spawn({"ln", "-s", outside, space.workflows .. "/stolen.lua"})
  expect.eq(link:wait(10000), 0, "ln -s outside")
  link = proc.spawn({"ln", "-s", "../shared/tea.lua", space.workflows .. "/tea.lua"})
  expect.eq(link:wait(10000), 0, "ln -s inside")
  -- A linked folder leads outside as well: policies -> <workspace>/elsewhere.
  local elsewhere = space.folder .. "/elsewhere"
  assert(support.mkdir(elsewhere))
  assert(util.write_file(elsewhere .. "/lent.lua", "return 1 TOPSECRETWORD\n"))
  link = proc.spawn({"ln", "-s", elsewhere, space.folder .. "/scripts/default/policies"})
  expect.eq(link:wait(10000), 0, "ln -s folder")

  local current = wait_for_status(server, function(candidate)
    return candidate.version ~= json.null and candidate.version > version
      and not candidate.reloading and #problems_of(candidate, "stolen.lua") == 1
      and #problems_of(candidate, "lent.lua") == 1
  end, "the version with the links")
  expect.contains(problems_of(current, "lent.lua")[1].message, "outside the MSP's scripts folder")
  local problem = problems_of(current, "stolen.lua")[1]
  expect.contains(problem.message, "outside the MSP's scripts folder")
  expect.falsy(problem.message:find("TOPSECRETWORD", 1, true), "the target's text in the status")
  expect.falsy(json.encode(current):find("TOPSECRETWORD", 1, true), "the target's text anywhere")
  expect.falsy(json.encode(current):find(outside, 1, true), "the target's path in the status")
  expect.eq(#problems_of(current, "tea.lua"), 0, "problems of the link inside the folder")
  expect.contains(log_text(server), "stolen.lua: a symbolic link to a file outside")
  expect.falsy(log_text(server):find("TOPSECRETWORD", 1, true), "the target's text in the log")

  local code, out, err = support.halyard(space, "workflows", "list")
  expect.contains(out, "Tea machine", "the workflow linked inside the folder")
  expect.contains(err .. out, "outside the MSP's scripts folder", "the CLI's report")
  expect.falsy((err .. out):find("TOPSECRETWORD", 1, true), "the target's text in the CLI")
  expect.eq(code ~= nil, true, "list finished")
end)

test("polling picks up edits", function()
  local simulator, space, server = start{
    script_reload = {'watch = "polling"', "poll_ms = 200", "debounce_ms = 50"},
    files = {["coffee.lua"] = workflow_text("Coffee machine", "coffee machine")}}
  local first = serving_version(server)

  save(space.workflows .. "/coffee.lua", workflow_text("Coffee machine, polled", "coffee machine"))
  local second = wait_for_version_after(server, first, "the version with the edit")

  expect.eq(second.watch, "polling", "watch method")
  expect.contains(log_text(server), "watching scripts with polling")
  expect.contains(plan_note(simulator, server, "coffee machine broken"), "Coffee machine, polled")
end)

test("added, renamed and deleted files", function()
  local simulator, space, server = start{files = {
    ["coffee.lua"] = workflow_text("Coffee machine", "coffee machine")}}
  local current = wait_for_status(server, function(s) return s.state == "serving" end,
    "the first version")
  local files = current.files

  save(space.workflows .. "/printer_toner.lua", workflow_text("Toner swap", "toner cartridge"))
  current = wait_for_version_after(server, current.version, "the version with the new file")
  expect.eq(current.files, files + 1, "files after adding one")
  local note = plan_note(simulator, server, "toner cartridge empty")
  expect.contains(note, "Toner swap")
  expect.contains(note, "printer_toner.lua")

  assert(os.rename(space.workflows .. "/printer_toner.lua", space.workflows .. "/toner.lua"))
  current = wait_for_version_after(server, current.version, "the version after the rename")
  expect.eq(current.files, files + 1, "files after the rename")
  note = plan_note(simulator, server, "toner cartridge empty")
  expect.contains(note, "Toner swap")
  expect.contains(note, "toner.lua")
  expect.falsy(note:find("printer_toner.lua", 1, true), "the old file name in the note")

  assert(os.remove(space.workflows .. "/toner.lua"))
  current = wait_for_version_after(server, current.version, "the version after the delete")
  expect.eq(current.files, files, "files after the delete")
  expect.falsy(plan_note(simulator, server, "toner cartridge empty"):find("Toner swap", 1, true),
    "the deleted workflow in the note")
end)

-- Runs a read-only query on halyard's database; returns its rows, each a list of columns.
local function query(space, sql)
  local out = space.folder .. "/query-" .. tostring(util.monotonic_ms())
  local child = proc.spawn({runner.build_dir() .. "/intake-query-db", space.data_dir ..
    "/halyard.db", sql}, {stdout = out, stderr = out .. ".err"})
  local code = child:wait(30000)
  expect.eq(code, 0, "query " .. sql .. ": " .. (util.read_file(out .. ".err") or ""))
  local rows = {}
  for line in (util.read_file(out) or ""):gmatch("[^\n]+") do
    local columns = {}
    for column in (line .. "|"):gmatch("([^|]*)|") do
      columns[#columns + 1] = column
    end
    rows[#rows + 1] = columns
  end
  return rows
end

local function count(space, sql)
  return tonumber(query(space, sql)[1][1])
end

-- The event ids of every delivery the simulator made that halyard accepted, and whether any
-- delivery is still on its way.
local function simulator_deliveries(simulator)
  local response = simulator:control("GET", "/deliveries")
  expect.status(response, 200)
  local ids, pending = {}, false
  for _, attempt in ipairs(response.json) do
    if attempt.status == 0 then
      pending = true
    elseif math.tointeger(attempt.responsestatus) == 200 then
      local body = json.decode(attempt.requestbody)
      for _, event in ipairs(body[1] and body or {body}) do
        ids[#ids + 1] = event.id
      end
    end
  end
  return ids, pending
end

-- Stops halyard serve as SIGTERM does.
local function stop(server)
  server.child:kill("TERM")
  expect.eq(server.child:wait(WAIT_MS), 0, "exit status of the stopped serve")
end

-- Starts halyard serve again on the stopped server's port and database, and waits until the
-- MSP's scripts serve.
local function start_again(space, stopped)
  local server = support.serve(space, stopped.port)
  server.token = stopped.token
  serving_version(server)
  return server
end

-- A workflow whose step names an MSP tool, quokka.switch_badge, and takes its kind from the
-- tool: without the tool, the step has no kind and the workflow fails to load.
local QUOKKA_WORKFLOW = (workflow_text("Quokka switch", "quokka"):gsub("\n}\n$",
  '\n  steps = {{tool = "quokka.switch_badge", arguments = {holder = "jane"}}},\n}\n'))
local QUOKKA_TOOL = [[
return {{
  name = "quokka.switch_badge",
  description = "Switches the quokka badge to another holder.",
  kind = "write",
  parameters = {holder = {type = "string", required = true, description = "the new holder"}},
  run = function(arguments) return {holder = arguments.holder} end,
}}
]]

-- Regression: the text that served for a file was kept only in memory, so after a restart a
-- file whose text on disk had broken meanwhile was skipped. The serving texts are now stored in
-- halyard's database, and at start the stored text serves for a file whose text on disk fails.
test("broken file serves stored text after restart", function()
  local simulator, space, server = start{files = {
    ["coffee.lua"] = workflow_text("Coffee machine", "coffee machine")}}
  local version = serving_version(server)
  local path = space.workflows .. "/coffee.lua"
  save(path, BROKEN_EDITS[1].text)
  wait_for_version_after(server, version, "the version after the broken save")

  stop(server)
  server = start_again(space, server)
  local current = status(server)
  local problems = problems_of(current, "coffee.lua")
  expect.eq(#problems, 1, "problems of coffee.lua in " .. json.encode(current))
  expect.eq(problems[1].serving, "previous", "what serves")
  expect.eq(problems[1].serving_file, path, "where the serving text was read")
  expect.eq(math.tointeger(problems[1].line), 4, "the line of the text on disk")
  expect.contains(log_text(server), "coffee.lua:4:")
  expect.contains(log_text(server), "the version that served before the restart keeps serving")
  expect.contains(plan_note(simulator, server, "coffee machine broken"), "Coffee machine")
end)

-- The same for a tool: a tool file broken while halyard runs keeps its stored text after a
-- restart, so the workflow whose step needs the tool still loads.
test("broken tool serves stored text after restart", function()
  local _, space, server = start{files = {["quokka.lua"] = QUOKKA_WORKFLOW},
    tools = {["quokka_badge.lua"] = QUOKKA_TOOL}}
  local version = serving_version(server)
  local path = space.tools .. "/quokka_badge.lua"
  save(path, BROKEN_EDITS[1].text)
  wait_for_version_after(server, version, "the version after the broken save")

  stop(server)
  server = start_again(space, server)
  local current = status(server)
  local problems = problems_of(current, "quokka_badge.lua")
  expect.eq(#problems, 1, "problems of the tool in " .. json.encode(current))
  expect.eq(problems[1].serving, "previous", "what serves for the tool")
  expect.eq(problems[1].kind, "tool", "the problem's kind")
  expect.eq(#problems_of(current, "quokka.lua"), 0, "problems of the workflow")
end)

-- A stored text never replaces a text on disk that loads: an edit saved while halyard was
-- stopped serves after the start.
test("good text on disk beats stored text", function()
  local simulator, space, server = start{files = {
    ["coffee.lua"] = workflow_text("Coffee machine", "coffee machine")}}
  serving_version(server)
  stop(server)
  save(space.workflows .. "/coffee.lua", workflow_text("Coffee machine v2", "coffee machine"))

  server = start_again(space, server)
  local current = status(server)
  expect.eq(#current.problems, 0, "problems in " .. json.encode(current))
  expect.contains(plan_note(simulator, server, "coffee machine broken"), "Coffee machine v2")
end)

-- A stored text is checked like any other: when it no longer loads at start (here because the
-- MSP's tool it needs was removed while halyard was stopped), the file is skipped and both
-- texts' problems are reported.
test("stored text that fails is skipped", function()
  local simulator, space, server = start{files = {["quokka.lua"] = QUOKKA_WORKFLOW},
    tools = {["quokka_badge.lua"] = QUOKKA_TOOL}}
  local version = serving_version(server)
  expect.eq(#status(server).problems, 0, "problems with the tool")
  local path = space.workflows .. "/quokka.lua"
  save(path, BROKEN_EDITS[1].text)
  local broken = wait_for_version_after(server, version, "the version after the broken save")
  expect.eq(problems_of(broken, "quokka.lua")[1].serving, "previous", "what serves before")

  stop(server)
  assert(os.remove(space.tools .. "/quokka_badge.lua"))
  server = start_again(space, server)
  local current = status(server)
  local problems = problems_of(current, "quokka.lua")
  expect.eq(#problems, 2, "problems of the two texts in " .. json.encode(current))
  for _, problem in ipairs(problems) do
    expect.eq(problem.serving, "none", "what serves")
  end
  expect.contains(problems[2].message, "quokka.switch_badge", "the stored text's problem")
  expect.contains(log_text(server), "the file is skipped")
  expect.falsy(plan_note(simulator, server, "quokka switch"):find("Quokka switch", 1, true),
    "the skipped workflow planned")
end)

-- The stored set is the one serving: a file deleted from disk is dropped from it, so when a
-- broken file of that name comes back it has no earlier text.
test("deleted file dropped from stored texts", function()
  local _, space, server = start{files = {
    ["coffee.lua"] = workflow_text("Coffee machine", "coffee machine")}}
  serving_version(server)
  stop(server)
  assert(os.remove(space.workflows .. "/coffee.lua"))
  server = start_again(space, server)
  stop(server)
  save(space.workflows .. "/coffee.lua", BROKEN_EDITS[1].text)

  server = start_again(space, server)
  local current = status(server)
  local problems = problems_of(current, "coffee.lua")
  expect.eq(#problems, 1, "problems of coffee.lua in " .. json.encode(current))
  expect.eq(problems[1].serving, "none", "what serves")
end)

test("no delivery lost during reloads", function()
  local simulator, space, server = start{files = {
    ["coffee.lua"] = workflow_text("Coffee machine", "coffee machine"),
    ["tea.lua"] = workflow_text("Tea urn", "tea urn")}}
  local version = serving_version(server)
  local first_version = version
  local tickets = {}

  -- Batched deliveries (HaloPSA's webhook batching: up to five events in one JSON array) put
  -- several tickets into one scan of new deliveries, so the order within a scan shows too.
  local webhooks = simulator:get("/api/Webhook")
  expect.status(webhooks, 200)
  expect.eq(#webhooks.json, 1, "webhooks")
  expect.status(simulator:post("/api/Webhook", {{id = webhooks.json[1].id, batch_method = 2,
    batch_limit = 5, batch_delay_seconds = 1}}), 201)

  -- Rounds of file rewrites, each with a burst of tickets whose deliveries arrive while the
  -- reload builds and swaps. Some rewrites are broken, which must not matter either.
  local ROUNDS, PER_ROUND = 6, 12
  for round = 1, ROUNDS do
    local coffee = round % 3 == 0 and "return {\n  name = \n}\n"
      or workflow_text("Coffee machine r" .. round, "coffee machine")
    save(space.workflows .. "/coffee.lua", coffee)
    save(space.workflows .. "/tea.lua", workflow_text("Tea urn r" .. round, "tea urn"))
    for i = 1, PER_ROUND do
      tickets[#tickets + 1] = log_ticket(simulator, string.format(
        "coffee machine broken %d-%d", round, i))
      if i == PER_ROUND // 2 then
        save(space.workflows .. "/tea.lua", workflow_text("Tea urn r" .. round .. "b", "tea urn"))
      end
    end
    version = wait_for_version_after(server, version, "a reload in round " .. round).version
  end
  expect.truthy(version - first_version >= ROUNDS, "reloads: " .. (version - first_version))

  -- Wait until everything delivered is stored and worked: no delivery in flight or new, no
  -- job left, every ticket noted. The simulator holds up to four events (less than the batch
  -- limit) for the batch delay of 1 s without listing them as deliveries, and halyard's own
  -- plan notes make such events at the end. So the wait ends only after the rest has lasted
  -- QUIET_MS, three batch delays, or a batch released late would arrive after the checks.
  local QUIET_MS = 3000
  local deadline = util.monotonic_ms() + 60000
  local quiet_since = nil
  local settled = false
  while not settled and util.monotonic_ms() < deadline do
    local _, pending = simulator_deliveries(simulator)
    local quiet = not pending
      and count(space, "SELECT count(*) FROM deliveries WHERE state = 'new'") == 0
      and count(space, "SELECT count(*) FROM jobs WHERE state IN ('ready', 'running')") == 0
      and count(space, "SELECT count(*) FROM runs WHERE note_action_id IS NOT NULL")
        >= #tickets
    if not quiet then
      quiet_since = nil
    elseif quiet_since == nil then
      quiet_since = util.monotonic_ms()
    else
      settled = util.monotonic_ms() - quiet_since >= QUIET_MS
    end
    if not settled then
      util.sleep_ms(200)
    end
  end
  expect.truthy(settled, "halyard went quiet; log: " .. log_text(server))

  -- Nothing lost: every event the simulator delivered is stored, none is left unprocessed.
  local stored = {}
  for _, row in ipairs(query(space, "SELECT event_guid FROM deliveries")) do
    stored[row[1]] = true
  end
  local delivered = simulator_deliveries(simulator)
  expect.truthy(#delivered >= #tickets, "deliveries made: " .. #delivered)
  for _, id in ipairs(delivered) do
    expect.truthy(stored[id], "delivery " .. id .. " stored")
  end
  expect.eq(count(space, "SELECT count(*) FROM deliveries WHERE state <> 'queued'"), 0,
    "deliveries not queued")
  expect.eq(count(space, "SELECT count(*) FROM jobs WHERE state = 'dead'"), 0, "dead jobs")

  -- Exactly one run and one plan note per ticket.
  for _, ticket in ipairs(tickets) do
    expect.eq(#notes(simulator, ticket), 1, "plan notes on ticket " .. ticket)
    expect.eq(count(space, "SELECT count(*) FROM runs WHERE ticket_id = " .. ticket
      .. " AND note_action_id IS NOT NULL"), 1, "runs of ticket " .. ticket)
  end

  -- In order: halyard queued each ticket's sync job in the order the ticket's first delivery
  -- arrived.
  local rows = query(space, [[
    SELECT d.ticket_id, min(d.id) AS first_delivery,
      (SELECT j.id FROM jobs j WHERE j.idempotency_key = 'sync:' || d.msp_id || ':' || d.ticket_id)
    FROM deliveries d WHERE d.ticket_id IS NOT NULL
    GROUP BY d.msp_id, d.ticket_id ORDER BY first_delivery]])
  expect.eq(#rows, #tickets, "tickets in the deliveries")
  for i = 2, #rows do
    expect.truthy(tonumber(rows[i][3]) > tonumber(rows[i - 1][3]), string.format(
      "ticket %s (first delivery %s) queued after ticket %s (first delivery %s)", rows[i][1],
      rows[i][2], rows[i - 1][1], rows[i - 1][2]))
  end
end)
