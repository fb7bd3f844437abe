-- A check passed by one user acted for another: the ticket's user changed from Jane to John
-- while Jane's challenge waited, Jane passed, and the plan was made for John's account. The
-- check belongs to the user it was sent to, so the change ends Jane's check with a note, and
-- John is challenged before the agent does anything.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local john = halo.user{id = 78, name = "John Smith", client = acme,
    email = "john.smith@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password and I am locked out. Please reset it."}
local first = verifier.expect_challenge(ticket)
expect.eq(first.request.email, "jane.doe@acme.example", "the first challenge goes to Jane")
expect.run(ticket, {state = "awaiting_verification", runs = 1})

-- The ticket's user becomes John while Jane's check waits, and then Jane passes.
halo.update(ticket, {technician = sam, requester = john})
local changed = expect.note(ticket, {contains = "the requester changed", hidden = true})
expect.contains(changed.text, "Jane Doe (user 77) to John Smith (user 78)",
    "the note names both users")
verifier.approve(first)

local second = verifier.expect_challenge(ticket, {after = first})
expect.eq(second.request.email, "john.smith@acme.example", "John is challenged now")
halyard.settle()
for _, note in ipairs(halyard.notes(ticket)) do
    expect.not_contains(note.text, "halyard plan for ticket", "no plan before John passed")
    expect.not_contains(note.text, "identity verified", "Jane's pass is not posted as verified")
end
expect.run(ticket, {state = "awaiting_verification", runs = 1})

verifier.approve(second)
local verified = expect.note(ticket, {contains = "identity verified"})
expect.contains(verified.text, "John Smith", "the verified note names John")
expect.note(ticket, {contains = "halyard plan for ticket"})
expect.run(ticket, {state = "done", runs = 1})
