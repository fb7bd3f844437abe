-- Bug: a sensitive policy that raised an error on a ticket's text made the screen job fail on
-- every retry until it died, and the run stayed in planning with no note and no challenge.
-- Now the third raising attempt treats the ticket as sensitive, as a screening that hits a
-- limit does: a hidden note names the error and `halyard workflows lint`, and the requester
-- is challenged.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.policy("sensitive.lua", [[
return {
    classify = function(ticket)
        if (ticket.details or ""):find("boom", 1, true) then
            local missing = nil
            return missing.field
        end
        return {sensitive = false, reason = "other", verification_required = false,
            risk = {score = 0, level = "low", signals = {}}, matched = ""}
    end,
}
]])
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "boom: I forgot my password, please reset it."}
halyard.settle()
for _ = 1, 4 do
    clock.advance("10s")
    halyard.settle()
end
expect.note(ticket, {contains = "sensitive policy raised an error", timeout = 15})
expect.note(ticket, {contains = "halyard workflows lint", timeout = 15})
expect.eq(#verifier.challenges(), 1, "the requester is challenged once")
local run = halyard.runs(ticket)[1]
expect.eq(run.state ~= "planning", true, "the run left planning")
local events = {}
for _, event in ipairs(run.events) do
    events[event.kind] = true
end
expect.eq(events.screening_unfinished, true, "the run records the screening that raised")
expect.eq(halyard.activity().jobs_dead, 0, "no job died")
