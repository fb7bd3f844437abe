-- Canonical JSON: object keys sorted, no spaces, integers without a fraction. Lua's table
-- order differs between states, so a plan that is stored, compared or hashed is encoded here
-- rather than with json.encode.
--
-- Arrays are tables marked with canonical.array(); an unmarked table with keys 1..n and no
-- others is an array too. An empty unmarked table encodes as {}.

local canonical = {}

local ARRAY = {}

-- Marks t as an array (so an empty t encodes as []) and returns it.
function canonical.array(t)
    return setmetatable(t or {}, ARRAY)
end

local function is_array(t)
    if getmetatable(t) == ARRAY then
        return true
    end
    local count = 0
    for _ in pairs(t) do
        count = count + 1
    end
    return count > 0 and count == #t
end

local encode_value

local function encode_number(value)
    local integer = math.tointeger(value)
    if integer ~= nil then
        return string.format("%d", integer)
    end
    if value ~= value or value == math.huge or value == -math.huge then
        error("canonical JSON cannot encode NaN or infinity", 0)
    end
    return string.format("%.17g", value)
end

local function encode_table(t, depth, out)
    if depth > 32 then
        error("canonical JSON: tables nest deeper than 32 levels", 0)
    end
    if is_array(t) then
        out[#out + 1] = "["
        for i = 1, #t do
            if i > 1 then
                out[#out + 1] = ","
            end
            encode_value(t[i], depth + 1, out)
        end
        out[#out + 1] = "]"
        return
    end

    local keys = {}
    for key in pairs(t) do
        if type(key) ~= "string" then
            error(string.format("canonical JSON: object key %s is a %s, expected a string",
                tostring(key), type(key)), 0)
        end
        keys[#keys + 1] = key
    end
    table.sort(keys)
    out[#out + 1] = "{"
    for i, key in ipairs(keys) do
        if i > 1 then
            out[#out + 1] = ","
        end
        out[#out + 1] = json.encode(key)
        out[#out + 1] = ":"
        encode_value(t[key], depth + 1, out)
    end
    out[#out + 1] = "}"
end

encode_value = function(value, depth, out)
    local kind = type(value)
    if value == nil or value == json.null then
        out[#out + 1] = "null"
    elseif kind == "boolean" then
        out[#out + 1] = value and "true" or "false"
    elseif kind == "number" then
        out[#out + 1] = encode_number(value)
    elseif kind == "string" then
        out[#out + 1] = json.encode(value)
    elseif kind == "table" then
        encode_table(value, depth, out)
    else
        error(string.format("canonical JSON cannot encode a %s", kind), 0)
    end
end

-- Encodes value as canonical JSON text. Raises on values JSON cannot hold.
function canonical.encode(value)
    local out = {}
    encode_value(value, 0, out)
    return table.concat(out)
end

return canonical
