-- Regression: the plan note's quote of a summary cut every group of four or more digits, so
-- "Error 0x80070005 installing KB5034441 after BIOS 1.17.0" lost the error code, the update
-- and the version that a technician searches for, with no credential word near them. Typed
-- credentials in other summaries are still cut: a password in the sentence after its
-- credential word, a Wi-Fi key, a passphrase and a PIN spelled as words.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local codes = halo.log_ticket{user = jane,
    summary = "Error 0x80070005 installing KB5034441 after BIOS 1.17.0 on 2024-01-15 at 10:30",
    details = "Windows Update fails every night."}
local note = expect.note(codes, {contains = "halyard plan for ticket"})
for _, kept in ipairs({"0x80070005", "KB5034441", "1.17.0", "2024-01-15", "10:30"}) do
    expect.contains(note.text, kept, "the quote keeps " .. kept)
end

local SECRETS = {
    {summary = "Changed my password yesterday. It is now Hunter22x", secret = "Hunter22x"},
    {summary = "Wi-Fi key Xy7kk29Q not accepted on guest network", secret = "Xy7kk29Q"},
    {summary = "my password is correct horse battery staple", secret = "horse battery"},
    {summary = "my pin is four seven two nine", secret = "seven two nine"},
}
for _, case in ipairs(SECRETS) do
    local ticket = halo.log_ticket{user = jane, summary = case.summary, details = "see summary"}
    local plan = expect.note(ticket, {contains = "halyard plan for ticket"})
    expect.contains(plan.text, "[secret removed]", "the quote of \"" .. case.summary .. "\" is cut")
    expect.not_contains(plan.text, case.secret, "the note keeps no part of " .. case.secret)
    for _, run in ipairs(halyard.runs(ticket)) do
        for _, event in ipairs(run.events) do
            expect.not_contains(event.detail or "", case.secret,
                "run event " .. event.kind .. " keeps no part of " .. case.secret)
        end
    end
end
