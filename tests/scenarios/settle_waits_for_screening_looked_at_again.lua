-- halyard.settle() reported idle while a reply's screening waited 2 s to look again at a run
-- that a sync was working on, so a check right after it read the run before the screening.
-- settle now waits for such a follow-up job when it is due within its timeout.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.import(acme, {mode = "plan"})

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
halo.update(ticket, {technician = sam, assign = sam})
verifier.approve(verifier.expect_challenge(ticket))
expect.note(ticket, {contains = "halyard plan for ticket"})
expect.run(ticket, {state = "done"})

-- A reply right after the plan note: its screening can find the run busy with a sync and look
-- again 2 s later on the test clock.
halo.reply(ticket, {user = jane, text = "Thanks, go ahead with the reset."})
local activity = halyard.settle()
local screened = false
for _, event in ipairs(halyard.runs(ticket)[1].events) do
    screened = screened or event.kind == "screened_again"
end
expect.truthy(screened, "settle returned after the reply was screened")
expect.eq(activity.next_follow_up_due_ms, json.null, "no follow-up job is left")
expect.no_new_note(ticket, {advance = false})
