-- Per-client settings of the sensitive-ticket policy (config/policies/sensitive.lua).
--
-- An MSP copies this file to <scripts_dir>/<msp>/policies/sensitive_settings.lua, where it
-- replaces this one. default applies to every client. clients contains entries by HaloPSA client
-- id, and a client's entry replaces the default's fields one by one (a list replaces the whole
-- list). sensitive.settings_for(this table, client_id) returns one client's settings and
-- rejects an unknown field or an invalid value with a message that names it. docs/policies.md
-- lists every field.
return {
    default = {
        -- "sensitive" verifies the requester's identity on sensitive tickets, "all" on every
        -- ticket.
        verification = "sensitive",

        -- The client's working hours in its local time. A ticket outside them, on a weekday
        -- not listed (1 is Monday) or on a holiday gets the after_hours risk signal.
        business_hours = {start = "08:00", finish = "18:00", weekdays = {1, 2, 3, 4, 5}},

        -- Minutes to add to UTC for the client's local time (60 for UTC+1). It is used only when
        -- halyard passes the time as received_at. The offset is fixed, so it does not follow
        -- daylight saving time.
        utc_offset_minutes = 0,

        -- Dates ("YYYY-MM-DD") that count as outside business hours.
        holidays = {},
    },

    clients = {
        -- [12] = {
        --     keywords = {["payroll portal"] = "access_grant", ["door entry"] = "physical_access"},
        --     verification = "all",
        --     verification_exempt_reasons = {"physical_access"},
        --     vip_emails = {"ceo@contoso.example"},
        --     utc_offset_minutes = 60,
        --     model_threshold = 0.95,  -- or false to leave the learned model out
        --     holidays = {"2026-12-25", "2026-12-26"},
        -- },
    },
}
