-- `halyard scenario` as a command: its output, exit status, errors, time limit, the MSP's
-- script folder from the config, its scratch folder and the children it must always stop.

local testing = require "testing"
local proc = require "proc"
local support = require "support"
local util = require "util"

local test, expect = testing.test, testing.expect

-- A scenario that passes: one ticket of an imported client gets its note.
local PASSING = [[
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.import(acme)
local ticket = halo.log_ticket{user = jane, summary = "Printer offline",
    details = "The printer is not printing."}
expect.note(ticket, {contains = "Printer problem"})
]]

-- Writes a scenario file into the workspace and returns its path.
local function scenario(space, name, text)
  return support.file(space, name, text)
end

-- Runs `halyard scenario ARGS...` with the workspace's config and TMPDIR in the workspace, so
-- the scratch folders it makes can be looked at. Returns exit code, stdout and stderr.
local function run(space, ...)
  local tmp = space.folder .. "/tmp"
  support.mkdir(tmp)
  local argv = {support.halyard_binary(), "--config", space.config, "scenario"}
  for _, argument in ipairs({...}) do
    argv[#argv + 1] = argument
  end
  local out_path = space.folder .. "/scenario.out"
  local err_path = space.folder .. "/scenario.err"
  local child = proc.spawn(argv, {stdout = out_path, stderr = err_path,
    env = {TMPDIR = tmp, HALYARD_SIMULATOR = false}})
  local code = child:wait(90000)
  if code == nil then
    child:kill("KILL")
    error("halyard scenario did not finish in 90 s")
  end
  return code, util.read_file(out_path) or "", util.read_file(err_path) or ""
end

-- Lists the entries of a folder (through ls, which the runner has on every test machine).
local function entries(folder)
  local listing = folder .. ".listing"
  local child = proc.spawn({"ls", "-A", folder}, {stdout = listing})
  child:wait(10000)
  local names = {}
  for name in (util.read_file(listing) or ""):gmatch("[^\n]+") do
    names[#names + 1] = name
  end
  return names
end

test("passing scenario prints ok", function()
  local space = support.workspace()
  local file = scenario(space, "passing.lua", PASSING)

  local code, out = run(space, file)

  expect.eq(code, 0, "exit status; output: " .. out)
  expect.match(out, "^ok   " .. file:gsub("%p", "%%%0") .. " %(%d+%.%d s%)\n", "result line")
  expect.contains(out, "1 passed, 0 failed")
  expect.eq(#entries(space.folder .. "/tmp"), 0, "scratch folders left behind")
end)

test("failed expectation names its line", function()
  local space = support.workspace()
  local file = scenario(space, "failing.lua", PASSING ..
    'expect.note(ticket, {contains = "Coffee", timeout = 1})\n')

  local code, out = run(space, file)

  expect.eq(code, 1, "exit status")
  expect.contains(out, "FAIL " .. file)
  expect.contains(out, file .. ':7: expected a halyard note on ticket 1 containing "Coffee"')
  expect.contains(out, "halyard's runs of ticket 1, newest first:")
  expect.contains(out, "run 1: done")
  expect.contains(out, "actions on ticket 1 in HaloPSA:")
  expect.contains(out, "0 passed, 1 failed")
end)

test("every file runs after a failure", function()
  local space = support.workspace()
  local failing = scenario(space, "failing.lua", 'expect.fail("on purpose")\n')
  local passing = scenario(space, "passing.lua", PASSING)

  local code, out = run(space, failing, passing)

  expect.eq(code, 1, "exit status")
  expect.contains(out, "FAIL " .. failing)
  expect.contains(out, failing .. ":1: on purpose")
  expect.contains(out, "ok   " .. passing)
  expect.contains(out, "1 passed, 1 failed")
end)

test("syntax error reported with its line", function()
  local space = support.workspace()
  local file = scenario(space, "syntax.lua", "local a = 1\nlocal b = = 2\n")

  local code, out = run(space, file)

  expect.eq(code, 1, "exit status")
  expect.contains(out, file .. ":2:")
  expect.contains(out, "unexpected symbol")
end)

test("undefined global fails where read", function()
  local space = support.workspace()
  local file = scenario(space, "typo.lua", "local x = 1\nexpekt.note(1)\n")

  local code, out = run(space, file)

  expect.eq(code, 1, "exit status")
  expect.contains(out, file .. ":2: undefined global 'expekt'")
end)

test("misused calls name the function", function()
  local space = support.workspace()
  local cases = {
    {'halo.user{name = "Jane Doe"}', "halo.user: client is missing"},
    {'halo.log_ticket{user = 77, sumary = "x"}', "halo.log_ticket: unknown field 'sumary'"},
    {'clock.advance("5 minutes")', 'clock.advance: 5 minutes is not a duration'},
    {'halyard.import(12, {mode = "auto"})', 'halyard.import: mode "auto" is invalid'},
    {'halyard.config{data_dir = "/tmp"}', "halyard.config: data_dir is set by the scenario runner"},
    {'halo.technician{id = 1, name = "Me"}', "halo.technician: id 1 is halyard's API agent"},
    {'expect.run(1, {})', "expect.run: say what to expect"},
    {'halyard.workflow("kiosk.lua", {file = "no-such-fixture.lua"})',
      "halyard.workflow: reading "},
    {'halyard.workflow("kiosk.lua", {})', "halyard.workflow: the file's text is missing; give"},
  }
  for index, case in ipairs(cases) do
    local file = scenario(space, "misuse-" .. index .. ".lua", "local x = 1\n" .. case[1] .. "\n")

    local code, out = run(space, file)

    expect.eq(code, 1, "exit status of " .. case[1])
    expect.contains(out, file .. ":2: " .. case[2])
  end
end)

-- A workflow for kiosk tickets, which no shipped workflow matches.
local KIOSK_WORKFLOW = [[
return {
    name = "Kiosk offline",
    status = "active",
    scope = "all",
    trigger = "A visitor kiosk is offline.",
    match = {all = {{"kiosk*"}}},
    instructions = "Restart the kiosk.",
    samples = {
        match = {{source = "written", summary = "Kiosk offline", details = "kiosk down"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]]

test("workflow from fixture file", function()
  local space = support.workspace()
  support.mkdir(space.folder .. "/fixtures")
  support.file(space, "fixtures/kiosk.lua", KIOSK_WORKFLOW)
  local file = scenario(space, "fixture.lua", [[
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.workflow("kiosk.lua", {file = "fixtures/kiosk.lua"})
halyard.import(acme)
local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline", details = "kiosk down"}
expect.note(ticket, {contains = "Kiosk offline"})
]])

  local code, out = run(space, file)

  expect.eq(code, 0, "exit status; output:\n" .. out)
end)

-- A workflow file the scenario replaces once halyard runs. Hot reload builds the new version
-- on a thread while halyard.settle() would otherwise find nothing on its way.
local KIOSK_AFTER_START = [[
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.import(acme)
local first = halo.log_ticket{user = jane, summary = "Kiosk offline", details = "kiosk down"}
expect.note(first, {contains = "halyard plan"})
halyard.workflow("kiosk.lua", {file = "fixtures/kiosk.lua"})
]]

test("settle waits for edited workflow", function()
  local space = support.workspace()
  support.mkdir(space.folder .. "/fixtures")
  support.file(space, "fixtures/kiosk.lua", KIOSK_WORKFLOW)
  local file = scenario(space, "edited.lua", KIOSK_AFTER_START .. [[
halyard.settle()
expect.contains(halyard.log(), "version=2 serving", "the log right after settle")
local second = halo.log_ticket{user = jane, summary = "Kiosk offline", details = "kiosk down"}
expect.note(second, {contains = "Kiosk offline"})
]])

  local code, out = run(space, file)

  expect.eq(code, 0, "exit status; output:\n" .. out)
end)

-- A restart loads the files from disk and numbers versions from 1 again, so settle must not
-- wait for a version after the one that served before the restart.
test("settle after restart ignores reload", function()
  local space = support.workspace()
  support.mkdir(space.folder .. "/fixtures")
  support.file(space, "fixtures/kiosk.lua", KIOSK_WORKFLOW)
  local file = scenario(space, "restarted.lua", KIOSK_AFTER_START .. [[
halyard.restart()
halyard.settle({timeout = 5})
local second = halo.log_ticket{user = jane, summary = "Kiosk offline", details = "kiosk down"}
expect.note(second, {contains = "Kiosk offline"})
]])

  local code, out = run(space, file)

  expect.eq(code, 0, "exit status; output:\n" .. out)
end)

-- settle must wait for a webhook delivery that the simulator delays for delay_ms, so the run
-- that delivery starts is there when settle returns. The first check shows the delay.
test("settle waits for delayed delivery", function()
  local space = support.workspace()
  local file = scenario(space, "delayed.lua", [[
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.import(acme)
halyard.settle()
halo.webhook_fault{delay_ms = 3000}
local ticket = halo.log_ticket{user = jane, summary = "Printer offline",
    details = "The printer is not printing."}
expect.eq(#halyard.runs(ticket), 0, "runs of the ticket while the delivery is delayed")
halyard.settle()
expect.eq(#halyard.runs(ticket), 1, "runs of the ticket right after settle")
expect.eq(#halyard.notes(ticket), 1, "notes on the ticket right after settle")
]])

  local code, out = run(space, file)

  expect.eq(code, 0, "exit status; output:\n" .. out)
end)

test("declaration after start rejected", function()
  local space = support.workspace()
  local file = scenario(space, "late.lua", PASSING ..
    'halo.client{id = 14, name = "Late Ltd"}\n')

  local code, out = run(space, file)

  expect.eq(code, 1, "exit status")
  expect.contains(out, file .. ":7: halo.client: must come before the first ticket")
end)

test("--timeout stops a stuck scenario", function()
  local space = support.workspace()
  local file = scenario(space, "stuck.lua", "while true do end\n")

  local started = util.monotonic_ms()
  local code, out = run(space, "--timeout", "2", file)

  expect.eq(code, 1, "exit status")
  expect.contains(out, file .. ":1: timed out: the scenario ran longer than its 2 s")
  expect.lt(util.monotonic_ms() - started, 10000, "ms until it stopped")
end)

-- Regression: a scenario that caught the timeout's error with pcall ran on and printed ok.
test("--timeout fails a scenario that catches it", function()
  local space = support.workspace()
  local file = scenario(space, "caught.lua", [[
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.import(acme)
local ticket = halo.log_ticket{user = jane, summary = "Printer offline",
    details = "The printer is not printing."}
for i = 1, 3 do
    pcall(expect.note, ticket, {contains = "zzzz-never"})
end
]])

  local code, out = run(space, "--timeout", "5", file)

  expect.eq(code, 1, "exit status; output: " .. out)
  expect.contains(out, "timed out: the scenario ran longer than its 5 s")
  expect.eq(out:find("ok ", 1, true), nil, "ok printed: " .. out)
end)

-- A loop that catches the timeout's error every time still ends at the deadline.
test("--timeout ends a loop of pcall", function()
  local space = support.workspace()
  local file = scenario(space, "caught_forever.lua", [[
while true do
    pcall(function()
        while true do end
    end)
end
]])

  local started = util.monotonic_ms()
  local code, out = run(space, "--timeout", "2", file)

  expect.eq(code, 1, "exit status; output: " .. out)
  expect.contains(out, "timed out: the scenario ran longer than its 2 s")
  expect.lt(util.monotonic_ms() - started, 10000, "ms until it stopped")
end)

test("scripts come from the MSP's folder", function()
  local space = support.workspace()
  local folder = space.data_dir .. "/scripts/default/workflows"
  support.mkdir(folder)
  support.file(space, "data/scripts/default/workflows/coffee.lua", [[
return {
    name = "Coffee machine fault",
    status = "active",
    scope = "all",
    trigger = "The office coffee machine is broken.",
    match = {any = {"coffee machine"}},
    instructions = "1. Call the coffee machine supplier.",
    samples = {
        match = {{source = "written", summary = "Coffee machine broken", details = "no coffee"}},
        no_match = {{source = "written", summary = "Printer jam", details = "paper jam"}},
    },
}
]])
  local file = scenario(space, "coffee.lua", [[
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.import(acme)
local ticket = halo.log_ticket{user = jane, summary = "Coffee machine broken",
    details = "It shows an error."}
expect.note(ticket, {contains = "Coffee machine fault"})
]])

  local code, out = run(space, file)

  expect.eq(code, 0, "exit status; output: " .. out)
  expect.truthy(util.read_file(folder .. "/coffee.lua"), "the MSP's file is still there")
end)

test("--keep keeps the logs", function()
  local space = support.workspace()
  local file = scenario(space, "passing.lua", PASSING)

  local code, out = run(space, "--keep", file)

  expect.eq(code, 0, "exit status; output: " .. out)
  local kept = out:match("logs and database kept in (%S+)")
  expect.truthy(kept, "the kept folder in the output")
  expect.contains(util.read_file(kept .. "/halyard.log") or "", "started: ticket first seen")
  expect.truthy(util.read_file(kept .. "/halosim/ca.pem"), "the simulator's CA")
end)

test("missing simulator explained", function()
  local space = support.workspace()
  local file = scenario(space, "passing.lua", PASSING)

  local code, _, err = run(space, "--simulator", space.folder .. "/no-halosim", file)

  expect.eq(code, 1, "exit status")
  expect.contains(err, "no-halosim (from --simulator) cannot be run")
  expect.contains(err, "--simulator PATH")
end)

test("unclean stop fails the scenario", function()
  local space = support.workspace()
  local file = scenario(space, "passing.lua", PASSING)
  -- A simulator that exits with status 3 when it is stopped, as a crash at exit would.
  local wrapper = support.file(space, "halosim-wrapper", string.format([[#!/bin/sh
%s "$@" &
child=$!
trap 'kill $child; wait $child; exit 3' TERM
wait $child
]], support.halyard_binary():gsub("/halyard$", "/halosim")))
  support.chmod(wrapper, "755")

  local code, out = run(space, "--simulator", wrapper, file)

  expect.eq(code, 1, "exit status; output: " .. out)
  expect.contains(out, "FAIL " .. file)
  expect.contains(out, "halosim exited with status 3 when stopped")
end)

test("command line checked", function()
  local space = support.workspace()
  local code, _, err = run(space)
  expect.eq(code, 2, "exit status without files")
  expect.contains(err, "name at least one scenario file")

  code, _, err = run(space, "--timeout", "0", "x.lua")
  expect.eq(code, 2, "exit status with --timeout 0")
  expect.contains(err, "--timeout '0' is invalid")

  code, _, err = run(space, "--colour", "x.lua")
  expect.eq(code, 2, "exit status with an unknown option")
  expect.contains(err, "unknown option '--colour'")
end)

test("SIGINT stops the children", function()
  local space = support.workspace()
  local file = scenario(space, "slow.lua", [[
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local ticket = halo.log_ticket{user = jane, summary = "x", details = "y"}
expect.note(ticket, {timeout = 60})
]])
  local out_path = space.folder .. "/slow.out"
  local tmp = space.folder .. "/tmp"
  support.mkdir(tmp)
  local runner = proc.spawn({support.halyard_binary(), "--config", space.config, "scenario",
    file}, {stdout = out_path, stderr = space.folder .. "/slow.err",
    env = {TMPDIR = tmp, HALYARD_SIMULATOR = false}})

  -- Wait until halyard has skipped the ticket: then the runner's children are halosim and
  -- halyard serve, and no setup command runs any more.
  local deadline = util.monotonic_ms() + 30000
  local skipped = false
  while not skipped and util.monotonic_ms() < deadline do
    util.sleep_ms(100)
    for _, name in ipairs(entries(tmp)) do
      local log = util.read_file(tmp .. "/" .. name .. "/halyard.log") or ""
      skipped = skipped or log:find("skipped: client 12 is not imported", 1, true) ~= nil
    end
  end
  expect.truthy(skipped, "halyard skipped the ticket")
  local children = {}
  local children_path = string.format("/proc/%d/task/%d/children", runner:pid(), runner:pid())
  for pid in (util.read_file(children_path) or ""):gmatch("%d+") do
    children[#children + 1] = pid
  end
  expect.eq(#children, 2, "children of the runner")

  runner:kill("INT")
  local code = runner:wait(20000)

  expect.eq(code, 1, "exit status")
  expect.contains(util.read_file(out_path) or "", "interrupted by SIGINT")
  for _, pid in ipairs(children) do
    expect.eq(util.read_file("/proc/" .. pid .. "/stat"), nil, "child " .. pid .. " still exists")
  end
end)
