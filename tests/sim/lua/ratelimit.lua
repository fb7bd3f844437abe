-- HaloPSA's rate limit: at most N requests per rolling window of S seconds per instance, on the
-- test clock. /api/* and the token endpoints count; /_sim/* never does. Published numbers vary
-- (300, 450 and 500 per 5 minutes), so N and S are options (default 500/300 s).
--
-- Rejected requests are not counted, so a client that backs off regains capacity as its
-- earlier requests leave the window. No Retry-After header is sent: none is documented.
local encode = require "encode"
local clock = require "clock"
local responses = require "responses"
local state = require "state"

local ratelimit = {}

-- Times (ms) of the counted requests still in the window, oldest first, as a queue.
local times = {}
local first = 1
local last = 0

function ratelimit.reset()
    times = {}
    first = 1
    last = 0
end

-- Returns the 429 sentence, in HaloPSA's words for whole minutes
-- ("Rate Limit Reached - 300 Requests per rolling 5 minute window").
function ratelimit.message(requests, window_seconds)
    if window_seconds % 60 == 0 then
        return string.format("Rate Limit Reached - %d Requests per rolling %d minute window",
            requests, window_seconds // 60)
    end
    return string.format("Rate Limit Reached - %d Requests per rolling %d second window",
        requests, window_seconds)
end

-- Counts one request. Returns nil when it may proceed, or the 429 response.
function ratelimit.check()
    local limit = state.options.rate_limit
    if limit == nil then
        return nil
    end
    local now_ms = clock.now_ms()
    local window_start = now_ms - limit.window_seconds * 1000
    while first <= last and times[first] <= window_start do
        times[first] = nil
        first = first + 1
    end
    if last - first + 1 >= limit.requests then
        return responses.json(429, encode.object({
            error = ratelimit.message(limit.requests, limit.window_seconds),
        }))
    end
    last = last + 1
    times[last] = now_ms
    return nil
end

return ratelimit
