-- Shared pieces of the simulator's conformance suite: a seed whose ids the tests know, and
-- small readers for the shapes of HaloPSA's responses.

local json = require "json"
local testing = require "testing"
local util = require "util"

local expect = testing.expect
local support = {}

-- A seed with two clients, their sites and users, an API agent, two technicians, two teams,
-- the lookups, two assets and two tickets (100 with actions 1 and 2, 101 with none). Every list has
-- at least one element, because lua-cjson encodes an empty table as {} and not [].
function support.seed()
  return {
    clients = {
      {id = 12, name = "Acme Ltd", inactive = false},
      {id = 13, name = "Globex Corp", inactive = false},
    },
    sites = {
      {id = 31, name = "Head Office", client_id = 12},
      {id = 32, name = "Warehouse", client_id = 12},
      {id = 41, name = "Globex HQ", client_id = 13},
    },
    users = {
      {id = 77, name = "Jane Doe", firstname = "Jane", surname = "Doe", client_id = 12,
        site_id = 31, emailaddress = "jane.doe@acme.example", phonenumber = "020 7946 0001",
        mobilenumber = ""},
      {id = 78, name = "John Smith", firstname = "John", surname = "Smith", client_id = 12,
        site_id = 32, emailaddress = "john.smith@acme.example", phonenumber = "020 7946 0002",
        mobilenumber = ""},
      {id = 90, name = "Greta Hansen", firstname = "Greta", surname = "Hansen", client_id = 13,
        site_id = 41, emailaddress = "greta@globex.example", phonenumber = "0161 496 0999",
        mobilenumber = ""},
    },
    agents = {
      {id = 1, name = "API Agent", email = "api@msp.example", isapiagent = true},
      {id = 3, name = "Sam Lead", email = "sam@msp.example", team = "1st Line"},
      {id = 4, name = "Alex Tech", email = "alex@msp.example", team = "2nd Line"},
    },
    login_agent_id = 1,
    teams = {
      {id = 5, name = "1st Line"},
      {id = 6, name = "2nd Line"},
    },
    statuses = {
      {id = 1, name = "New", type = 0},
      {id = 2, name = "In Progress", type = 0},
      {id = 3, name = "Waiting on User", type = 0},
    },
    priorities = {
      {priorityid = 1, slaid = 1, name = "Critical"},
      {priorityid = 2, slaid = 1, name = "High"},
    },
    ticket_types = {
      {id = 1, name = "Incident"},
      {id = 2, name = "Service Request"},
    },
    outcomes = {
      {id = 7, outcome = "Internal Note", buttonname = "Internal Note"},
      {id = 8, outcome = "Email", buttonname = "Email User"},
    },
    assets = {
      {id = 1042, inventory_number = "ACME-0042", client_id = 12, site_id = 31},
      {id = 1043, inventory_number = "GLX-0001", client_id = 13, site_id = 41},
    },
    tickets = {
      {id = 100, summary = "Printer jammed on floor 2", details = "Paper stuck in tray 3",
        client_id = 12, site_id = 31, user_id = 77, status_id = 1, agent_id = 0,
        team = "1st Line",
        actions = {
          {id = 1, outcome = "Email", note = "Printer shows error E42", who_type = 2},
          {id = 2, outcome = "Internal Note", note = "Ordered a new roller", who_type = 1},
        }},
      -- Without actions: the key is left out because an empty table would encode as {}.
      {id = 101, summary = "VPN drops every hour", details = "Since Monday", client_id = 13,
        site_id = 41, user_id = 90, status_id = 1, agent_id = 3, team = "1st Line"},
    },
  }
end

-- A seed like support.seed() with count extra tickets (ids 1000, 1001, ...) for paging tests.
function support.seed_with_tickets(count)
  local seed = support.seed()
  for i = 0, count - 1 do
    seed.tickets[#seed.tickets + 1] = {id = 1000 + i, summary = "Bulk ticket " .. i,
      details = "Generated", client_id = 12, site_id = 31, user_id = 77, status_id = 1,
      agent_id = 0, team = "1st Line",
      actions = {{id = 1, outcome = "Email", note = "Bulk", who_type = 2}}}
  end
  return seed
