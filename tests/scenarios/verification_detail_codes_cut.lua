-- The digit cut of a provider's detail kept any number up to 65535 after a colon as a port, so
-- "code:4821" reached the note, the log and the database. It also cut the numbers of halyard's
-- own messages ("longer than [digits removed] bytes"). Later it still kept codes written with
-- thousands separators, colons, "&nbsp;" or in hexadecimal, and every number after a provider's
-- "http.get: ", which it took for halyard's own http message. A code must be cut in every shape
-- that the provider or its script writes, and halyard's own text must keep its numbers.
verifier.connect{provider = "traceless"}
halyard.verifier("traceless.lua", [[
-- halyard stores the texts of the MSP's scripts in its database, and the integration test
-- "provider codes not in database" reads the whole file for these codes, so the script puts
-- them together at run time.
local FIRST = "48" .. "21"
local CODES = "requester typed code:" .. FIRST .. "01, code=" .. FIRST .. "02, code-" .. FIRST
    .. "03, #" .. FIRST .. "04, 4 8 2 1 0 5, 482-106, 4.8.2.1.0.7, code:4821, expected code:"
    .. "5930" .. "11, port 8080 at localhost:8443; PIN 7788"

-- Each detail stays under the 200 characters halyard keeps once its codes are cut.
local VARIANTS = "a 4,821 b 1,234,567 c 48:21 d 12:34:56 e 48&nbsp;21 f"
local FORGED = "f 0x12D5 g 48\194\16021 h 4 - 8 - 2 - 1 i 12d5; http.get: code:48213 and 4821 "
    .. "bytes; HTTP 503"

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
    if name == "Vera Variant" then
        return nil, VARIANTS
    end
    if name == "Finn Forged" then
        return nil, FORGED
    end
    if name == "Rae Raise" then
        error("exploded on code:" .. FIRST .. "09")
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
local vera = halo.user{name = "Vera Variant", client = acme, email = "vera@acme.example"}
local finn = halo.user{name = "Finn Forged", client = acme, email = "finn@acme.example"}
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
-- Numbers that only separators part are cut as one.
expect.contains(coded_note.text, "code-[digits removed], code:[digits removed], expected")
expect_no_code_in_run(coded, coded_note)

-- A poll whose failed status carries the codes.
local polled = halo.log_ticket{user = polly, summary = "Unlock my account",
    details = "My account is locked, please unlock it."}
local polled_note = expect.note(polled, {contains = "identity verification failed"})
expect.contains(polled_note.text, "requester typed code:[digits removed], code=[digits removed]")
expect_no_code_in_run(polled, polled_note)

-- A message of halyard's http functions that the script passes on is cut like the rest of
-- the script's text, because a provider can write the same words.
local ported = halo.log_ticket{user = pat, summary = "Reset my password",
    details = "I forgot my password, please reset it."}
local port_note = expect.note(ported, {contains = "identity verification error"})
expect.contains(port_note.text, "checked code [digits removed] first; http.get: localhost is on")
expect.contains(port_note.text, "not for port 9")
expect.eq(port_note.text:find("for port %d%d%d%d"), nil,
    "the simulator's port is cut: " .. port_note.text)
expect_no_code_in_run(ported, port_note)

-- The same holds for the milliseconds of a timeout message.
halo.fault{path = "/api/slowcheck", latency_ms = 4000, times = 1}
local slow = halo.log_ticket{user = tim, summary = "Password reset",
    details = "Please reset my password, I forgot it."}
local slow_note = expect.note(slow, {contains = "identity verification error"})
expect.contains(slow_note.text, "after [digits removed] milliseconds")

-- Codes with thousands separators, colons and "&nbsp;".
local variant = halo.log_ticket{user = vera, summary = "Password reset",
    details = "Please reset my password, I forgot it."}
local variant_note = expect.note(variant, {contains = "identity verification error"})
for _, cut in ipairs({"a [digits removed] b", "b [digits removed] c", "c [digits removed] d",
        "d [digits removed] e", "e [digits removed] f"}) do
    expect.contains(variant_note.text, cut)
end
expect_no_code_in_run(variant, variant_note)

-- Codes in hexadecimal, with a non-breaking space, and after a forged "http.get: ".
local forged = halo.log_ticket{user = finn, summary = "Password reset",
    details = "Please reset my password, I forgot it."}
local forged_note = expect.note(forged, {contains = "identity verification error"})
for _, cut in ipairs({"f [digits removed] g", "g [digits removed] h", "h [digits removed] i",
        "i [digits removed];", "code:[digits removed] and [digits removed] bytes",
        "HTTP 503"}) do
    expect.contains(forged_note.text, cut)
end
expect_no_code_in_run(forged, forged_note)

for _, note in ipairs({variant_note, forged_note}) do
    for _, code in ipairs({"4,821", "48:21", "12:34", "nbsp", "12D5", "12d5", "48213"}) do
        expect.eq(note.text:find(code, 1, true), nil, code .. " is not in the note")
    end
end

-- An error the dispatch raised.
local raised = halo.log_ticket{user = rae, summary = "Unlock my account",
    details = "My account is locked, please unlock it."}
local raise_note = expect.note(raised, {contains = "identity verification error"})
expect.contains(raise_note.text, "traceless.lua.dispatch raised an error")
expect.contains(raise_note.text, "exploded on code:[digits removed]")
expect_no_code_in_run(raised, raise_note)

halyard.settle()
expect_no_code(halyard.log(), "the log", CODES)
