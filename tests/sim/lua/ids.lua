-- GUIDs, access tokens and integer ids.
local ids = {}

local INT32_MIN = -2147483648
local INT32_MAX = 2147483647

local function hex(bytes)
    return (bytes:gsub(".", function(c)
        return string.format("%02x", c:byte())
    end))
end

-- Returns a new random (version 4) GUID in lower-case 8-4-4-4-12 form, from host.random_bytes.
function ids.guid()
    local bytes = { host.random_bytes(16):byte(1, 16) }
    bytes[7] = (bytes[7] & 0x0f) | 0x40
    bytes[9] = (bytes[9] & 0x3f) | 0x80
    local text = hex(string.char(table.unpack(bytes)))
    return string.format("%s-%s-%s-%s-%s", text:sub(1, 8), text:sub(9, 12), text:sub(13, 16),
        text:sub(17, 20), text:sub(21, 32))
end

function ids.is_guid(text)
    return type(text) == "string"
        and text:match("^%x%x%x%x%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$")
        ~= nil
end

-- Returns an opaque access token: 32 random bytes as 64 hex digits.
function ids.token()
    return hex(host.random_bytes(32))
end

-- Converts an id as a lenient model binder would: an integer, an integral float (12.0) or a
-- string of digits ("12") gives the integer. Returns nil for anything else, including values
-- outside Int32 (HaloPSA's ids are Int32).
function ids.to_integer(value)
    local number
    if type(value) == "number" then
        number = math.tointeger(value)
    elseif type(value) == "string" then
        local digits = value:match("^%s*([+-]?%d+)%s*$")
        number = digits and math.tointeger(tonumber(digits))
    end
    if number == nil or number < INT32_MIN or number > INT32_MAX then
        return nil
    end
    return number
end

-- Parses an id taken from a URL path segment; returns the integer or nil.
function ids.from_path(segment)
    if type(segment) ~= "string" or not segment:match("^%-?%d+$") then
        return nil
    end
    return ids.to_integer(segment)
end

return ids
