-- Module `json`: lua-cjson for tests, plus helpers for its number handling.
--
-- lua-cjson 2.1 on Lua 5.4 decodes every number as a float (4242 -> 4242.0), so an id read
-- from JSON must become an integer before it goes into a URL or a message; json.integer does
-- that and raises when the value is not a whole number.

local cjson = require "cjson"

local json = {
  encode = cjson.encode,
  decode = cjson.decode,
  null = cjson.null,
}

-- Decodes text, returning nil, message instead of raising on invalid JSON.
function json.try_decode(text)
  if type(text) ~= "string" then
    return nil, "not JSON: a " .. type(text) .. " instead of text"
  end
  local ok, value = pcall(cjson.decode, text)
  if not ok then
    return nil, "invalid JSON: " .. tostring(value)
  end
  return value
end

-- True when value is a number with no fractional part (4242 and 4242.0 both are).
function json.is_integer(value)
  return math.type(value) == "integer"
    or (math.type(value) == "float" and math.tointeger(value) ~= nil)
end

-- Converts a whole number (integer or integral float) to a Lua integer; raises otherwise.
function json.integer(value)
  local integer = type(value) == "number" and math.tointeger(value)
  if not integer then
    error(string.format("bad argument #1 to 'integer' (whole number expected, got %s)",
      type(value) == "number" and tostring(value) or type(value)), 2)
  end
  return integer
end

return json
