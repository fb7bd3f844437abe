-- HaloPSA sends the same webhook delivery twice, several times over: the ticket still gets one
-- plan note.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.import(acme)
halo.webhook_fault{duplicate = 5}

local ticket = halo.log_ticket{user = jane, summary = "New starter on Monday",
    details = "A new starter joins on Monday and needs an account and a laptop."}

expect.note(ticket)
expect.notes(ticket, 1)
expect.no_new_note(ticket)
expect.run(ticket, {state = "done", runs = 1})
