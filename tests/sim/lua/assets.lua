-- /api/Asset: client devices (HaloPSA's Device). Read-only here.
--
-- GET /Asset returns {record_count, assets} with the usual paging. Filters: client_id, site_id,
-- user_id, username, ticket_id (assets linked to that ticket), assettype_id or assettypes,
-- inventory_number, search (inventory number, key fields and asset-field values; only the
-- inventory number with search_inventory_number_only=true). Inactive assets are hidden unless
-- includeinactive=true; which columns HaloPSA's search covers is not published.
local encode = require "encode"
local lists = require "lists"
local records = require "records"
local responses = require "responses"
local state = require "state"

local assets = {}

local TEXT_FIELDS = { "inventory_number", "key_field", "key_field2", "key_field3", "username",
    "assettype_name", "status_name", "notes" }

function assets.prepare(row, db)
    local id, message = records.seed_id(row)
    if not id then
        return nil, message
    end
    row.id = id
    for _, field in ipairs(TEXT_FIELDS) do
        row[field] = records.text(row[field], "")
    end
    row.client_id = math.tointeger(row.client_id)
    if row.client_id == nil or db.clients:get(row.client_id) == nil then
        return nil, string.format("asset %d refers to client_id %s, which is not a client", id,
            tostring(row.client_id))
    end
    row.site_id = math.tointeger(row.site_id) or 0
    local site = db.sites:get(row.site_id)
    if row.site_id ~= 0 and (site == nil or site.client_id ~= row.client_id) then
        return nil, string.format("asset %d refers to site_id %d, which is not a site of " ..
            "client %d", id, row.site_id, row.client_id)
    end
    row.assettype_id = math.tointeger(row.assettype_id) or 0
    row.status_id = math.tointeger(row.status_id) or 0
    row.inactive = row.inactive == true
    row.third_party_id = math.tointeger(row.third_party_id) or 0
    records.array_field(row, "fields")
    records.array_field(row, "customfields")

    local user_ids = encode.array()
    for _, user_id in ipairs(type(row.user_ids) == "table" and row.user_ids or {}) do
        if db.users:get(user_id) == nil then
            return nil, string.format("asset %d lists user %s, which is not a user", id,
                tostring(user_id))
        end
        user_ids[#user_ids + 1] = user_id
    end
    row.user_ids = nil
    row._user_ids = user_ids
    return row
end

local function list_row(record)
    local row = records.copy(record, { fields = true, notes = true })
    row.client_name = records.name_of(state.db.clients, record.client_id)
    row.site_name = records.name_of(state.db.sites, record.site_id)
    return row
end

-- Returns the ids of the users linked to an asset (users.lua filters by them).
function assets.user_ids(record)
    return record._user_ids
end

function assets.view(record)
    local row = records.copy(record)
    row.client_name = records.name_of(state.db.clients, record.client_id)
    row.site_name = records.name_of(state.db.sites, record.site_id)
    row.users = encode.array()
    for _, user_id in ipairs(record._user_ids) do
        local user = state.db.users:get(user_id)
        if user then
            row.users[#row.users + 1] = encode.object({ id = user.id, name = user.name,
                emailaddress = user.emailaddress, site_id = user.site_id })
        end
    end
    row.user_count = #row.users
    local first_user = state.db.users:get(record._user_ids[1])
    row.user_email = first_user and first_user.emailaddress or ""
    return row
end

local function field_values(record)
    local texts = { record.inventory_number, record.key_field, record.key_field2,
        record.key_field3 }
    for _, field in ipairs(record.fields) do
        texts[#texts + 1] = field.value
    end
    return texts
end

local function list(ctx)
    local q = ctx.q
    local include_inactive = q:boolean("includeinactive", false)
    local client_ids = q:integer_set("client_id")
    local site_ids = q:integer_set("site_id")
    local user_ids = q:integer_set("user_id")
    local type_ids = q:integer_set("assettype_id") or q:integer_set("assettypes")
    local ticket_ids = q:integer_set("ticket_id")
    local username = q:get("username")
    local inventory_number = q:get("inventory_number")
    local inventory_only = q:boolean("search_inventory_number_only", false)

    local linked = nil
    if ticket_ids then
        linked = {}
        for ticket_id in pairs(ticket_ids) do
            local ticket = state.db.tickets:get(ticket_id)
            for _, asset_id in ipairs(ticket and ticket._asset_ids or {}) do
                linked[asset_id] = true
            end
        end
    end

    local function has_user(record)
        for _, user_id in ipairs(record._user_ids) do
            if user_ids[user_id] then
                return true
            end
        end
        return false
    end

    local page, total = lists.select(state.db.assets.items, q, {
        filter = function(record)
            return (include_inactive or not record.inactive)
                and (client_ids == nil or client_ids[record.client_id] == true)
                and (site_ids == nil or site_ids[record.site_id] == true)
                and (type_ids == nil or type_ids[record.assettype_id] == true)
                and (user_ids == nil or has_user(record))
                and (linked == nil or linked[record.id] == true)
                and (username == nil or record.username:lower() == username:lower())
                and (inventory_number == nil
                    or record.inventory_number:lower() == inventory_number:lower())
        end,
        search_fields = function(record)
            if inventory_only then
                return { record.inventory_number }
            end
            return field_values(record)
        end,
    })
    if q.errors then
        return responses.model_errors(q.errors)
    end
    return responses.json(200, lists.wrap("assets", lists.map(page, list_row), total))
end

local function get(ctx, id)
    local record = state.db.assets:get(id)
    if record == nil then
        return responses.not_found("No Asset with id %s was found", ctx.id_text)
    end
    return responses.json(200, assets.view(record))
end

assets.resource = {
    name = "Asset",
    right = "assets",
    list = list,
    get = get,
}

return assets
