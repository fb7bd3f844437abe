-- Bug: a poll's answer carried no time, so halyard counted a pass it read long after the
-- deadline as verified, however late the requester had answered. A pass read after the deadline
-- now counts only when the provider's time of the answer (answered_at) is at or before the
-- deadline, or, when the provider gives no time, when halyard read it at most 30 s after the
-- deadline. Each case below has a provider script of its own that reports answered_at as
-- written, polling the fake provider.
verifier.connect{provider = "traceless", timeout_s = 300}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

-- Returns the text of a Traceless-style provider script whose poll reports answered_at as the
-- Lua expression given (nil for none).
local function provider_script(answered_at)
    return string.format([[
local STATUSES = {pending = "pending", approved = "verified", denied = "failed",
    expired = "expired"}
local function headers(settings)
    return {Authorization = "Bearer " .. settings.api_key,
        ["Content-Type"] = "application/json"}
end
return {
    name = "Traceless with a set answer time",
    mode = "poll",
    dispatch = function(request, settings)
        local response, problem = http.post(settings.url .. "/v1/verifications",
            json.encode({channel = "email", email = request.requester.email,
                name = request.requester.name, reference = request.reference}),
            {headers = headers(settings), timeout_ms = 10000})
        if response == nil then
            return nil, problem
        end
        return {transaction_id = json.decode(response.body).transaction_id, method = "email"}
    end,
    poll = function(transaction_id, settings)
        local response, problem = http.get(settings.url .. "/v1/verifications/"
            .. transaction_id, {headers = headers(settings), timeout_ms = 10000})
        if response == nil then
            return {status = "error", detail = problem}
        end
        local answer = json.decode(response.body)
        return {status = STATUSES[answer.status], answered_at = %s}
    end,
}
]], answered_at)
end

-- Logs a ticket with the provider script in place, lets Jane pass at once, and moves the clock
-- by advance, which runs the deadline's poll. Returns the outcome note.
local function pass_read_after(case, answered_at, advance)
    halyard.verifier("traceless.lua", provider_script(answered_at))
    halyard.settle()
    local ticket = halo.log_ticket{user = jane, summary = "Password reset (" .. case .. ")",
        details = "I forgot my password, please reset it."}
    local challenge = verifier.expect_challenge(ticket)
    halyard.settle()
    expect.run(ticket, {state = "awaiting_verification"})
    verifier.approve(challenge)
    clock.advance(advance)
    halyard.settle()
    return expect.note(ticket, {contains = "halyard verification, run"}), ticket
end

-- No time, read 60 s after the deadline: the pass may have come late, so it does not count.
local note, ticket = pass_read_after("no time, late", "nil", "6m")
expect.contains(note.text, "identity verification expired", "no time, late: the outcome")
expect.contains(note.text, "passed the challenge only after the timeout of 5 minutes",
    "no time, late: the note says why")
expect.contains(note.text, "the provider gave no time of the answer",
    "no time, late: the note says the provider gave no time")
expect.run(ticket, {state = "verification_failed"})

-- No time, read within 30 s of the deadline: the deadline's own poll reads such passes.
note, ticket = pass_read_after("no time, at the deadline", "nil", "310s")
expect.contains(note.text, "identity verified", "no time, at the deadline: the pass counts")

-- A time before the deadline, as an RFC 3339 text with an offset, read 60 s late: it counts.
note = pass_read_after("offset time", [["2000-01-01T01:00:00.250+01:00"]], "6m")
expect.contains(note.text, "identity verified", "offset time: the pass counts")

-- A time before the deadline as seconds since 1970: it counts.
note = pass_read_after("seconds", "946684800", "6m")
expect.contains(note.text, "identity verified", "seconds: the pass counts")

-- A time after the deadline: the pass does not count, and the note gives the time.
note = pass_read_after("late time", [["2999-01-01T00:00:00Z"]], "6m")
expect.contains(note.text, "identity verification expired", "late time: the outcome")
expect.contains(note.text, "at 2999-01-01 00:00:00 UTC by the provider's clock",
    "late time: the note gives the provider's time")

-- An invalid time is left out with a warning, so the pass counts as one without a time.
note = pass_read_after("invalid time", [["yesterday"]], "6m")
expect.contains(note.text, "identity verification expired", "invalid time: the outcome")
expect.contains(note.text, "the provider gave no time of the answer",
    "invalid time: read as no time")
expect.contains(halyard.log(), "returned an invalid answered_at",
    "invalid time: the log names the problem")

-- Fractional seconds need their dot: digits run on after the seconds make the time invalid.
note = pass_read_after("digits after seconds", [["2000-01-01T00:00:00123Z"]], "6m")
expect.contains(note.text, "the provider gave no time of the answer",
    "digits after seconds: read as no time")
