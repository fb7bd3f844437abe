-- Bug: a harmless sentence explained away a request asked outright in another one. A question
-- about the MFA rollout or "the printer is working again, thanks" above "Please remove the MFA
-- from Dan's account" or "Please forward all of Dan's email to me" let the request through
-- without the requester's identity check. The MFA reset backstop was switched off too, because
-- "mfa rollout" anywhere in the ticket excluded it. A disclaimer word ("Confidential:") left
-- out the next 80 words, so a request after it counted for nothing. A request split across the
-- summary and the details ("Forwarding" above "to my gmail until I'm back please") was read as
-- two texts that asked nothing. Each of these requests must challenge the requester.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local REQUESTS = {
    -- A question, a report that something works again and a phishing report above a request.
    {"Question", "Quick question about the MFA rollout next month: will the shop tablets be "
        .. "included?\n\nPlease remove the MFA from Dan's account."},
    {"Printer", "The printer is working again, thanks.\n\nPlease forward all of Dan's email to "
        .. "me."},
    {"Heads up", "FYI a phishing mail about MFA went round this morning, I deleted it.\n\n"
        .. "Please delete the authenticator from Dan's account, he has a new phone."},
    -- A disclaimer word labels its own sentence only.
    {"Printer tray 2", "Tray 2 keeps jamming and the toner light is flashing. We tried turning "
        .. "it off and on.\n\nConfidential: please reset my MFA as well, new phone."},
    {"Re: order", "Disclaimer: views are my own.\nPlease unlock my account, I typed the wrong "
        .. "password too often."},
    -- A request split across the summary and the details.
    {"Forwarding", "to my gmail until I'm back please"},
    {"Bank details", "New ones attached, please update before Friday."},
}

local tickets = {}
for _, request in ipairs(REQUESTS) do
    tickets[#tickets + 1] = halo.log_ticket{user = jane, summary = request[1],
        details = request[2]}
end

-- The same disclaimer in the requester's reply to a harmless ticket.
local jams = halo.log_ticket{user = jane, summary = "Printer", details = "The printer jams."}
expect.note(jams, {contains = "halyard"})
halo.reply(jams, {user = jane, text = "Confidential. Please reset my password, I'm locked out."})

halyard.settle{timeout = 30}
for index, ticket in ipairs(tickets) do
    local run = halyard.runs(ticket)[1]
    expect.eq(run.state, "awaiting_verification", string.format("ticket %d (%s: %s)",
        ticket.id, REQUESTS[index][1], REQUESTS[index][2]))
end
expect.run(jams, {state = "awaiting_verification"})

-- A run waits for its verification before the provider has the challenge, so each challenge
-- is waited for before they are counted.
for _, ticket in ipairs(tickets) do
    verifier.expect_challenge(ticket, {timeout = 30})
end
verifier.expect_challenge(jams, {timeout = 30})
expect.eq(#verifier.challenges(), #REQUESTS + 1, "one challenge per request")
