-- Bug: a sensitive policy whose verdict had the wrong types (sensitive = "true",
-- verification_required = "true", strings) was read as "not sensitive" with nothing logged.
-- A request no sensitive workflow matches then reached the plan with no identity check. Now
-- an invalid verdict fails closed as a raising policy does: the requester is challenged, and
-- the log line and the run's screening_unfinished event name the bad field and its value.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.policy("sensitive.lua", [[
return {
    classify = function(ticket)
        local text = ((ticket.summary or "") .. " " .. (ticket.details or "")):lower()
        local sensitive = text:find("door code", 1, true) ~= nil
        return {sensitive = sensitive and "true" or "false", reason = "other",
            verification_required = sensitive and "true" or "false",
            risk = {score = 0, level = "low", signals = {}}, matched = ""}
    end,
}
]])
halyard.import(acme)

-- No shipped workflow declares itself sensitive for this request, so only the policy's verdict
-- decides whether it is checked.
local ticket = halo.log_ticket{user = jane, summary = "Door code",
    details = "Please send me the new door code for the back office."}
halyard.settle()
for _ = 1, 4 do
    clock.advance("10s")
    halyard.settle()
end
expect.note(ticket, {contains = "returned an invalid verdict", timeout = 15})
expect.eq(#verifier.challenges(), 1, "the requester is challenged")
local run = halyard.runs(ticket)[1]
local detail = nil
for _, event in ipairs(run.events) do
    if event.kind == "screening_unfinished" then
        detail = event.detail
    end
end
expect.eq(detail ~= nil, true, "the run records the failed screening")
expect.eq(detail:find("sensitive is the string \"true\", expected a boolean", 1, true) ~= nil,
    true, "the event names the field and its value: " .. tostring(detail))
expect.eq(halyard.log():find("sensitive is the string \"true\"", 1, true) ~= nil, true,
    "the log names the field and its value")
