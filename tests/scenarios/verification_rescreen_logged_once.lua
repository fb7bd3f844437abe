-- The line "the ticket changed since it was screened" named the MSP as msp_id=1, where every
-- other line prints msp=NAME. Each sync that found the change before the screening ran logged it
-- again, so a reply and a technician's save right after it gave two lines for one screening.
-- It now names the MSP and is logged once, by the sync that queues the screening.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.tool("m365_reset_password.lua", {file = "fixtures/m365_reset_password.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
halo.update(ticket, {technician = sam, assign = sam})
verifier.approve(verifier.expect_challenge(ticket))
expect.note(ticket, {contains = "asks for approval"})

halo.reply(ticket, {user = jane, text = "Thanks, go ahead with the reset."})
halo.update(ticket, {technician = sam, priority = 2})
halyard.settle()
expect.run(ticket, {state = "awaiting_approval"})

local log = halyard.log()
local lines = 0
for line in log:gmatch("[^\n]+") do
    if line:find("the ticket changed since it was screened", 1, true) then
        lines = lines + 1
        expect.contains(line, "msp=default ticket=" .. ticket.id, "the line names the MSP")
    end
end
expect.eq(lines, 1, "one line for the one screening")
expect.not_contains(log, "msp_id=", "no line names the MSP by id")
expect.eq(#verifier.challenges(), 1, "the reply needs no second challenge")
