-- HaloPSA loses the webhook delivery of a new ticket: nothing happens until the next change to
-- the ticket, whose delivery makes halyard fetch it and write the plan.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.import(acme)
halo.webhook_fault{drop = 1}

local ticket = halo.log_ticket{user = jane, summary = "Mailbox full",
    details = "Outlook says my mailbox is full and I cannot send e-mail."}
expect.notes(ticket, 0)
expect.run(ticket, {runs = 0})

halo.reply(ticket, {user = jane, text = "Still cannot send anything, please help."})
expect.note(ticket, {contains = "Mailbox full"})
expect.notes(ticket, 1)
