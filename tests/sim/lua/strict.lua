-- Strict id checking on the raw request body (the --strict option).
--
-- Real HaloPSA binds ids into Int32 properties with a strict JSON reader: 12 works, but 12.0,
-- 1e3 and "12" fail with a model-binding 400 (PowerShell clients that round-trip a double
-- site_id as 95.0 hit this). lua-cjson decodes 12 and 12.0 to the same float, so the check
-- has to read the text itself. strict.check walks the JSON text and reports every member whose
-- key is "id" or ends in "_id" (any case) and whose value is not null and not an integer
-- literal within Int32, keyed by its path ("[0].client_id", "[0].customfields[1].id").
-- GUID-valued keys (a webhook's own id, webhook_id) are skipped.
--
-- The text has already been decoded by lua-cjson, so it is well-formed; on anything unexpected
-- the walk stops and reports what it found so far.
local binder = require "binder"

local strict = {}

local INT32_MIN = -2147483648
local INT32_MAX = 2147483647

-- Keys holding GUID strings wherever they appear.
local GUID_KEYS = { webhook_id = true, escmsg_id = true }

local simple_escapes = { b = "\b", f = "\f", n = "\n", r = "\r", t = "\t", ['"'] = '"',
    ["\\"] = "\\", ["/"] = "/" }

local Scanner = {}
Scanner.__index = Scanner

local function fail()
    error({ scan_failed = true }, 0)
end

function Scanner:skip_space()
    self.position = self.text:find("[^ \t\r\n]", self.position) or (#self.text + 1)
end

-- Reads a string starting at the opening quote; returns its decoded text.
function Scanner:read_string()
    local text = self.text
    local position = self.position + 1
    local parts = {}
    while true do
        local stop = text:find('["\\]', position)
        if not stop then
            fail()
        end
        parts[#parts + 1] = text:sub(position, stop - 1)
        if text:sub(stop, stop) == '"' then
            self.position = stop + 1
            return table.concat(parts)
        end
        local escape = text:sub(stop + 1, stop + 1)
        if escape == "u" then
            local code = tonumber(text:sub(stop + 2, stop + 5), 16)
            if not code then
                fail()
            end
            parts[#parts + 1] = utf8.char(code)
            position = stop + 6
        else
            parts[#parts + 1] = simple_escapes[escape] or escape
            position = stop + 2
        end
    end
end

-- Reads a number or literal (true, false, null, and whatever else lua-cjson accepted) and
-- returns its text.
function Scanner:read_literal()
    local first, last = self.text:find("^[^,%]}%s]+", self.position)
    if not first then
        fail()
    end
    self.position = last + 1
    return self.text:sub(first, last)
end

local function is_id_key(key)
    local lowered = key:lower()
    return lowered == "id" or lowered:sub(-3) == "_id"
end

-- Returns true when a literal is an integer that fits Int32.
local function is_int32_literal(literal)
    if not literal:match("^%-?%d+$") then
        return false
    end
    local number = math.tointeger(tonumber(literal))
    return number ~= nil and number >= INT32_MIN and number <= INT32_MAX
end

-- Walks one value; check_id tells whether the value sits under an id key and must be checked.
function Scanner:scan_value(path, check_id)
    self:skip_space()
    local char = self.text:sub(self.position, self.position)
    if char == "{" then
        if check_id then
            self:violation(path)
        end
        self:scan_object(path)
    elseif char == "[" then
        if check_id then
            self:violation(path)
        end
        self:scan_array(path)
    elseif char == '"' then
        self:read_string()
        if check_id then
            self:violation(path)
        end
    else
        local literal = self:read_literal()
        if check_id and literal ~= "null" and not is_int32_literal(literal) then
            self:violation(path)
        end
    end
end

function Scanner:scan_object(path)
    local depth = self.depth
    self.depth = depth + 1
    self.position = self.position + 1
    self:skip_space()
    if self.text:sub(self.position, self.position) == "}" then
        self.position = self.position + 1
        self.depth = depth
        return
    end
    while true do
        self:skip_space()
        if self.text:sub(self.position, self.position) ~= '"' then
            fail()
        end
        local key = self:read_string()
        self:skip_space()
        if self.text:sub(self.position, self.position) ~= ":" then
            fail()
        end
        self.position = self.position + 1

        local member_path = path == "" and key or (path .. "." .. key)
        local lowered = key:lower()
        local guid_key = GUID_KEYS[lowered]
            or (depth == self.item_depth and self.item_guid_keys[lowered])
        self:scan_value(member_path, is_id_key(key) and not guid_key)

        self:skip_space()
        local separator = self.text:sub(self.position, self.position)
        self.position = self.position + 1
        if separator == "}" then
            break
        elseif separator ~= "," then
            fail()
        end
    end
    self.depth = depth
end

function Scanner:scan_array(path)
    local depth = self.depth
    self.depth = depth + 1
    self.position = self.position + 1
    self:skip_space()
    if self.text:sub(self.position, self.position) == "]" then
        self.position = self.position + 1
        self.depth = depth
        return
    end
    local index = 0
    while true do
        self:scan_value(string.format("%s[%d]", path, index), false)
        index = index + 1
        self:skip_space()
        local separator = self.text:sub(self.position, self.position)
        self.position = self.position + 1
        if separator == "]" then
            break
        elseif separator ~= "," then
            fail()
        end
    end
    self.depth = depth
end

function Scanner:violation(path)
    self.errors[path] = binder.conversion_message("int")
    self.count = self.count + 1
end

-- Checks the ids in a request body. item_guid_keys lists lower-case keys that hold GUIDs on
-- the top-level records only (e.g. {id = true} for webhooks). Returns nil when every id is an
-- Int32 literal, otherwise a table mapping each bad path to the model-binding message.
function strict.check(text, item_guid_keys)
    local scanner = setmetatable({
        text = text,
        position = 1,
        depth = 0,
        errors = {},
        count = 0,
        item_guid_keys = item_guid_keys or {},
    }, Scanner)

    -- Records are the members of a top-level array (depth 1) or the top-level object (depth 0).
    scanner:skip_space()
    scanner.item_depth = scanner.text:sub(scanner.position, scanner.position) == "[" and 1 or 0

    local ok, failure = pcall(scanner.scan_value, scanner, "", false)
    if not ok and not (type(failure) == "table" and failure.scan_failed) then
        error(failure, 0)
    end
    if scanner.count == 0 then
        return nil
    end
    return scanner.errors
end

return strict
