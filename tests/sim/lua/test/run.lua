-- Unit tests of the simulator's Lua half, without the C host or HTTP:
--
--   lua5.4 tests/sim/lua/test/run.lua [FILTER]
--
-- Prints "ok NAME" or "FAIL NAME: why" per test and "N passed, N failed" at the end; exits 1
-- when a test failed. The conformance suite (tests/sim/conformance) tests the same behaviour
-- over HTTP against the built binary.
local script_folder = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
local support = dofile(script_folder .. "/support.lua")
local cjson = support.cjson

local filter = arg and arg[1]
local tests = {}

-- The placeholder for unused results; declared here because the test support forbids globals.
local _

local function test(name, body)
    tests[#tests + 1] = { name = name, body = body }
end

local function check(condition, message, ...)
    if not condition then
        error(string.format(message, ...), 2)
    end
end

local function equal(actual, expected, what)
    if actual ~= expected then
        error(string.format("%s: expected %s, got %s", what, tostring(expected),
            tostring(actual)), 2)
    end
end

local function status(response, expected, what)
    if response.status ~= expected then
        error(string.format("%s: expected HTTP %d, got %d: %s", what, expected, response.status,
            tostring(response.body)), 2)
    end
end

local ISO_7 = "^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%.%d%d%d%d%d%d%dZ$"

---------------------------------------------------------------------------------------------
-- encode.lua

test("encode integers floats and arrays", function()
    support.fresh_sim()
    local encode = require "encode"
    equal(encode.encode({ a = 1, b = 2.5, c = 3.0 }), '{"a":1,"b":2.5,"c":3.0}', "numbers")
    equal(encode.encode(encode.array()), "[]", "marked empty array")
    equal(encode.encode({}), "{}", "unmarked empty table")
    equal(encode.encode(encode.object({})), "{}", "marked empty object")
    equal(encode.encode({ 1, 2, 3 }), "[1,2,3]", "sequence")
    equal(encode.encode({ [1] = "a", [3] = "c" }), '{"1":"a","3":"c"}', "sparse table")
    equal(encode.encode({ x = cjson.null, y = false }), '{"x":null,"y":false}', "null and false")
    equal(encode.encode('a"b\\c\n\1'), '"a\\"b\\\\c\\n\\u0001"', "escapes")
    equal(encode.encode("caf\xc3\xa9"), '"caf\xc3\xa9"', "valid UTF-8 kept")
    equal(encode.encode("bad\xff"), '"bad\xef\xbf\xbd"', "invalid UTF-8 replaced")
    equal(encode.encode(0.1), "0.1", "short float")
    local ok = pcall(encode.encode, { n = 0 / 0 })
    check(not ok, "NaN must raise an error")
end)

---------------------------------------------------------------------------------------------
-- query.lua and clock.lua

test("query names fold case and decode", function()
    support.fresh_sim()
    local query = require "query"
    local q = query.parse("Page_No=2&search=a%20b+c&Status=1,2&status=3&flag=TRUE&bad=yes")
    equal(q:integer("page_no"), 2, "page_no")
    equal(q:get("search"), "a b c", "search")
    local set = q:integer_set("status")
    check(set[1] and set[2] and set[3], "status set holds 1, 2 and 3")
    equal(q:boolean("flag"), true, "TRUE")
    equal(q:boolean("bad", false), false, "invalid boolean falls back")
    check(q.errors and q.errors.bad, "invalid boolean is recorded")
    local form = query.parse_form("Client_Id=x&client_id=y")
    equal(form.Client_Id, "x", "form keeps case")
end)

test("clock formats seven fraction digits", function()
    support.fresh_sim()
    local clock = require "clock"
    local text = clock.format(1700000000123)
    equal(text, "2023-11-14T22:13:20.1230000Z", "format")
    equal(clock.parse(text), 1700000000123, "parse back")
    equal(clock.parse("2023-11-14T22:13:20"), 1700000000000, "no zone is UTC")
    equal(clock.parse("2023-11-15T00:13:20+02:00"), 1700000000000, "offset")
    equal(clock.normalise("1900-01-01T00:00:00"), clock.NO_DATE, "no-date sentinel")
    check(clock.parse("yesterday") == nil, "garbage is rejected")
    local before = clock.now_ms()
    clock.advance(90)
    equal(clock.now_ms() - before, 90000, "advance")
end)

---------------------------------------------------------------------------------------------
-- strict.lua

test("strict flags non-integer ids by path", function()
    support.fresh_sim()
    local strict = require "strict"
    local errors = strict.check('[{"client_id": 12.0, "site_id": "31", "user_id": 77, ' ..
        '"summary": "say \\"id\\": 1.5", "customfields": [{"id": 1}, {"id": 1e3}]}]')
    check(errors ~= nil, "errors expected")
    check(errors["[0].client_id"], "12.0 flagged")
    check(errors["[0].site_id"], "\"31\" flagged")
    check(errors["[0].user_id"] == nil, "77 accepted")
    check(errors["[0].customfields[1].id"], "1e3 flagged")
    check(errors["[0].customfields[0].id"] == nil, "nested 1 accepted")
    equal(errors["[0].client_id"], "The JSON value could not be converted to System.Int32.",
        "message")
    check(strict.check('{"ticket_id": 5, "note": "x"}') == nil, "bare object accepted")
    local bare = strict.check('{"ticket_id": 5.5}')
    check(bare and bare.ticket_id, "bare object path has no index")
    check(strict.check('[{"id": "5d2a8c1e-1111-4f2b-8c3d-2b1e0f9a7c64", ' ..
        '"events": [{"id": 3, "webhook_id": "5d2a8c1e-1111-4f2b-8c3d-2b1e0f9a7c64"}]}]',
        { id = true }) == nil, "webhook GUIDs accepted")
    check(strict.check('[{"client_id": 3000000000}]'), "beyond Int32 flagged")
    check(strict.check('[{"client_id": null}]') == nil, "null accepted")
end)

---------------------------------------------------------------------------------------------
-- auth.lua

test("authinfo builds auth url from host", function()
    local sim = support.fresh_sim({ tls = true, tenant = "acme" })
    local response, body = support.request(sim, "GET", "/api/AuthInfo", "",
        { host = "sim.test:8443" })
    status(response, 200, "authinfo")
    equal(body.auth_url, "https://sim.test:8443/auth", "auth_url")
    equal(body.tenant_id, "acme", "tenant_id")
end)

test("token endpoint issues and rejects", function()
    local sim = support.fresh_sim({ tenant = "acme" })
    local form = { ["content-type"] = "application/x-www-form-urlencoded" }
    local base = "grant_type=client_credentials&client_id=halyard-sim&client_secret="
    local response, body = support.request(sim, "POST", "/token?tenant=acme",
        base .. "halyard-sim-secret&scope=all:standard+edit:tickets", form)
    status(response, 200, "good token")
    equal(body.token_type, "Bearer", "token_type")
    equal(body.scope, "all:standard edit:tickets", "scope")
    equal(math.tointeger(body.expires_in), 3600, "expires_in")
    equal(body.refresh_token, "", "refresh_token")

    response, body = support.request(sim, "POST", "/auth/token", base .. "wrong", form)
    status(response, 401, "wrong secret")
    equal(body.error, "invalid_client", "wrong secret error")
    response, body = support.request(sim, "POST", "/auth/token?tenant=other",
        base .. "halyard-sim-secret", form)
    status(response, 401, "wrong tenant")
    response, body = support.request(sim, "POST", "/auth/token",
        base .. "halyard-sim-secret&scope=all+edit:crm", form)
    status(response, 400, "unknown scope")
    equal(body.error, "invalid_scope", "invalid_scope")
    response, body = support.request(sim, "POST", "/auth/token",
        "grant_type=password&client_id=halyard-sim&client_secret=halyard-sim-secret", form)
    status(response, 400, "password grant")
    equal(body.error, "unsupported_grant_type", "grant error")
    response, body = support.request(sim, "POST", "/auth/token", base .. "halyard-sim-secret")
    status(response, 400, "JSON content type")

    local base64 = require "base64"
    response, body = support.request(sim, "POST", "/auth/token",
        "grant_type=client_credentials", { ["content-type"] = form["content-type"],
            authorization = "Basic " .. base64.encode("halyard-sim:halyard-sim-secret") })
    status(response, 200, "Basic client authentication")
    equal(body.scope, "all", "no scope gives all")
end)

test("token error status option", function()
    local sim = support.fresh_sim({ token_error_status = 400 })
    local response, body = support.request(sim, "POST", "/auth/token",
        "grant_type=client_credentials&client_id=nobody&client_secret=x",
        { ["content-type"] = "application/x-www-form-urlencoded" })
    status(response, 400, "configured status")
    equal(body.error, "invalid_client", "error")
end)

test("bearer missing unknown expired", function()
    local sim = support.fresh_sim({ token_lifetime = 60 })
    local response = support.request(sim, "GET", "/api/Tickets")
    status(response, 401, "missing")
    response = support.request(sim, "GET", "/api/Tickets", "", { authorization = "Bearer nope" })
    status(response, 401, "unknown")
    local client = support.client(sim)
    status(client:get("/api/tickets"), 200, "fresh token")
    support.control(sim, "POST", "/clock/advance", { seconds = 61 })
    status(client:get("/api/tickets"), 401, "expired token")
end)

test("scopes gate writes and webhooks", function()
    local sim = support.fresh_sim()
    local reader = support.client(sim, "read:tickets")
    status(reader:get("/api/Tickets"), 200, "read with read:tickets")
    status(reader:post("/api/Tickets", { { summary = "x", user_id = 77 } }), 403,
        "write with read:tickets")
    status(reader:post("/api/Webhook", { { url = "http://127.0.0.1:1/h" } }), 403,
        "webhook without admin")
    local editor = support.client(sim, "all:standard admin:webhooks")
    status(editor:post("/api/Tickets", { { summary = "x", user_id = 77 } }), 201,
        "write with all:standard")
    status(editor:post("/api/Webhook", { { url = "http://127.0.0.1:1/h" } }), 201,
        "webhook with admin:webhooks")
    local plain = support.client(sim, "all:standard")
    status(plain:post("/api/Webhook", { { url = "http://127.0.0.1:1/h" } }), 403,
        "webhook with all:standard only")
end)

---------------------------------------------------------------------------------------------
-- rate limit

test("rate limit rolls on test clock", function()
    local sim = support.fresh_sim({ rate_limit = { requests = 5, window_seconds = 60 } })
    local client = support.client(sim)
    for index = 1, 4 do
        status(client:get("/api/Status"), 200, "request " .. index)
    end
    local response, body = client:get("/api/Status")
    status(response, 429, "sixth request")
    equal(body.error, "Rate Limit Reached - 5 Requests per rolling 1 minute window", "sentence")
    status(support.control(sim, "GET", "/clock"), 200, "control is never limited")
    support.control(sim, "POST", "/clock/advance", { seconds = 61 })
    status(client:get("/api/Status"), 200, "after the window")
end)

test("rate limit off and odd windows", function()
    local sim = support.fresh_sim({ rate_limit = false })
    local client = support.client(sim)
    for _ = 1, 600 do
        client:get("/api/Status")
    end
    status(client:get("/api/Status"), 200, "no limit")
    local ratelimit = require "ratelimit"
    equal(ratelimit.message(10, 90), "Rate Limit Reached - 10 Requests per rolling 90 second " ..
        "window", "seconds wording")
end)

---------------------------------------------------------------------------------------------
-- lists

local function seed_with_tickets(count)
    local seed_tickets = {}
    for index = 1, count do
        seed_tickets[index] = { id = 100 + index, summary = "Ticket " .. index,
            details = "details " .. index, user_id = 77, status_id = index % 2 == 0 and 9 or 1 }
    end
    return cjson.encode({ tickets = seed_tickets })
end

test("ticket paging cap and record_count", function()
    local sim, ok, message = support.fresh_sim(nil, seed_with_tickets(250))
    check(ok, "seed failed: %s", tostring(message))
    local client = support.client(sim)
    local response, body = client:get("/api/Tickets?pageinate=true&page_size=1000&page_no=1")
    status(response, 200, "page")
    equal(#body.tickets, 100, "cap")
    equal(math.tointeger(body.record_count), 250, "record_count")
    response, body = client:get("/api/tickets?PAGEINATE=true&page_size=100&page_no=3")
    equal(#body.tickets, 50, "last page")
    equal(math.tointeger(body.tickets[1].id), 301, "first id of page 3")
    response, body = client:get("/api/Tickets?paginate=true&page_size=10")
    equal(#body.tickets, 250, "paginate spelling is ignored")
    response, body = client:get("/api/Tickets?count=7")
    equal(#body.tickets, 7, "count")
    equal(math.tointeger(body.record_count), 250, "count keeps record_count")
    response, body = client:get("/api/Tickets?pageinate=true")
    equal(#body.tickets, 50, "default page size")
    response, body = client:get("/api/Tickets?open_only=true")
    equal(math.tointeger(body.record_count), 125, "open_only")
    response, body = client:get("/api/Tickets?closed_only=true&search=ticket%2012")
    equal(math.tointeger(body.record_count), 6, "closed_only with search")
    response, body = client:get("/api/Tickets?order=id&orderdesc=true&count=1")
    equal(math.tointeger(body.tickets[1].id), 350, "orderdesc")
    response = client:get("/api/Tickets?page_no=abc&pageinate=true")
    status(response, 400, "bad page_no")
    response, body = client:get("/api/Tickets?status_id=1&status_id=9&count=1")
    equal(math.tointeger(body.record_count), 250, "repeated status keys")
end)

test("list wrappers and bare arrays", function()
    local sim = support.fresh_sim()
    local client = support.client(sim)
    local wrapped = { ["/api/Tickets"] = "tickets", ["/api/Actions"] = "actions",
        ["/api/Client"] = "clients", ["/api/Users"] = "users", ["/api/Site"] = "sites",
        ["/api/Asset"] = "assets", ["/api/WebhookEvent"] = "webhookevents" }
    for path, key in pairs(wrapped) do
        local response, body = client:get(path)
        status(response, 200, path)
        check(type(body[key]) == "table" and body.record_count ~= nil, "%s wrapped in %s", path,
            key)
    end
    for _, path in ipairs({ "/api/Agent", "/api/Status", "/api/Priority", "/api/TicketType",
        "/api/Outcome", "/api/Webhook", "/api/Team" }) do
        local response = client:get(path)
        status(response, 200, path)
        check(response.body:sub(1, 1) == "[", "%s is a bare array: %s", path, response.body)
    end
    local wrapped_sim = support.fresh_sim({ team_list = "wrapped" })
    local response, body = support.client(wrapped_sim):get("/api/Team")
    status(response, 200, "wrapped team list")
    equal(math.tointeger(body.record_count), 2, "team record_count")
end)

test("users search phones and filters", function()
    local sim = support.fresh_sim()
    local client = support.client(sim)
    local _, body = client:get("/api/Users?search=0002")
    equal(math.tointeger(body.record_count), 0, "phone not searched without the flag")
    _, body = client:get("/api/Users?search=900002&search_phonenumbers=true")
    equal(math.tointeger(body.record_count), 1, "mobile number found")
    _, body = client:get("/api/Users?search=JANE.DOE@acme")
    equal(math.tointeger(body.users[1].id), 77, "email search")
    _, body = client:get("/api/Users?client_id=12&site_id=31")
    equal(math.tointeger(body.record_count), 2, "client and site")
    _, body = client:get("/api/Users?advanced_search=" ..
        "%5B%7B%22filter_name%22%3A%22emailaddress%22%2C%22filter_type%22%3A2%2C" ..
        "%22filter_value%22%3A%22john.smith%40acme.example%22%7D%5D")
    equal(math.tointeger(body.users[1].id), 78, "advanced search")
    local response = client:get("/api/Users/me")
    status(response, 404, "Users/me for an agent login")
end)

test("agents filters and me", function()
    local sim = support.fresh_sim()
    local client = support.client(sim)
    local _, body = client:get("/api/Agent")
    equal(#body, 2, "API agent hidden")
    _, body = client:get("/api/Agent?includeapiagents=true")
    equal(#body, 3, "API agent listed")
    _, body = client:get("/api/Agent?team_id=6")
    equal(math.tointeger(body[1].id), 4, "team filter")
    _, body = client:get("/api/Agent/me")
    equal(math.tointeger(body.id), 1, "me")
    local response = client:post("/api/Agent", { { name = "x" } })
    status(response, 405, "agents are read-only")
end)

---------------------------------------------------------------------------------------------
-- tickets

test("ticket create names dates source", function()
    local sim = support.fresh_sim()
    local client = support.client(sim)
    local response, ticket = client:post("/api/tickets", { { summary = "Disk full",
        details_html = "<p>Free space <b>2%</b></p>", user_id = 77, team = "1st Line",
        priority_id = 2, customfields = { { id = 178, value = "ALRT-42" } } } })
    status(response, 201, "create")
    equal(ticket.client_name, "Acme Ltd", "client_name from the user")
    equal(math.tointeger(ticket.site_id), 31, "site from the user")
    equal(ticket.user_name, "Jane Doe", "user_name")
    equal(ticket.status_name, "New", "default status")
    equal(math.tointeger(ticket.team_id), 5, "team_id from name")
    equal(ticket.source, "Manual", "API source")
    equal(ticket.details, "Free space 2%", "details from HTML")
    equal(ticket.hasbeenclosed, false, "open")
    check(ticket.dateoccurred:match(ISO_7), "dateoccurred format %s", ticket.dateoccurred)
    equal(ticket.dateclosed, "1900-01-01T00:00:00", "no-date sentinel")
    check(response.body:find('"id":1,', 1, true), "id printed as an integer: %s", response.body)

    response, ticket = client:get("/api/Tickets/" .. math.tointeger(ticket.id))
    status(response, 200, "get one")
    equal(ticket.summary, "Disk full", "summary")
    status(client:get("/api/Tickets/999"), 404, "unknown ticket")
end)

test("ticket update partial and customfields", function()
    local sim = support.fresh_sim()
    local client = support.client(sim)
    local _, ticket = client:post("/api/Tickets", { { summary = "A", details = "keep me",
        user_id = 77, customfields = { { id = 1, value = "x" }, { id = 2, value = "y" } } } })
    local id = math.tointeger(ticket.id)
    local response, updated = client:post("/api/Tickets", { { id = id,
        customfields = { { id = 2, value = "z" } } } })
    status(response, 201, "update answers 201")
    equal(updated.details, "keep me", "untouched field kept")
    equal(#updated.customfields, 1, "customfields replaced whole")
    response, updated = client:post("/api/Tickets", { { id = id, status_id = 9 } })
    equal(updated.hasbeenclosed, true, "closed")
    check(updated.dateclosed:match(ISO_7), "dateclosed set")
    status(client:post("/api/Tickets", { { id = 4242, summary = "x" } }), 404,
        "update of unknown id")
end)

test("ticket post shapes and returnall", function()
    local sim = support.fresh_sim()
    local client = support.client(sim)
    local response, body = client:post("/api/Tickets", { summary = "bare", user_id = 77 })
    status(response, 201, "bare object")
    equal(body.summary, "bare", "bare object result")
    response, body = client:post("/api/Tickets", { { summary = "one", user_id = 77 },
        { summary = "two", user_id = 77 } })
    equal(body.summary, "two", "last one")
    response, body = client:post("/api/Tickets?returnall=true",
        { { summary = "three", user_id = 77 }, { summary = "four", user_id = 77 } })
    equal(#body, 2, "returnall gives all")
    response, body = client:delete("/api/Tickets/1")
    status(response, 200, "delete")
    equal(body.summary, "bare", "deleted object")
    status(client:get("/api/Tickets/1"), 404, "gone")
    response, body = client:post("/api/Tickets", "{not json")
    status(response, 400, "bad JSON")
    equal(body.ClassName, "System.Exception", "bad JSON body shape")
    status(client:get("/api/Nothing"), 404, "unknown resource")
    status(client:post("/api/Tickets", {}), 400, "empty body")
end)

test("ticket references are checked", function()
    local sim = support.fresh_sim()
    local client = support.client(sim)
    status(client:post("/api/Tickets", { { summary = "x", user_id = 999 } }), 400, "unknown user")
    status(client:post("/api/Tickets", { { summary = "x", client_id = 99 } }), 400,
        "unknown client")
    status(client:post("/api/Tickets", { { summary = "x", user_id = 77, status_id = 77 } }), 400,
        "unknown status")
    status(client:post("/api/Tickets", { { summary = "x", user_id = 77, agent_id = 1 } }), 400,
        "API agent cannot be assigned")
    status(client:post("/api/Tickets", { { summary = "x", user_id = 77, team = "Nope" } }), 400,
        "unknown team")
    local response, body = client:post("/api/Tickets", { { summary = "x", user_id = "77",
        client_id = 12.0 } })
    status(response, 201, "lenient ids")
    equal(math.tointeger(body.user_id), 77, "string id stored as integer")
    check(response.body:find('"client_id":12,', 1, true), "integer printed")
    response, body = client:post("/api/Tickets", { { summary = "x", client_id = "abc" } })
    status(response, 400, "non-numeric id")
    check(body["[0].client_id"], "model error keyed by path: %s", response.body)
end)

test("strict mode rejects float and string ids", function()
    local sim = support.fresh_sim({ strict = true })
    local client = support.client(sim)
    local response, body = client:post("/api/Tickets",
        '[{"summary": "x", "user_id": 77, "client_id": 12.0}]')
    status(response, 400, "12.0")
    equal(body["[0].client_id"][1], "The JSON value could not be converted to System.Int32.",
        "message")
    response = client:post("/api/Tickets", '[{"summary": "x", "user_id": "77"}]')
    status(response, 400, "string id")
    response = client:post("/api/Tickets", '[{"summary": "x", "user_id": 77}]')
    status(response, 201, "integer ids")
    response = client:post("/api/Webhook",
        '[{"url": "http://127.0.0.1:1/h", "events": [{"eventno": 3}]}]')
    status(response, 201, "webhook without ids")
end)

---------------------------------------------------------------------------------------------
-- actions

test("actions per ticket ids and outcome", function()
    local sim = support.fresh_sim()
    local client = support.client(sim)
    client:post("/api/Tickets", { { summary = "T1", user_id = 77 } })
    client:post("/api/Tickets", { { summary = "T2", user_id = 77 } })
    local response, action = client:post("/api/Actions", { { ticket_id = 1, outcome = "Private Note",
        note_html = "<p>Backup re-run</p>" } })
    status(response, 201, "first action")
    equal(math.tointeger(action.id), 1, "first id")
    equal(action.note, "Backup re-run", "note from html")
    equal(action.hiddenfromuser, true, "private note hidden by default")
    equal(action.actionby_application_id, "halyard-sim app", "application")
    equal(math.tointeger(action.who_agentid), 1, "login agent")
    _, action = client:post("/api/Actions", { { ticket_id = 1, outcome_id = 2, note = "hi",
        hiddenfromuser = false } })
    equal(math.tointeger(action.id), 2, "second id")
    _, action = client:post("/api/Actions", { { ticket_id = 2, outcome_id = 2, note = "x" } })
    equal(math.tointeger(action.id), 1, "ids are per ticket")

    local body
    response, body = client:post("/api/Actions", { { ticket_id = 1, note = "no outcome" } })
    status(response, 400, "outcome required")
    equal(body.Message, "An Outcome must be entered for this Action", "outcome message")
    status(client:post("/api/Actions", { { outcome_id = 2, note = "x" } }), 400,
        "ticket_id required")
    status(client:post("/api/Actions", { { ticket_id = 77, outcome_id = 2 } }), 400,
        "unknown ticket")
    status(client:get("/api/Actions/1"), 400, "GET one needs ticket_id")
    response, body = client:get("/api/Actions/2?ticket_id=1")
    status(response, 200, "GET one")
    equal(body.note, "hi", "note")
    status(client:get("/api/Actions/9?ticket_id=1"), 404, "unknown action")
    response, body = client:get("/api/Actions?ticket_id=1")
    equal(math.tointeger(body.record_count), 2, "list")
    check(body.actions[1].note_html == nil, "list leaves out note_html")
    _, body = client:get("/api/Actions?ticket_id=1&excludeprivate=true")
    equal(math.tointeger(body.record_count), 1, "excludeprivate")
    response, body = client:delete("/api/Actions/1?ticket_id=1")
    status(response, 200, "delete")
    equal(math.tointeger(body.id), 1, "deleted action")
    _, action = client:post("/api/Actions", { { ticket_id = 1, outcome_id = 2, note = "again" } })
    equal(math.tointeger(action.id), 3, "max + 1 after delete")
end)

test("action new_status moves status_id does not", function()
    local sim = support.fresh_sim()
    local client = support.client(sim)
    client:post("/api/Tickets", { { summary = "T", user_id = 77 } })
    client:post("/api/Actions", { { ticket_id = 1, outcome_id = 2, status_id = 9 } })
    local _, ticket = client:get("/api/Tickets/1")
    equal(math.tointeger(ticket.status_id), 1, "status_id ignored")
    local _, action = client:post("/api/Actions", { { ticket_id = 1, outcome_id = 3,
        new_status = 9 } })
    equal(math.tointeger(action.old_status), 1, "old_status")
    equal(action.new_status_name, "Closed", "new_status_name")
    _, ticket = client:get("/api/Tickets/1")
    equal(math.tointeger(ticket.status_id), 9, "moved")
    equal(ticket.hasbeenclosed, true, "closed")
end)

---------------------------------------------------------------------------------------------
-- webhooks and deliveries

local function register_webhook(client, extra)
    local webhook = { name = "hook", url = "https://receiver.test/hooks/abc",
        authentication_type = 1, basic_username = "halo", basic_password = "s3cret",
        events = { { eventno = 3 }, { eventno = 2 }, { eventno = 76 }, { eventno = 39 },
            { eventno = 8 }, { eventno = 19 } } }
    for key, value in pairs(extra or {}) do
        webhook[key] = value
    end
    local response, body = client:post("/api/Webhook", { webhook })
    status(response, 201, "webhook create")
    return body
end

test("webhook registration and reads", function()
    local sim = support.fresh_sim()
    local client = support.client(sim)
    local webhook = register_webhook(client)
    check(require("ids").is_guid(webhook.id), "GUID id %s", tostring(webhook.id))
    check(webhook.basic_password == nil, "password not echoed")
    local response, body = client:get("/api/Webhook/" .. webhook.id)
    status(response, 200, "get one")
    check(body.events == nil, "no events without includedetails")
    response, body = client:get("/api/Webhook/" .. webhook.id .. "?includedetails=true")
    equal(#body.events, 6, "events with includedetails")
    _, body = client:get("/api/Notification?webhook_id=" .. webhook.id)
    equal(#body, 6, "notification rows")
    response, body = client:post("/api/Notification", { { webhook_id = webhook.id,
        eventno = "1072", type = -2, delivery_method = 6, name = "", conditions = {} } })
    status(response, 201, "two-step route")
    equal(body.name, "Ticket Deleted", "name filled from the table")
    response = client:post("/api/Webhook", { { url = "ftp://x" } })
    status(response, 400, "bad url")
    response, body = client:post("/api/Webhook", { { id = webhook.id, name = "renamed" } })
    status(response, 201, "update")
    equal(body.name, "renamed", "renamed")
    equal(body.url, "https://receiver.test/hooks/abc", "url kept")
    response, body = client:delete("/api/Webhook/" .. webhook.id)
    status(response, 200, "delete")
    status(client:get("/api/Webhook/" .. webhook.id), 404, "gone")
end)

test("deliveries payload and attempt log", function()
    local sim = support.fresh_sim()
    local client = support.client(sim)
    local webhook = register_webhook(client)
    local _, ticket = client:post("/api/Tickets", { { summary = "Disk", user_id = 77 } })
    local sent = support.deliver(sim, 200)
    equal(#sent, 1, "one delivery for a new ticket")
    local delivery = sent[1]
    equal(delivery.url, "https://receiver.test/hooks/abc", "url")
    equal(delivery.method, "POST", "method")
    equal(delivery.headers.Authorization, "Basic aGFsbzpzM2NyZXQ=", "Basic header")
    equal(delivery.headers["Content-Type"], "application/json", "content type")
    local payload = delivery.payload
    check(require("ids").is_guid(payload.id), "payload id is a GUID")
    equal(payload.webhook_id, webhook.id, "webhook_id")
    equal(payload.event, "New Ticket Logged", "event")
    equal(payload.message, "A new ticket has been logged. Ticket ID: 0000001.", "message")
    equal(math.tointeger(payload.object_id), math.tointeger(ticket.id), "object_id")
    equal(math.tointeger(payload.agent_id), 1, "agent_id of the API agent")
    check(payload.timestamp:match(ISO_7), "timestamp format")
    equal(payload.ticket.summary, "Disk", "ticket object")
    check(payload.notification_id ~= nil and payload.escmsg_id ~= nil, "notification and escmsg")

    client:post("/api/Tickets", { { id = 1, status_id = 9 } })
    sent = support.deliver(sim, 500)
    local names = {}
    for _, item in ipairs(sent) do
        names[#names + 1] = item.payload.event
    end
    equal(table.concat(names, ","), "Ticket Updated,ticket status changed,Closed",
        "update events")

    local response, body = client:get("/api/WebhookEvent?webhook_id=" .. webhook.id)
    status(response, 200, "WebhookEvent list")
    equal(math.tointeger(body.record_count), 4, "every attempt recorded")
    equal(math.tointeger(body.webhookevents[1].status), 1, "success")
    equal(math.tointeger(body.webhookevents[1].responsestatus), 200, "response status")
    equal(math.tointeger(body.webhookevents[2].status), 2, "failure")
    check(not body.webhookevents[1].requestheaders:find("aGFsbz", 1, true),
        "credentials masked in the log")
    sim.delivery_result("00000000-0000-4000-8000-000000000000", { status = 200 })
end)

test("bearer and api key deliveries", function()
    local sim = support.fresh_sim()
    local client = support.client(sim)
    register_webhook(client, { authentication_type = 2, basic_password = "tok-123" })
    register_webhook(client, { authentication_type = 3, authentication_header = "X-Key",
        basic_password = "k" })
    client:post("/api/Tickets", { { summary = "x", user_id = 77 } })
    local sent = support.deliver(sim)
    equal(sent[1].headers.Authorization, "Bearer tok-123", "bearer")
    equal(sent[2].headers["X-Key"], "k", "api key header")
end)

test("unsubscribed inactive and conditions", function()
    local sim = support.fresh_sim()
    local client = support.client(sim)
    register_webhook(client, { events = { { eventno = 76 } } })
    register_webhook(client, { active = false, events = { { eventno = 3 } } })
    register_webhook(client, { events = { { eventno = 3,
        conditions = { { fieldname = "client_id", value_int = 99 } } } } })
    client:post("/api/Tickets", { { summary = "x", user_id = 77 } })
    equal(#sim.take_deliveries(), 0, "nobody receives the new ticket")
end)

test("end user events and replies", function()
    local sim = support.fresh_sim()
    local client = support.client(sim)
    register_webhook(client)
    local response, ticket = support.control(sim, "POST", "/tickets", { user_id = 78,
        summary = "Printer", details = "jammed" })
    status(response, 201, "end-user ticket")
    equal(ticket.source, "Portal", "portal source")
    local sent = support.deliver(sim)
    equal(math.tointeger(sent[1].payload.agent_id), 0, "agent_id 0 for a user")
    local id = math.tointeger(ticket.id)

    response = support.control(sim, "POST", "/tickets/" .. id .. "/actions", { user_id = 78,
        note = "still jammed" })
    status(response, 201, "user reply")
    sent = support.deliver(sim)
    equal(sent[1].payload.event, "Action Added", "action added")
    equal(sent[2].payload.event, "Ticket Updated by User", "updated by user")
    check(sent[1].payload.action.note == "still jammed", "action object")

    local action
    response, action = support.control(sim, "POST", "/tickets/" .. id .. "/actions",
        { agent_id = 3, note = "on it", new_status = 2 })
    status(response, 201, "technician reply")
    equal(action.who, "Sam Lead", "who")
    sent = support.deliver(sim)
    equal(#sent, 2, "action added and status changed")
    equal(math.tointeger(sent[2].payload.agent_id), 3, "technician agent_id")

    response, ticket = support.control(sim, "POST", "/tickets/" .. id, { agent_id = 3,
        assign_agent_id = 4, summary = "Printer jam" })
    status(response, 200, "technician edit")
    equal(math.tointeger(ticket.agent_id), 4, "reassigned")
    equal(ticket.summary, "Printer jam", "edited")
    sent = support.deliver(sim)
    equal(sent[1].payload.event, "Ticket Updated", "updated event")
    status(support.control(sim, "POST", "/tickets", { summary = "no user" }), 400,
        "end user required")
end)

test("batched deliveries by limit and delay", function()
    local sim = support.fresh_sim()
    local client = support.client(sim)
    register_webhook(client, { batch_method = 1, batch_limit = 3, batch_delay_seconds = 60,
        events = { { eventno = 3 } } })
    for index = 1, 4 do
        client:post("/api/Tickets", { { summary = "b" .. index, user_id = 77 } })
    end
    local sent = support.deliver(sim)
    equal(#sent, 1, "one batch at the limit")
    equal(#sent[1].payload, 3, "three payloads in the array")
    sim.tick()
    equal(#sim.take_deliveries(), 0, "the fourth waits")
    support.control(sim, "POST", "/clock/advance", { seconds = 60 })
    sim.tick()
    sent = support.deliver(sim)
    equal(#sent, 1, "released after the delay")
    equal(#sent[1].payload, 1, "one payload")
end)

test("webhook faults drop duplicate delay", function()
    local sim = support.fresh_sim()
    local client = support.client(sim)
    register_webhook(client, { events = { { eventno = 3 } } })
    support.control(sim, "POST", "/webhook-faults", { drop = 1, duplicate = 1, delay_ms = 250 })
    client:post("/api/Tickets", { { summary = "a", user_id = 77 } })
    equal(#sim.take_deliveries(), 0, "dropped")
    client:post("/api/Tickets", { { summary = "b", user_id = 77 } })
    local sent = support.deliver(sim)
    equal(#sent, 2, "duplicated")
    equal(sent[1].payload.id, sent[2].payload.id, "same payload id")
    equal(sent[1].delay_ms, 250, "delay")
    local _, records = support.control(sim, "GET", "/deliveries")
    equal(#records, 3, "three attempts")
    equal(records[1].error, "dropped by fault", "drop recorded")
    support.control(sim, "POST", "/webhook-faults", { status_override = 503 })
    client:post("/api/Tickets", { { summary = "c", user_id = 77 } })
    support.deliver(sim, 200)
    _, records = support.control(sim, "GET", "/deliveries")
    equal(math.tointeger(records[4].responsestatus), 503, "status override")
    equal(math.tointeger(records[4].status), 2, "override counts as failure")
    support.control(sim, "DELETE", "/faults")
    client:post("/api/Tickets", { { summary = "d", user_id = 77 } })
    sent = support.deliver(sim)
    equal(sent[1].delay_ms, 0, "cleared")
end)

test("auto disable after failures", function()
    local sim = support.fresh_sim()
    local client = support.client(sim)
    local webhook = register_webhook(client, { auto_disable_attempts = 2,
        events = { { eventno = 3 } } })
    for _ = 1, 2 do
        client:post("/api/Tickets", { { summary = "x", user_id = 77 } })
        local sent = sim.take_deliveries()
        sim.delivery_result(sent[1].attempt_id, { error = "connection refused" })
    end
    local _, body = client:get("/api/Webhook/" .. webhook.id)
    equal(body.disabled, true, "disabled")
    client:post("/api/Tickets", { { summary = "x", user_id = 77 } })
    equal(#sim.take_deliveries(), 0, "no more deliveries")
end)

---------------------------------------------------------------------------------------------
-- request faults and control

test("request faults status latency drop times", function()
    local sim = support.fresh_sim()
    local client = support.client(sim)
    client:post("/api/Tickets", { { summary = "x", user_id = 77 } })
    local response = support.control(sim, "POST", "/faults", { match = { method = "POST",
        path = "/api/Actions", ticket_id = 1 }, status = 500, body = "boom", times = 1 })
    status(response, 201, "fault added")
    response = client:post("/api/Actions", { { ticket_id = 1, outcome_id = 2 } })
    status(response, 500, "fault status")
    equal(response.body, "boom", "fault body")
    local _, body = client:get("/api/Actions?ticket_id=1")
    equal(math.tointeger(body.record_count), 0, "no effect")
    status(client:post("/api/Actions", { { ticket_id = 1, outcome_id = 2 } }), 201, "times used up")

    support.control(sim, "POST", "/faults", { match = { path = "/api/tickets" },
        drop_response = true, latency_ms = 1500 })
    response = client:post("/api/Tickets", { { summary = "dropped", user_id = 77 } })
    equal(response.drop, true, "dropped")
    equal(response.delay_ms, 1500, "latency")
    support.control(sim, "DELETE", "/faults")
    _, body = client:get("/api/Tickets")
    equal(math.tointeger(body.record_count), 2, "dropped request still took effect")
    status(support.control(sim, "POST", "/faults", { status = "x" }), 400, "bad fault")
end)

test("reset clock requests config", function()
    local sim = support.fresh_sim()
    local client = support.client(sim)
    client:post("/api/Tickets", { { summary = "x", user_id = 77 } })
    client:get("/api/tickets")
    client:get("/api/Tickets")
    local _, report = support.control(sim, "GET", "/requests")
    equal(math.tointeger(report.counts["GET /api/tickets"]), 2, "GET count")
    equal(#report.writes, 1, "writes")
    equal(report.writes[1].path, "/api/tickets", "write path")
    local _, config = support.control(sim, "GET", "/config")
    check(config.client_secret == nil, "secret never shown")
    check(not support.control(sim, "GET", "/config").body:find("halyard-sim-secret", 1, true),
        "secret text absent")
    local _, clock_body = support.control(sim, "POST", "/clock/advance", { seconds = 30 })
    equal(clock_body.offset_seconds, 30, "offset")
    status(support.control(sim, "POST", "/clock/advance", { seconds = -1 }), 400,
        "negative seconds")
    status(support.control(sim, "POST", "/reset"), 200, "reset")
    _, clock_body = support.control(sim, "GET", "/clock")
    equal(clock_body.offset_seconds, 0, "clock reset")
    status(client:get("/api/Tickets"), 401, "tokens cleared")
    client = support.client(sim)
    local _, body = client:get("/api/Tickets")
    equal(math.tointeger(body.record_count), 0, "tickets back to the seed")
    _, report = support.control(sim, "GET", "/requests")
    equal(math.tointeger(report.total), 3, "log cleared (the stale-token list, token, list)")
    status(support.control(sim, "GET", "/nothing"), 404, "unknown control path")
    status(support.control(sim, "GET", "/reset"), 405, "wrong control method")
end)

---------------------------------------------------------------------------------------------
-- seed loading

test("seed with tickets and actions", function()
    local seed = cjson.encode({
        clients = { { id = 50, name = "Globex" } },
        sites = { { id = 60, name = "HQ", client_id = 50 } },
        users = { { id = 70, name = "Hank Scorpio", client_id = 50, site_id = 60,
            emailaddress = "hank@globex.example" } },
        tickets = { { id = 4242, summary = "Seeded", client_id = 50, user_id = 70, status_id = 1,
            agent_id = 0, team = "1st Line", actions = { { id = 1, outcome = "Email",
                note = "from the user", who_type = 2 }, { id = 2, outcome_id = 1,
                note = "private" } } } },
    })
    local sim, ok, message = support.fresh_sim(nil, seed)
    check(ok, "seed failed: %s", tostring(message))
    local client = support.client(sim)
    local _, body = client:get("/api/Actions?ticket_id=4242")
    equal(math.tointeger(body.record_count), 2, "seeded actions")
    equal(body.actions[1].who, "Hank Scorpio", "user action who")
    local _, ticket = client:post("/api/Tickets", { { summary = "next", user_id = 70 } })
    equal(math.tointeger(ticket.id), 4243, "ids continue after the seed")
    _, body = client:get("/api/Agent?includeapiagents=true")
    equal(#body, 3, "built-in agents kept")
    _, body = client:get("/api/Asset")
    equal(math.tointeger(body.record_count), 0, "built-in asset dropped with its client")
end)

test("bad seeds give clear errors", function()
    local cases = {
        { "{", "not valid JSON" },
        { "[]", "JSON object" },
        { '{"clientz": []}', "unknown key 'clientz'" },
        { '{"clients": [{"name": "x"}]}', "seed clients[0]: id" },
        { '{"tickets": [{"id": 1, "user_id": 999}]}', "user_id 999 is not a user" },
        { '{"clients": [{"id": 1, "name": "a"}, {"id": 1, "name": "b"}]}', "used twice" },
        { '{"login_agent_id": 99}', "login_agent_id 99" },
        { '{"webhook_events": [{"eventno": 3, "name": "x", "kind": "nope"}]}', "kind 'nope'" },
    }
    for _, case in ipairs(cases) do
        local _, ok, message = support.fresh_sim(nil, case[1])
        check(not ok, "seed %s should fail", case[1])
        check(message:find(case[2], 1, true), "message for %s: %s", case[1], message)
    end
end)

test("demo directory seed loads", function()
    local folder = support.lua_folder .. "/../../data"
    local file = io.open(folder .. "/demo-directory.json", "r")
    if not file then
        return
    end
    local directory = file:read("a")
    file:close()
    local sim, ok, message = support.fresh_sim(nil, directory)
    check(ok, "demo seed failed: %s", tostring(message))
    local client = support.client(sim)
    local _, body = client:get("/api/Client")
    equal(math.tointeger(body.record_count), 5, "five clients")
end)

---------------------------------------------------------------------------------------------
-- more resources and edge cases

test("json content type is required", function()
    local sim = support.fresh_sim()
    local token = support.token(sim)
    local response, body = support.request(sim, "POST", "/api/Tickets",
        '[{"summary": "x", "user_id": 77}]', { authorization = "Bearer " .. token,
            ["content-type"] = "application/x-www-form-urlencoded" })
    status(response, 415, "form body")
    equal(math.tointeger(body.status), 415, "problem status")
    response = support.request(sim, "POST", "/api/Tickets", '[{"summary": "x", "user_id": 77}]',
        { authorization = "Bearer " .. token,
            ["content-type"] = "application/json-patch+json; charset=utf-8" })
    status(response, 201, "json-patch+json")
    response = support.request(sim, "PUT", "/api/Tickets", "", { authorization = "Bearer " ..
        token })
    status(response, 405, "PUT")
end)

test("seed events renumber by name", function()
    local seed = cjson.encode({
        statuses = { { id = 1, name = "New" }, { id = 7, name = "Closed" } },
        webhook_events = { { eventno = 3, name = "New Ticket Logged" },
            { eventno = 2001, name = "Ticket Updated" },
            { eventno = 76, name = "Ticket Status Changed" } },
    })
    local sim, ok, message = support.fresh_sim(nil, seed)
    check(ok, "seed failed: %s", tostring(message))
    local client = support.client(sim)
    register_webhook(client, { events = { { eventno = 2001 }, { eventno = 76 } } })
    client:post("/api/Tickets", { { summary = "x", user_id = 77 } })
    equal(#sim.take_deliveries(), 0, "no subscription for new tickets")
    local _, ticket = client:post("/api/Tickets", { { id = 1, status_id = 7 } })
    equal(ticket.hasbeenclosed, true, "status named Closed is closed")
    local sent = support.deliver(sim)
    equal(#sent, 2, "updated and status changed")
    equal(sent[1].payload.event, "Ticket Updated", "renumbered event")
    equal(sent[2].payload.event, "ticket status changed", "payload text kept from the table")
end)

test("ticket filters team dates assets", function()
    local sim = support.fresh_sim()
    local client = support.client(sim)
    client:post("/api/Tickets", { { summary = "a", user_id = 77, team = "1st Line",
        assets = { { id = 1042 } } } })
    support.control(sim, "POST", "/clock/advance", { seconds = 60 })
    local _, later = client:post("/api/Tickets", { { summary = "b", user_id = 78, team_id = 6,
        agent_id = 4 } })
    local _, body = client:get("/api/Tickets?order=user_name&orderdesc=true")
    equal(body.tickets[1].user_name, "John Smith", "order by a derived name")
    _, body = client:get("/api/Tickets?team=5,6")
    equal(math.tointeger(body.record_count), 2, "team list")
    _, body = client:get("/api/Tickets?team=6")
    equal(body.tickets[1].summary, "b", "team 6")
    _, body = client:get("/api/Tickets?lastupdatefromdate=" .. later.last_update:sub(1, 19))
    equal(math.tointeger(body.record_count), 1, "lastupdatefromdate")
    _, body = client:get("/api/Tickets?asset_id=1042")
    equal(body.tickets[1].summary, "a", "asset filter")
    _, body = client:get("/api/Tickets?agent_id=4&search_user_name=smith")
    equal(math.tointeger(body.record_count), 1, "agent and user name")
    _, body = client:get("/api/Tickets/1")
    equal(math.tointeger(body.assets[1].id), 1042, "linked asset")
    local response = client:get("/api/Tickets?lastupdatefromdate=soon")
    status(response, 400, "bad date")
end)

test("client and user writes", function()
    local sim = support.fresh_sim()
    local client = support.client(sim)
    local response, created = client:post("/api/Client", { { name = "Initech" } })
    status(response, 201, "client create")
    local client_id = math.tointeger(created.id)
    status(client:post("/api/Client", { { inactive = true } }), 400, "client needs a name")
    response, created = client:post("/api/Users", { { firstname = "Peter", surname = "Gibbons",
        client_id = client_id } })
    status(response, 201, "user create")
    equal(created.name, "Peter Gibbons", "name from parts")
    equal(math.tointeger(created.site_id), 0, "no site for a client without sites")
    status(client:post("/api/Users", { { name = "x", client_id = 12, site_id = 99 } }), 400,
        "unknown site")
    response = client:post("/api/Client", { { id = client_id, inactive = true } })
    status(response, 201, "client update")
    local _, body = client:get("/api/Client")
    equal(math.tointeger(body.record_count), 1, "inactive client hidden")
    _, body = client:get("/api/Client?includeinactive=true&search=init")
    equal(math.tointeger(body.record_count), 1, "inactive client listed")
    response = client:delete("/api/Client/" .. client_id)
    status(response, 200, "client delete")
    status(client:post("/api/Site", { { name = "x" } }), 405, "sites are read-only")
    status(client:delete("/api/Asset/1042"), 405, "assets are read-only")
end)

test("lookups by id and priority guid", function()
    local sim = support.fresh_sim()
    local client = support.client(sim)
    local _, priorities = client:get("/api/Priority")
    check(require("ids").is_guid(priorities[1].id), "priority id is a GUID")
    equal(math.tointeger(priorities[1].priorityid), 1, "priorityid")
    local response, priority = client:get("/api/Priority/" .. priorities[2].id)
    status(response, 200, "priority by GUID")
    equal(priority.name, "High", "priority name")
    response = client:get("/api/Status/9")
    status(response, 200, "status by id")
    status(client:get("/api/Outcome/99"), 404, "unknown outcome")
    status(client:get("/api/Team/77"), 404, "unknown team")
    status(client:get("/api/Site/abc"), 404, "non-numeric id")
end)

test("notification rows and event log paging", function()
    local sim = support.fresh_sim()
    local client = support.client(sim)
    local webhook = register_webhook(client, { events = {} })
    local response, row = client:post("/api/Notification", { { webhook_id = webhook.id,
        eventno = 3 } })
    status(response, 201, "notification create")
    local id = math.tointeger(row.id)
    response, row = client:post("/api/Notification", { { id = id, eventno = 1072 } })
    equal(math.tointeger(row.eventno), 1072, "notification update")
    status(client:post("/api/Notification", { { webhook_id = "5d2a8c1e-1111-4f2b-8c3d-" ..
        "2b1e0f9a7c64", eventno = 3 } }), 400, "unknown webhook")
    client:post("/api/Tickets", { { summary = "x", user_id = 77 } })
    client:delete("/api/Tickets/1")
    local sent = support.deliver(sim)
    equal(sent[1].payload.event, "Ticket Deleted", "deleted event")
    for _ = 1, 3 do
        client:post("/api/Tickets", { { summary = "y", user_id = 77 } })
        client:delete("/api/Tickets/" .. (require("state").db.tickets.max_id))
    end
    support.deliver(sim)
    local body
    response, body = client:get("/api/WebhookEvent?pageinate=true&page_size=2&page_no=2")
    equal(#body.webhookevents, 2, "second page")
    equal(math.tointeger(body.record_count), 4, "record_count")
    response, body = client:get("/api/WebhookEvent/" .. body.webhookevents[1].id)
    status(response, 200, "event by id")
    response = client:delete("/api/Notification/" .. id)
    status(response, 200, "notification delete")
end)

test("seed switches for tenant rules", function()
    local seed = cjson.encode({
        ticket_types = { { id = 1, name = "Incident" },
            { id = 2, name = "Change", approval_required = true },
            { id = 3, name = "Request", details_required = true, category_required = true } },
        outcomes = { { id = 2, outcome = "Email User" },
            { id = 9, outcome = "Run Runbook", api_allowed = false } },
    })
    local sim, ok, message = support.fresh_sim(nil, seed)
    check(ok, "seed failed: %s", tostring(message))
    local client = support.client(sim)
    local response, body = client:post("/api/Tickets", { { summary = "x", user_id = 77,
        tickettype_id = 2 } })
    status(response, 400, "approval")
    equal(body.Message, "CODE:APP03/2 Please select the CAB members to approve", "approval text")
    status(client:post("/api/Tickets", { { summary = "x", user_id = 77, tickettype_id = 3 } }),
        400, "details required")
    status(client:post("/api/Tickets", { { summary = "x", user_id = 77, tickettype_id = 3,
        details = "d", category_1 = "Hardware" } }), 201, "details and category given")
    local _, types = client:get("/api/TicketType")
    check(types[2].approval_required == nil, "switch not shown")
    response, body = client:post("/api/Actions", { { ticket_id = 1, outcome_id = 9 } })
    status(response, 400, "outcome not allowed")
    equal(body.Message, "You do not have access to this Action at the moment", "outcome text")
    status(support.control(sim, "POST", "/tickets/1/actions", { agent_id = 3, outcome_id = 9 }),
        201, "technicians may use it")
end)

---------------------------------------------------------------------------------------------
-- scale

test("thousands of tickets stay fast", function()
    local sim, ok, message = support.fresh_sim({ rate_limit = false }, seed_with_tickets(1000))
    check(ok, "seed failed: %s", tostring(message))
    local client = support.client(sim)
    register_webhook(client, { events = { { eventno = 3 } } })
    local started = os.clock()
    for index = 1, 1000 do
        local response = support.control(sim, "POST", "/tickets", { user_id = 77,
            summary = "load " .. index, details = "text" })
        if response.status ~= 201 then
            error("create failed: " .. response.body)
        end
        support.deliver(sim)
    end
    for page = 1, 20 do
        local response = client:get("/api/Tickets?pageinate=true&page_size=100&page_no=" .. page)
        status(response, 200, "page " .. page)
    end
    local _, body = client:get("/api/Tickets?count=1")
    equal(math.tointeger(body.record_count), 2000, "all tickets")
    local seconds = os.clock() - started
    check(seconds < 20, "took %.1f s of CPU", seconds)
    print(string.format("   (1,000 creates with deliveries and 20 pages of 100: %.2f s CPU)",
        seconds))
end)

local VERIFIER_KEY = { authorization = "Bearer fake-verifier-key" }

test("verifier records challenge and answers polls", function()
    local sim = support.fresh_sim()
    local response, body = support.request(sim, "POST", "/verifier/traceless/v1/verifications",
        { channel = "email", email = "jane@acme.example", reference = "halyard run 1" },
        VERIFIER_KEY)
    status(response, 201, "dispatch")
    local id = body.transaction_id
    local _, poll = support.request(sim, "GET", "/verifier/traceless/v1/verifications/" .. id,
        "", VERIFIER_KEY)
    equal(poll.status, "pending", "status before a decision")

    _, body = support.control(sim, "POST", "/verifier/transactions/" .. id, { action = "deny" })
    _, poll = support.request(sim, "GET", "/verifier/traceless/v1/verifications/" .. id, "",
        VERIFIER_KEY)
    equal(poll.status, "denied", "status after deny")
    local _, rows = support.control(sim, "GET", "/verifier/transactions")
    equal(#rows, 1, "challenges listed")
    check(rows[1].request:find("jane@acme.example", 1, true), "the request body is kept")
end)

test("verifier rejects wrong api key", function()
    local sim = support.fresh_sim()
    local response = support.request(sim, "POST", "/verifier/traceless/v1/verifications",
        { channel = "email" }, { authorization = "Bearer wrong" })
    status(response, 401, "dispatch with a wrong key")
end)

test("verifier fails polls and dispatches", function()
    local sim = support.fresh_sim()
    local _, body = support.request(sim, "POST", "/verifier/traceless/v1/verifications",
        { channel = "email" }, VERIFIER_KEY)
    support.control(sim, "POST", "/verifier/transactions/" .. body.transaction_id,
        { action = "fail", fail = "5xx" })
    local response = support.request(sim, "GET",
        "/verifier/traceless/v1/verifications/" .. body.transaction_id, "", VERIFIER_KEY)
    status(response, 500, "poll of a failed challenge")

    support.control(sim, "POST", "/verifier/config", { dispatch = "bad_json" })
    response = support.request(sim, "POST", "/verifier/traceless/v1/verifications",
        { channel = "email" }, VERIFIER_KEY)
    status(response, 201, "dispatch answered with bad JSON")
    check(not pcall(cjson.decode, response.body), "the body is not JSON")
end)

test("verifier webhook approval sends signed callback", function()
    local sim = support.fresh_sim()
    support.control(sim, "POST", "/verifier/config", { callback_secret = "s3cret" })
    local _, body = support.request(sim, "POST", "/verifier/webhook",
        { reference = "halyard run 2", callback_url = "http://127.0.0.1:9/hooks/verify/webhook/x" },
        VERIFIER_KEY)
    support.control(sim, "POST", "/verifier/transactions/" .. body.transaction_id,
        { action = "approve" })
    local sent = sim.take_deliveries()
    equal(#sent, 1, "callbacks queued")
    local callback = sent[1]
    equal(callback.url, "http://127.0.0.1:9/hooks/verify/webhook/x", "callback URL")
    local timestamp = callback.headers["X-Halyard-Timestamp"]
    equal(callback.headers["X-Halyard-Signature"],
        "sha256=hmac(s3cret," .. timestamp .. "." .. callback.body .. ")", "signature input")
    equal(cjson.decode(callback.body).status, "verified", "callback status")
    sim.delivery_result(callback.attempt_id, { status = 202, body = "{}" })
    local _, rows = support.control(sim, "GET", "/verifier/transactions")
    equal(rows[1].callback_status, "202", "halyard's answer is recorded")
end)

---------------------------------------------------------------------------------------------

local passed, failed = 0, 0
for _, entry in ipairs(tests) do
    if filter == nil or entry.name:find(filter, 1, true) then
        local ok, message = xpcall(entry.body, debug.traceback)
        if ok then
            passed = passed + 1
            print("ok " .. entry.name)
        else
            failed = failed + 1
            print("FAIL " .. entry.name .. ": " .. tostring(message))
        end
    end
end
print(string.format("%d passed, %d failed", passed, failed))
os.exit(failed == 0 and passed > 0 and 0 or 1)
