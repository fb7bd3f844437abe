-- Regression: the plan note quoted a password typed as a user name and password pair ("login:
-- jdoe / sunshine"), after a network's name ("SSID Guest, key: bluesky") or named by "It's" a
-- sentence after the credential word. It also cut numbers a technician searches for ("Office
-- [digits removed]", "error [digits removed]", "asset PC-[digits removed]") and the word after
-- "password" ("password [secret removed] rejects").
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

-- Returns the places where secret turned up: ticket's notes, its run events and halyard's log.
local function places_with_secret(ticket, secret)
    local found = {}
    for _, note in ipairs(halyard.notes(ticket)) do
        if note.text:find(secret, 1, true) then
            found[#found + 1] = "note " .. note.id
        end
    end
    for _, run in ipairs(halyard.runs(ticket)) do
        for _, event in ipairs(run.events) do
            if (event.detail or ""):find(secret, 1, true) then
                found[#found + 1] = "run event " .. event.kind
            end
        end
    end
    if halyard.log():find(secret, 1, true) then
        found[#found + 1] = "halyard's log"
    end
    return table.concat(found, "; ")
end

local SECRETS = {
    {summary = "login: jdoe / sunshine for the CRM", secret = "sunshine",
        kept_words = "login: jdoe /"},
    {summary = "u: jdoe p: moonlight and the VPN fails", secret = "moonlight",
        kept_words = "u: jdoe p:"},
    {summary = "SSID Guest, key: bluesky does not connect", secret = "bluesky",
        kept_words = "SSID Guest"},
    {summary = "Reset my password. Printer is fine. It's starfish.", secret = "starfish",
        kept_words = "Printer is fine"},
}
for _, case in ipairs(SECRETS) do
    local ticket = halo.log_ticket{user = jane, summary = case.summary, details = "see summary"}
    local note = expect.note(ticket, {contains = "halyard plan for ticket"})
    expect.contains(note.text, "[secret removed]", "the quote of \"" .. case.summary .. "\" is cut")
    expect.contains(note.text, case.kept_words, "the quote keeps \"" .. case.kept_words .. "\"")
    expect.eq(places_with_secret(ticket, case.secret), "", "places that kept " .. case.secret)
end

local numbers = halo.log_ticket{user = jane,
    summary = "Office 2019 error 80070005 on PC-0042, serial 5CG1234XYZ, Event 4625; "
        .. "the password Outlook rejects",
    details = "Started after the update."}
local note = expect.note(numbers, {contains = "halyard plan for ticket"})
for _, term in ipairs({"Office 2019", "error 80070005", "PC-0042", "serial 5CG1234XYZ",
        "Event 4625", "the password Outlook rejects"}) do
    expect.contains(note.text, term, "the quote keeps " .. term)
end
expect.not_contains(note.text, "removed]", "the quote of technicians' numbers cuts nothing")
