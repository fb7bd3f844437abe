-- Regression: a password and one-time codes that the requester typed into a sensitive ticket
-- were quoted in the Plan-mode note's diagnosis, and so also in the `planned` run event and in
-- runs.plan_json. The password reset workflow's gather also quoted another open ticket's
-- summary. Both now cut them, and a harmless ticket's diagnosis still quotes its summary word
-- for word. integration/verification.lua reads this scenario's database.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.import(acme)

local SECRETS = {"Tr0ub4dor", "482913", "551823", "sunshine", "Hunter77"}

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

-- Step 1: an earlier open ticket of the requester, which the password reset workflow's gather
-- lists by summary.
local earlier = halo.log_ticket{user = jane, summary = "Locked out of Sage, pwd is Hunter77",
    details = "Sage says my account is locked."}
halyard.settle{timeout = 30}

-- Step 2: a password reset whose summary, details and reply hold the secrets.
local ticket = halo.log_ticket{user = jane, summary = "Password reset, old one Tr0ub4dor&3",
    details = "My current password is Tr0ub4dor&3 and the code on my phone says 482913. "
        .. "Please reset my password."}
halo.update(ticket, {technician = sam, assign = sam})
local challenge = verifier.expect_challenge(ticket)
halo.reply(ticket, {user = jane, text = "new code 551823, my password is sunshine"})
verifier.approve(challenge)
expect.note(ticket, {contains = "identity verified"})
halyard.settle{timeout = 30}

local plan_note = expect.note(ticket, {contains = "wrote:"})
expect.contains(plan_note.text, "Password reset, old one [secret removed]")
expect.contains(plan_note.text, "new code [secret removed], my password is [secret removed]")
expect.contains(plan_note.text, "Locked out of Sage, pwd is [secret removed]")
expect.eq(places_with_secrets(ticket), "", "places where a secret was copied")
expect.eq(places_with_secrets(earlier), "", "places where the earlier ticket's secret was copied")

-- Step 3: a harmless ticket keeps its summary and its reply in the diagnosis.
local printer = halo.log_ticket{user = jane, summary = "Printer on floor 2 is out of toner",
    details = "The HP M404 by the kitchen shows a toner warning."}
halo.reply(printer, {user = jane,
    text = "It is the one by the kitchen and shows error code 503 since the Windows 11 update."})
halyard.settle{timeout = 30}
local printer_note = expect.note(printer, {contains = "wrote:"})
expect.contains(printer_note.text,
    "Jane Doe (Acme Ltd) wrote: \u{201C}Printer on floor 2 is out of toner\u{201D}.")
expect.contains(printer_note.text,
    "It is the one by the kitchen and shows error code 503 since the Windows 11 update.")
