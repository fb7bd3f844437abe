-- The digit cut of a provider's detail kept any number up to 65535 after a colon as a port, so
-- "code:4821" reached the note, the log and the database. It also cut the numbers of halyard's
-- own messages ("longer than [digits removed] bytes"). A code must be cut in every shape that
-- the provider or its script writes, and halyard's own text must keep its numbers.
verifier.connect{provider = "traceless"}
halyard.verifier("traceless.lua", [[
local CODES = "requester typed code:482101, code=482102, code-482103, #482104, 4 8 2 1 0 5, "
    .. "482-106, 4.8.2.1.0.7, code:4821, expected code:593011, port 8080 at localhost:8443; PIN 7788"

local function dispatch(request, settings)
    local name = request.requester.name
    if name == "Cody Code" then
        return nil, CODES
    end
    if name == "Pat Port" then
        local _, problem = http.get("https://localhost:9/v1/verifications")
        return nil, "checked code 482108 first; " .. tostring(problem)
    end
    if name == "Tim Timeout" then
        -- The simulator's faults slow its HaloPSA paths only, so the dispatch requests one of those.
        local base = settings.url:gsub("/verifier/traceless$", "")
        local _, problem = http.get(base .. "/api/slowcheck", {timeout_ms = 1500})
        return nil, problem
    end
    if name == "Rae Raise" then
        error("exploded on code:482109")
    end
    return {transaction_id = "tx-" .. name:gsub("%W", ""), method = "email"}
end

local function poll(transaction_id, settings)
    return {status = "failed", detail = CODES}
end

return {name = "Code-leaking Traceless", mode = "poll",
    description = "a provider that puts codes into its details", dispatch = dispatch,
    poll = poll}
]])
local acme = halo.client{id = 12, name = "Acme Ltd"}
local cody = halo.user{name = "Cody Code", client = acme, email = "cody@acme.example"}
local pat = halo.user{name = "Pat Port", client = acme, email = "pat@acme.example"}
local tim = halo.user{name = "Tim Timeout", client = acme, email = "tim@acme.example"}
local rae = halo.user{name = "Rae Raise", client = acme, email = "rae@acme.example"}
local polly = halo.user{name = "Polly Poll", client = acme, email = "polly@acme.example"}
halyard.import(acme)

-- The codes as the script writes them. Each has six digits, so none can be part of a port in
-- the log. The four-digit numbers are checked in notes and run events only.
local CODES = {"482101", "482102", "482103", "482104", "4 8 2 1 0 5", "482-106", "4.8.2.1.0.7",
    "593011", "482108", "482109"}
local SHORT_NUMBERS = {"4821", "8080", "8443", "7788"}

-- Checks that no code of codes is in text.
local function expect_no_code(text, where, codes)
    for _, code in ipairs(codes) do
        expect.eq(text:find(code, 1, true), nil, code .. " is not in " .. where)
    end
end

local function expect_no_code_in_run(ticket, note)
    for _, codes in ipairs({CODES, SHORT_NUMBERS}) do
        expect_no_code(note.text, "the note", codes)
        for _, event in ipairs(halyard.runs(ticket)[1].events) do
            expect_no_code(tostring(event.detail), "the run event " .. event.kind, codes)
        end
    end
end

-- A dispatch that returns codes in every shape.
local coded = halo.log_ticket{user = cody, summary = "Password reset",
    details = "Please reset my password, I forgot it."}
local coded_note = expect.note(coded, {contains = "identity verification error"})
expect.contains(coded_note.text, "requester typed code:[digits removed], code=[digits removed]")
expect.contains(coded_note.text, "#[digits removed], [digits removed], [digits removed]")
expect_no_code_in_run(coded, coded_note)

-- A poll whose failed status carries the codes.
local polled = halo.log_ticket{user = polly, summary = "Unlock my account",
    details = "My account is locked, please unlock it."}
local polled_note = expect.note(polled, {contains = "identity verification failed"})
expect.contains(polled_note.text, "requester typed code:[digits removed], code=[digits removed]")
expect_no_code_in_run(polled, polled_note)

-- halyard's http message keeps its ports; the script's code before it is cut.
local ported = halo.log_ticket{user = pat, summary = "Reset my password",
    details = "I forgot my password, please reset it."}
local port_note = expect.note(ported, {contains = "identity verification error"})
expect.contains(port_note.text, "checked code [digits removed] first; http.get: localhost is on")
expect.contains(port_note.text, "not for port 9")
expect.truthy(port_note.text:find("for port %d%d%d%d%d?") ~= nil,
    "the simulator's port stays in: " .. port_note.text)
expect_no_code_in_run(ported, port_note)

-- halyard's timeout message keeps its milliseconds.
halo.fault{path = "/api/slowcheck", latency_ms = 4000, times = 1}
local slow = halo.log_ticket{user = tim, summary = "Password reset",
    details = "Please reset my password, I forgot it."}
local slow_note = expect.note(slow, {contains = "identity verification error"})
expect.truthy(slow_note.text:find("after 1%d%d%d milliseconds") ~= nil,
    "the timeout keeps its milliseconds: " .. slow_note.text)
expect.eq(slow_note.text:find("[digits removed]", 1, true), nil, "nothing was cut")

-- An error the dispatch raised.
local raised = halo.log_ticket{user = rae, summary = "Unlock my account",
    details = "My account is locked, please unlock it."}
local raise_note = expect.note(raised, {contains = "identity verification error"})
expect.contains(raise_note.text, "traceless.lua.dispatch raised an error")
expect.contains(raise_note.text, "exploded on code:[digits removed]")
expect_no_code_in_run(raised, raise_note)

halyard.settle()
expect_no_code(halyard.log(), "the log", CODES)
