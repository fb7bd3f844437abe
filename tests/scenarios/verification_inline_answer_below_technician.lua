-- Bug: the requester's own request written inline below a technician's quoted message was read
-- as the quote's. Jane answered below "On ..., Sam Lead <sam@msp.example> wrote:" and asked
-- there for her own password reset. She was not challenged, and the note named Sam Lead, the
-- assigned technician, as the sender of the request. A technician of the ticket never asks on
-- another person's behalf, so the quote of his message counts as Jane's own words and she is
-- challenged.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "halyard", hidden = true})
halyard.settle()

halo.reply(ticket, {user = jane, text = "Answers below.\n\n"
    .. "On Mon, 7 Dec 2026 at 09:12, Sam Lead <sam@msp.example> wrote:\n"
    .. "Is the kiosk back?\n"
    .. "No. Also I forgot my own password, please reset it for me.\n"
    .. "Anything else?\nNo."})
local challenge = verifier.expect_challenge(ticket)
expect.eq(challenge.request.email, "jane.doe@acme.example", "Jane is challenged for her own request")
halyard.settle{timeout = 20}
for _, note in ipairs(halyard.notes(ticket)) do
    expect.eq(note.text:find("is not the requester's own", 1, true), nil,
        "no note calls Jane's request another person's: " .. note.text)
end
expect.eq(#verifier.challenges(), 1, "Jane is challenged once")
