-- The scenario API's `clock`: the test clock that halyard and the simulator share. Moving it
-- makes what waits on time happen now (a job's retry, a token's expiry) without waiting it out.

local session = require "session"

local clock = {}

-- The seconds the clock has been moved so far.
local moved = 0

-- Moves both clocks forward: clock.advance(300) or clock.advance("5m") ("s", "m", "h", "d").
-- halyard looks for jobs that became due at once.
function clock.advance(duration)
    local seconds = session.duration(duration, "clock.advance")
    session.advance_clock(seconds)
    moved = moved + seconds
end

-- Returns the seconds the clock has been moved forward so far.
function clock.offset()
    return moved
end

return {
    api = clock,
    install = function(environment)
        environment.clock = clock
    end,
}
