-- A password reset placed after pages of ordinary text, or amid HTML markup, is still screened:
-- the sensitive policy reads the whole ticket, and a ticket longer than it reads waits for the
-- requester's identity check instead of being passed.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local request = "I forgot my password, please reset it."
local filler = ("The kiosk in reception was fine this morning. "):rep(360)
local html_filler = ("<p><span style=\"font-family:Calibri\">The kiosk is fine.</span></p>")
    :rep(300)

local tickets = {
    {"padding before", filler .. "\n" .. request},
    {"padding in the middle", filler .. "\n" .. request .. "\n" .. filler},
    {"html padding", html_filler .. "<p>" .. request .. "</p>"},
    {"too long to read whole", filler:rep(2) .. "\n" .. request},
}
for _, case in ipairs(tickets) do
    local ticket = halo.log_ticket{user = jane, summary = "Quick request", details = case[2]}
    expect.run(ticket, {state = "awaiting_verification"})
    local challenge = verifier.expect_challenge(ticket)
    expect.eq(challenge.request.email, "jane.doe@acme.example", case[1] .. ": challenge sent")
    verifier.deny(challenge)
    expect.run(ticket, {state = "verification_failed"})
end
expect.eq(#verifier.challenges(), #tickets, "one challenge for each padded request")
