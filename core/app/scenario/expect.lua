-- The scenario API's `expect`: waits for and checks what halyard did. An expectation that
-- waits polls until it is met or its timeout passes (10 s of real time unless it sets its
-- own). A failed one stops the scenario with its file:line, and the report shows what halyard
-- did with the ticket.

local failure = require "failure"
local session = require "session"

local expect = {}

-- How often a waiting expectation checks, in ms. Each check is one or two requests on
-- 127.0.0.1 that take a few milliseconds, and a wait ends on the first check that finds
-- what it waits for.
local POLL_MS = 20
-- How far an expectation that nothing happens moves the clock unless it sets its own.
local DEFAULT_QUIET_ADVANCE = "10m"

-- --- Helpers ---------------------------------------------------------------------------------

local function timeout_ms(name, options)
    if options.timeout == nil then
        return session.DEFAULT_WAIT_MS
    end
    return session.duration(options.timeout, name) * 1000
end

-- Calls check until it returns a value other than nil or false, or timeout_ms passes. Returns
-- the value, or nil at the timeout.
local function poll(wait_ms, check)
    local deadline = host.monotonic_ms() + wait_ms
    while true do
        session.check_alive()
        local value = check()
        if value then
            return value
        end
        if host.monotonic_ms() >= deadline then
            return nil
        end
        host.sleep(POLL_MS)
    end
end

-- Returns text on one line, cut to at most limit characters, in quotes.
local function quote(text, limit)
    local line = tostring(text):gsub("%s+", " ")
    limit = limit or 80
    if #line > limit then
        line = line:sub(1, limit - 3) .. "..."
    end
    return '"' .. line .. '"'
end

-- Returns a one-line list of notes: #id (hidden) "text".
local function describe_notes(notes)
    if #notes == 0 then
        return "none"
    end
    local parts = {}
    for _, note in ipairs(notes) do
        parts[#parts + 1] = string.format("#%d%s %s", note.id, note.hidden and " (hidden)" or "",
            quote(note.text, 60))
    end
    return table.concat(parts, "; ")
end

