-- Query-string and form-body parsing.
--
-- HaloPSA's API binds query parameters by name without regard to case (`Page_No` = `page_no`),
-- so query.parse folds names to lower case. OAuth form fields are case-sensitive, so
-- query.parse_form keeps them as sent. Both decode "+" to a space and %XX escapes to bytes.
--
-- A parsed query is an object with typed accessors. An accessor that meets a value it cannot
-- convert records the ASP.NET model-binding message in query.errors (name -> message) and
-- returns the default, so a handler reads all its parameters and then responds 400 with
-- query.errors when it is not nil.
local clock = require "clock"

local query = {}

local Query = {}
Query.__index = Query

local function percent_decode(text)
    text = text:gsub("+", " ")
    return (text:gsub("%%(%x%x)", function(hex)
        return string.char(tonumber(hex, 16))
    end))
end
query.percent_decode = percent_decode

-- Splits "a=1&b=x%20y" into a list of {name, value} pairs in order.
local function split_pairs(text, fold_case)
    local pairs_list = {}
    for part in (text or ""):gmatch("[^&]+") do
        local name, value = part:match("^([^=]*)=(.*)$")
        if not name then
            name, value = part, ""
        end
        name = percent_decode(name)
        if fold_case then
            name = name:lower()
        end
        if name ~= "" then
            pairs_list[#pairs_list + 1] = { name = name, value = percent_decode(value) }
        end
    end
    return pairs_list
end

-- Parses a raw query string (without "?"); names are folded to lower case.
function query.parse(text)
    local parsed = setmetatable({ values = {} }, Query)
    for _, pair in ipairs(split_pairs(text, true)) do
        local list = parsed.values[pair.name]
        if not list then
            list = {}
            parsed.values[pair.name] = list
        end
        list[#list + 1] = pair.value
    end
    return parsed
end

-- Parses an application/x-www-form-urlencoded body into name -> value (the first value wins
-- when a name repeats). Names keep their case.
function query.parse_form(text)
    local form = {}
    for _, pair in ipairs(split_pairs(text, false)) do
        if form[pair.name] == nil then
            form[pair.name] = pair.value
        end
    end
    return form
end

-- Returns the first value of a parameter, or nil when it is absent. An empty value counts as
-- absent, as ASP.NET binds "?count=" to the default.
function Query:get(name)
    local list = self.values[name]
    if not list then
        return nil
    end
    local value = list[1]
    if value == "" then
        return nil
    end
    return value
end

function Query:has(name)
    return self:get(name) ~= nil
end

local function invalid_value(value)
    return string.format("The value '%s' is not valid.", value)
end

function Query:add_error(name, message)
    self.errors = self.errors or {}
    self.errors[name] = message
end

-- Returns true or false for "true"/"false" (any case), default when absent.
function Query:boolean(name, default)
    local value = self:get(name)
    if value == nil then
        return default
    end
    local lowered = value:lower()
    if lowered == "true" then
        return true
    elseif lowered == "false" then
        return false
    end
    self:add_error(name, invalid_value(value))
    return default
end

local function to_int32(text)
    local number = text:match("^%s*([+-]?%d+)%s*$")
    number = number and math.tointeger(tonumber(number))
    if not number or number < -2147483648 or number > 2147483647 then
        return nil
    end
    return number
end

-- Returns the Int32 value of a parameter, default when absent.
function Query:integer(name, default)
    local value = self:get(name)
    if value == nil then
        return default
    end
    local number = to_int32(value)
    if number == nil then
        self:add_error(name, invalid_value(value))
        return default
    end
    return number
end

-- Returns the set {[id] = true} of every integer given in comma lists and repeated keys
-- ("status=1,2&status=3"), or nil when the parameter is absent or empty.
function Query:integer_set(name)
    local list = self.values[name]
    if not list then
        return nil
    end
    local set = {}
    local count = 0
    for _, value in ipairs(list) do
        for item in value:gmatch("[^,]+") do
            local number = to_int32(item)
            if number == nil then
                self:add_error(name, invalid_value(value))
                return nil
            end
            set[number] = true
            count = count + 1
        end
    end
    if count == 0 then
        return nil
    end
    return set
end

-- Returns the value of a date parameter in the canonical stored form (see clock.lua), or nil
-- when absent.
function Query:date(name)
    local value = self:get(name)
    if value == nil then
        return nil
    end
    local normalised = clock.normalise(value)
    if normalised == nil then
        self:add_error(name, invalid_value(value))
    end
    return normalised
end

return query
