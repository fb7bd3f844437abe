-- Conformance of halosim's webhooks with docs/halopsa-api.md §10 and §17: registration,
-- real deliveries to a local receiver, their payload and authentication, batching, the
-- delivery log, and delivery faults from the simulator's README.

local testing = require "testing"
local json = require "json"
local receiver = require "receiver"
local sim = require "sim"
local support = require "support"
local util = require "util"

local test, expect = testing.test, testing.expect

-- The event table is seeded so that the tests know every event number. Numbers 3, 19 and 76
-- are the ones §17.3 reports. "Ticket Updated" and "Action Added" have no known number, so the
-- suite picks its own. The simulator's README makes a seeded row's name choose its event.
local EVENTS = {
  new_ticket = 3,
  updated_by_user = 19,
  status_changed = 76,
  ticket_updated = 2001,
  action_added = 2002,
}

local function seed()
  local value = support.seed()
  value.webhook_events = {
    {eventno = EVENTS.new_ticket, name = "New Ticket Logged"},
    {eventno = EVENTS.updated_by_user, name = "Ticket Updated by User"},
    {eventno = EVENTS.status_changed, name = "Ticket Status Changed"},
    {eventno = EVENTS.ticket_updated, name = "Ticket Updated"},
    {eventno = EVENTS.action_added, name = "Action Added"},
  }
  return value
end

local WAIT_MS = 5000
local QUIET_MS = 1500

local function start()
  return sim.start{seed = seed()}
end

-- Registers a webhook to url for the given event numbers; returns the created webhook.
local function register(s, url, eventnos, fields)
  local events = {}
  for i, eventno in ipairs(eventnos) do
    events[i] = {eventno = eventno, name = ""}
  end
  local webhook = {name = "Conformance hook", type = 0, url = url, method = 0,
    content_type = "application/json", authentication_type = 0, active = true,
    payload_type = 0, events = events}
  for name, value in pairs(fields or {}) do
    webhook[name] = value
  end
  local body = support.json(s:post("/api/Webhook", {webhook}), 201, "register webhook")
  expect.type(body.id, "string", "webhook id")
  return body
end

local function log_ticket(s, summary)
  return support.json(s:control("POST", "/tickets",
    {user_id = 77, summary = summary or "Laptop will not boot", details = "Black screen"}), 201,
    "end user logs a ticket")
end

-- Waits for count deliveries and returns them with their bodies decoded.
local function deliveries(r, count)
  local requests, message = r:wait(count, WAIT_MS)
  if not requests then
    expect.fail("no delivery: " .. message)
  end
  for _, request in ipairs(requests) do
    request.json = json.try_decode(request.body)
  end
  return requests
end

-- Checks that no request reaches r within QUIET_MS beyond the expected count.
local function expect_quiet(r, expected_count, what)
  util.sleep_ms(QUIET_MS)
  expect.eq(r:count(), expected_count, what)
end

-- Returns the records of a delivery-log response, bare or wrapped (the wrapper is inferred).
local function log_records(body)
  if body[1] ~= nil or next(body) == nil then
    return body
  end
  for _, value in pairs(body) do
    if type(value) == "table" and (value[1] ~= nil) then
      return value
    end
  end
  return {}
end

local function webhook_events(s, webhook_id)
  return log_records(support.json(s:get("/api/WebhookEvent", {webhook_id = webhook_id}), 200,
    "WebhookEvent"))
end

-- Waits until the delivery log for webhook_id contains a record that passes check.
local function wait_for_record(s, webhook_id, check)
  return support.eventually(function()
    for _, record in ipairs(webhook_events(s, webhook_id)) do
      if check(record) then
        return record
      end
    end
  end, WAIT_MS)
end

-- Registration

test("§10.1 POST Webhook returns a GUID id", function()
  local s = start()
  local r = assert(receiver.start())
  local webhook = register(s, r.url .. "/hook", {EVENTS.new_ticket})
  expect.match(webhook.id, support.GUID_PATTERN, "id")
  expect.eq(webhook.url, r.url .. "/hook", "url")
end)

