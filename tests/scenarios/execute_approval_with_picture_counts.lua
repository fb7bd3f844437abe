-- Bug: the assigned technician's approval with a pasted screenshot (an <img> whose src is a
-- data: URI of about a megabyte) was read as too long and counted as no answer, with no note,
-- so the run waited until its request expired. The picture's base64 is left out before the
-- approval policy reads the reply, in one piece or wrapped into lines as mail does.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local picture = ("iVBORw0KGgoAAAANSUhEUgAAB4AAAAQ4CAIAAABnsVYUAAAAAXNSR0IArs4c6QAAAARn"):rep(12000)
local shapes = {
    {"one piece", picture},
    {"wrapped into lines", (picture:gsub(("."):rep(76), "%0\r\n"))},
}
for _, shape in ipairs(shapes) do
    local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
        details = "The visitor kiosk in reception shows a blank screen."}
    halo.update(ticket, {technician = sam, assign = sam})
    expect.note(ticket, {contains = "asks for approval", hidden = true})
    expect.run(ticket, {state = "awaiting_approval"})

    halo.reply(ticket, {technician = sam, hidden = true, html = "<p>Approved, go ahead. "
        .. "Screenshot of the kiosk:</p><img src=\"data:image/png;base64," .. shape[2] .. "\">"})
    expect.run(ticket, {state = "done"})
    expect.eq(halo.ticket(ticket).status_id, 4, shape[1] .. ": the approved steps ran")
end
