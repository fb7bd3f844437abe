-- Gathering: the optional gather(context) function of each workflow that matched a ticket,
-- run before the plan is written. It may call halo.* and http.*, and returns facts that the
-- plan note lists, such as the requester's other open tickets.
--
-- A gather function returns a list of strings (one fact each, possibly empty), or nil and a
-- message when it could not gather. One that raises, or returns anything else, is a failure:
-- the plan is still written, and the note names the workflow whose facts are missing and why. A
-- run that reaches a limit (instructions, time, memory) is not a failure of one gather: pcall
-- passes the limit on and the whole plan stops.

local modules = ...
local canonical = modules.canonical
local redact = modules.redact

local gather = {}

-- The facts one workflow may add, and the longest fact in bytes: a note is read by a person.
local FACT_COUNT_LIMIT = 20
local FACT_LENGTH_LIMIT = 500
local MESSAGE_LENGTH_LIMIT = 300

-- Cuts text to at most limit bytes without splitting a UTF-8 character, adding "..." when cut.
local function shorten(text, limit)
    if #text <= limit then
        return text
    end
    local cut = limit
    while cut > 0 and (text:byte(cut + 1) or 0) >= 0x80 and (text:byte(cut + 1) or 0) < 0xC0 do
        cut = cut - 1
    end
    return text:sub(1, cut) .. "..."
end

-- Returns a deep copy of a context made of tables, strings, numbers and booleans, so that a
-- gather function cannot change what the plan is built from.
local function copy(value)
    if type(value) ~= "table" then
        return value
    end
    local result = {}
    for key, item in pairs(value) do
        result[key] = copy(item)
    end
    return result
end

-- Makes an error message readable in a note: the script's file name without its folder, the
-- first line only.
local function readable(message)
    local text = tostring(message):match("^[^\n]*")
    text = text:gsub("^[^:]*/([^/:]+%.lua:%d+:)", "%1")
    return shorten(text, MESSAGE_LENGTH_LIMIT)
end

-- Checks what a gather function returned. Returns a list of facts, or nil and a message.
local function check_facts(first, second)
    if first == nil then
        return nil, type(second) == "string" and second
            or "the gather function returned nil without a message"
    end
    if type(first) ~= "table" then
        return nil, string.format("the gather function returned a %s; return a list of "
            .. "strings, or nil and a message", type(first))
    end
    local facts = {}
    for position, fact in ipairs(first) do
        if type(fact) ~= "string" then
            return nil, string.format("fact %d is a %s; each fact must be a string", position,
                type(fact))
        end
        if position > FACT_COUNT_LIMIT then
            break
        end
        facts[#facts + 1] = shorten(fact, FACT_LENGTH_LIMIT)
    end
    return facts
end

--[[
Runs the gather function of each matched workflow that has one, in match order (matches as
loader.index:run returns them). Returns facts, a list of {workflow, text}, and failures, a
list of {workflow, message}, both in canonical array form.
]]
function gather.run(context, matches)
    local facts = canonical.array()
    local failures = canonical.array()
    for _, found in ipairs(matches) do
        local workflow = found.key
        if workflow.gather ~= nil then
            local ok, first, second = pcall(workflow.gather, copy(context))
            local list, problem
            if ok then
                list, problem = check_facts(first, second)
            else
                problem = first
            end
            if list ~= nil then
                -- A fact may quote a ticket, such as another open ticket's summary, so it gets
                -- the cut of a quote: credentials and codes go, ticket ids stay.
                for _, text in ipairs(list) do
                    facts[#facts + 1] = {workflow = workflow.name,
                        text = redact.cut_ticket_quote(text)}
                end
            else
                failures[#failures + 1] = {workflow = workflow.name,
                    message = redact.cut_ticket_quote(readable(problem))}
            end
        end
    end
    return facts, failures
end

return gather
