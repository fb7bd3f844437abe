-- /api/Client: the MSP's customers (HaloPSA calls them Areas).
--
-- GET /Client returns {record_count, clients}; `search` matches the name; inactive clients are
-- hidden unless includeinactive=true. POST creates or updates (a name is required on create),
-- DELETE removes the client and returns it.
local binder = require "binder"
local lists = require "lists"
local records = require "records"
local responses = require "responses"
local state = require "state"

local clients = {}

local CLIENT_SPEC = {
    id = "int", name = "string", inactive = "bool", toplevel_id = "int",
    toplevel_name = "string", colour = "string", notes = "string", website = "string",
    customfields = { rows = records.CUSTOMFIELD_SPEC },
}

local function apply_defaults(record)
    record.name = records.text(record.name, "")
    record.inactive = record.inactive == true
    record.toplevel_id = math.tointeger(record.toplevel_id) or 0
    record.toplevel_name = records.text(record.toplevel_name, "")
    records.array_field(record, "customfields")
    return record
end

-- Checks a seed row and fills defaults; returns the record or nil, message.
function clients.prepare(row)
    local id, message = records.seed_id(row)
    if not id then
        return nil, message
    end
    row.id = id
    if type(row.name) ~= "string" or row.name == "" then
        return nil, string.format("client %d has no name", id)
    end
    return apply_defaults(row)
end

function clients.view(record)
    return records.copy(record)
end

local function list(ctx)
    local q = ctx.q
    local include_inactive = q:boolean("includeinactive", false)
    local toplevel_ids = q:integer_set("toplevel_id")
    local name_only = q:boolean("search_name_only", false)
    local page, total = lists.select(state.db.clients.items, q, {
        filter = function(record)
            return (include_inactive or not record.inactive)
                and (toplevel_ids == nil or toplevel_ids[record.toplevel_id])
        end,
        search_fields = function(record)
            if name_only then
                return { record.name }
            end
            return { record.name, record.notes }
        end,
    })
    if q.errors then
        return responses.model_errors(q.errors)
    end
    return responses.json(200, lists.wrap("clients", lists.map(page, clients.view), total))
end

local function get(ctx, id)
    local record = state.db.clients:get(id)
    if record == nil then
        return responses.not_found("No Client with id %s was found", ctx.id_text)
    end
    return responses.json(200, clients.view(record))
end

local function bind(item, path, errors)
    return binder.bind(item, CLIENT_SPEC, path, errors)
end

local function save(_, values, label)
    local store = state.db.clients
    if values.id == nil or values.id == 0 then
        if values.name == nil or values.name == "" then
            return nil, responses.record_error(400, label, "please enter a name for the Client")
        end
        values.id = store:next_id()
        return clients.view(store:add(apply_defaults(values)))
    end
    local record = store:get(values.id)
    if record == nil then
        return nil, responses.not_found("No Client with id %d was found to update", values.id)
    end
    records.assign(record, values)
    return clients.view(record)
end

local function delete(ctx, id)
    local record = state.db.clients:remove(id)
    if record == nil then
        return responses.not_found("No Client with id %s was found", ctx.id_text)
    end
    return responses.json(200, clients.view(record))
end

clients.resource = {
    name = "Client",
    right = "customers",
    list = list,
    get = get,
    bind = bind,
    save = save,
    delete = delete,
}

return clients
