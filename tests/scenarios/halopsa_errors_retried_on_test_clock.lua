-- HaloPSA responds to the ticket fetch with 500 six times and is slow on the actions.
-- halyard's sync job retries on its backoff, which the test clock moves through at once, and
-- the note lands. Each wait is 2 s of real time, shorter than the later backoffs, so the
-- scenario fails unless moving the clock is what makes the retries due.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.import(acme)

-- The first ticket is 1; the faults name it before it exists.
halo.fault{method = "GET", path = "/api/tickets", ticket = 1, status = 500, times = 6}
halo.fault{method = "GET", path = "/api/actions", ticket = 1, latency_ms = 1500, times = 1}

local ticket = halo.log_ticket{user = jane, summary = "Low disk space",
    details = "My C drive is full, only 200 MB free."}
expect.eq(ticket.id, 1, "the ticket the faults name")

-- Each failed fetch puts the job off by 1 s, 2 s, 4 s ... 32 s (with jitter); move past each.
local fetch = "GET /api/tickets/" .. ticket.id
for attempt = 1, 6 do
    expect.requests(fetch, {at_least = attempt, timeout = 2})
    expect.notes(ticket, 0)
    clock.advance("5m")
end

expect.note(ticket, {contains = "Low disk space", timeout = 4})
expect.requests(fetch, {at_least = 7})
expect.run(ticket, {state = "done", runs = 1})
