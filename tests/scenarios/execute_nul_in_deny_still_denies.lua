-- Regression: the assigned technician's "Deny." followed by an escaped NUL read as an empty
-- reply, so the refusal was lost and the approval before it ran the steps.

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

for _, refusal in ipairs{"Deny.\0", "\0Deny, do not do this."} do
  local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline", details = "blank screen"}
  halo.update(ticket, {technician = sam, assign = sam})
  expect.note(ticket, {contains = "asks for approval"})

  halo.reply(ticket, {technician = sam, hidden = true, text = "Approved."})
  halo.reply(ticket, {technician = sam, hidden = true, text = refusal})
  read_replies()

  expect.run(ticket, {state = "denied"})
  expect.eq(halo.ticket(ticket).status_id, 1, string.format("%q ran nothing", refusal))
end
