-- Webhook events for tickets HaloPSA returns 404 for: each event read its ticket again and
-- logged a "no longer exists" line, so a flood of them starved real tickets and the log. A
-- ticket found missing is not read again for ten minutes, the first miss gets a line and the
-- rest are counted in one summary line a minute.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline_note.lua"})
halyard.import(acme, {mode = "plan"})

halo.fault{method = "GET", path = "/api/tickets", status = 404}
local tickets = {}
for i = 1, 3 do
    tickets[i] = halo.log_ticket{user = jane, summary = "Printer " .. i,
        details = "The printer is out of toner."}
end
halyard.settle()
for _, ticket in ipairs(tickets) do
    halo.update(ticket, {technician = sam, assign = sam})
end
halyard.settle()

for _, ticket in ipairs(tickets) do
    local id = math.tointeger(ticket.id)
    expect.eq(halo.request_count("GET /api/tickets/" .. id), 1, "reads of ticket " .. id)
end
expect.logged("no longer exists; events for it are skipped for 600 s")

-- A minute later the other two misses and the skipped events are counted in one line.
clock.advance("2m")
local summary = expect.logged("more ticket(s) no longer exist")
expect.contains(summary, "2 more ticket(s)", "the misses counted")
expect.contains(summary, "webhook event(s) for missing tickets were skipped",
    "the skipped events counted")
expect.eq(select(2, halyard.log():gsub("no longer exist", "")), 2, "log lines about misses")

-- Ten minutes after the miss, an event reads the ticket again.
clock.advance("10m")
halo.update(tickets[1], {technician = sam, summary = "Printer 1 again"})
halyard.settle()
local first = math.tointeger(tickets[1].id)
expect.eq(halo.request_count("GET /api/tickets/" .. first), 2, "reads after the window")
