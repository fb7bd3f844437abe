-- A workflow's gather that runs past its instruction limit stops the whole plan. The run
-- fails, and the ticket gets one hidden note saying that halyard could not write a plan,
-- which limit was hit and in which file, so the technician works the ticket as usual. The
-- script's own error text stays in the log and the run's events. The run plans again at the
-- ticket's next update and, failing again, adds no second note.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.import(acme)

halyard.workflow("endless_gather.lua", [[
return {
    name = "Scanner fault",
    status = "active",
    scope = "all",
    trigger = "A document scanner is broken.",
    match = {any = {"scanner"}},
    instructions = "1. Restart the scanner.",
    gather = function(context)
        local count = 0
        while true do
            count = count + 1
        end
    end,
    samples = {
        match = {{source = "written", summary = "Scanner broken", details = "scanner jams"}},
        no_match = {{source = "written", summary = "Printer jam", details = "paper jam"}},
    },
}
]])

local ticket = halo.log_ticket{user = jane, summary = "Scanner broken",
    details = "The scanner by reception jams on every page."}
local run = expect.run(ticket, {state = "failed", timeout = 60})
local kinds = {}
for _, event in ipairs(run.events) do
    kinds[event.kind] = true
end
expect.truthy(kinds.plan_failed, "the run has a plan_failed event")

local note = expect.note(ticket, {contains = "could not write a plan", hidden = true,
    timeout = 30})
expect.contains(note.text, "time or instruction limit", "the note names the limit")
expect.contains(note.text, "endless_gather.lua:", "the note names the script file and line")
expect.contains(note.text, "work it as usual", "the note tells the technician what to do")

-- The requester's reply is an update: the failed run plans again and fails the same way, and
-- the technician is not told twice.
-- The reply's sync reads the ticket again before it plans; settling only after that read has
-- started waits for the new plan too, however slow the machine is.
local fetch = "GET /api/tickets/" .. ticket.id
local fetches = halo.request_count(fetch)
halo.reply(ticket, {user = jane, text = "It still jams, any news?"})
expect.requests(fetch, {at_least = fetches + 1, timeout = 60})
halyard.settle{timeout = 60}
run = expect.run(ticket, {state = "failed", runs = 1})
local failures = 0
for _, event in ipairs(run.events) do
    failures = failures + (event.kind == "plan_failed" and 1 or 0)
end
expect.truthy(failures >= 2, "the run planned again after the reply and failed again")
local plan_notes = 0
for _, action in ipairs(halo.actions(ticket)) do
    if (action.text or ""):find("could not write a plan", 1, true) then
        plan_notes = plan_notes + 1
    end
end
expect.eq(plan_notes, 1, "one failure note for two runs that failed alike")
