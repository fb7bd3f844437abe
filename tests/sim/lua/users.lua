-- /api/Users: the end users (contacts) of the MSP's clients.
--
-- GET /Users returns {record_count, users}. `search` matches name, e-mail and logins; with
-- search_phonenumbers=true it also contains-matches the phone columns, on the stored text
-- without normalising numbers. `advanced_search` takes HaloPSA's JSON filter list. Inactive
-- users are hidden unless includeinactive=true.
local cjson = require "cjson"

local binder = require "binder"
local lists = require "lists"
local records = require "records"
local responses = require "responses"
local state = require "state"

local users = {}

local USER_SPEC = {
    id = "int", name = "string", firstname = "string", surname = "string", client_id = "int",
    site_id = "int", emailaddress = "string", phonenumber = "string",
    phonenumber_preferred = "string", mobilenumber = "string", mobilenumber2 = "string",
    homenumber = "string", login = "string", networklogin = "string", azureoid = "string",
    inactive = "bool", isimportantcontact = "bool", notes = "string",
    customfields = { rows = records.CUSTOMFIELD_SPEC },
}

local TEXT_FIELDS = { "emailaddress", "phonenumber", "mobilenumber", "mobilenumber2",
    "homenumber", "login", "networklogin", "azureoid", "notes", "firstname", "surname" }

-- The phone columns search_phonenumbers=true covers. Which columns HaloPSA scans is not
-- published; these are every phone column of the Users model.
local PHONE_FIELDS = { "phonenumber", "phonenumber_preferred", "mobilenumber", "mobilenumber2",
    "homenumber" }

-- Fields advanced_search accepts. HaloPSA returns "Invalid advanced search parameter" for others.
local ADVANCED_SEARCH_FIELDS = {
    name = true, firstname = true, surname = true, emailaddress = true, login = true,
    networklogin = true, phonenumber = true, mobilenumber = true, azureoid = true,
}

-- advanced_search filter_type 2 is an exact match (confirmed); every other type is treated
-- as a contains-match, which is a guess.
local FILTER_TYPE_EQUALS = 2

local function apply_defaults(record)
    for _, field in ipairs(TEXT_FIELDS) do
        record[field] = records.text(record[field], "")
    end
    if record.name == nil or record.name == "" then
        record.name = (record.firstname .. " " .. record.surname):match("^%s*(.-)%s*$")
    end
    if record.phonenumber_preferred == nil or record.phonenumber_preferred == "" then
        record.phonenumber_preferred = record.phonenumber
    end
    record.inactive = record.inactive == true
    record.isimportantcontact = record.isimportantcontact == true
    records.array_field(record, "customfields")
    return record
end

-- Returns the first site of a client, or nil.
local function first_site(db, client_id)
    for _, site in ipairs(db.sites.items) do
        if site.client_id == client_id then
            return site
        end
    end
    return nil
end

-- Checks client_id and site_id of a user record (filling site_id when it is 0 or missing);
-- returns true or nil, message.
local function check_links(record, db)
    if db.clients:get(record.client_id) == nil then
        return nil, string.format("client_id %s is not a client", tostring(record.client_id))
    end
    if record.site_id == nil or record.site_id == 0 then
        local site = first_site(db, record.client_id)
        record.site_id = site and site.id or 0
        return true
    end
    local site = db.sites:get(record.site_id)
    if site == nil then
        return nil, string.format("site_id %d is not a site", record.site_id)
    end
    if site.client_id ~= record.client_id then
        return nil, string.format("site_id %d belongs to client %d, not to client %d",
            record.site_id, site.client_id, record.client_id)
    end
    return true
end

function users.prepare(row, db)
    local id, message = records.seed_id(row)
    if not id then
        return nil, message
    end
    row.id = id
    row.client_id = math.tointeger(row.client_id)
    row.site_id = math.tointeger(row.site_id)
    apply_defaults(row)
    if row.name == "" then
        return nil, string.format("user %d has no name (give name or firstname and surname)", id)
    end
    local ok, link_message = check_links(row, db)
    if not ok then
        return nil, string.format("user %d: %s", id, link_message)
    end
    return row
end

function users.view(record)
    local row = records.copy(record)
    local client = state.db.clients:get(record.client_id)
    local site = state.db.sites:get(record.site_id)
    row.client_name = client and client.name or ""
    row.site_name = site and site.name or ""
    row.site_id_int = record.site_id
    row.sitephonenumber = site and site.phonenumber or ""
    return row
end

