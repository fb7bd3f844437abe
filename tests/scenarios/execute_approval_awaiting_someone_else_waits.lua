-- Regression: an approval that waited on someone else ran at once. "Approved, Jane must
-- confirm" and "Approved. Waiting for Jane." hold only once Jane confirms, but the policy
-- read an obligation on another person as an explanation beside the yes. Each reply now
-- reaches the agent as a message and no step runs; a plain approval then runs them.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval"})

for _, text in ipairs({"Approved, Jane must confirm", "Approved. Waiting for Jane.",
    "Approved. Requires manager sign-off."}) do
    halo.reply(ticket, {technician = sam, text = text, hidden = true})
    expect.logged("neutral (conditional)")
    halyard.settle()
    expect.run(ticket, {state = "awaiting_approval"})
    expect.eq(halo.ticket(ticket).status_id, 1, text .. " runs no step")
end
for _, found in ipairs(halyard.notes(ticket)) do
    expect.not_contains(found.text, "finished plan", "no step ran before the plain approval")
end

halo.reply(ticket, {technician = sam, text = "Approved, I'll let Jane know.", hidden = true})
expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done"})
expect.eq(halo.ticket(ticket).status_id, 4, "the plain approval runs the steps")
