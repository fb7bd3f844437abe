-- Bug: when halyard could not run the provider script at the deadline (the MSP's traceless.lua
-- failed to load after a restart, so no verifier of that name was loaded), the note said the
-- provider could not be reached; when it could not call the MSP's scripts at all, the check
-- expired and the note said the requester did not answer. The note now says that halyard could
-- not run the provider script, names it, and the check ends with the error outcome.
verifier.connect{provider = "traceless", timeout_s = 300}
-- halyard reads the scripts at start only. A hot reload of the broken file before the restart
-- would keep the shipped traceless.lua serving, store its text, and serve it after the restart.
halyard.config{script_reload = {watch = "off"}}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
local challenge = verifier.expect_challenge(ticket)
halyard.settle()
expect.run(ticket, {state = "awaiting_verification"})

-- The MSP's copy of the provider script has a syntax error, and halyard restarts: the file is
-- skipped, so no verifier named traceless is loaded when the deadline comes.
halyard.verifier("traceless.lua", "return {")
halyard.restart()
verifier.approve(challenge)
clock.advance("6m")
halyard.settle()

local note = expect.note(ticket, {contains = "identity verification error"})
expect.contains(note.text, "halyard could not run the provider script traceless.lua",
    "the note names the script halyard could not run")
expect.contains(note.text, "could not be read", "the note says the answer could not be read")
expect.contains(note.text, "no verifier named", "the note gives the script's problem")
expect.eq(note.text:find("could not be reached", 1, true), nil,
    "the note does not blame the provider")
expect.eq(note.text:find("did not answer", 1, true), nil, "the note does not blame the requester")
expect.run(ticket, {state = "verification_failed"})
local events = {}
for _, event in ipairs(halyard.runs(ticket)[1].events) do
    events[event.kind] = true
end
expect.eq(events.verification_error, true, "the run records the error outcome")
expect.eq(events.verification_expired, nil, "the run records no expiry")
expect.eq(events.verification_verified, nil, "nothing read the pass")
