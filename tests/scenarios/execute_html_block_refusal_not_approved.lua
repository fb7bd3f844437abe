-- Execute mode: a refusal that the technician's HTML note shows after a block element or an
-- empty comment is read. Bug: '<p>Approved.</p><details open><summary>Note</summary>Don't
-- change the status</details>' ran the plan's steps, because the approval policy joined the
-- summary's text to the next word ("NoteDon't"); the same after <legend> and other block
-- elements, and after "<!-->", which a browser reads as an empty comment and the policy read
-- as one hiding the rest of the note.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

for _, html in ipairs({
    "<p>Approved.</p><details open><summary>Note</summary>Don't change the status</details>",
    "<p>Approved.</p><fieldset><legend>Note</legend>Don't change the status</fieldset>",
    "<p>Approved.</p><!-->Do not go ahead",
}) do
    local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
        details = "The visitor kiosk in reception shows a blank screen."}
    halo.update(ticket, {technician = sam, assign = sam})
    expect.note(ticket, {contains = "asks for approval", hidden = true})

    local reply = halo.reply(ticket, {technician = sam, hidden = true, html = html})
    local line = expect.logged("action " .. reply .. " by Sam Lead (agent 3) (assigned agent 3): ")
    expect.not_contains(line, "): approve", "the policy's reading of " .. html)
    halyard.settle{}
    expect.eq(halo.ticket(ticket).status_id, 1, "a visible refusal runs no step: " .. html)
end
