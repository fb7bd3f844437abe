-- Execute mode: the assigned technician approves, and halyard is killed after the sync held the
-- approval back for its screen and while that screen reads the ticket. After the restart the
-- screen runs again, finds the ticket still not sensitive, and only then is the approval read:
-- each approved step runs once.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline_status.lua"})
halyard.import(acme, {mode = "execute"})

-- Returns the position of the first event of kind in the ticket's newest run, or nil.
local function event_position(ticket, kind)
    for index, event in ipairs(halyard.runs(ticket)[1].events) do
        if event.kind == kind then
            return index
        end
    end
    return nil
end

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})
expect.run(ticket, {state = "awaiting_approval"})
halyard.settle()

-- Every read of the ticket's actions takes 3 s: the sync's read, then the screen's.
halo.fault{method = "GET", path = "/api/actions", ticket = ticket.id, latency_ms = 3000}
halo.reply(ticket, {technician = sam, text = "Approved.", hidden = true})
expect.logged("until the update is screened")
expect.eq(event_position(ticket, "screened_again"), nil, "the screen has not finished")
halyard.restart{kill = true}
halo.clear_faults()

expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done", runs = 1})
expect.eq(halo.ticket(ticket).status_id, 4, "the approved status change was made")
local screened = event_position(ticket, "screened_again")
local approved = event_position(ticket, "approval_approved")
expect.truthy(screened, "the approval's update was screened after the restart")
expect.truthy(approved, "the approval was read after the restart")
expect.truthy(screened < approved, "the update was screened before the approval was read")
expect.requests("POST /api/tickets", {exactly = 1})
expect.no_new_note(ticket)
