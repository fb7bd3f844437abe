-- The sensitive policy's risk reaches the run's events: a password reset logged at 03:00 on a
-- Saturday gets the after_hours signal from the ticket's own time (dateoccurred), read with the
-- client's business hours; the same request logged on a Wednesday morning does not.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

-- Returns the detail of the run's "risk" event, or nil.
local function risk_of(ticket)
    for _, event in ipairs(halyard.runs(ticket)[1].events) do
        if event.kind == "risk" then
            return event.detail
        end
    end
    return nil
end

local night = halo.log_ticket{user = jane, summary = "Password reset",
    details = "Please reset my password, I am locked out.", date = "2026-12-05T03:00:00Z"}
verifier.expect_challenge(night)
local risk = risk_of(night)
expect.contains(risk, "risk ")
expect.contains(risk, "after_hours +10")
expect.eq(risk:find("locked out", 1, true), nil, "the risk names signals, not ticket text")

local morning = halo.log_ticket{user = jane, summary = "Password reset",
    details = "Please reset my password, I am locked out.", date = "2026-12-02T10:00:00Z"}
verifier.expect_challenge(morning)
expect.contains(risk_of(morning), "risk ")
expect.eq(risk_of(morning):find("after_hours", 1, true), nil, "no after_hours on a weekday morning")
