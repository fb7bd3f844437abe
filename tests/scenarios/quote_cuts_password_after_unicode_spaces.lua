-- Regression: no-break spaces between "password", "is" and the password hid the credential
-- word, so the password was quoted whole. The summary has them as characters, and the reply's
-- HTML as "&nbsp;".
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

-- Returns where in halyard's notes, log and run events of ticket the secret turned up.
local function places_with_secret(ticket, secret)
    local found = {}
    for _, note in ipairs(halyard.notes(ticket)) do
        if note.text:find(secret, 1, true) then
            found[#found + 1] = secret .. " in note " .. note.id
        end
    end
    if halyard.log():find(secret, 1, true) then
        found[#found + 1] = secret .. " in halyard's log"
    end
    for _, run in ipairs(halyard.runs(ticket)) do
        for _, event in ipairs(run.events) do
            if tostring(event.detail):find(secret, 1, true) then
                found[#found + 1] = secret .. " in run event " .. event.kind
            end
        end
    end
    return table.concat(found, "; ")
end

local ticket = halo.log_ticket{user = jane,
    summary = "Outlook rejects my password\u{A0}is\u{A0}Marigold",
    details = "Outlook prompts for the password every few minutes."}
halo.reply(ticket, {user = jane, html = "<div>The one I type is my normal "
    .. "password&nbsp;is&nbsp;Sunflower and it is rejected.</div>"})
halyard.settle{timeout = 30}

expect.note(ticket, {contains = "wrote:"})
expect.eq(places_with_secret(ticket, "Marigold"), "", "places with the summary's password")
expect.eq(places_with_secret(ticket, "Sunflower"), "", "places with the reply's password")
