-- Regression: after a plan failed, halyard's own "could not write a plan" note came back as a
-- webhook, its sync took it for a ticket update, and the run planned again and failed a second
-- time. halyard's own notes are no update: the run plans again only when someone else changes
-- the ticket.
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

local function count_events(run, kind)
    local count = 0
    for _, event in ipairs(run.events) do
        count = count + (event.kind == kind and 1 or 0)
    end
    return count
end

local ticket = halo.log_ticket{user = jane, summary = "Scanner broken",
    details = "The scanner by reception jams on every page."}
expect.run(ticket, {state = "failed", timeout = 60})
expect.note(ticket, {contains = "could not write a plan", hidden = true, timeout = 30})

-- The failure note's own webhook is read like any other, and halyard reads the ticket again.
local fetch = "GET /api/tickets/" .. ticket.id
halyard.settle{timeout = 60}
local run = expect.run(ticket, {state = "failed", runs = 1})
expect.eq(count_events(run, "plan_failed"), 1, "plan_failed events after halyard's own note")
expect.eq(count_events(run, "retry"), 0, "retry events after halyard's own note")

-- A reply by the requester is an update: the run plans again and fails again.
local fetches = halo.request_count(fetch)
halo.reply(ticket, {user = jane, text = "It still jams, any news?"})
expect.requests(fetch, {at_least = fetches + 1, timeout = 60})
halyard.settle{timeout = 60}
run = expect.run(ticket, {state = "failed", runs = 1})
expect.eq(count_events(run, "plan_failed"), 2, "plan_failed events after the reply")
expect.eq(count_events(run, "retry"), 1, "retry events after the reply")
