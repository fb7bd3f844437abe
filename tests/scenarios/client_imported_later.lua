-- A ticket skipped because its client was not imported gets its run and plan note at its next
-- update once the client is imported.

local globex = halo.client{id = 13, name = "Globex Corp"}
local greta = halo.user{name = "Greta Hansen", client = globex}

local ticket = halo.log_ticket{user = greta, summary = "Shared mailbox access",
    details = "Please give me access to the shared mailbox of the sales team."}
expect.run(ticket, {state = "skipped"})

halyard.import(globex)
halo.reply(ticket, {user = greta, text = "Any news on this?"})

expect.note(ticket, {contains = "Shared mailbox access"})
expect.run(ticket, {state = "done", runs = 2})
expect.notes(ticket, 1)
