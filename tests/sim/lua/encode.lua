-- JSON encoder for every answer the simulator sends.
--
-- lua-cjson 2.1 is not used for output because it cannot tell an empty array from an empty
-- object and prints integers stored as floats in a form it chooses. Here the rules are:
--   * a table marked with encode.array() is an array, one marked with encode.object() an object;
--   * an unmarked table is an array when its keys are exactly 1..n (n >= 1), otherwise an object,
--     so an unmarked empty table is the object {};
--   * an integer prints without a fraction, a float with one ("3.0"), as Newtonsoft.Json does;
--   * object keys are sorted, so equal values always give equal text;
--   * cjson.null and encode.null print null.
-- encode.encode raises an error (with the path to the bad value) for a NaN or infinite number,
-- a function or other non-JSON value, a table key that is neither string nor integer, or a
-- cycle deeper than MAX_DEPTH.
local cjson = require "cjson"

local encode = {}

local MAX_DEPTH = 100

local array_mt = { __name = "json array" }
local object_mt = { __name = "json object" }

encode.null = cjson.null

-- Marks t (or a new table) as a JSON array and returns it.
function encode.array(t)
    return setmetatable(t or {}, array_mt)
end

-- Marks t (or a new table) as a JSON object and returns it.
function encode.object(t)
    return setmetatable(t or {}, object_mt)
end

function encode.is_array(t)
    return getmetatable(t) == array_mt
end

local escapes = {
    ['"'] = '\\"',
    ['\\'] = '\\\\',
    ['\b'] = '\\b',
    ['\f'] = '\\f',
    ['\n'] = '\\n',
    ['\r'] = '\\r',
    ['\t'] = '\\t',
}

local function escape_char(c)
    return escapes[c] or string.format("\\u%04x", c:byte())
end

-- Replaces every byte that is not part of a valid UTF-8 sequence with U+FFFD, so a client's
-- strict JSON parser never sees invalid text.
local function repair_utf8(text)
    local parts = {}
    local position = 1
    local length = #text
    while position <= length do
        local valid_length, bad_position = utf8.len(text, position)
        if valid_length then
            parts[#parts + 1] = text:sub(position)
            break
        end
        parts[#parts + 1] = text:sub(position, bad_position - 1)
        parts[#parts + 1] = "\u{FFFD}"
        position = bad_position + 1
    end
    return table.concat(parts)
end

local function encode_string(text)
    if not utf8.len(text) then
        text = repair_utf8(text)
    end
    return '"' .. text:gsub('[%c"\\]', escape_char) .. '"'
end

local function encode_number(value, path)
    if math.type(value) == "integer" then
        return string.format("%d", value)
    end
    if value ~= value or value == math.huge or value == -math.huge then
        error(string.format("cannot encode %s at %s as JSON: not a finite number",
            tostring(value), path), 0)
    end
    if value == math.floor(value) and math.abs(value) < 1e15 then
        return string.format("%.1f", value)
    end

    -- The shortest of the usual precisions that reads back as the same double.
    local text = string.format("%.15g", value)
    if tonumber(text) ~= value then
        text = string.format("%.17g", value)
    end
    return text
end

-- Returns n when the keys of t are exactly 1..n with n >= 1, otherwise nil.
local function sequence_length(t)
    local count = 0
    for key in pairs(t) do
        if math.type(key) ~= "integer" or key < 1 then
            return nil
        end
        count = count + 1
    end
    if count == 0 or t[count] == nil then
        return nil
    end
    return count
end

local encode_value

local function encode_array(t, length, depth, path, out)
    out[#out + 1] = "["
    for index = 1, length do
        if index > 1 then
            out[#out + 1] = ","
        end
        encode_value(t[index], depth + 1, path .. "[" .. (index - 1) .. "]", out)
    end
    out[#out + 1] = "]"
end

local function encode_object(t, depth, path, out)
    local keys = {}
    for key in pairs(t) do
        local key_type = math.type(key) or type(key)
        if key_type ~= "string" and key_type ~= "integer" then
            error(string.format("cannot encode the table at %s as JSON: key %s is a %s",
                path, tostring(key), key_type), 0)
        end
        keys[#keys + 1] = tostring(key)
    end
    table.sort(keys)

    out[#out + 1] = "{"
    for index, key in ipairs(keys) do
        if index > 1 then
            out[#out + 1] = ","
        end
        local value = t[key]
        if value == nil then
            value = t[math.tointeger(tonumber(key))]
        end
        out[#out + 1] = encode_string(key)
        out[#out + 1] = ":"
        encode_value(value, depth + 1, path .. "." .. key, out)
    end
    out[#out + 1] = "}"
end

encode_value = function(value, depth, path, out)
    local value_type = type(value)
    if value == nil or value == cjson.null then
        out[#out + 1] = "null"
    elseif value_type == "boolean" then
        out[#out + 1] = value and "true" or "false"
    elseif value_type == "number" then
        out[#out + 1] = encode_number(value, path)
    elseif value_type == "string" then
        out[#out + 1] = encode_string(value)
    elseif value_type == "table" then
        if depth > MAX_DEPTH then
            error(string.format("cannot encode %s as JSON: nested deeper than %d levels " ..
                "(a cycle?)", path, MAX_DEPTH), 0)
        end
        local marker = getmetatable(value)
        if marker == array_mt then
            encode_array(value, #value, depth, path, out)
        elseif marker == object_mt then
            encode_object(value, depth, path, out)
        else
            local length = sequence_length(value)
            if length then
                encode_array(value, length, depth, path, out)
            else
                encode_object(value, depth, path, out)
            end
        end
    else
        error(string.format("cannot encode %s as JSON: %s values have no JSON form",
            path, value_type), 0)
    end
end

-- Encodes value as JSON text. Raises an error naming the path of the first value that has no
-- JSON form.
function encode.encode(value)
    local out = {}
    encode_value(value, 0, "$", out)
    return table.concat(out)
end

return encode
