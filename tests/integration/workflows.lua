-- `halyard workflows list|lint|test` and an MSP's own workflows, with real processes: the MSP's
-- folder overrides shipped workflows by file name, broken files are reported with file:line,
-- and the running agent uses the MSP's own workflows.

local testing = require "testing"
local proc = require "proc"
local sim = require "sim"
local util = require "util"
local support = require "support"

local test, expect = testing.test, testing.expect

local SIM_EVENTS = {3, 2, 8}

-- A workflow file for the MSP's folder; fields override a working coffee-machine workflow.
local function workflow_text(fields)
  local values = {
    name = '"Coffee machine"',
    status = '"active"',
    scope = '"all"',
    trigger = '"The office coffee machine is broken."',
    match = '{any = {"coffee machine"}}',
    instructions = '"Call the vendor."',
    samples = '{match = {{id = "written-1", summary = "coffee machine broken", details = "no '
      .. 'coffee"}, {id = "written-2", summary = "the coffee machine leaks", details = ""}}, '
      .. 'no_match = {{id = "written-3", summary = "printer jam", details = "paper"}, '
      .. '{id = "written-4", summary = "tea", details = "kettle"}}}',
  }
  for key, value in pairs(fields or {}) do
    values[key] = value
  end
  local lines = {"return {"}
  for _, key in ipairs({"name", "status", "scope", "trigger", "match", "instructions",
      "samples"}) do
    if values[key] ~= false then
      lines[#lines + 1] = string.format("  %s = %s,", key, values[key])
    end
  end
  lines[#lines + 1] = "}"
  return table.concat(lines, "\n") .. "\n"
end

local function add_workflow(space, file, text)
  local folder = space.folder .. "/scripts/default/workflows"
  assert(support.mkdir(folder))
  assert(util.write_file(folder .. "/" .. file, text))
end

local function workspace()
  local space = support.workspace{webhook_events = SIM_EVENTS}
  support.configure(space, {webhook_events = SIM_EVENTS,
    scripts_dir = space.folder .. "/scripts"})
  return space
end

test("list shows shipped workflows", function()
  local space = workspace()

  local code, out = support.halyard(space, "workflows", "list")

  expect.eq(code, 0, "exit status")
  expect.contains(out, "Password reset")
  expect.match(out, "\n%d+ workflows\n")
end)

test("shipped samples pass", function()
  local space = workspace()

  local code, out, err = support.halyard(space, "workflows", "test")

  expect.eq(code, 0, "exit status; stderr: " .. err)
  expect.match(out, "%d+ samples checked, 0 failed")
end)

test("MSP file overrides shipped one", function()
  local space = workspace()
  add_workflow(space, "password_reset.lua", workflow_text{name = '"Password reset (ours)"',
    status = '"draft"'})

  local code, out = support.halyard(space, "workflows", "list")

  expect.eq(code, 0, "exit status")
  expect.contains(out, "Password reset (ours)")
  expect.contains(out, "draft")
  expect.contains(out, space.folder .. "/scripts/default/workflows/password_reset.lua")
  expect.falsy(out:find("Password reset   ", 1, true), "the shipped password reset")
end)

test("broken file named with line", function()
  local space = workspace()
  add_workflow(space, "broken.lua", "return {\n  name = 'x',\n  status = \n}\n")
  add_workflow(space, "coffee.lua", workflow_text())

  local code, out, err = support.halyard(space, "workflows", "lint")

  expect.eq(code, 1, "exit status")
  expect.contains(err, "broken.lua:")
  expect.contains(out, "errors in the script files: 1, warnings: 0")
  local _, list = support.halyard(space, "workflows", "list")
  expect.contains(list, "Coffee machine")
end)

-- Regression: a script path that was a FIFO, a folder or a file over the size limit was
-- reported with "check the file's permissions", which named no cause.
test("unreadable script files named", function()
  local space = workspace()
  add_workflow(space, "coffee.lua", workflow_text())
  local folder = space.folder .. "/scripts/default/workflows"
  assert(support.mkdir(folder .. "/folder.lua"))
  local fifo = proc.spawn({"mkfifo", folder .. "/fifo.lua"})
  expect.eq(fifo:wait(10000), 0, "mkfifo")
  assert(util.write_file(folder .. "/big.lua", "-- " .. string.rep("x", 2 * 1024 * 1024) .. "\n"))

  local code, _, err = support.halyard(space, "workflows", "lint")

  expect.eq(code, 1, "exit status")
  expect.contains(err, "folder.lua: is a folder, not a regular file")
  expect.contains(err, "fifo.lua: is a FIFO, not a regular file")
  expect.contains(err, "big.lua: larger than 1048576 bytes; split it into smaller scripts")
  expect.falsy(err:find("permissions", 1, true), "a permissions hint: " .. err)
end)

-- A step that names a registered read tool as a write: the registry's kind wins, the workflow
-- serves, and lint lists a warning.
local KIND_MISMATCH_STEPS = '{{tool = "halo.get_user", kind = "write", '
  .. 'arguments = {user_id = "{requester.id}"}}}'

-- Adds steps to a workflow_text: the text puts each field on a line of its own.
local function with_steps(text, steps)
  return (text:gsub("\n}\n$", "\n  steps = " .. steps .. ",\n}\n"))
end

-- lint exited 1 on warnings alone, though a file with only warnings loads and serves.
test("lint passes with warnings only", function()
  local space = workspace()
  add_workflow(space, "coffee.lua", with_steps(workflow_text(), KIND_MISMATCH_STEPS))

  local code, out, err = support.halyard(space, "workflows", "lint")

  expect.eq(code, 0, "exit status; stderr: " .. err)
  expect.match(err, "coffee%.lua:%d+: warning: steps%[1%]%.kind is \"write\"")
  expect.contains(out, "errors in the script files: 0, warnings: 1")
end)

test("lint strict fails on warnings", function()
  local space = workspace()
  add_workflow(space, "coffee.lua", with_steps(workflow_text(), KIND_MISMATCH_STEPS))

  local code, out, err = support.halyard(space, "workflows", "lint", "--strict")

  expect.eq(code, 1, "exit status")
  expect.contains(err, "coffee.lua")
  expect.contains(err, "warning:")
  expect.contains(err, "--strict is set")
  expect.contains(out, "errors in the script files: 0, warnings: 1")
end)

test("lint strict passes clean scripts", function()
  local space = workspace()
  add_workflow(space, "coffee.lua", workflow_text())

  local code, out, err = support.halyard(space, "workflows", "lint", "--strict")

  expect.eq(code, 0, "exit status; stderr: " .. err)
  expect.contains(out, "errors in the script files: 0, warnings: 0")
end)

test("lint fails on errors with warnings", function()
  local space = workspace()
  add_workflow(space, "broken.lua", "return {\n  name = 'x',\n  status = \n}\n")
  add_workflow(space, "coffee.lua", with_steps(workflow_text(), KIND_MISMATCH_STEPS))

  local code, out, err = support.halyard(space, "workflows", "lint")

  expect.eq(code, 1, "exit status")
  expect.contains(err, "broken.lua:")
  expect.contains(err, "coffee.lua")
  expect.contains(out, "errors in the script files: 1, warnings: 1")
  local error_at = err:find("broken.lua:", 1, true)
  local warning_at = err:find("warning:", 1, true)
  expect.truthy(error_at ~= nil and warning_at ~= nil and error_at < warning_at,
    "the error is printed before the warning: " .. err)
end)

-- A backstop workflow (sensitive, steps that only read) excluded tickets by one common word of
-- its `none` list, which switched off the requester's identity check for any request beside it.
local READ_STEPS = '{{tool = "halo.get_user", arguments = {user_id = "{requester.id}"}}}'
local function backstop_text(none)
  local text = with_steps(workflow_text{match = '{any = {"coffee machine"}, none = ' .. none
    .. '}'}, READ_STEPS)
  return (text:gsub("\n}\n$", "\n  sensitive = \"physical_access\",\n}\n"))
end

test("lint warns on one-word backstop exclusion", function()
  local space = workspace()
  add_workflow(space, "coffee.lua", backstop_text('{"stop the coffee machine", "cancel*"}'))

  local code, out, err = support.halyard(space, "workflows", "lint")

  expect.eq(code, 0, "exit status; stderr: " .. err)
  expect.match(err, "coffee%.lua:%d+: warning: match%.none%[2%] \"cancel%*\" is one word")
  expect.truthy(not err:find("none[1]", 1, true), "the two-word phrase is no warning: " .. err)
  expect.contains(out, "errors in the script files: 0, warnings: 1")
end)

test("lint accepts removal phrase exclusions", function()
  local space = workspace()
  add_workflow(space, "coffee.lua", backstop_text('{"stop the coffee machine"}'))

  local code, out, err = support.halyard(space, "workflows", "lint", "--strict")

  expect.eq(code, 0, "exit status; stderr: " .. err)
  expect.contains(out, "errors in the script files: 0, warnings: 0")
end)

test("lint leaves writing workflows' exclusions", function()
  local space = workspace()
  add_workflow(space, "coffee.lua", (with_steps(workflow_text{match = '{any = {"coffee '
    .. 'machine"}, none = {"cancel*"}}'}, '{{tool = "m365.reset_password", kind = "write", '
    .. 'arguments = {user = "{requester.email}"}}}'):gsub("\n}\n$",
    "\n  sensitive = \"physical_access\",\n}\n")))

  local code, _, err = support.halyard(space, "workflows", "lint")

  expect.eq(code, 0, "exit status; stderr: " .. err)
  expect.truthy(not err:find("is one word", 1, true), "no exclusion warning: " .. err)
end)

test("list and test pass with warnings", function()
  local space = workspace()
  add_workflow(space, "coffee.lua", with_steps(workflow_text(), KIND_MISMATCH_STEPS))

  local list_code, _, list_err = support.halyard(space, "workflows", "list")
  local test_code, test_out, test_err = support.halyard(space, "workflows", "test")

  expect.eq(list_code, 0, "list exit status; stderr: " .. list_err)
  expect.contains(list_err, "warning:")
  expect.eq(test_code, 0, "test exit status; stderr: " .. test_err)
  expect.contains(test_out, "errors in the script files: 0, warnings: 1")
end)

test("strict outside lint is usage", function()
  local space = workspace()

  local list_code, _, list_err = support.halyard(space, "workflows", "list", "--strict")
  local lint_code, _, lint_err = support.halyard(space, "workflows", "lint", "--stric")

  expect.eq(list_code, 2, "list --strict exit status")
  expect.contains(list_err, "unexpected argument '--strict'")
  expect.eq(lint_code, 2, "lint --stric exit status")
  expect.contains(lint_err, "unexpected argument '--stric'")
  expect.contains(lint_err, "workflows lint --strict")
end)

test("invalid status reported", function()
  local space = workspace()
  add_workflow(space, "coffee.lua", workflow_text{status = '"enabled"'})

  local code, _, err = support.halyard(space, "workflows", "lint")

  expect.eq(code, 1, "exit status")
  expect.contains(err, "coffee.lua")
  expect.contains(err, "status")
end)

test("empty all group reported", function()
  local space = workspace()
  add_workflow(space, "coffee.lua", workflow_text{match = '{any = {"coffee machine"}, all = {{}}}'})

  local code, _, err = support.halyard(space, "workflows", "lint")

  expect.eq(code, 1, "exit status")
  expect.contains(err, "coffee.lua")
  expect.contains(err, "match.all[1] is an empty list")
end)

test("failing sample fails test", function()
  local space = workspace()
  add_workflow(space, "coffee.lua", workflow_text{match = '{any = {"espresso"}}'})

  local code, _, err = support.halyard(space, "workflows", "test")

  expect.eq(code, 1, "exit status")
  expect.contains(err, "FAIL coffee.lua: workflow 'Coffee machine', sample '")
  expect.contains(err, "': expected match, it did not match (reasons: ")
end)

test("unknown action prints usage", function()
  local space = workspace()

  local code, _, err = support.halyard(space, "workflows", "frobnicate")

  expect.eq(code, 2, "exit status")
  expect.contains(err, "list|lint|test")
end)

test("agent uses the MSP's workflow", function()
  local simulator = sim.start{rate_limit = "off"}
  local space = workspace()
  add_workflow(space, "coffee.lua", workflow_text())
  local server = support.serve(space)
  support.configure(space, {webhook_events = SIM_EVENTS, public_url = server.url,
    scripts_dir = space.folder .. "/scripts"})
  expect.eq((support.connect(space, simulator)), 0, "connect")
  expect.eq((support.halyard(space, "clients", "import", "12")), 0, "import")

  local ticket = simulator:control("POST", "/tickets",
    {user_id = 77, summary = "coffee machine broken", details = "it leaks"}).json.id

  local deadline = util.monotonic_ms() + 30000
  local note
  while util.monotonic_ms() < deadline and not note do
    for _, action in ipairs(simulator:get("/api/Actions",
        {ticket_id = math.tointeger(ticket), includehtmlnote = true}).json.actions) do
      if (action.note or ""):find("halyard run", 1, true) then
        note = action
      end
    end
    util.sleep_ms(100)
  end
  expect.truthy(note, "a plan note; log: " .. (util.read_file(server.log) or ""))
  expect.contains(note.note, "Coffee machine")
end)

test("config limits reach the scripts", function()
  local space = workspace()
  add_workflow(space, "busy.lua", "local n = 0\nfor i = 1, 200000 do n = n + i end\n" ..
    workflow_text())
  expect.eq((support.halyard(space, "workflows", "lint")), 0, "lint with the default limits")

  support.configure(space, {webhook_events = SIM_EVENTS, scripts_dir = space.folder .. "/scripts",
    lua_limits = false})
  local config = util.read_file(space.config):gsub("}%s*$",
    "  lua_limits = { default = { instructions = 10000 } },\n}\n")
  assert(util.write_file(space.config, config))
  local code, _, err = support.halyard(space, "workflows", "lint")

  expect.eq(code, 1, "exit status with a small instruction budget")
  expect.contains(err, "busy.lua")
  expect.contains(err, "timeout")
end)
