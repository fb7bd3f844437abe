-- Conformance of halosim's actions with docs/halopsa-api.md §5 and §11: per-ticket ids, the
-- mandatory outcome, status changes through new_status, and reads and deletes by ticket.

local testing = require "testing"
local json = require "json"
local sim = require "sim"
local support = require "support"

local test, expect = testing.test, testing.expect

local s = sim.start{seed = support.seed(), app_name = "Conformance App"}

-- A field set to REMOVE is left out of the request.
local REMOVE = {}

local function post_action(fields)
  local action = {ticket_id = 100, outcome_id = 7, note = "Checked the printer",
    hiddenfromuser = false}
  for name, value in pairs(fields or {}) do
    if value == REMOVE then
      action[name] = nil
    else
      action[name] = value
    end
  end
  return s:post("/api/Actions", {action})
end

local function ticket_status(id)
  return support.json(s:get("/api/Tickets/" .. id), 200, "ticket " .. id).status_id
end

test("§5 POST an action returns it with 201", function()
  local body = support.json(post_action{note = "First suite note"}, 201)
  expect.eq(body[1], nil, "an object, not an array")
  expect.integer(body.id, "id")
  expect.eq(body.ticket_id, 100, "ticket_id")
  expect.eq(body.note, "First suite note", "note")
end)

test("§5 action ids are a per-ticket sequence", function()
  local fresh = sim.start{seed = support.seed()}
  local function add(ticket_id)
    return support.json(fresh:post("/api/Actions",
      {{ticket_id = ticket_id, outcome_id = 7, note = "n"}}), 201, "ticket " .. ticket_id)
  end
  expect.eq(add(100).id, 3, "next id on ticket 100 (seeded 1 and 2)")
  expect.eq(add(101).id, 1, "first id on ticket 101 (no actions)")
  expect.eq(add(100).id, 4, "following id on ticket 100")
  expect.eq(add(101).id, 2, "following id on ticket 101")
end)

test("§5 actions list holds the new action", function()
  local created = support.json(post_action{note = "Listed note"}, 201)
  local body = support.json(s:get("/api/Actions", {ticket_id = 100}), 200)
  local found = support.find(body.actions, created.id)
  expect.truthy(found, "action " .. json.integer(created.id) .. " listed")
  expect.eq(found.note, "Listed note", "note")
end)

test("§5 actions list sends note_html only with includehtmlnote", function()
  local created = support.json(post_action{note = REMOVE,
    note_html = "<p>Thanks.</p><blockquote>Approved</blockquote>"}, 201)
  local plain = support.find(support.json(s:get("/api/Actions", {ticket_id = 100}), 200).actions,
    created.id)
  local with_html = support.find(support.json(s:get("/api/Actions",
    {ticket_id = 100, includehtmlnote = true}), 200).actions, created.id)
  expect.truthy(plain, "listed without includehtmlnote")
  expect.eq(plain.note_html, nil, "note_html without includehtmlnote")
  expect.type(plain.note, "string", "the plain note without includehtmlnote")
  expect.truthy(with_html, "listed with includehtmlnote=true")
  expect.eq(with_html.note_html, "<p>Thanks.</p><blockquote>Approved</blockquote>",
    "note_html with includehtmlnote=true")
end)

test("§5 actions list is per ticket", function()
  local body = support.json(s:get("/api/Actions", {ticket_id = 101}), 200)
  for _, action in ipairs(body.actions) do
    expect.eq(action.ticket_id, 101, "ticket_id of action " .. json.integer(action.id))
  end
end)

test("§5 GET one action with ticket_id", function()
  local body = support.json(s:get("/api/Actions/1", {ticket_id = 100}), 200)
  expect.eq(body.id, 1, "id")
  expect.eq(body.ticket_id, 100, "ticket_id")
  expect.eq(body.note, "Printer shows error E42", "note")
end)

test("§5 unknown action id gets 404", function()
  expect.status(s:get("/api/Actions/999", {ticket_id = 100}), 404)
end)

