-- The requester's own request that only a sensitive workflow recognises still gets her check
-- when her reply also quotes another person's request that the policy flags. The screening
-- compared her own words by the policy alone, found nothing, and held the run as another
-- person's request, so her own request went unchallenged.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.workflow("vault_access.lua", [[
return {
    name = "Vault access",
    status = "active",
    scope = "all",
    sensitive = "access_grant",
    trigger = "Someone needs the archive vault opened for them.",
    match = {all = {{"vault*"}}},
    instructions = "1. Check who may open the archive vault.",
    steps = {},
    samples = {
        match = {{source = "written", summary = "Vault", details = "open the archive vault"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]])
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
expect.note(ticket, {contains = "halyard plan for ticket"})
halyard.settle()

halo.reply(ticket, {user = jane, text = "Please open the archive vault for me today.\n\n"
    .. "-----Original Message-----\nFrom: Bob Stone\nSent: Monday 09:12\nSubject: login\n\n"
    .. "I forgot my password, please reset it for me."})
local challenge = verifier.expect_challenge(ticket)
expect.eq(challenge.request.email, "jane.doe@acme.example", "Jane is checked for her own request")
halyard.settle{timeout = 20}
for _, note in ipairs(halyard.notes(ticket)) do
    expect.not_contains(note.text, "is not the requester's own", "the run is not held as Bob's")
end
