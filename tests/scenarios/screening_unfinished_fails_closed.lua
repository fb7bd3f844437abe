-- Bug: a screening that could not finish (the sensitive policy ran into the instruction limit
-- on the ticket's text) failed on every retry for an hour, and the ticket got no note at all.
-- Now a second such failure treats the ticket as sensitive and states so in a note. With no
-- provider connected, every write then needs approval.
halyard.policy("sensitive.lua", [[
local sensitive = {}
function sensitive.classify(request)
    if request.details:find("endless", 1, true) then
        while true do end
    end
    return {sensitive = false, reason = "not_sensitive", verification_required = false}
end
return sensitive
]])
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

-- No provider is connected, so the plan note states that every write needs approval.
local first = halo.log_ticket{user = jane, summary = "Build script fails",
    details = "The build loops, an endless paste follows."}
halyard.settle()
clock.advance("10s")
expect.note(first, {contains = "could not be screened", timeout = 15})
expect.note(first, {contains = "every step that writes needs a technician", timeout = 15})
local events = {}
for _, event in ipairs(halyard.runs(first)[1].events) do
    events[event.kind] = true
end
expect.eq(events.screening_unfinished, true, "the run records the unfinished screening")

-- A ticket the policy can read is planned as before, with no such note.
local plain = halo.log_ticket{user = jane, summary = "Printer jam",
    details = "The printer on floor 2 keeps jamming."}
expect.note(plain, {contains = "halyard plan for ticket", timeout = 15})
for _, note in ipairs(halyard.notes(plain)) do
    expect.eq(note.text:find("could not be screened", 1, true), nil, "no unscreened note")
end
