-- Conformance of halosim's ticket writes with docs/halopsa-api.md §1, §4 and §12: create and
-- update through POST, DELETE, customfields, and strict id checking.

local testing = require "testing"
local json = require "json"
local sim = require "sim"
local support = require "support"

local test, expect = testing.test, testing.expect

local s = sim.start{seed = support.seed()}

local function new_ticket(fields)
  local ticket = {summary = "Disk full on SRV01", details = "Free space 2%", tickettype_id = 1,
    client_id = 12, site_id = 31, user_id = 77, status_id = 1, agent_id = 0, team = "1st Line"}
  for name, value in pairs(fields or {}) do
    ticket[name] = value
  end
  return ticket
end

local function create(fields)
  return support.json(s:post("/api/Tickets", {new_ticket(fields)}), 201, "create")
end

test("§4 POST one ticket returns it with 201", function()
  local body = create{summary = "Created by the suite"}
  expect.eq(body[1], nil, "an object, not an array")
  expect.integer(body.id, "id")
  expect.eq(body.summary, "Created by the suite", "summary")
  expect.eq(body.client_id, 12, "client_id")
end)

test("§4 ticket ids continue after the seeded ones", function()
  local fresh = sim.start{seed = support.seed()}
  local body = support.json(fresh:post("/api/Tickets", {new_ticket()}), 201)
  expect.eq(body.id, 102, "first new id after seeded 101")
  local second = support.json(fresh:post("/api/Tickets", {new_ticket()}), 201)
  expect.eq(second.id, 103, "second new id")
end)

test("§4 created ticket is readable by id", function()
  local created = create{summary = "Read me back"}
  local body = support.json(s:get("/api/Tickets/" .. json.integer(created.id)), 200)
  expect.eq(body.summary, "Read me back", "summary")
  expect.eq(body.user_id, 77, "user_id")
end)

test("§4 created ticket carries names for its ids", function()
  local body = create()
  expect.eq(body.client_name, "Acme Ltd", "client_name")
  expect.eq(body.site_name, "Head Office", "site_name")
  expect.eq(body.user_name, "Jane Doe", "user_name")
end)

test("§12 created ticket dates are ISO 8601 UTC", function()
  local body = create()
  expect.match(body.dateoccurred, "^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d", "dateoccurred")
end)

test("§1 POST a bare object creates a ticket", function()
  local body = support.json(s:post("/api/Tickets", new_ticket{summary = "Bare object"}), 201)
  expect.integer(body.id, "id")
  expect.eq(body.summary, "Bare object", "summary")
end)

test("§1 POST several tickets returns the last", function()
  local body = support.json(s:post("/api/Tickets",
    {new_ticket{summary = "First of two"}, new_ticket{summary = "Second of two"}}), 201)
  expect.eq(body[1], nil, "an object, not an array")
  expect.eq(body.summary, "Second of two", "summary")
end)

test("§1 POST several tickets creates them all", function()
  local before = support.json(s:get("/api/Tickets"), 200).record_count
  support.json(s:post("/api/Tickets", {new_ticket(), new_ticket()}), 201)
  local after = support.json(s:get("/api/Tickets"), 200).record_count
  expect.eq(after, before + 2, "record_count")
end)

