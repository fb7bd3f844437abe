-- Regression: while no verification provider was connected, every sensitive ticket logged a
-- warning of its own. Now the MSP's first one logs the warning with the fix, and the next ones
-- are counted into a warning at most once an hour.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local tickets = {}
for position, summary in ipairs({"Password reset", "MFA reset", "Account locked"}) do
    tickets[position] = halo.log_ticket{user = jane, summary = summary,
        details = "Please reset my password and my MFA, I am locked out."}
end
for _, ticket in ipairs(tickets) do
    local plan = expect.note(ticket, {contains = "halyard plan for ticket"})
    expect.contains(plan.text, "identity was not verified")
end
halyard.settle{timeout = 30}

local log = halyard.log()
local _, warnings = log:gsub("no verification provider is connected", "")
expect.eq(warnings, 1, "warnings about the missing provider in halyard's log")
expect.contains(log, "halyard verify connect")
