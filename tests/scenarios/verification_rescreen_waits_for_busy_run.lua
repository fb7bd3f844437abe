-- Execute mode: the ticket is edited into a password reset while the run's execute job is in
-- the middle of a slow step. The screening waits until the job has posted its approval request,
-- then the run waits for the requester's identity check, and the job finishing does not move
-- the run on from that wait. Once verified, a new request is posted and its approval runs the
-- steps once.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", [[
return {
    name = "Kiosk offline",
    status = "active",
    scope = "all",
    trigger = "A visitor kiosk is offline.",
    match = {all = {{"kiosk*"}}},
    instructions = "List the client's assets, note the restart and wait on the requester.",
    steps = {
        {tool = "halo.list_client_assets", kind = "read",
            arguments = {client_id = "{ticket.client.id}"}, purpose = "Find the kiosk."},
        {tool = "halo.add_note", kind = "write", arguments = {note = "Restarted the kiosk remotely."},
            purpose = "Record the restart."},
    },
    samples = {
        match = {{source = "written", summary = "Kiosk offline", details = "kiosk down"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]])
-- The shipped password reset workflow is switched off, so the kiosk workflow alone plans the
-- edited ticket.
halyard.workflow("password_reset.lua", [[
return {
    name = "Password reset",
    status = "draft",
    scope = "all",
    trigger = "Someone forgot a password.",
    match = {all = {{"password*"}, {"reset*"}}},
    instructions = "Reset the password.",
    samples = {
        match = {{source = "written", summary = "Password reset", details = "reset it"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]])
halyard.import(acme, {mode = "execute"})

-- The asset list is the execute job's first step; HaloPSA returns it after 4 s.
halo.fault{method = "GET", path = "/api/Asset", latency_ms = 4000}
local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.run(ticket, {state = "executing"})

halo.update(ticket, {technician = sam, summary = "Kiosk offline and password reset",
    details = "The visitor kiosk shows a blank screen. Also, I forgot my password: please "
        .. "reset it."})
expect.note(ticket, {contains = "asks for approval"})
local challenge = verifier.expect_challenge(ticket)
halyard.settle()
halo.clear_faults()
expect.run(ticket, {state = "awaiting_verification", runs = 1})

verifier.approve(challenge)
expect.note(ticket, {contains = "identity verified"})
-- The run waits again as soon as its new request is stored, and the note reaches HaloPSA
-- through the outbox just after, so the scenario lets halyard finish what is on its way.
expect.run(ticket, {state = "awaiting_approval"})
halyard.settle()
expect.no_new_note(ticket, {advance = false})
local requests = 0
for _, note in ipairs(halyard.notes(ticket)) do
    if note.text:find("asks for approval", 1, true) then
        requests = requests + 1
    end
end
expect.eq(requests, 2, "the verified ticket gets a request of its own")

halo.reply(ticket, {technician = sam, text = "Approved.", hidden = true})
expect.note(ticket, {contains = "finished plan"})
expect.run(ticket, {state = "done", runs = 1})
local restarts = 0
for _, note in ipairs(halyard.notes(ticket)) do
    if note.text:find("^Restarted the kiosk remotely%.") then
        restarts = restarts + 1
    end
end
expect.eq(restarts, 1, "the approved note step ran once")
expect.no_new_note(ticket)
