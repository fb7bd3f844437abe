-- Regression: typed passwords were quoted whole in the plan note and the `planned` run event.
-- They followed an en dash, " :" or "passkey" with no "is" or ":" between, or were a PIN in
-- the shape of a version or a licence key without digits.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local SECRETS = {"sunshine", "bluesky", "ABCD-EFGH", "12.34.56", "moonlight", "starfish"}

-- Returns where in halyard's notes, log and run events of ticket a secret turned up.
local function places_with_secrets(ticket)
    local found = {}
    local function look(where, text)
        for _, secret in ipairs(SECRETS) do
            if text ~= nil and text:find(secret, 1, true) then
                found[#found + 1] = secret .. " in " .. where
            end
        end
    end
    for _, note in ipairs(halyard.notes(ticket)) do
        look("note " .. note.id, note.text)
    end
    look("halyard's log", halyard.log())
    for _, run in ipairs(halyard.runs(ticket)) do
        for _, event in ipairs(run.events) do
            look("run event " .. event.kind, event.detail)
        end
    end
    return table.concat(found, "; ")
end

-- Outlook prints " - " as an en dash.
local ticket = halo.log_ticket{user = jane, summary = "Guest Wi-Fi password \u{2013} sunshine",
    details = "The office Wi-Fi stopped working. wifi passkey bluesky does not work, "
        .. "licence key ABCD-EFGH-IJKL-MNOP for Office also fails. Alarm pin is 12.34.56."}
halo.reply(ticket, {user = jane, text = "Tried password moonlight too. Password :starfish"})
halyard.settle{timeout = 30}

local note = expect.note(ticket, {contains = "wrote:"})
expect.contains(note.text, "Guest Wi-Fi password \u{2013} [secret removed]")
expect.eq(places_with_secrets(ticket), "", "places where a typed secret was copied")