test("§10.1 GET Webhook by id returns it", function()
  local s = start()
  local webhook = register(s, "http://127.0.0.1:9/hook", {EVENTS.new_ticket},
    {name = "Read back"})
  local body = support.json(s:get("/api/Webhook/" .. webhook.id), 200)
  expect.eq(body.id, webhook.id, "id")
  expect.eq(body.name, "Read back", "name")
  expect.eq(body.url, "http://127.0.0.1:9/hook", "url")
end)

test("§10.1 GET Webhook lists it", function()
  local s = start()
  local webhook = register(s, "http://127.0.0.1:9/hook", {EVENTS.new_ticket})
  local response = expect.status(s:get("/api/Webhook"), 200)
  expect.contains(response.body, webhook.id, "list body")
end)

test("§10.1 DELETE Webhook returns it and stops deliveries", function()
  local s = start()
  local r = assert(receiver.start())
  local webhook = register(s, r.url, {EVENTS.new_ticket})
  local body = support.json(s:delete("/api/Webhook/" .. webhook.id), 200)
  expect.eq(body.id, webhook.id, "id")
  expect.status(s:get("/api/Webhook/" .. webhook.id), 404, "GET after DELETE")
  log_ticket(s)
  expect_quiet(r, 0, "deliveries after DELETE")
end)

-- Deliveries and their payload

test("§10.3 new ticket from an end user is delivered", function()
  local s = start()
  local r = assert(receiver.start())
  local webhook = register(s, r.url .. "/hooks/halopsa/default", {EVENTS.new_ticket})
  local ticket = log_ticket(s, "Delivered ticket")
  local request = deliveries(r, 1)[1]
  expect.eq(request.method, "POST", "method")
  expect.eq(request.path, "/hooks/halopsa/default", "path")
  expect.match(request.headers["content-type"] or "", "^application/json", "content-type")
  expect.type(request.json, "table", "JSON body")
  expect.eq(request.json.webhook_id, webhook.id, "webhook_id")
  expect.eq(request.json.object_id, ticket.id, "object_id")
  expect.eq(request.json.event:lower(), "new ticket logged", "event")
end)

test("§10.3 ticket created through the API is delivered", function()
  local s = start()
  local r = assert(receiver.start())
  register(s, r.url, {EVENTS.new_ticket})
  local ticket = support.json(s:post("/api/Tickets", {{summary = "API ticket", client_id = 12,
    site_id = 31, user_id = 77}}), 201)
  local request = deliveries(r, 1)[1]
  expect.eq(request.json.object_id, ticket.id, "object_id")
end)

test("§10.3 payload carries the documented fields", function()
  local s = start()
  local r = assert(receiver.start())
  local webhook = register(s, r.url, {EVENTS.new_ticket})
  local ticket = log_ticket(s, "Payload shape")
  local payload = deliveries(r, 1)[1].json

  expect.match(payload.id, support.GUID_PATTERN, "id")
  expect.ne(payload.id, webhook.id, "payload id differs from webhook_id")
  expect.eq(payload.webhook_id, webhook.id, "webhook_id")
  expect.type(payload.event, "string", "event")
  expect.eq(payload.object_id, ticket.id, "object_id")
  expect.match(payload.timestamp, support.TIMESTAMP_7_PATTERN, "timestamp")
  expect.truthy(payload.notification_id ~= nil, "notification_id present")
  expect.type(payload.escmsg_id, "string", "escmsg_id")
  expect.contains(payload.message, string.format("%07d", json.integer(ticket.id)),
    "message names the zero-padded ticket id")
  expect.type(payload.ticket, "table", "ticket")
  expect.eq(payload.ticket.id, ticket.id, "ticket.id")
  expect.eq(payload.ticket.summary, "Payload shape", "ticket.summary")
  expect.eq(payload.ticket.client_id, 12, "ticket.client_id")
end)

test("§10.3 each delivery gets its own id", function()
  local s = start()
  local r = assert(receiver.start())
  register(s, r.url, {EVENTS.new_ticket})
  log_ticket(s, "first")
  log_ticket(s, "second")
  local requests = deliveries(r, 2)
  expect.ne(requests[1].json.id, requests[2].json.id, "payload ids")
end)

