-- Webhook events for tickets HaloPSA returns 404 for: each event read its ticket again and
-- logged a "no longer exists" line, so a flood of them starved real tickets and the log. A
-- ticket found missing is read once. Its later events wait for the end of a ten-minute window
-- and then read it once together, and a ticket still missing then starts a new window. The
-- misses are logged in one line, then in one summary line a minute, however many there are.

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

-- Checks that each ticket was read count times.
local function expect_reads(count, when)
    for _, ticket in ipairs(tickets) do
        local id = math.tointeger(ticket.id)
        expect.eq(halo.request_count("GET /api/tickets/" .. id), count,
            "reads of ticket " .. id .. " " .. when)
    end
end

-- Sends several events for every ticket, as a technician working them would.
local function update_all(round)
    for _, ticket in ipairs(tickets) do
        halo.update(ticket, {technician = sam, assign = sam})
        halo.update(ticket, {technician = sam, summary = ticket.summary .. " round " .. round})
        halo.update(ticket, {technician = sam, priority = 2})
    end
    halyard.settle()
end

update_all(1)
expect_reads(1, "after the first miss")
expect.logged("not found in HaloPSA (HTTP 404); its events in the next 600 s wait and then " ..
    "read it once")

-- A minute later the other two misses and the waiting events are counted in one line.
clock.advance("2m")
local summary = expect.logged("more ticket(s) not found in HaloPSA")
expect.contains(summary, "2 more ticket(s)", "the misses counted")
expect.contains(summary, "webhook event(s) for missing tickets wait for their ticket's next read",
    "the waiting events counted")
expect_reads(1, "before the window ends")

-- The window ends: each ticket is read once for all its events and is still missing.
clock.advance("9m")
halyard.settle()
expect_reads(2, "at the first window's end")

-- Its later events wait for the end of the new window.
update_all(2)
expect_reads(2, "during the second window")
clock.advance("11m")
halyard.settle()
expect_reads(3, "at the second window's end")

-- A window without events reads nothing.
clock.advance("11m")
halyard.settle()
expect_reads(3, "after a window without events")

-- 3 misses in each of three windows made at most a line and a summary line per window.
local lines = select(2, halyard.log():gsub("not found in HaloPSA", ""))
expect.eq(lines >= 3 and lines <= 6, true, "log lines about missing tickets: " .. lines)
