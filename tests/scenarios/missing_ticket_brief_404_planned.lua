-- One HTTP 404 for a ticket that exists (a read racing the ticket's creation, or a ticket
-- restored from the recycle bin) lost the ticket: the update and the reply that came in the
-- next ten minutes were skipped for good, and the ticket was never planned. Now they wait, and
-- when the ten minutes end halyard reads the ticket once for all of them and plans it.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline_note.lua"})
halyard.import(acme, {mode = "plan"})

-- The first read of ticket 1, the one logged below, gets 404.
halo.fault{method = "GET", path = "/api/tickets", ticket = 1, status = 404, times = 1}
local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The kiosk in reception is offline."}
expect.eq(math.tointeger(ticket.id), 1, "the ticket the fault names")
local read = "GET /api/tickets/1"
expect.requests(read, {exactly = 1})
local missed_at = halyard.activity().now_ms
expect.logged("ticket=1 not found in HaloPSA (HTTP 404)")

-- Events within the window read nothing yet: they queue one sync, a single read of the
-- ticket, for the window's end.
halo.update(ticket, {technician = sam, assign = sam})
halo.reply(ticket, {user = jane, text = "Any news? The kiosk is still offline."})
halo.update(ticket, {technician = sam, summary = "Kiosk offline in reception"})
local activity = halyard.settle()
expect.eq(activity.jobs_waiting, 1, "syncs waiting for the window's end")
expect.eq(activity.next_job_due_ms - missed_at >= 10 * 60 * 1000 - 2000, true,
    "the sync waits about ten minutes after the miss: due " ..
    (activity.next_job_due_ms - missed_at) .. " ms after it")
expect.eq(activity.next_job_due_ms - missed_at <= 10 * 60 * 1000, true,
    "the sync starts when the window ends: due " ..
    (activity.next_job_due_ms - missed_at) .. " ms after the miss")
clock.advance("9m")
expect.requests(read, {exactly = 1})
expect.notes(ticket, 0)

-- The window ends: the sync reads the ticket and plans it. Planning and the sync of the plan
-- note read the ticket again, so the count is taken once halyard is quiet and is not checked
-- against 2, only that nothing reads it later.
clock.advance("2m")
expect.note(ticket, {contains = "Kiosk offline"})
expect.run(ticket, {runs = 1, state = "done"})
halyard.settle()
local reads = expect.requests(read, {at_least = 2})
expect.no_new_note(ticket, {advance = "1h"})
expect.requests(read, {exactly = reads})