test("§10.3 technician edit fires Ticket Updated", function()
  local s = start()
  local r = assert(receiver.start())
  register(s, r.url, {EVENTS.ticket_updated})
  support.expect_success(s:control("POST", "/tickets/100",
    {agent_id = 3, summary = "Edited in the UI"}), "technician edit")
  local payload = deliveries(r, 1)[1].json
  expect.eq(payload.event:lower(), "ticket updated", "event")
  expect.eq(payload.object_id, 100, "object_id")
  expect.eq(payload.ticket.summary, "Edited in the UI", "ticket.summary")
end)

test("§10.3 API update fires Ticket Updated", function()
  local s = start()
  local r = assert(receiver.start())
  register(s, r.url, {EVENTS.ticket_updated})
  support.json(s:post("/api/Tickets", {{id = 101, summary = "Updated over the API"}}), 201)
  local payload = deliveries(r, 1)[1].json
  expect.eq(payload.event:lower(), "ticket updated", "event")
  expect.eq(payload.object_id, 101, "object_id")
end)

test("§17.3 status change fires ticket status changed", function()
  local s = start()
  local r = assert(receiver.start())
  register(s, r.url, {EVENTS.status_changed})
  support.expect_success(s:control("POST", "/tickets/100", {agent_id = 3, status_id = 2}),
    "technician edit")
  local payload = deliveries(r, 1)[1].json
  expect.eq(payload.event:lower(), "ticket status changed", "event")
  expect.eq(payload.ticket.status_id, 2, "ticket.status_id")
end)

test("§10.3 action added through the API is delivered", function()
  local s = start()
  local r = assert(receiver.start())
  register(s, r.url, {EVENTS.action_added})
  support.json(s:post("/api/Actions", {{ticket_id = 100, outcome_id = 7, note = "API note"}}),
    201)
  local payload = deliveries(r, 1)[1].json
  expect.eq(payload.event:lower(), "action added", "event")
  expect.eq(payload.object_id, 100, "object_id")
  expect.eq(payload.ticket.id, 100, "ticket.id")
end)

test("§10.3 technician reply is delivered as Action Added", function()
  local s = start()
  local r = assert(receiver.start())
  register(s, r.url, {EVENTS.action_added})
  support.json(s:control("POST", "/tickets/101/actions", {agent_id = 3, note = "On my way"}), 201)
  local payload = deliveries(r, 1)[1].json
  expect.eq(payload.event:lower(), "action added", "event")
  expect.eq(payload.object_id, 101, "object_id")
end)

test("§17.3 user reply fires Ticket Updated by User", function()
  local s = start()
  local r = assert(receiver.start())
  register(s, r.url, {EVENTS.updated_by_user})
  support.json(s:control("POST", "/tickets/100/actions", {user_id = 77, note = "Any news?"}), 201)
  local payload = deliveries(r, 1)[1].json
  expect.eq(payload.event:lower(), "ticket updated by user", "event")
  expect.eq(payload.object_id, 100, "object_id")
end)