test("§1 returnall=true returns every ticket", function()
  local body = support.json(s:post("/api/Tickets",
    {new_ticket{summary = "One"}, new_ticket{summary = "Two"}}, {returnall = true}), 201)
  support.expect_array(body, "response")
  expect.eq(#body, 2, "objects returned")
  expect.eq(body[1].summary, "One", "first summary")
  expect.eq(body[2].summary, "Two", "second summary")
end)

test("§4 update changes only the fields sent", function()
  local created = create{summary = "Before", details = "Keep these details"}
  local body = support.json(s:post("/api/Tickets", {{id = created.id, summary = "After"}}), 201)
  expect.eq(body.id, created.id, "id")
  expect.eq(body.summary, "After", "summary")
  expect.eq(body.details, "Keep these details", "details")

  local read = support.json(s:get("/api/Tickets/" .. json.integer(created.id)), 200)
  expect.eq(read.summary, "After", "summary read back")
  expect.eq(read.details, "Keep these details", "details read back")
end)

test("§4 update does not create a ticket", function()
  local before = support.json(s:get("/api/Tickets"), 200).record_count
  support.json(s:post("/api/Tickets", {{id = 100, summary = "Printer fixed?"}}), 201)
  local after = support.json(s:get("/api/Tickets"), 200).record_count
  expect.eq(after, before, "record_count")
end)

test("§4 update sets status_id", function()
  support.json(s:post("/api/Tickets", {{id = 101, status_id = 2}}), 201)
  expect.eq(support.json(s:get("/api/Tickets/101"), 200).status_id, 2, "status_id")
end)

test("§12 customfields are replaced whole on update", function()
  local created = create{customfields = {{id = 178, value = "ALRT-42"}, {id = 179, value = "x"}}}
  expect.eq(#created.customfields, 2, "customfields on create")

  local body = support.json(s:post("/api/Tickets",
    {{id = created.id, customfields = {{id = 179, value = "y"}}}}), 201)
  expect.eq(#body.customfields, 1, "customfields after update")
  expect.eq(body.customfields[1].id, 179, "remaining field id")
  expect.eq(body.customfields[1].value, "y", "remaining field value")
end)

test("§12 update without customfields keeps them", function()
  local created = create{customfields = {{id = 178, value = "ALRT-42"}}}
  local body = support.json(s:post("/api/Tickets", {{id = created.id, summary = "Renamed"}}), 201)
  expect.eq(#body.customfields, 1, "customfields")
  expect.eq(body.customfields[1].value, "ALRT-42", "field value")
end)

test("§1 DELETE returns the deleted ticket", function()
  local created = create{summary = "Delete me"}
  local path = "/api/Tickets/" .. json.integer(created.id)
  local body = support.json(s:delete(path), 200)
  expect.eq(body.id, created.id, "id")
  expect.eq(body.summary, "Delete me", "summary")
  expect.status(s:get(path), 404, "GET after DELETE")
end)

test("§4 DELETE of an unknown ticket gets 404", function()
  expect.status(s:delete("/api/Tickets/99999"), 404)
end)

test("§4 unknown ticket id gets 404", function()
  expect.status(s:get("/api/Tickets/99999"), 404)
end)

test("§11 bad JSON body gets 400 with the exception shape", function()
  local response = s:post("/api/Tickets", "[{not json")
  local body = support.json(response, 400)
  expect.type(body.ClassName, "string", "ClassName")
  expect.type(body.Message, "string", "Message")
end)

-- Strict mode: ids must be JSON integers.

local strict = sim.start{seed = support.seed(), strict = true}

local function raw_ticket(client_id_text)
  return '[{"summary":"Strict check","client_id":' .. client_id_text
    .. ',"site_id":31,"user_id":77,"tickettype_id":1}]'
end

test("§12 strict mode rejects 12.0 as an id", function()
  local body = support.json(strict:post("/api/Tickets", raw_ticket("12.0")), 400)
  expect.truthy(body["[0].client_id"], "error keyed by [0].client_id, got keys "
    .. testing.show(body))
end)

test("§12 strict mode rejects a string id", function()
  local body = support.json(strict:post("/api/Tickets", raw_ticket('"12"')), 400)
  expect.truthy(body["[0].client_id"], "error keyed by [0].client_id, got keys "
    .. testing.show(body))
end)

test("§12 strict mode names the failing element", function()
  local text = '[{"summary":"ok","client_id":12,"site_id":31,"user_id":77},'
    .. '{"summary":"bad","client_id":12,"site_id":31.0,"user_id":77}]'
  local body = support.json(strict:post("/api/Tickets", text), 400)
  expect.truthy(body["[1].site_id"], "error keyed by [1].site_id, got " .. testing.show(body))
end)

test("§12 strict mode ignores id-like text inside strings", function()
  local text = '[{"summary":"client_id 12.0 \\"user_id\\": \\"7\\"","client_id":12,'
    .. '"site_id":31,"user_id":77,"tickettype_id":1}]'
  support.json(strict:post("/api/Tickets", text), 201)
end)

test("§12 strict mode accepts integer ids", function()
  local body = support.json(strict:post("/api/Tickets", raw_ticket("12")), 201)
  expect.eq(body.client_id, 12, "client_id")
end)

test("§12 strict mode rejects 12.0 in an update id", function()
  local body = support.json(strict:post("/api/Tickets", '[{"id":100.0,"summary":"x"}]'), 400)
  expect.truthy(body["[0].id"], "error keyed by [0].id, got " .. testing.show(body))
end)

test("§12 non-strict mode accepts 12.0 and stores 12", function()
  local response = s:post("/api/Tickets", raw_ticket("12.0"))
  local body = support.json(response, 201)
  expect.eq(body.client_id, 12, "client_id")
  expect.match(response.body, '"client_id":%s*12[,}%s]', "client_id written as an integer")
end)

test("§12 non-strict mode accepts a string id", function()
  local response = s:post("/api/Tickets", raw_ticket('"12"'))
  local body = support.json(response, 201)
  expect.eq(body.client_id, 12, "client_id")
  expect.match(response.body, '"client_id":%s*12[,}%s]', "client_id written as an integer")
end)
