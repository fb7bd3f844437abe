-- A sensitive ticket while no verification provider is connected: the run is marked
-- sensitive with verification not_connected, and the agent goes on to a plan whose note says
-- that every write needs a technician's approval.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}

local plan = expect.note(ticket, {contains = "halyard plan for ticket"})
expect.contains(plan.text, "identity was not verified")
expect.contains(plan.text, "every step that writes needs a technician's approval")
local run = expect.run(ticket, {state = "done", runs = 1})
local screened = nil
for _, event in ipairs(run.events) do
    if event.kind == "screened" and event.detail:find("not_connected", 1, true) then
        screened = event
    end
end
expect.truthy(screened, "a screening event says the run is sensitive and not_connected")
expect.contains(screened.detail, "sensitive")
expect.no_new_note(ticket)
