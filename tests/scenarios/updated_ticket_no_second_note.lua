-- Replies, edits and reassignment after the plan note join the ticket's run: no second run,
-- no second note.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{name = "Sam Lead", team = "1st Line"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Laptop screen broken",
    details = "My laptop screen is cracked and flickers."}
expect.note(ticket)

halo.reply(ticket, {user = jane, text = "Any update please?"})
halo.reply(ticket, {technician = sam, text = "Looking at it now.", hidden = true})
halo.update(ticket, {technician = sam, assign = sam})
halo.update(ticket, {technician = sam, status = "In Progress", summary = "Laptop screen cracked"})

expect.no_new_note(ticket)
expect.notes(ticket, 1)
local run = expect.run(ticket, {state = "done", runs = 1})
local synced = 0
for _, event in ipairs(run.events) do
    if event.kind == "ticket_synced" then
        synced = synced + 1
    end
end
-- Updates that arrive while a sync runs are taken up by one more sync, so there may be fewer
-- ticket_synced events than updates, but never none.
expect.truthy(synced >= 1, "the run recorded the updates (ticket_synced events: " .. synced .. ")")
