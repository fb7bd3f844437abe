-- The test clock: real time plus an offset that /_sim/clock/advance moves forward.
--
-- Every timestamp the simulator writes, every token expiry, the rate-limit window and webhook
-- batching read this clock, so tests jump ahead instead of waiting. Times are integer
-- milliseconds since the Unix epoch, in UTC.
--
-- HaloPSA writes date-times as ISO 8601 UTC with seven fractional digits and a "Z"
-- ("2023-06-29T10:16:08.8378294Z"); clock.format writes that form, and since every stored date
-- uses it, stored dates compare correctly as strings.
local clock = {}

-- HaloPSA's "no date" value, written without fraction or zone.
clock.NO_DATE = "1900-01-01T00:00:00"

local offset_ms = 0

function clock.now_ms()
    return host.real_ms() + offset_ms
end

function clock.offset_seconds()
    return offset_ms / 1000
end

-- Moves the clock forward by seconds (a non-negative number; fractions are kept to the ms).
function clock.advance(seconds)
    offset_ms = offset_ms + math.floor(seconds * 1000 + 0.5)
end

function clock.reset()
    offset_ms = 0
end

-- Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
local function days_from_civil(year, month, day)
    if month <= 2 then
        year = year - 1
    end
    local era = (year >= 0 and year or year - 399) // 400
    local year_of_era = year - era * 400
    local month_index = (month + 9) % 12
    local day_of_year = (153 * month_index + 2) // 5 + day - 1
    local day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468
end

local function civil_from_days(days)
    days = days + 719468
    local era = (days >= 0 and days or days - 146096) // 146097
    local day_of_era = days - era * 146097
    local year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36524
        - day_of_era // 146096) // 365
    local year = year_of_era + era * 400
    local day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    local month_index = (5 * day_of_year + 2) // 153
    local day = day_of_year - (153 * month_index + 2) // 5 + 1
    local month = month_index < 10 and month_index + 3 or month_index - 9
    if month <= 2 then
        year = year + 1
    end
    return year, month, day
end

-- Formats epoch milliseconds as "YYYY-MM-DDTHH:MM:SS.fffffffZ".
function clock.format(ms)
    local seconds = ms // 1000
    local millis = ms % 1000
    local days = seconds // 86400
    local second_of_day = seconds % 86400
    local year, month, day = civil_from_days(days)
    return string.format("%04d-%02d-%02dT%02d:%02d:%02d.%03d0000Z", year, month, day,
        second_of_day // 3600, second_of_day % 3600 // 60, second_of_day % 60, millis)
end

function clock.now_iso()
    return clock.format(clock.now_ms())
end

-- Parses an ISO 8601 date or date-time ("2024-05-01", "2024-05-01T10:00:00",
-- "2024-05-01T10:00:00.1234567Z", "2024-05-01T12:00:00+02:00"). A value without an offset is
-- UTC, as HaloPSA treats it. Returns epoch milliseconds, or nil, message.
function clock.parse(text)
    if type(text) ~= "string" then
        return nil, "expected an ISO 8601 date-time string"
    end
    local year, month, day, rest = text:match("^%s*(%d%d%d%d)-(%d%d)-(%d%d)(.-)%s*$")
    if not year then
        return nil, string.format("'%s' is not an ISO 8601 date such as 2024-05-01T10:00:00Z", text)
    end
    year, month, day = tonumber(year), tonumber(month), tonumber(day)

    local hour, minute, second, fraction, zone = 0, 0, 0, "", ""
    if rest ~= "" then
        local h, m, s, tail = rest:match("^[Tt ](%d%d):(%d%d):?(%d?%d?)(.*)$")
        if not h then
            return nil, string.format("'%s' has an invalid time part", text)
        end
        hour, minute, second = tonumber(h), tonumber(m), tonumber(s ~= "" and s or "0")
        fraction, zone = tail:match("^%.?(%d*)(.*)$")
    end
    if month < 1 or month > 12 or day < 1 or day > 31 or hour > 23 or minute > 59
        or second > 60 then
        return nil, string.format("'%s' is out of range", text)
    end

    local offset_minutes = 0
    if zone ~= "" and zone ~= "Z" and zone ~= "z" then
        local sign, zone_hours, zone_minutes = zone:match("^([+-])(%d%d):?(%d%d)$")
        if not sign then
            return nil, string.format("'%s' has an invalid time zone '%s'", text, zone)
        end
        offset_minutes = tonumber(zone_hours) * 60 + tonumber(zone_minutes)
        if sign == "-" then
            offset_minutes = -offset_minutes
        end
    end

    local millis = 0
    if fraction ~= "" then
        millis = tonumber((fraction .. "00"):sub(1, 3))
    end
    local seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60
        + second - offset_minutes * 60
    return seconds * 1000 + millis
end

-- Returns text in the canonical stored form. The "no date" value (any date before 1901) stays
-- as clock.NO_DATE. Returns nil, message when text is not a date.
function clock.normalise(text)
    local ms, message = clock.parse(text)
    if not ms then
        return nil, message
    end
    if ms < clock.parse("1901-01-01") then
        return clock.NO_DATE
    end
    return clock.format(ms)
end

return clock
