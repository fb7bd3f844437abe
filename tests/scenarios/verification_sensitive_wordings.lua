-- Sensitive requests in wordings the policy once missed are verified like any other: a lost
-- authenticator, mail sent on to a personal address, a BitLocker recovery key, an API key, mail
-- delegated in plain words and a password written with symbols or Cyrillic letters.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local requests = {
    {"Authenticator", "Lost my phone so the Microsoft Authenticator app is gone. Please help me "
        .. "get back in."},
    {"Out of office", "While I'm away please have my emails go to my gmail account "
        .. "jane.personal@gmail.com"},
    {"Laptop", "BitLocker is asking for a recovery key, can you send it to me?"},
    {"API", "Please generate an API key for our CRM integration and email it to me"},
    {"Mailbox", "Please let Sarah read my emails while I'm on leave"},
    {"Quick one", "I forgot my p@ssword"},
    {"Help", "p\208\176ssw\208\190rd r\208\181s\208\181t please"},
}
for _, request in ipairs(requests) do
    local ticket = halo.log_ticket{user = jane, summary = request[1], details = request[2]}
    expect.run(ticket, {state = "awaiting_verification"})
    verifier.deny(verifier.expect_challenge(ticket))
    expect.run(ticket, {state = "verification_failed"})
end
expect.eq(#verifier.challenges(), #requests, "one challenge for each sensitive request")

-- A near miss of the same words stays an ordinary ticket.
local ordinary = halo.log_ticket{user = jane, summary = "BitLocker",
    details = "How do I find my BitLocker recovery key myself in the portal?"}
expect.note(ordinary, {contains = "halyard plan for ticket"})
expect.eq(#verifier.challenges(), #requests, "a how-to question is not challenged")
