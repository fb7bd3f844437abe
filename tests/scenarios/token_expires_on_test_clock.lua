-- HaloPSA's access token (valid for an hour) expires while halyard waits: after two hours on
-- the test clock the old token is refused, halyard fetches a new one and works the next ticket
-- as before. Uses the simulator's built-in data: client 12 (Acme Ltd) and its user 77 (Jane
-- Doe).

halo.settings{token_lifetime = 3600}
halyard.import(12)

local first = halo.log_ticket{user = 77, summary = "Printer offline",
    details = "The printer is not printing."}
expect.note(first, {contains = "Printer problem"})
local tokens = expect.requests("POST /auth/token", {at_least = 1})

clock.advance("2h")
local second = halo.log_ticket{user = 77, summary = "Mailbox full",
    details = "Outlook says my mailbox is full."}

expect.note(second, {contains = "Mailbox full"})
expect.requests("POST /auth/token", {at_least = tokens + 1})