local function describe_runs(runs)
    if #runs == 0 then
        return "no run"
    end
    local parts = {}
    for _, run in ipairs(runs) do
        parts[#parts + 1] = string.format("run %d %s", run.id, run.state)
    end
    return table.concat(parts, ", ")
end

-- Returns true when a note passes the filters of options (contains, hidden).
local function note_matches(note, options)
    if options.hidden ~= nil and note.hidden ~= options.hidden then
        return false
    end
    if options.contains ~= nil then
        local needle = options.contains
        if not note.text:find(needle, 1, true) and not note.html:find(needle, 1, true) then
            return false
        end
    end
    return true
end

-- Describes the filters of options for a message: ` containing "x"` and ` hidden`.
local function describe_filters(options)
    local parts = ""
    if options.hidden == true then
        parts = parts .. " hidden from the user"
    elseif options.hidden == false then
        parts = parts .. " visible to the user"
    end
    if options.contains ~= nil then
        parts = parts .. " containing " .. quote(options.contains)
    end
    return parts
end

local NOTE_FILTERS = {contains = true, hidden = true, timeout = true}

-- --- Notes -----------------------------------------------------------------------------------

-- Waits for a note by halyard on ticket that passes the filters: {contains = text, hidden =
-- true/false, timeout = seconds}. Returns the note ({id, text, html, hidden, outcome, ...}).
function expect.note(ticket, options)
    local name = "expect.note"
    options = options or {}
    session.check_fields(name, options, NOTE_FILTERS)
    local ticket_id = session.id_of(ticket, "ticket", name)
    local wait = timeout_ms(name, options)
    local found = poll(wait, function()
        for _, note in ipairs(session.notes(ticket_id)) do
            if note_matches(note, options) then
                return note
            end
        end
    end)
    if not found then
        failure.raise(string.format("expected a halyard note on ticket %d%s within %.0f s; " ..
            "its halyard notes: %s", ticket_id, describe_filters(options), wait / 1000,
            describe_notes(session.notes(ticket_id))), {ticket = ticket_id})
    end
    return found
end

-- Waits until halyard has nothing on its way, then checks that ticket has exactly count notes
-- by halyard ({timeout = seconds} bounds the wait). Returns the notes.
function expect.notes(ticket, count, options)
    local name = "expect.notes"
    options = options or {}
    session.check_fields(name, options, {timeout = true})
    local ticket_id = session.id_of(ticket, "ticket", name)
    if not session.integer(count) or count < 0 then
        failure.misuse(name, "count must be a whole number of notes, 0 or more")
    end
    session.settle(timeout_ms(name, options))
    local notes = session.notes(ticket_id)
    if #notes ~= count then
        failure.raise(string.format("expected %d halyard note%s on ticket %d, found %d: %s",
            count, count == 1 and "" or "s", ticket_id, #notes, describe_notes(notes)),
            {ticket = ticket_id})
    end
    return notes
end

-- Checks that halyard adds no note to ticket. It counts the notes now and lets halyard finish
-- what is on its way. Then it moves the test clock forward by advance (default "10m", false
-- for no move) so retries and timers fire, lets halyard finish again and counts again. So it
-- proves a negative without sleeping.
function expect.no_new_note(ticket, options)
    local name = "expect.no_new_note"
    options = options or {}
    session.check_fields(name, options, {advance = true, timeout = true})
    local ticket_id = session.id_of(ticket, "ticket", name)
    local before = session.notes(ticket_id)
    local wait = timeout_ms(name, options)
    session.settle(wait)
    local advance = options.advance
    if advance == nil then
        advance = DEFAULT_QUIET_ADVANCE
    end
    if advance then
        local seconds = session.duration(advance, name)
        if seconds > 0 then
            session.advance_clock(seconds)
            session.settle(wait)
        end
    end
    local after = session.notes(ticket_id)
    if #after > #before then
        local new = table.move(after, #before + 1, #after, 1, {})
        failure.raise(string.format("expected no new halyard note on ticket %d, found %d " ..
            "new: %s", ticket_id, #new, describe_notes(new)), {ticket = ticket_id})
    end
end

-- --- Runs ------------------------------------------------------------------------------------

-- Waits until ticket's newest run is in state ("planning", "posting", "done", "skipped",
-- "failed"), and, with runs = N, until the ticket has N runs: {state =, runs =, timeout =}.
-- Returns the newest run.
function expect.run(ticket, options)
    local name = "expect.run"
    options = options or {}
    session.check_fields(name, options, {state = true, runs = true, timeout = true})
    local ticket_id = session.id_of(ticket, "ticket", name)
    if options.state == nil and options.runs == nil then
        failure.misuse(name, "say what to expect: state = and/or runs =")
    end
    local wait = timeout_ms(name, options)
    local last = {}
    local found = poll(wait, function()
        last = session.runs(ticket_id)
        local newest = last[1]
        if options.runs ~= nil and #last ~= options.runs then
            return nil
        end
        if options.state ~= nil and (newest == nil or newest.state ~= options.state) then
            return nil
        end
        return newest or true
    end)
    if not found then
        local wanted = {}
        if options.state then
            wanted[#wanted + 1] = "its newest run in state " .. quote(options.state)
        end
        if options.runs then
            wanted[#wanted + 1] = string.format("%d run%s", options.runs,
                options.runs == 1 and "" or "s")
        end
        failure.raise(string.format("expected ticket %d to have %s within %.0f s; it has %s",
            ticket_id, table.concat(wanted, " and "), wait / 1000, describe_runs(last)),
            {ticket = ticket_id})
    end
    return found ~= true and found or nil
end

-- --- HaloPSA requests ------------------------------------------------------------------------

-- Checks how many requests HaloPSA's API received for key ("GET /api/tickets/5"):
-- {at_least = N} waits until there are that many; {at_most = N} and {exactly = N} first let
-- halyard finish what is on its way. Returns the count.
function expect.requests(key, options)
    local name = "expect.requests"
    options = options or {}
    session.check_fields(name, options, {at_least = true, at_most = true, exactly = true,
        timeout = true})
    if options.at_least == nil and options.at_most == nil and options.exactly == nil then
        failure.misuse(name, "say what to expect: at_least =, at_most = or exactly =")
    end
    local halo = require("halo").api
    local wait = timeout_ms(name, options)
    local count = halo.request_count(key)
    if options.at_least ~= nil then
        count = poll(wait, function()
            local now = halo.request_count(key)
            return now >= options.at_least and now or nil
        end) or halo.request_count(key)
        if count < options.at_least then
            failure.raise(string.format("expected at least %d requests %s within %.0f s, " ..
                "found %d", options.at_least, key, wait / 1000, count))
        end
    end
    if options.at_most ~= nil or options.exactly ~= nil then
        session.settle(wait)
        count = halo.request_count(key)
        if options.exactly ~= nil and count ~= options.exactly then
            failure.raise(string.format("expected exactly %d requests %s, found %d",
                options.exactly, key, count))
        end
        if options.at_most ~= nil and count > options.at_most then
            failure.raise(string.format("expected at most %d requests %s, found %d",
                options.at_most, key, count))
        end
    end
    return count
end

-- --- halyard's log ---------------------------------------------------------------------------

-- Waits until halyard's log contains text (plain text, not a pattern): {timeout = seconds}.
-- Returns the first line that contains it.
function expect.logged(text, options)
    local name = "expect.logged"
    options = options or {}
    session.check_fields(name, options, {timeout = true})
    if type(text) ~= "string" or text == "" then
        failure.misuse(name, "expected the text to look for")
    end
    session.ensure_started()
    local wait = timeout_ms(name, options)
    local line = poll(wait, function()
        for candidate in session.halyard_log():gmatch("[^\n]+") do
            if candidate:find(text, 1, true) then
                return candidate
            end
        end
    end)
    if not line then
        failure.raise(string.format("expected halyard to log %s within %.0f s; it did not",
            quote(text), wait / 1000))
    end
    return line
end

-- --- Plain checks ----------------------------------------------------------------------------

-- Compares two values: numbers by value (4242.0 equals 4242), tables key by key.
local function equal(a, b)
    if type(a) == "number" and type(b) == "number" then
        return a == b
    end
    if type(a) ~= "table" or type(b) ~= "table" then
        return a == b
    end
    for key, value in pairs(a) do
        if not equal(value, b[key]) then
            return false
        end
    end
    for key in pairs(b) do
        if a[key] == nil then
            return false
        end
    end
    return true
end

local function show(value)
    if type(value) == "string" then
        return quote(value, 200)
    end
    if type(value) == "table" then
        local ok, text = pcall(json.encode, value)
        return ok and text:sub(1, 200) or tostring(value)
    end
    return tostring(value)
end

local function label(what)
    return what and (what .. ": ") or ""
end

function expect.eq(actual, expected, what)
    if not equal(actual, expected) then
        failure.raise(string.format("%sexpected %s, got %s", label(what), show(expected),
            show(actual)))
    end
end

function expect.truthy(value, what)
    if not value then
        failure.raise(string.format("%sexpected a true value, got %s", label(what), show(value)))
    end
end

-- Checks that text contains needle (plain text), or that a list contains an element equal to
-- it.
function expect.contains(haystack, needle, what)
    if type(haystack) == "string" and type(needle) == "string" then
        if not haystack:find(needle, 1, true) then
            failure.raise(string.format("%sexpected %s to contain %s", label(what),
                show(haystack), show(needle)))
        end
        return
    end
    if type(haystack) == "table" then
        for _, item in ipairs(haystack) do
            if equal(item, needle) then
                return
            end
        end
        failure.raise(string.format("%sexpected a list holding %s, got %s", label(what),
            show(needle), show(haystack)))
    end
    failure.misuse("expect.contains", "expected text and the text to find, or a list")
end

-- Checks that text does not contain needle (plain text).
function expect.not_contains(text, needle, what)
    if type(text) ~= "string" or type(needle) ~= "string" then
        failure.misuse("expect.not_contains", "expected text and the text that must be absent")
    end
    if text:find(needle, 1, true) then
        failure.raise(string.format("%sexpected %s not to contain %s", label(what), show(text),
            show(needle)))
    end
end

-- Fails the scenario with message.
function expect.fail(message)
    failure.raise(tostring(message))
end

return {
    api = expect,
    install = function(environment)
        environment.expect = expect
    end,
}
