-- A ticket of a client that was not imported is recorded as a skipped run and gets no note,
-- while a ticket of an imported client logged at the same time does.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local globex = halo.client{id = 13, name = "Globex Corp"}
local jane = halo.user{name = "Jane Doe", client = acme}
local greta = halo.user{name = "Greta Hansen", client = globex}
halyard.import(acme)

local skipped = halo.log_ticket{user = greta, summary = "Printer offline",
    details = "The printer on the first floor is not printing."}
local worked = halo.log_ticket{user = jane, summary = "Printer offline",
    details = "The printer on the first floor is not printing."}

expect.note(worked, {contains = "Printer problem"})
local run = expect.run(skipped, {state = "skipped", runs = 1})
expect.eq(run.client_id, 13, "the skipped run names the client")
expect.notes(skipped, 0)
expect.no_new_note(skipped)
expect.logged("ticket=" .. skipped.id .. " skipped: client 13 is not imported")