test("§10.2 unsubscribed events are not delivered", function()
  local s = start()
  local r = assert(receiver.start())
  register(s, r.url, {EVENTS.status_changed})
  log_ticket(s, "Nobody subscribed to new tickets")
  support.json(s:post("/api/Actions", {{ticket_id = 100, outcome_id = 7, note = "quiet"}}), 201)
  expect_quiet(r, 0, "deliveries of unsubscribed events")

  support.expect_success(s:control("POST", "/tickets/100", {agent_id = 3, status_id = 2}),
    "technician edit")
  expect.eq(#deliveries(r, 1), 1, "the subscribed event still arrives")
end)

test("§10.3 every subscribed webhook gets the event", function()
  local s = start()
  local first = assert(receiver.start())
  local second = assert(receiver.start())
  register(s, first.url, {EVENTS.new_ticket})
  register(s, second.url, {EVENTS.new_ticket})
  log_ticket(s)
  expect.eq(#deliveries(first, 1), 1, "first webhook")
  expect.eq(#deliveries(second, 1), 1, "second webhook")
end)

-- Authentication of deliveries

test("§10.3 Basic authentication header", function()
  local s = start()
  local r = assert(receiver.start())
  register(s, r.url, {EVENTS.new_ticket}, {authentication_type = 1, basic_username = "halo",
    basic_password = "s3cret"})
  log_ticket(s)
  -- base64("halo:s3cret")
  expect.eq(deliveries(r, 1)[1].headers.authorization, "Basic aGFsbzpzM2NyZXQ=",
    "authorization")
end)

-- §10.1 names no field for a Bearer token; the simulator keeps it in bearer_token.
test("§10.3 Bearer authentication header", function()
  local s = start()
  local r = assert(receiver.start())
  register(s, r.url, {EVENTS.new_ticket}, {authentication_type = 2,
    bearer_token = "conformance-bearer-value"})
  log_ticket(s)
  expect.eq(deliveries(r, 1)[1].headers.authorization, "Bearer conformance-bearer-value",
    "authorization")
end)

test("§10.3 no authentication sends no Authorization", function()
  local s = start()
  local r = assert(receiver.start())
  register(s, r.url, {EVENTS.new_ticket}, {authentication_type = 0})
  log_ticket(s)
  expect.eq(deliveries(r, 1)[1].headers.authorization, nil, "authorization")
end)

-- Batching

test("§10.3 batched delivery is one JSON array", function()
  local s = start()
  local r = assert(receiver.start())
  register(s, r.url, {EVENTS.new_ticket}, {batch_method = 1, batch_limit = 2,
    batch_delay_seconds = 300})
  log_ticket(s, "batch one")
  log_ticket(s, "batch two")
  local request = deliveries(r, 1)[1]
  support.expect_array(request.json, "batched body")
  expect.eq(#request.json, 2, "events in the batch")
  expect.eq(request.json[1].ticket.summary, "batch one", "first event")
  expect.eq(request.json[2].ticket.summary, "batch two", "second event")
  expect_quiet(r, 1, "requests for two batched events")
end)

test("§10.3 batch is released after its delay on the test clock", function()
  local s = start()
  local r = assert(receiver.start())
  register(s, r.url, {EVENTS.new_ticket}, {batch_method = 1, batch_limit = 10,
    batch_delay_seconds = 60})
  log_ticket(s, "waits for the batch delay")
  expect_quiet(r, 0, "before the delay passed")
  support.expect_success(s:control("POST", "/clock/advance", {seconds = 61}), "clock/advance")
  local request = deliveries(r, 1)[1]
  support.expect_array(request.json, "batched body")
  expect.eq(#request.json, 1, "events in the batch")
end)

-- Delivery log

test("§10.1 WebhookEvent records a delivered attempt", function()
  local s = start()
  local r = assert(receiver.start())
  local webhook = register(s, r.url, {EVENTS.new_ticket})
  local ticket = log_ticket(s)
  deliveries(r, 1)
  local record = wait_for_record(s, webhook.id, function(record)
    return record.responsestatus == 200
  end)
  expect.truthy(record, "a record with responsestatus 200 in "
    .. testing.show(webhook_events(s, webhook.id)))
  expect.eq(record.webhook_id, webhook.id, "webhook_id")
  expect.type(record.requestbody, "string", "requestbody")
  expect.contains(record.requestbody, webhook.id, "requestbody holds the payload")
  expect.eq(record.entity_id, ticket.id, "entity_id")
end)

test("§10.1 WebhookEvent records a 500 answer", function()
  local s = start()
  local r = assert(receiver.start{status = 500})
  local webhook = register(s, r.url, {EVENTS.new_ticket})
  log_ticket(s)
  deliveries(r, 1)
  local record = wait_for_record(s, webhook.id, function(record)
    return record.responsestatus == 500
  end)
  expect.truthy(record, "a record with responsestatus 500 in "
    .. testing.show(webhook_events(s, webhook.id)))
end)

test("§10.1 WebhookEvent records nothing listening", function()
  local s = start()
  local r = assert(receiver.start())
  local url = r.url
  r:stop()
  local webhook = register(s, url, {EVENTS.new_ticket})
  log_ticket(s)
  local record = wait_for_record(s, webhook.id, function(record)
    return type(record.error) == "string" and record.error ~= ""
  end)
  expect.truthy(record, "a record with an error in "
    .. testing.show(webhook_events(s, webhook.id)))
end)

test("/_sim/deliveries lists every attempt", function()
  local s = start()
  local r = assert(receiver.start())
  local webhook = register(s, r.url, {EVENTS.new_ticket})
  log_ticket(s)
  log_ticket(s)
  deliveries(r, 2)
  local found = support.eventually(function()
    local body = support.json(s:control("GET", "/deliveries"), 200)
    local count = 0
    for _, record in ipairs(log_records(body)) do
      if record.webhook_id == webhook.id then
        count = count + 1
      end
    end
    return count == 2 and count
  end, WAIT_MS)
  expect.eq(found, 2, "attempts listed")
end)

-- Delivery faults

test("webhook fault drop skips the next delivery", function()
  local s = start()
  local r = assert(receiver.start())
  local webhook = register(s, r.url, {EVENTS.new_ticket})
  support.expect_success(s:control("POST", "/webhook-faults", {drop = 1}), "webhook-faults")
  log_ticket(s, "dropped")
  log_ticket(s, "delivered")
  local requests = deliveries(r, 1)
  expect.eq(requests[1].json.ticket.summary, "delivered", "the one that arrived")
  expect_quiet(r, 1, "requests received")
  local record = wait_for_record(s, webhook.id, function(record)
    return type(record.error) == "string" and record.error ~= ""
  end)
  expect.truthy(record, "the dropped attempt is recorded with an error")
end)

test("webhook fault duplicate sends one payload twice", function()
  local s = start()
  local r = assert(receiver.start())
  register(s, r.url, {EVENTS.new_ticket})
  support.expect_success(s:control("POST", "/webhook-faults", {duplicate = 1}), "webhook-faults")
  log_ticket(s)
  local requests = deliveries(r, 2)
  expect.eq(requests[1].json.id, requests[2].json.id, "payload ids")
  expect_quiet(r, 2, "requests received")
end)

test("webhook fault delay holds the delivery", function()
  local s = start()
  local r = assert(receiver.start())
  register(s, r.url, {EVENTS.new_ticket})
  support.expect_success(s:control("POST", "/webhook-faults", {delay_ms = 1500}), "webhook-faults")
  local started = util.monotonic_ms()
  log_ticket(s)
  deliveries(r, 1)
  expect.ge(util.monotonic_ms() - started, 1400, "ms until the delivery arrived")
end)

test("webhook faults are cleared by DELETE /_sim/faults", function()
  local s = start()
  local r = assert(receiver.start())
  register(s, r.url, {EVENTS.new_ticket})
  support.expect_success(s:control("POST", "/webhook-faults", {drop = 5}), "webhook-faults")
  support.expect_success(s:control("DELETE", "/faults"), "clear faults")
  log_ticket(s)
  expect.eq(#deliveries(r, 1), 1, "delivered after clearing")
end)

-- HTTPS deliveries

test("§10.3 HTTPS delivery trusts --delivery-ca-file", function()
  local s = start()
  local r = assert(receiver.start{tls_cert = sim.cert("server.pem"),
    tls_key = sim.cert("server.key")})
  register(s, r.url .. "/secure", {EVENTS.new_ticket})
  log_ticket(s)
  expect.eq(deliveries(r, 1)[1].path, "/secure", "path")
end)

test("§10.3 HTTPS delivery to an untrusted certificate fails", function()
  local s = start()
  local r = assert(receiver.start{tls_cert = sim.cert("untrusted-server.pem"),
    tls_key = sim.cert("untrusted-server.key")})
  local webhook = register(s, r.url, {EVENTS.new_ticket})
  log_ticket(s)
  local record = wait_for_record(s, webhook.id, function(record)
    return type(record.error) == "string" and record.error ~= ""
  end)
  expect.truthy(record, "the attempt is recorded with an error")
  expect.eq(r:count(), 0, "requests that got through")
end)
