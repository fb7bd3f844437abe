-- Helpers shared by the resource modules: copying records for output, checking seed rows,
-- resolving names from ids.
--
-- A stored record is a plain table of its JSON fields. Keys starting with "_" are internal
-- (indexes, per-ticket action stores, secrets), and records.copy leaves them out of answers.
local encode = require "encode"
local ids = require "ids"

local records = {}

-- The binding spec of a custom-field row ({id, name, value, display}).
records.CUSTOMFIELD_SPEC = {
    id = "int", name = "string", label = "string", value = "any", display = "string",
    type = "int",
}

-- Returns a shallow copy of record without internal keys and without the keys in omit.
function records.copy(record, omit)
    local copy = encode.object()
    for key, value in pairs(record) do
        if type(key) == "string" and key:sub(1, 1) ~= "_" and not (omit and omit[key]) then
            copy[key] = value
        end
    end
    return copy
end

-- Returns a copy of rows (an array of tables) as a JSON array of copies.
function records.copy_rows(rows)
    local copy = encode.array()
    for index, row in ipairs(rows or {}) do
        copy[index] = records.copy(row)
    end
    return copy
end

-- Returns the positive integer id of a seed row, or nil, message.
function records.seed_id(row)
    local id = ids.to_integer(row.id)
    if id == nil or id < 1 then
        return nil, string.format("id %s is missing or not a positive integer; give every row " ..
            "an integer id", tostring(row.id))
    end
    return id
end

-- Returns value when it is a string, otherwise fallback.
function records.text(value, fallback)
    if type(value) == "string" then
        return value
    end
    return fallback
end

-- Returns the `name` of the record with id in a collection, or "" when there is none.
function records.name_of(store, id)
    local record = store:get(id)
    if record == nil then
        return ""
    end
    return record.name or ""
end

-- Copies every key of values into record.
function records.assign(record, values)
    for key, value in pairs(values) do
        record[key] = value
    end
    return record
end

-- Marks an array field of a seed row as a JSON array (an empty one may have decoded as {}).
function records.array_field(record, key)
    local value = record[key]
    if type(value) ~= "table" then
        value = {}
    end
    record[key] = encode.array(value)
end

return records
