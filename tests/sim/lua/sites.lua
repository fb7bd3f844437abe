-- /api/Site: a client's locations. Read-only in the simulator.
--
-- GET /Site returns {record_count, sites} whether or not paging is asked for; filters client_id,
-- toplevel_id, site_id and search (name, client name and the combined label); inactive sites are
-- hidden unless includeinactive=true. GET /Site/{id} returns the full object.
local lists = require "lists"
local records = require "records"
local responses = require "responses"
local state = require "state"

local sites = {}

-- The label HaloPSA shows for a site in pickers. The separator is a guess: no captured
-- response shows it.
local CLIENTSITE_SEPARATOR = " / "

function sites.prepare(row, db)
    local id, message = records.seed_id(row)
    if not id then
        return nil, message
    end
    row.id = id
    if type(row.name) ~= "string" or row.name == "" then
        return nil, string.format("site %d has no name", id)
    end
    row.client_id = math.tointeger(row.client_id)
    if row.client_id == nil or db.clients:get(row.client_id) == nil then
        return nil, string.format("site %d refers to client_id %s, which is not a client", id,
            tostring(row.client_id))
    end
    row.inactive = row.inactive == true
    row.sla_id = math.tointeger(row.sla_id) or 1
    row.phonenumber = records.text(row.phonenumber, "")
    row.timezone = records.text(row.timezone, "GMT Standard Time")
    row.notes = records.text(row.notes, "")
    row.maincontact_id = math.tointeger(row.maincontact_id) or 0
    records.array_field(row, "customfields")
    return row
end

local function client_of(record)
    return state.db.clients:get(record.client_id)
end

local function list_row(record)
    local row = records.copy(record, { delivery_address = true, invoice_address = true })
    local client = client_of(record)
    row.client_name = client and client.name or ""
    row.toplevel_id = client and client.toplevel_id or 0
    row.clientsite_name = row.client_name .. CLIENTSITE_SEPARATOR .. record.name
    return row
end

function sites.view(record)
    local row = list_row(record)
    local contact = state.db.users:get(record.maincontact_id)
    row.maincontact_name = contact and contact.name or ""
    row.delivery_address = record.delivery_address or {}
    row.invoice_address = record.invoice_address or {}
    local open_count, total_count = 0, 0
    for _, ticket in ipairs(state.db.tickets.items) do
        if ticket.site_id == record.id then
            total_count = total_count + 1
            if not require("lookups").is_closed_status(ticket.status_id) then
                open_count = open_count + 1
            end
        end
    end
    row.open_ticket_count = open_count
    row.total_ticket_count = total_count
    return row
end

local function list(ctx)
    local q = ctx.q
    local include_inactive = q:boolean("includeinactive", false)
    local client_ids = q:integer_set("client_id")
    local toplevel_ids = q:integer_set("toplevel_id")
    local site_ids = q:integer_set("site_id")
    local page, total = lists.select(state.db.sites.items, q, {
        filter = function(record)
            if not include_inactive and record.inactive then
                return false
            end
            if client_ids and not client_ids[record.client_id] then
                return false
            end
            if site_ids and not site_ids[record.id] then
                return false
            end
            if toplevel_ids then
                local client = client_of(record)
                return client ~= nil and toplevel_ids[client.toplevel_id] == true
            end
            return true
        end,
        search_fields = function(record)
            local client = client_of(record)
            return { record.name, client and client.name or "" }
        end,
    })
    if q.errors then
        return responses.model_errors(q.errors)
    end
    return responses.json(200, lists.wrap("sites", lists.map(page, list_row), total))
end

local function get(ctx, id)
    local record = state.db.sites:get(id)
    if record == nil then
        return responses.not_found("No Site with id %s was found", ctx.id_text)
    end
    return responses.json(200, sites.view(record))
end

sites.resource = {
    name = "Site",
    right = "customers",
    list = list,
    get = get,
}

return sites