end

-- Checks a response status and returns its decoded JSON body.
function support.json(response, code, what)
  expect.status(response, code, what)
  return expect.json(response, what)
end

-- Checks that a response has a 2xx status, for responses whose exact code no document fixes.
function support.expect_success(response, what)
  expect.truthy(response, (what or "request") .. ": " .. tostring(require("http").last_error()))
  if response.status < 200 or response.status > 299 then
    expect.fail((what and (what .. ": ") or "") .. "expected a 2xx status, got "
      .. response.status .. " with body " .. testing.show(response.body))
  end
  return response
end

-- Returns the integer ids of an array of records.
function support.ids(records)
  local ids = {}
  for i, record in ipairs(records) do
    ids[i] = json.integer(record.id)
  end
  return ids
end

-- Finds the record with the given id in an array; nil when absent.
function support.find(records, id)
  for _, record in ipairs(records) do
    if record.id == id then
      return record
    end
  end
  return nil
end

-- Checks that value is a JSON array (a table with elements 1..n and nothing else; an empty
-- array is accepted as an empty table).
function support.expect_array(value, what)
  expect.type(value, "table", what)
  local count = 0
  for _ in pairs(value) do
    count = count + 1
  end
  expect.eq(count, #value, (what or "value") .. " is an array (keys 1..n only)")
  return value
end

-- Checks the wrapped list shape {record_count = N, <key> = [...]} and returns the rows.
function support.expect_wrapped(body, key, what)
  what = what or key
  expect.type(body, "table", what .. " body")
  expect.eq(body[1], nil, what .. " is wrapped, not a bare array")
  support.expect_array(body[key], what .. "." .. key)
  expect.integer(body.record_count, what .. ".record_count")
  return body[key]
end

support.GUID_PATTERN = "^%x%x%x%x%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$"
support.TIMESTAMP_7_PATTERN = "^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%.%d%d%d%d%d%d%dZ$"

-- Polls fn every 50 ms until it returns a true value or timeout_ms passes; returns that value
-- or nil.
function support.eventually(fn, timeout_ms)
  local deadline = util.monotonic_ms() + timeout_ms
  repeat
    local value = fn()
    if value then
      return value
    end
    util.sleep_ms(50)
  until util.monotonic_ms() > deadline
  return nil
end

-- Finds the value of the first field named name anywhere in a decoded JSON value, or nil. It
-- reads reports whose nesting the simulator's README leaves open.
function support.find_field(value, name)
  if type(value) ~= "table" then
    return nil
  end
  if value[name] ~= nil then
    return value[name]
  end
  for _, child in pairs(value) do
    local found = support.find_field(child, name)
    if found ~= nil then
      return found
    end
  end
  return nil
end

-- Finds a request count for method and lower-case path in /_sim/requests, whose layout the
-- README leaves open: a number whose key and enclosing keys name both the method and exactly
-- that path ({"GET /api/tickets": 2} or {GET = {["/api/tickets"] = 2}}), or the `count` of a
-- record whose fields name them ({method = "GET", path = "/api/tickets", count = 2}). Returns
-- nil when none does.
function support.find_count(value, method, path)
  local function names_path(text)
    local position = 1
    while true do
      local first, last = text:find(path, position, true)
      if not first then
        return false
      end
      local after = text:sub(last + 1, last + 1)
      if after == "" or not after:match("[%w/_%-]") then
        return true
      end
      position = last + 1
    end
  end

  local function names_both(text)
    return text:find(method, 1, true) and names_path(text)
  end

  local function search(node, context)
    if type(node) ~= "table" then
      return nil
    end
    local fields = {}
    for _, child in pairs(node) do
      if type(child) == "string" then
        fields[#fields + 1] = child
      end
    end
    local record_text = context .. " " .. table.concat(fields, " ")
    for key, child in pairs(node) do
      local key_text = context .. " " .. tostring(key)
      if type(child) == "number" then
        if names_both(key_text) or (key == "count" and names_both(record_text)) then
          return child
        end
      else
        local found = search(child, key_text)
        if found ~= nil then
          return found
        end
      end
    end
    return nil
  end

  return search(value, "")
end

return support
