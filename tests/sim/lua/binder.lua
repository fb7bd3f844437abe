-- Model binding: turns a decoded JSON object into typed field values, as ASP.NET does before a
-- HaloPSA controller runs.
--
-- A spec maps a lower-case field name to a type: "int", "number", "bool", "string", "date",
-- "guid", "any", {rows = SPEC} (an array of objects) or {list = TYPE} (an array of scalars).
-- Binding is lenient, like Newtonsoft.Json's: property names match without regard to case,
-- 12.0 and "12" bind to an int, "true" binds to a bool, numbers bind to strings, null and
-- unknown properties are skipped. Strict id checks on the raw text live in strict.lua.
--
-- binder.bind returns values, errors: values holds only the fields present in the input,
-- errors is nil or maps a field path ("[0].client_id") to the model-binding message.
local cjson = require "cjson"
local clock = require "clock"
local encode = require "encode"
local ids = require "ids"

local binder = {}

local CLR_TYPES = {
    int = "System.Int32",
    number = "System.Double",
    bool = "System.Boolean",
    string = "System.String",
    date = "System.DateTime",
    guid = "System.Guid",
}

-- Returns the model-binding message for a value that does not convert to type_name.
function binder.conversion_message(type_name)
    return string.format("The JSON value could not be converted to %s.",
        CLR_TYPES[type_name] or "the model type")
end

-- Returns a copy of a decoded JSON value with integral floats turned into integers and
-- non-empty arrays marked as arrays, so the encoder prints them as they came in.
function binder.normalise(value)
    if type(value) == "number" then
        if math.type(value) == "float" and value == math.floor(value)
            and math.abs(value) < 2 ^ 53 then
            return math.tointeger(value)
        end
        return value
    end
    if type(value) ~= "table" then
        return value
    end
    local copy = {}
    for key, item in pairs(value) do
        copy[key] = binder.normalise(item)
    end
    if #copy > 0 then
        encode.array(copy)
    end
    return copy
end

-- Returns true when value is a decoded JSON array (a non-empty sequence, or an empty table).
local function is_array(value)
    if type(value) ~= "table" then
        return false
    end
    if next(value) == nil then
        return true
    end
    return value[1] ~= nil
end

local function join_path(prefix, name)
    if prefix == "" then
        return name
    end
    return prefix .. "." .. name
end

local convert

local function convert_scalar(value, type_name)
    local value_type = type(value)
    if type_name == "int" then
        return ids.to_integer(value)
    elseif type_name == "number" then
        local number = tonumber(value)
        if value_type ~= "number" and value_type ~= "string" or number == nil then
            return nil
        end
        return number + 0.0
    elseif type_name == "bool" then
        if value_type == "boolean" then
            return value
        elseif value_type == "string" then
            local lowered = value:lower()
            if lowered == "true" then
                return true
            elseif lowered == "false" then
                return false
            end
        elseif value_type == "number" and math.tointeger(value) then
            return value ~= 0
        end
        return nil
    elseif type_name == "string" then
        if value_type == "string" then
            return value
        elseif value_type == "number" then
            local integer = math.tointeger(value)
            return integer and string.format("%d", integer) or string.format("%.15g", value)
        elseif value_type == "boolean" then
            return value and "true" or "false"
        end
        return nil
    elseif type_name == "date" then
        if value_type ~= "string" then
            return nil
        end
        return (clock.normalise(value))
    elseif type_name == "guid" then
        if ids.is_guid(value) then
            return value:lower()
        end
        return nil
    elseif type_name == "any" then
        return binder.normalise(value)
    end
    error("unknown binder type " .. tostring(type_name), 0)
end

-- Converts one value; adds messages to errors under path and returns the converted value or nil.
convert = function(value, field_type, path, errors)
    if type(field_type) == "table" and field_type.rows then
        if not is_array(value) then
            errors[path] = "The JSON value could not be converted to a list."
            return nil
        end
        local rows = encode.array()
        for index, row in ipairs(value) do
            local row_path = string.format("%s[%d]", path, index - 1)
            local bound = binder.bind(row, field_type.rows, row_path, errors)
            rows[#rows + 1] = bound
        end
        return rows
    end
    if type(field_type) == "table" and field_type.list then
        if not is_array(value) then
            errors[path] = "The JSON value could not be converted to a list."
            return nil
        end
        local items = encode.array()
        for index, item in ipairs(value) do
            local item_path = string.format("%s[%d]", path, index - 1)
            local converted = convert(item, field_type.list, item_path, errors)
            if converted ~= nil then
                items[#items + 1] = converted
            end
        end
        return items
    end

    local converted = convert_scalar(value, field_type)
    if converted == nil then
        errors[path] = binder.conversion_message(field_type)
    end
    return converted
end

-- Binds object (a decoded JSON object) with spec. path is the prefix for error keys ("" for a
-- top-level object, "[0]" for the first item of an array). errors, when given, is filled in
-- place; otherwise a new table is made. Returns values, errors (nil when there are none).
function binder.bind(object, spec, path, errors)
    local own_errors = errors or {}
    local values = {}
    if type(object) ~= "table" or (next(object) ~= nil and object[1] ~= nil) then
        own_errors[path ~= "" and path or "$"] =
            "The JSON value could not be converted to the record type; send a JSON object."
        return values, own_errors
    end

    for key, value in pairs(object) do
        local name = type(key) == "string" and key:lower() or nil
        local field_type = name and spec[name]
        if field_type and value ~= cjson.null then
            local converted = convert(value, field_type, join_path(path, key), own_errors)
            if converted ~= nil then
                values[name] = converted
            end
        end
    end

    if errors == nil and next(own_errors) == nil then
        return values, nil
    end
    if errors ~= nil then
        return values, next(errors) and errors or nil
    end
    return values, own_errors
end

return binder
