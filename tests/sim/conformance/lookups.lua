-- Conformance of halosim's lookups and single-record reads with docs/halopsa-api.md §3.1, §8,
-- §9 and §16: bare arrays, GUID priority ids, teams, and GET by id.

local testing = require "testing"
local sim = require "sim"
local support = require "support"

local test, expect = testing.test, testing.expect

local s = sim.start{seed = support.seed()}

local function get_json(path, query)
  return support.json(s:get(path, query), 200, path)
end

test("§3.1 Agent list is a bare array", function()
  local rows = support.expect_array(get_json("/api/Agent"), "agents")
  expect.eq(support.find(rows, 3).name, "Sam Lead", "agent 3 name")
  expect.eq(support.find(rows, 4).name, "Alex Tech", "agent 4 name")
end)

test("§8 Agent/me is the login agent", function()
  local body = get_json("/api/Agent/me")
  expect.eq(body.id, 1, "id")
  expect.eq(body.name, "API Agent", "name")
end)

test("§8 Agent/me follows login_agent_id", function()
  local seed = support.seed()
  seed.login_agent_id = 3
  local other = sim.start{seed = seed}
  local body = support.json(other:get("/api/Agent/me"), 200)
  expect.eq(body.id, 3, "id")
end)

test("§3.1 Status list is a bare array", function()
  local rows = support.expect_array(get_json("/api/Status"), "statuses")
  expect.eq(#rows, 3, "statuses")
  expect.eq(support.find(rows, 2).name, "In Progress", "status 2 name")
end)

test("§9 Priority ids are GUIDs with an integer priorityid", function()
  local rows = support.expect_array(get_json("/api/Priority"), "priorities")
  expect.eq(#rows, 2, "priorities")
  for _, row in ipairs(rows) do
    expect.type(row.id, "string", "priority id")
    expect.match(row.id, support.GUID_PATTERN, "priority id")
    expect.integer(row.priorityid, "priorityid")
    expect.integer(row.slaid, "slaid")
  end
  local names = {}
  for _, row in ipairs(rows) do
    names[row.priorityid] = row.name
  end
  expect.eq(names[2], "High", "name of priorityid 2")
end)

test("§3.1 TicketType list is a bare array", function()
  local rows = support.expect_array(get_json("/api/TicketType"), "ticket types")
  expect.eq(support.find(rows, 2).name, "Service Request", "type 2 name")
end)

test("§3.1 Outcome list is a bare array", function()
  local rows = support.expect_array(get_json("/api/Outcome"), "outcomes")
  expect.eq(support.find(rows, 7).buttonname, "Internal Note", "outcome 7 buttonname")
end)

test("§16.2 Team list is a bare array by default", function()
  local rows = support.expect_array(get_json("/api/Team"), "teams")
  expect.eq(#rows, 2, "teams")
  expect.eq(support.find(rows, 5).name, "1st Line", "team 5 name")
end)

test("§16.2 Team list wrapped with --team-list wrapped", function()
  local wrapped = sim.start{seed = support.seed(), team_list = "wrapped"}
  local body = support.json(wrapped:get("/api/Team"), 200)
  local rows = support.expect_wrapped(body, "teams")
  expect.eq(body.record_count, 2, "record_count")
  expect.eq(support.find(rows, 6).name, "2nd Line", "team 6 name")
end)

test("§3.1 GET by id returns the object unwrapped", function()
  local cases = {
    {"/api/Tickets/100", "summary", "Printer jammed on floor 2"},
    {"/api/Client/12", "name", "Acme Ltd"},
    {"/api/Users/77", "name", "Jane Doe"},
    {"/api/Agent/3", "name", "Sam Lead"},
    {"/api/Site/31", "name", "Head Office"},
    {"/api/Team/5", "name", "1st Line"},
    {"/api/Asset/1042", "inventory_number", "ACME-0042"},
  }
  for _, case in ipairs(cases) do
    local path, field, value = case[1], case[2], case[3]
    local body = get_json(path)
    expect.eq(body[1], nil, path .. " is not an array")
    expect.eq(body[field], value, path .. " " .. field)
  end
end)

test("§16.5 unknown ids get 404", function()
  for _, path in ipairs({"/api/Tickets/99999", "/api/Client/999", "/api/Users/999",
    "/api/Agent/999", "/api/Site/999", "/api/Team/999", "/api/Asset/99999"}) do
    local response = s:get(path)
    expect.status(response, 404, path)
    expect.type(response.json, "table", path .. " JSON body")
  end
end)

test("§3.1 lookups from the built-in seed are not empty", function()
  local builtin = sim.start()
  for _, path in ipairs({"/api/Status", "/api/Priority", "/api/TicketType", "/api/Outcome",
    "/api/Agent"}) do
    local rows = support.expect_array(support.json(builtin:get(path), 200, path), path)
    expect.gt(#rows, 0, path .. " rows")
  end
  local clients = support.json(builtin:get("/api/Client"), 200, "/api/Client")
  expect.eq(clients.record_count, 1, "built-in clients")
  local response = builtin:get("/api/Tickets")
  local tickets = support.json(response, 200, "/api/Tickets")
  expect.eq(tickets.record_count, 0, "built-in tickets")
  expect.match(response.body, '"tickets":%s*%[%s*%]', "an empty list is written as []")
end)
