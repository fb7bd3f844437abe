-- Bug: another end user's request got the requester treated as an impostor. Bob replied "please
-- reset my password" on Jane's printer ticket, so Jane got a challenge she never asked for.
-- When she denied it, the note called her "a possible impersonation attempt" without naming
-- Bob, and failed_team moved the ticket to Security. Now Jane is not challenged: the run is
-- held with every write needing approval, and a note names Bob's reply as the reason.
verifier.connect{provider = "traceless", failed_team = "Security"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local bob = halo.user{name = "Bob Stone", client = acme, email = "bob.stone@acme.example"}
halo.seed{teams = {{id = 1, name = "1st Line"}, {id = 7, name = "Security"}}}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Printer jams",
    details = "The second floor printer jams on every page."}
expect.note(ticket, {contains = "halyard plan for ticket"})
halyard.settle()
local team_before = halo.ticket(ticket).team

halo.reply(ticket, {user = bob,
    text = "Same here. While you're at it, please reset my password, I forgot it."})
local held = expect.note(ticket, {contains = "is not the requester's own", hidden = true})
expect.contains(held.text, "in a reply by Bob Stone", "the note names Bob's reply")
expect.contains(held.text, "Jane Doe was not sent an identity challenge",
    "the note says Jane was not challenged")
expect.contains(held.text, "belongs on a ticket of their own", "the note says where Bob's request goes")
halyard.settle{timeout = 20}

expect.eq(#verifier.challenges(), 0, "Jane is not challenged for Bob's request")
for _, note in ipairs(halyard.notes(ticket)) do
    expect.not_contains(note.text, "impersonation", "no note calls anyone an impostor")
    expect.not_contains(note.text, "identity verification failed", "no check failed")
end
expect.eq(halo.ticket(ticket).team, team_before, "the ticket stays with its team")

local run = halyard.runs(ticket)[1]
expect.eq(run.state, "done", "the Plan-mode run keeps its posted plan note")
local rescreened = nil
for _, event in ipairs(run.events) do
    if event.kind == "rescreened" then
        rescreened = event
    end
end
expect.truthy(rescreened, "the run has a rescreened event")
expect.contains(rescreened.detail, "another end user's reply", "the event says whose request")
