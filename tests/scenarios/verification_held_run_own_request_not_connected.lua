-- A run held without a challenge because only another end user asked is screened again when
-- the requester asks herself. With no verification provider connected she cannot be challenged,
-- so the Plan-mode run, whose plan note was posted, gets a note that her identity was not
-- verified, as any ticket edited into a sensitive one without a provider does.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local bob = halo.user{name = "Bob Stone", client = acme, email = "bob.stone@acme.example"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Printer jams",
    details = "The second floor printer jams on every page."}
expect.note(ticket, {contains = "halyard plan for ticket"})
halyard.settle()

halo.reply(ticket, {user = bob, text = "Please reset my password too, I forgot it."})
expect.note(ticket, {contains = "is not the requester's own", hidden = true})
halyard.settle{timeout = 20}

halo.reply(ticket, {user = jane, text = "I forgot my password as well, please reset it."})
local note = expect.note(ticket, {contains = "the requester's identity was not verified",
    hidden = true})
expect.contains(note.text, "no identity verification provider is connected",
    "the note says why she was not challenged")
expect.run(ticket, {state = "done", runs = 1})
local run = halyard.runs(ticket)[1]
local rescreened = nil
for _, event in ipairs(run.events) do
    if event.kind == "rescreened" then
        rescreened = event
    end
end
expect.contains(rescreened.detail, "no verification provider is connected",
    "the newest rescreened event says the requester was not verified")