-- Parses advanced_search; returns a list of {field, equals, value} or nil, message.
local function parse_advanced_search(text)
    local ok, filters = pcall(cjson.decode, text)
    if not ok or type(filters) ~= "table" then
        return nil, "Invalid advanced search parameter: not a JSON array of filters"
    end
    local parsed = {}
    for _, filter in ipairs(filters) do
        local field = type(filter) == "table" and type(filter.filter_name) == "string"
            and filter.filter_name:lower()
        if not field or not ADVANCED_SEARCH_FIELDS[field] then
            return nil, "Invalid advanced search parameter"
        end
        parsed[#parsed + 1] = {
            field = field,
            equals = math.tointeger(filter.filter_type) == FILTER_TYPE_EQUALS,
            value = tostring(filter.filter_value or ""):lower(),
        }
    end
    return parsed
end

local function matches_advanced(record, filters)
    for _, filter in ipairs(filters) do
        local value = tostring(record[filter.field] or ""):lower()
        if filter.equals then
            if value ~= filter.value then
                return false
            end
        elseif not value:find(filter.value, 1, true) then
            return false
        end
    end
    return true
end

-- Returns the set of user ids linked to any asset in asset_ids.
local function users_of_assets(asset_ids)
    local user_ids = {}
    for asset_id in pairs(asset_ids) do
        local asset = state.db.assets:get(asset_id)
        for _, user_id in ipairs(asset and asset._user_ids or {}) do
            user_ids[user_id] = true
        end
    end
    return user_ids
end

local function list(ctx)
    local q = ctx.q
    local include_inactive = q:boolean("includeinactive", false)
    local client_ids = q:integer_set("client_id")
    local site_ids = q:integer_set("site_id")
    local asset_ids = q:integer_set("asset_id")
    local search_phones = q:boolean("search_phonenumbers", false)
    local advanced = nil
    if q:get("advanced_search") then
        local message
        advanced, message = parse_advanced_search(q:get("advanced_search"))
        if not advanced then
            return responses.bad_request(message)
        end
    end
    local asset_users = asset_ids and users_of_assets(asset_ids)

    local page, total = lists.select(state.db.users.items, q, {
        filter = function(record)
            return (include_inactive or not record.inactive)
                and (client_ids == nil or client_ids[record.client_id] == true)
                and (site_ids == nil or site_ids[record.site_id] == true)
                and (asset_users == nil or asset_users[record.id] == true)
                and (advanced == nil or matches_advanced(record, advanced))
        end,
        search_fields = function(record)
            local texts = { record.name, record.emailaddress, record.login, record.networklogin }
            if search_phones then
                for _, field in ipairs(PHONE_FIELDS) do
                    texts[#texts + 1] = record[field]
                end
            end
            return texts
        end,
    })
    if q.errors then
        return responses.model_errors(q.errors)
    end
    return responses.json(200, lists.wrap("users", lists.map(page, users.view), total))
end

local function get(ctx, id)
    local record = state.db.users:get(id)
    if record == nil then
        return responses.not_found("No User with id %s was found", ctx.id_text)
    end
    return responses.json(200, users.view(record))
end

-- /Users/me names the logged-in end user; an API application logs in as an agent.
local function get_me()
    return responses.not_found("/Users/me is only available to end-user logins; this " ..
        "application logs in as an agent (use /Agent/me)")
end

local function bind(item, path, errors)
    return binder.bind(item, USER_SPEC, path, errors)
end

local function save(_, values, label)
    local store = state.db.users
    if values.id == nil or values.id == 0 then
        values.id = store:next_id()
        apply_defaults(values)
        if values.name == "" then
            return nil, responses.record_error(400, label, "please enter a name for the User")
        end
        local ok, message = check_links(values, state.db)
        if not ok then
            return nil, responses.record_error(400, label, "%s", message)
        end
        return users.view(store:add(values))
    end

    local record = store:get(values.id)
    if record == nil then
        return nil, responses.not_found("No User with id %d was found to update", values.id)
    end
    local updated = records.assign(records.assign({}, record), values)
    if values.client_id ~= nil and values.site_id == nil then
        updated.site_id = 0
    end
    local ok, message = check_links(updated, state.db)
    if not ok then
        return nil, responses.record_error(400, label, "%s", message)
    end
    records.assign(record, updated)
    return users.view(record)
end

local function delete(ctx, id)
    local record = state.db.users:remove(id)
    if record == nil then
        return responses.not_found("No User with id %s was found", ctx.id_text)
    end
    return responses.json(200, users.view(record))
end

users.resource = {
    name = "Users",
    right = "customers",
    list = list,
    get = get,
    named = { me = get_me },
    bind = bind,
    save = save,
    delete = delete,
}

return users
