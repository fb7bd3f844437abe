-- Regression: an escaped NUL anywhere in a reply's note_html, even in an attribute nobody sees,
-- made halyard drop the HTML and classify HaloPSA's plain text instead. The plain text keeps
-- quoted and hidden words as if they were the technician's own, so "Thanks, noted." above a
-- quoted "Approved" ran the steps.

halyard.config{webhook_events = {3}}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local function read_replies()
  halyard.settle()
  clock.advance("3m")
  halyard.settle()
end

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline", details = "blank screen"}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval"})

halo.reply(ticket, {technician = sam, hidden = true,
    html = '<p>Thanks, noted.</p><blockquote><p>Approved</p></blockquote><span title="\0"></span>'})
read_replies()

expect.run(ticket, {state = "awaiting_approval"})
expect.eq(halo.ticket(ticket).status_id, 1, "a quoted approval ran nothing")

-- The same reply with the approval in the technician's own words still approves.
halo.reply(ticket, {technician = sam, hidden = true,
    html = '<p>Approved.</p><span title="\0"></span>'})
read_replies()
expect.note(ticket, {contains = "finished plan"})
expect.eq(halo.ticket(ticket).status_id, 4, "the approved steps ran")
