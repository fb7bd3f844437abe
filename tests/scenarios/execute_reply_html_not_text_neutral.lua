-- Regression: a reply whose note_html could not be read as text was classified by HaloPSA's
-- plain note instead, where quoted and hidden words read as the technician's own. A note_html
-- that is there but not text is now an empty reply: it approves nothing, and halyard logs it.

halyard.config{webhook_events = {3}}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline", details = "blank screen"}
halo.update(ticket, {technician = sam, assign = sam})
local request = expect.note(ticket, {contains = "asks for approval"})

-- HaloPSA's list of the ticket's actions, with a reply whose note_html is an object.
halo.fault{method = "GET", path = "/api/Actions", ticket = ticket, status = 200, body = {
    record_count = 1,
    actions = {{id = request.id + 1, ticket_id = ticket, who = "Sam Lead", who_type = 1,
        who_agentid = 3, hiddenfromuser = true, note = "Approved",
        note_html = {blockquote = "Approved"}}},
}}
halyard.settle()
clock.advance("3m")
halyard.settle()

expect.run(ticket, {state = "awaiting_approval"})
expect.eq(halo.ticket(ticket).status_id, 1, "an unreadable reply ran nothing")
expect.contains(halyard.log(), "note_html is not text", "the unreadable reply is logged")
