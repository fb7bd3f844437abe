-- Bug: the log line of a HaloPSA 429 retry named only the method and path when a ticket's
-- sync, a plan note or an approved write made the request. So an MSP could not tell which
-- ticket, run or job waited. Each retry's line now starts with the ids of its job, and a job
-- that fails on the 429 names its ticket and run too.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.import(acme, {mode = "execute"})
local globex = halo.client{id = 13, name = "Globex"}
local hank = halo.user{name = "Hank Scorpio", client = globex}
halyard.import(globex)

-- The first ticket is 1, so the faults can name it before it exists.
halo.fault{method = "GET", path = "/api/tickets", ticket = 1, status = 429, times = 1}
halo.fault{method = "POST", path = "/api/actions", ticket = 1, status = 429, times = 1}
halo.fault{method = "POST", path = "/api/actions", ticket = 2, status = 429, times = 1}

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
expect.eq(ticket.id, 1, "the ticket the faults name")
halo.update(ticket, {technician = sam, assign = sam})

-- The sync reads the ticket before any run exists, so its line names the MSP, ticket and job.
local sync_line = expect.logged("rate limited: HaloPSA answered HTTP 429 to GET /api/Tickets/1")
expect.truthy(sync_line:find("msp=default ticket=1 job=%d+ rate limited") ~= nil,
    "the sync's 429 line names the MSP, ticket and job: " .. sync_line)
clock.advance("10s")

-- The approval request is the run's first write.
local note_line = expect.logged("rate limited: HaloPSA answered HTTP 429 to POST /api/Actions")
clock.advance("10s")
expect.note(ticket, {contains = "asks for approval", hidden = true})
local run = expect.run(ticket, {state = "awaiting_approval"})
expect.truthy(note_line:find("msp=default ticket=1 run=" .. run.id .. " job=%d+ ") ~= nil,
    "the note's 429 line names the MSP, ticket, run and job: " .. note_line)

-- The approved write meets the rate limit on every attempt. Each retry names the write, and
-- the job's failure names the ticket and run.
halo.fault{method = "POST", path = "/api/actions", ticket = 1, status = 429}
halo.reply(ticket, {technician = sam, text = "Approved, go ahead.", hidden = true})
local write_line = expect.logged(" write=step.")
expect.truthy(write_line:find("msp=default ticket=1 run=" .. run.id
    .. " job=%d+ write=[%w._-]+ rate limited: HaloPSA answered HTTP 429 to POST "
    .. "/api/Actions") ~= nil,
    "the write's 429 line names the MSP, ticket, run, job and write: " .. write_line)
local write_key = write_line:match("write=([%w._-]+)")
for attempt = 3, 6 do
    clock.advance("2m")
    local retry_line = expect.logged("ms (attempt " .. attempt .. ")")
    expect.contains(retry_line, "write=" .. write_key .. " rate limited",
        "the retry names the write")
end
clock.advance("2m")
local failed_line = expect.logged("failed, will retry: HaloPSA answered HTTP 429 to write")
expect.truthy(failed_line:find("ticket=1 run=" .. run.id .. " job=%d+ kind=") ~= nil,
    "the job's failure names the ticket and run: " .. failed_line)

-- In Plan mode the plan note is posted by a note job, which names the same ids.
local plan_ticket = halo.log_ticket{user = hank, summary = "Kiosk offline",
    details = "The lobby kiosk shows a blank screen."}
expect.eq(plan_ticket.id, 2, "the ticket the fault names")
expect.logged("ticket=2 run=")
clock.advance("10s")
expect.note(plan_ticket, {contains = "Kiosk offline"})
local plan_run = expect.run(plan_ticket, {state = "done"})
local plan_line = nil
for line in halyard.log():gmatch("[^\n]+") do
    if line:find("ticket=2", 1, true) and line:find("rate limited", 1, true) then
        plan_line = line
    end
end
expect.truthy(plan_line ~= nil, "the note job's 429 is logged")
expect.contains(plan_line, "msp=default ticket=2 run=" .. plan_run.id .. " job=",
    "the note job's 429 line names the MSP, ticket, run and job")
expect.contains(plan_line, "rate limited: HaloPSA answered HTTP 429 to POST /api/Actions",
    "the note job's 429 line")

-- No line carries the API application's secret or a bearer token.
local log = halyard.log()
expect.truthy(log:find("halyard-sim-secret", 1, true) == nil, "no client secret in the log")
expect.truthy(log:find("Bearer", 1, true) == nil, "no token in the log")
