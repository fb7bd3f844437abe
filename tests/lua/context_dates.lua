-- context.iso_seconds: HaloPSA's date-times as seconds since 1970 UTC, and nil for what is not
-- one, since the sensitive policy's after_hours signal reads the result. Run with lua5.4 from
-- the source folder given as the first argument.
local source = arg[1] or "."
package.path = source .. "/bindings/lua/?.lua;" .. package.path
local context = require "context"

local cases = {
    {"1970-01-01T00:00:00", 0},
    {"2026-12-05T14:21:38Z", 1796480498},
    {"2023-06-29T10:16:08.8378294Z", 1688033768},
    {"2024-02-29T00:00:00", 1709164800},
    {"2026-06-01 09:00:00", 1780304400},
    {"2026-06-01T09:00:00+01:00", 1780300800},
    {"2026-06-01T09:00:00-0130", 1780309800},
    {"2026-06-01T09:00:00+14:00", 1780254000},
    -- Not a time: nil.
    {"1900-01-01T00:00:00", nil},
    {"2025-02-29T00:00:00Z", nil},
    {"2026-04-31T00:00:00Z", nil},
    {"2026-13-01T00:00:00Z", nil},
    {"2026-06-01T24:00:00Z", nil},
    {"2026-06-01T09:00:00+25:00", nil},
    {"2026-06-01T09:00:00+01:99", nil},
    {"2026-06-01T09:00:00 junk", nil},
    {"2026-06-01", nil},
    {"", nil},
    {12, nil},
    {nil, nil},
}

local failures = 0
for _, case in ipairs(cases) do
    local got = context.iso_seconds(case[1])
    if got ~= case[2] then
        failures = failures + 1
        print(string.format("FAIL iso_seconds(%q): expected %s, got %s", tostring(case[1]),
            tostring(case[2]), tostring(got)))
    end
end
print(string.format("context_dates: %d of %d cases passed", #cases - failures, #cases))
os.exit(failures == 0 and 0 or 1)
