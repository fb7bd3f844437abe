-- Conformance of halosim's list endpoints with docs/halopsa-api.md §1, §3, §5, §6, §7, §16:
-- wrappers, paging, counts, search and filters.

local testing = require "testing"
local json = require "json"
local sim = require "sim"
local support = require "support"

local test, expect = testing.test, testing.expect

local BULK = 250
local TOTAL_TICKETS = BULK + 2
local s = sim.start{seed = support.seed_with_tickets(BULK)}

local function get_json(path, query)
  return support.json(s:get(path, query), 200, path)
end

-- Wrapped lists

test("§3.1 Tickets list is wrapped with the total", function()
  local body = get_json("/api/Tickets")
  local rows = support.expect_wrapped(body, "tickets")
  expect.eq(body.record_count, TOTAL_TICKETS, "record_count")
  expect.truthy(support.find(rows, 100), "ticket 100 listed")
end)

test("§3.1 Actions list is wrapped", function()
  local body = get_json("/api/Actions", {ticket_id = 100})
  expect.eq(body[1], nil, "not a bare array")
  local rows = support.expect_array(body.actions, "actions")
  expect.eq(#rows, 2, "actions of ticket 100")
  expect.truthy(support.find(rows, 1), "action 1")
  expect.truthy(support.find(rows, 2), "action 2")
end)

test("§3.1 Client list is wrapped", function()
  local body = get_json("/api/Client")
  local rows = support.expect_wrapped(body, "clients")
  expect.eq(body.record_count, 2, "record_count")
  expect.eq(support.find(rows, 12).name, "Acme Ltd", "client 12 name")
end)

test("§3.1 Users list is wrapped", function()
  local body = get_json("/api/Users")
  local rows = support.expect_wrapped(body, "users")
  expect.eq(body.record_count, 3, "record_count")
  expect.eq(support.find(rows, 77).emailaddress, "jane.doe@acme.example", "user 77 email")
end)

test("§16.1 Site list is wrapped", function()
  local body = get_json("/api/Site")
  local rows = support.expect_wrapped(body, "sites")
  expect.eq(body.record_count, 3, "record_count")
  expect.eq(support.find(rows, 31).client_id, 12, "site 31 client_id")
end)

test("§16.3 Asset list is wrapped", function()
  local body = get_json("/api/Asset")
  local rows = support.expect_wrapped(body, "assets")
  expect.eq(body.record_count, 2, "record_count")
  expect.eq(support.find(rows, 1042).inventory_number, "ACME-0042", "asset 1042 tag")
end)

-- Paging

test("§3.2 pageinate returns the requested page", function()
  local first = get_json("/api/Tickets", {pageinate = true, page_size = 10, page_no = 1})
  local second = get_json("/api/Tickets", {pageinate = true, page_size = 10, page_no = 2})
  local first_rows = support.expect_wrapped(first, "tickets", "page 1")
  local second_rows = support.expect_wrapped(second, "tickets", "page 2")
  expect.eq(#first_rows, 10, "page 1 length")
  expect.eq(#second_rows, 10, "page 2 length")
  for _, id in ipairs(support.ids(second_rows)) do
    expect.eq(support.find(first_rows, id), nil, "ticket " .. id .. " on both pages")
  end
end)

test("§3.2 record_count is the total, not the page", function()
  local body = get_json("/api/Tickets", {pageinate = true, page_size = 10, page_no = 3})
  expect.eq(body.record_count, TOTAL_TICKETS, "record_count")
end)

test("§3.2 page_size 1000 is capped at 100", function()
  local body = get_json("/api/Tickets", {pageinate = true, page_size = 1000, page_no = 1})
  local rows = support.expect_wrapped(body, "tickets")
  expect.eq(#rows, 100, "rows on the page")
  expect.eq(body.record_count, TOTAL_TICKETS, "record_count")
end)

test("§3.2 paging collects every ticket once", function()
  local seen, collected, pages = {}, 0, 0
  while pages < 10 do
    pages = pages + 1
    local body = get_json("/api/Tickets", {pageinate = true, page_size = 100, page_no = pages})
    local rows = support.expect_wrapped(body, "tickets", "page " .. pages)
    for _, id in ipairs(support.ids(rows)) do
      expect.eq(seen[id], nil, "ticket " .. id .. " seen before")
      seen[id] = true
      collected = collected + 1
    end
    if collected >= body.record_count or #rows < 100 then
      break
    end
  end
  expect.eq(collected, TOTAL_TICKETS, "tickets collected")
  expect.eq(pages, 3, "pages needed")
end)

test("§3.2 page past the end is empty", function()
  local body = get_json("/api/Tickets", {pageinate = true, page_size = 100, page_no = 4})
  local rows = support.expect_wrapped(body, "tickets")
  expect.eq(#rows, 0, "rows")
  expect.eq(body.record_count, TOTAL_TICKETS, "record_count")
end)

test("§3.2 paginate spelled right is ignored", function()
  local plain = get_json("/api/Tickets")
  local body = get_json("/api/Tickets", {paginate = true, page_size = 10, page_no = 2})
  expect.eq(#body.tickets, #plain.tickets, "rows, as without paging")
end)

test("§3.2 count limits an unpaged list", function()
  local body = get_json("/api/Tickets", {count = 5})
  local rows = support.expect_array(body.tickets, "tickets")
  expect.eq(#rows, 5, "rows")
end)

test("§16.1 sites page like tickets", function()
  local body = get_json("/api/Site", {pageinate = true, page_size = 2, page_no = 2})
  local rows = support.expect_wrapped(body, "sites")
  expect.eq(#rows, 1, "rows on page 2")
  expect.eq(body.record_count, 3, "record_count")
end)

-- Search and filters

test("§3.3 users search matches the name", function()
  local rows = support.expect_wrapped(get_json("/api/Users", {search = "Jane"}), "users")
  expect.eq(support.ids(rows), {77}, "user ids")
end)

test("§3.3 users search matches the email", function()
  local rows = support.expect_wrapped(get_json("/api/Users",
    {search = "john.smith@acme.example"}), "users")
  expect.eq(support.ids(rows), {78}, "user ids")
end)

test("§3.3 users record_count counts matches", function()
  local body = get_json("/api/Users", {search = "acme.example"})
  expect.eq(body.record_count, 2, "record_count")
end)

test("§16.4 users search by phone with search_phonenumbers", function()
  local rows = support.expect_wrapped(get_json("/api/Users",
    {search = "7946 0002", search_phonenumbers = true}), "users")
  expect.eq(support.ids(rows), {78}, "user ids")
end)

test("§7 users filter by client_id", function()
  local rows = support.expect_wrapped(get_json("/api/Users", {client_id = 13}), "users")
  expect.eq(support.ids(rows), {90}, "user ids")
end)

test("§3.3 client search matches the name", function()
  local rows = support.expect_wrapped(get_json("/api/Client", {search = "Globex"}), "clients")
  expect.eq(support.ids(rows), {13}, "client ids")
end)

test("§3.3 tickets search matches the summary", function()
  local rows = support.expect_wrapped(get_json("/api/Tickets", {search = "Printer jammed"}),
    "tickets")
  expect.eq(support.ids(rows), {100}, "ticket ids")
end)

test("§3.3 tickets filter by client_id", function()
  local body = get_json("/api/Tickets", {client_id = 13})
  local rows = support.expect_wrapped(body, "tickets")
  expect.eq(support.ids(rows), {101}, "ticket ids")
  expect.eq(body.record_count, 1, "record_count")
end)

test("§16.1 sites filter by client_id", function()
  local rows = support.expect_wrapped(get_json("/api/Site", {client_id = 13}), "sites")
  expect.eq(support.ids(rows), {41}, "site ids")
end)

test("§16.3 assets filter by client_id", function()
  local rows = support.expect_wrapped(get_json("/api/Asset", {client_id = 12}), "assets")
  expect.eq(support.ids(rows), {1042}, "asset ids")
end)

-- Paths

test("§1 paths are case-insensitive", function()
  for _, path in ipairs({"/api/tickets", "/api/TICKETS", "/api/client", "/api/users",
    "/api/tickets/100", "/api/Actions/1?ticket_id=100", "/api/actions/1?ticket_id=100"}) do
    local bare, query = path:match("^([^?]*)%??(.*)$")
    local response = s:get(bare, query)
    expect.status(response, 200, path)
  end
end)

test("§1 unknown resource gets 404", function()
  local response = s:get("/api/NoSuchResource")
  expect.status(response, 404)
  expect.type(response.json, "table", "JSON body")
end)

test("§12 list ids are integers in the JSON text", function()
  local response = expect.status(s:get("/api/Tickets/100"), 200)
  expect.match(response.body, '"id":%s*100[,}%s]', "id written as 100")
  expect.no_match(response.body, '"id":%s*100%.0', "id written as 100.0")
  expect.eq(json.integer(response.json.id), 100, "decoded id")
end)
