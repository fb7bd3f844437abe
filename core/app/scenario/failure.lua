-- Failures of a scenario: a failed expectation, a misused API call or a setup step that did not
-- work, each with the scenario file's line that led to it.
--
-- A failure is raised as a table (so the runner can tell it from a Lua error) holding message,
-- where ("file:line" in the scenario file, or nil) and ticket (the ticket the report describes,
-- or nil).

local failure = {}

local Failure = {}
Failure.__index = Failure
Failure.__tostring = function(self)
    return (self.where and self.where .. ": " or "") .. self.message
end

-- The chunk name of the scenario file, "@" followed by its path as given.
local scenario_source = nil

function failure.set_scenario(path)
    scenario_source = "@" .. path
end

-- Returns "file:line" of the innermost call running in the scenario file, or nil when the
-- scenario file is not on the stack.
function failure.where()
    for level = 2, 250 do
        local info = debug.getinfo(level, "Sl")
        if info == nil then
            return nil
        end
        if info.source == scenario_source and info.currentline > 0 then
            return info.source:sub(2) .. ":" .. info.currentline
        end
    end
    return nil
end

-- Raises a failure. options.ticket names the ticket whose runs and notes the report shows.
function failure.raise(message, options)
    options = options or {}
    error(setmetatable({
        message = message,
        where = failure.where(),
        ticket = options.ticket,
    }, Failure), 0)
end

-- Raises a failure for an API function called the wrong way, naming the function.
function failure.misuse(name, message)
    failure.raise(string.format("%s: %s", name, message))
end

function failure.is(value)
    return getmetatable(value) == Failure
end

-- Turns any error value into a failure. A Lua error message that starts with the scenario's own
-- position keeps only the text after it, because the failure prints the position itself.
function failure.from_error(value)
    if failure.is(value) then
        return value
    end
    local message = tostring(value)
    local where = failure.where()
    if where and message:sub(1, #where + 2) == where .. ": " then
        message = message:sub(#where + 3)
    end
    return setmetatable({message = message, where = where, error = true}, Failure)
end

return failure