test("§5 missing outcome gets 400 with the .NET exception", function()
  local body = support.json(post_action{outcome_id = REMOVE}, 400)
  expect.eq(body.ClassName, "System.Exception", "ClassName")
  expect.eq(body.Message, "An Outcome must be entered for this Action", "Message")
end)

test("§5 missing outcome creates nothing", function()
  local before = #support.json(s:get("/api/Actions", {ticket_id = 100}), 200).actions
  support.json(post_action{outcome_id = REMOVE, note = "should not exist"}, 400)
  local after = #support.json(s:get("/api/Actions", {ticket_id = 100}), 200).actions
  expect.eq(after, before, "actions on ticket 100")
end)

test("§5 outcome by name is accepted", function()
  local body = support.json(post_action{outcome_id = REMOVE, outcome = "Internal Note"}, 201)
  expect.eq(body.outcome, "Internal Note", "outcome")
end)

test("§5 missing ticket_id gets 400", function()
  local body = support.json(post_action{ticket_id = REMOVE}, 400)
  expect.type(body.ClassName, "string", "ClassName")
  expect.type(body.Message, "string", "Message")
end)

test("§5 hiddenfromuser is kept", function()
  local created = support.json(post_action{hiddenfromuser = true, note = "Internal only"}, 201)
  expect.eq(created.hiddenfromuser, true, "hiddenfromuser in the response")
  local read = support.json(s:get("/api/Actions/" .. json.integer(created.id),
    {ticket_id = 100}), 200)
  expect.eq(read.hiddenfromuser, true, "hiddenfromuser read back")
end)

test("§5 new_status moves the ticket", function()
  expect.eq(ticket_status(101), 1, "status before")
  support.json(post_action{ticket_id = 101, new_status = 2, note = "Working on it"}, 201)
  expect.eq(ticket_status(101), 2, "status after")
end)

test("§5 status_id on an action does not move the ticket", function()
  local before = ticket_status(100)
  local target = before == 3 and 2 or 3
  support.json(post_action{status_id = target, note = "Wrong key for a status change"}, 201)
  expect.eq(ticket_status(100), before, "status after")
end)

test("§5 API action names the application", function()
  local body = support.json(post_action{note = "From the API"}, 201)
  expect.eq(body.actionby_application_id, "Conformance App", "actionby_application_id")
end)

test("§1 DELETE action returns it", function()
  local created = support.json(post_action{note = "Delete this note"}, 201)
  local id = json.integer(created.id)
  local body = support.json(s:delete("/api/Actions/" .. id, {ticket_id = 100}), 200)
  expect.eq(body.id, id, "id")
  expect.eq(body.note, "Delete this note", "note")
  expect.status(s:get("/api/Actions/" .. id, {ticket_id = 100}), 404, "GET after DELETE")
end)

test("§5 POST several actions returns the last", function()
  local body = support.json(s:post("/api/Actions", {
    {ticket_id = 100, outcome_id = 7, note = "one"},
    {ticket_id = 100, outcome_id = 7, note = "two"}}), 201)
  expect.eq(body.note, "two", "note")
end)

test("§5 returnall=true returns every action", function()
  local body = support.json(s:post("/api/Actions", {
    {ticket_id = 100, outcome_id = 7, note = "one"},
    {ticket_id = 100, outcome_id = 7, note = "two"}}, {returnall = true}), 201)
  support.expect_array(body, "response")
  expect.eq(#body, 2, "actions returned")
  expect.eq(body[2].id, body[1].id + 1, "consecutive ids")
end)

test("§12 strict mode checks action ids", function()
  local strict = sim.start{seed = support.seed(), strict = true}
  local body = support.json(strict:post("/api/Actions",
    '[{"ticket_id":100.0,"outcome_id":7,"note":"x"}]'), 400)
  expect.truthy(body["[0].ticket_id"], "error keyed by [0].ticket_id, got " .. testing.show(body))
end)
