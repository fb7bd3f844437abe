-- Bug: a Plan-mode run held because the sensitive request was in mail quoted in the requester's
-- reply (no challenge, every write needs approval) was never screened again, so an edit that
-- made the ticket's own details ask for a password reset challenged nobody. The held run is now
-- screened at each update: an update that still has only the quoted request keeps it held
-- without a challenge, and the edit gets the requester's challenge.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Printer jams",
    details = "The second floor printer jams on every page."}
expect.note(ticket, {contains = "halyard plan for ticket"})
halyard.settle()

-- Step 1: Jane passes on Bob's mail. The run is held without a challenge.
halo.reply(ticket, {user = jane, text = "Bob asked me to pass this on, see below.\n\n"
    .. "-----Original Message-----\nFrom: Bob Stone\nSent: Monday 09:12\nSubject: login\n\n"
    .. "I forgot my password, please reset it for me."})
expect.note(ticket, {contains = "is not the requester's own", hidden = true})
halyard.settle{timeout = 20}
expect.eq(#verifier.challenges(), 0, "Jane is not challenged for Bob's request")

-- Step 2: an update without a request of Jane's own keeps the run held and sends nothing.
halo.reply(ticket, {user = jane, text = "The printer is an HP LaserJet, if that helps."})
halyard.settle{timeout = 20}
expect.eq(#verifier.challenges(), 0, "an update without Jane's own request challenges nobody")
local notes_held = 0
for _, note in ipairs(halyard.notes(ticket)) do
    if note.text:find("is not the requester's own", 1, true) then
        notes_held = notes_held + 1
    end
end
expect.eq(notes_held, 1, "the held run keeps its one note")
local run = halyard.runs(ticket)[1]
local still_held = nil
for _, event in ipairs(run.events) do
    if event.kind == "screened_again" then
        still_held = event
    end
end
expect.truthy(still_held, "the update was screened again")
expect.contains(still_held.detail, "still not in the requester's own words",
    "the event says why the run stays held")

-- Step 3: the ticket is edited so that its own details ask for a reset of Jane's password.
halo.update(ticket, {technician = sam, details = "The second floor printer jams on every page. "
    .. "Also, I forgot my password: please reset it."})
local challenge = verifier.expect_challenge(ticket)
expect.eq(challenge.request.email, "jane.doe@acme.example", "Jane is challenged")
expect.run(ticket, {state = "awaiting_verification", runs = 1})

verifier.approve(challenge)
local verified = expect.note(ticket, {contains = "identity verified"})
expect.contains(verified.text, "no plan covers that request",
    "the Plan-mode run keeps its plan note and a technician handles the request")
expect.run(ticket, {state = "done", runs = 1})
expect.eq(#verifier.challenges(), 1, "one challenge")
