-- /api/Tickets: HaloPSA tickets (internally Faults).
--
-- GET /Tickets returns {record_count, tickets} with paging and the filters below; GET
-- /Tickets/{id} the full ticket. POST creates (no id, or id 0) or updates (partial: fields left
-- out keep their value, but `customfields` is replaced whole, as HaloPSA does). DELETE removes
-- the ticket and returns it. Names (client_name, status_name, ...) are derived from the ids on
-- output, so they always match the lookup lists. Every date is written by the test clock.
--
-- The control endpoints also call tickets.create and tickets.update (an end user logging a
-- ticket, a technician editing one). Both raise the webhook events of the change.
local binder = require "binder"
local clock = require "clock"
local encode = require "encode"
local events = require "events"
local html = require "html"
local lists = require "lists"
local lookups = require "lookups"
local records = require "records"
local responses = require "responses"
local state = require "state"

local tickets = {}

-- The source HaloPSA gives a ticket created through the API when the body names none.
tickets.API_SOURCE = "Manual"

local TICKET_SPEC = {
    id = "int", summary = "string", details = "string", details_html = "string",
    dateoccurred = "date", status_id = "int", tickettype_id = "int", priority_id = "int",
    sla_id = "int", client_id = "int", site_id = "int", user_id = "int", reportedby = "string",
    user_email = "string", team = "string", team_id = "int", agent_id = "int",
    category_1 = "string", category_2 = "string", category_3 = "string", category_4 = "string",
    customfields = { rows = records.CUSTOMFIELD_SPEC }, source = "string", onhold = "bool",
    impact = "int", urgency = "int", parent_id = "int", deadlinedate = "date",
    fixbydate = "date", respondbydate = "date", closure_note = "string",
    assets = { rows = { id = "int" } },
}
tickets.SPEC = TICKET_SPEC

-- Keys the list rows leave out (the list model is slimmer than the full ticket).
local LIST_OMIT = { details_html = true, closure_note = true }

local TEXT_DEFAULTS = {
    summary = "", details = "", details_html = "", reportedby = "", user_email = "",
    category_1 = "", category_2 = "", category_3 = "", category_4 = "", closure_note = "",
    team = "",
}

local DATE_DEFAULTS = { "deadlinedate", "fixbydate", "respondbydate", "dateclosed" }

-- Fills details from details_html or the reverse when only one is given.
local function fill_details(record, values)
    if values.details_html ~= nil and values.details == nil then
        record.details = html.to_text(values.details_html)
    elseif values.details ~= nil and values.details_html == nil then
        record.details_html = html.from_text(values.details)
    end
end

-- Checks the references of a ticket (after defaults and derived ids are in place) and fills
-- team/team_id from each other. Returns true or nil, message.
local function resolve_references(record, values)
    local db = state.db

    if record.user_id ~= 0 then
        local user = db.users:get(record.user_id)
        if user == nil then
            return nil, string.format("user_id %d is not a user", record.user_id)
        end
        if record.client_id ~= user.client_id then
            return nil, string.format("user_id %d belongs to client %d, not to client_id %d",
                user.id, user.client_id, record.client_id)
        end
        -- HaloPSA rejects a specific user on a site that is not the user's.
        if record.site_id ~= user.site_id and user.site_id ~= 0 then
            return nil, string.format("user_id %d is on site %d, not on site_id %d; send the " ..
                "user's site_id", user.id, user.site_id, record.site_id)
        end
    end
    if record.client_id ~= 0 and db.clients:get(record.client_id) == nil then
        return nil, string.format("client_id %d is not a client", record.client_id)
    end
    if record.site_id ~= 0 then
        local site = db.sites:get(record.site_id)
        if site == nil then
            return nil, string.format("site_id %d is not a site", record.site_id)
        end
        if record.client_id ~= 0 and site.client_id ~= record.client_id then
            return nil, string.format("site_id %d belongs to client %d, not to client_id %d",
                site.id, site.client_id, record.client_id)
        end
    end
    if db.statuses:get(record.status_id) == nil then
        return nil, string.format("status_id %d is not a status", record.status_id)
    end
    local ticket_type = db.ticket_types:get(record.tickettype_id)
    if ticket_type == nil then
        return nil, string.format("tickettype_id %d is not a ticket type", record.tickettype_id)
    end
    if values.sla_id == nil and (values.tickettype_id ~= nil or record.sla_id == nil) then
        record.sla_id = ticket_type.sla_id
    end
    if record.priority_id ~= 0
        and lookups.find_priority(record.priority_id, record.sla_id) == nil then
        return nil, string.format("priority_id %d is not the priorityid of any priority",
            record.priority_id)
    end
    if record.agent_id ~= 0 then
        local agent = db.agents:get(record.agent_id)
        if agent == nil then
            return nil, string.format("agent_id %d is not an agent", record.agent_id)
        end
        -- API-only agents take no licence and cannot be assigned tickets.
        if agent.isapiagent then
            return nil, string.format("agent_id %d is an API agent, which cannot be assigned " ..
                "tickets", agent.id)
        end
    end

    -- A ticket names its team by name; team_id wins when both are sent.
    local teams = require "teams"
    if values.team_id ~= nil and values.team_id ~= 0 then
        local team = db.teams:get(values.team_id)
        if team == nil then
            return nil, string.format("team_id %d is not a team", values.team_id)
        end
        record.team, record.team_id = team.name, team.id
    elseif values.team ~= nil and values.team ~= "" then
        local team = teams.find(db, values.team)
        if team == nil then
            return nil, string.format("team '%s' is not a team", values.team)
        end
        record.team, record.team_id = team.name, team.id
    elseif values.team ~= nil or values.team_id ~= nil then
        record.team, record.team_id = "", 0
    end

    if values.parent_id ~= nil and values.parent_id ~= 0
        and db.tickets:get(values.parent_id) == nil then
        return nil, string.format("parent_id %d is not a ticket", values.parent_id)
    end
    if values.assets ~= nil then
        local asset_ids = encode.array()
        for _, row in ipairs(values.assets) do
            if row.id == nil or db.assets:get(row.id) == nil then
                return nil, string.format("asset %s is not an asset", tostring(row.id))
            end
            asset_ids[#asset_ids + 1] = row.id
        end
        record._asset_ids = asset_ids
    end
    return true
end

-- Fills client_id and site_id from the user, and site_id from the client, when they are left
-- out, as HaloPSA does for a ticket logged against a user.
local function derive_client_and_site(record, values)
    local db = state.db
    local user = record.user_id ~= 0 and db.users:get(record.user_id) or nil
    if user and values.client_id == nil then
        record.client_id = user.client_id
    end
    if user and values.site_id == nil then
        record.site_id = user.site_id
    end
    if record.site_id == 0 and record.client_id ~= 0 and values.site_id == nil then
        for _, site in ipairs(db.sites.items) do
            if site.client_id == record.client_id then
                record.site_id = site.id
                break
            end
        end
    end
end

-- Returns the default status: 1 ("New" on stock instances) when it exists, else the first.
local function default_status_id()
    local statuses = state.db.statuses
    if statuses:get(1) then
        return 1
    end
    return statuses.items[1] and statuses.items[1].id or 0
end

local function default_ticket_type_id()
    local ticket_types = state.db.ticket_types
    if ticket_types:get(1) then
        return 1
    end
    return ticket_types.items[1] and ticket_types.items[1].id or 0
end

-- Returns a new ticket record from bound values (ids and defaults applied), without storing it.
local function new_record(values, source)
    local now = clock.now_iso()
    local record = records.assign({}, values)
    for key, default in pairs(TEXT_DEFAULTS) do
        if record[key] == nil then
            record[key] = default
        end
    end
    for _, key in ipairs(DATE_DEFAULTS) do
        record[key] = record[key] or clock.NO_DATE
    end
    fill_details(record, values)
    record.client_id = record.client_id or 0
    record.site_id = record.site_id or 0
    record.user_id = record.user_id or 0
    record.agent_id = record.agent_id or 0
    record.team_id = 0
    record.status_id = record.status_id or default_status_id()
    record.tickettype_id = record.tickettype_id or default_ticket_type_id()
    record.priority_id = record.priority_id or 0
    record.impact = record.impact or 0
    record.urgency = record.urgency or 0
    record.parent_id = record.parent_id or 0
    record.onhold = record.onhold == true
    record.source = record.source or source
    record.customfields = record.customfields or encode.array()
    record.assets = nil
    record._asset_ids = encode.array()
    record.dateoccurred = record.dateoccurred or now
    record.datecreated = now
    record.last_update = now
    record.lastactiondate = now
    record.hasbeenclosed = false
    return record
end

-- Applies the closed-status rules after status_id changed from old_status_id.
local function apply_closure(record, old_status_id)
    local closed = lookups.is_closed_status(record.status_id)
    local was_closed = old_status_id ~= nil and lookups.is_closed_status(old_status_id)
    if closed and not was_closed then
        record.hasbeenclosed = true
        record.dateclosed = clock.now_iso()
        return true
    end
    return false
end

-- Creates a ticket from bound values. source is the `source` used when values has none; actor
-- ({agent_id}) is who logged it, for the webhook payload. Returns the record, or nil, message.
function tickets.create(values, source, actor)
    local store = state.db.tickets
    if values.id ~= nil and values.id < 0 then
        return nil, string.format("id %d is not valid; leave it out or send 0 to create", values.id)
    end
    local record = new_record(values, source)
    derive_client_and_site(record, values)
    local ok, message = resolve_references(record, values)
    if not ok then
        return nil, message
    end
    record.id = store:next_id()
    if record.reportedby == "" and record.user_id ~= 0 then
        record.reportedby = state.db.users:get(record.user_id).emailaddress
    end
    apply_closure(record, nil)
    record._actions = require("collection").new()
    store:add(record)

    events.fire("ticket_created", record, actor)
    if record.hasbeenclosed then
        events.fire("ticket_closed", record, actor)
    end
    return record
end

-- Changes a ticket's status (from an update or an action). Returns old_status_id, closed_now.
-- Raises no events: the caller does, so events keep the order HaloPSA would send them in.
function tickets.set_status(record, status_id)
    local old_status_id = record.status_id
    record.status_id = status_id
    local closed_now = apply_closure(record, old_status_id)
    return old_status_id, closed_now
end

-- Marks a ticket changed now (an update or a new action).
function tickets.touch(record, by_action)
    local now = clock.now_iso()
    record.last_update = now
    if by_action then
        record.lastactiondate = now
    end
end

-- Updates a stored ticket from bound values (partial; customfields replaced whole) and raises
-- "Ticket Updated" plus the status, closure and reassignment events the change implies.
-- Returns the record, or nil, message, status (404 when the ticket does not exist).
function tickets.update(values, actor)
    local record = state.db.tickets:get(values.id)
    if record == nil then
        return nil, string.format("No Ticket with id %d was found to update", values.id), 404
    end

    local updated = records.assign({}, record)
    for key, value in pairs(values) do
        if key ~= "assets" then
            updated[key] = value
        end
    end
    fill_details(updated, values)
    if values.user_id ~= nil then
        derive_client_and_site(updated, values)
    end
    local ok, message = resolve_references(updated, values)
    if not ok then
        return nil, message, 400
    end

    local old_status_id = record.status_id
    local old_agent_id = record.agent_id
    local new_status_id = updated.status_id
    updated.status_id = old_status_id
    records.assign(record, updated)
    local closed_now = false
    if new_status_id ~= old_status_id then
        old_status_id, closed_now = tickets.set_status(record, new_status_id)
    end
    tickets.touch(record, false)

    events.fire("ticket_updated", record, actor)
    if record.status_id ~= old_status_id then
        events.fire("status_changed", record, actor)
    end
    if closed_now then
        events.fire("ticket_closed", record, actor)
    end
    if record.agent_id ~= old_agent_id then
        events.fire("ticket_reassigned", record, actor)
    end
    return record
end

-- Returns the names derived from a ticket's ids.
local function add_names(row, record)
    local db = state.db
    local user = db.users:get(record.user_id)
    row.status_name = records.name_of(db.statuses, record.status_id)
    row.tickettype_name = records.name_of(db.ticket_types, record.tickettype_id)
    row.client_name = records.name_of(db.clients, record.client_id)
    row.site_name = records.name_of(db.sites, record.site_id)
    row.user_name = user and user.name or ""
    if row.user_email == "" and user then
        row.user_email = user.emailaddress
    end
    row.agent_name = records.name_of(db.agents, record.agent_id)
    local priority = record.priority_id ~= 0
        and lookups.find_priority(record.priority_id, record.sla_id)
    row.priority_name = priority and priority.name or ""
    row.child_count = record._child_count or 0
    return row
end

local function list_row(record)
    return add_names(records.copy(record, LIST_OMIT), record)
end

-- Returns the full ticket as GET /Tickets/{id} and POST return it.
function tickets.view(record)
    local row = add_names(records.copy(record), record)
    row.assets = encode.array()
    for _, asset_id in ipairs(record._asset_ids) do
        local asset = state.db.assets:get(asset_id)
        if asset then
            row.assets[#row.assets + 1] = encode.object({ id = asset.id,
                inventory_number = asset.inventory_number })
        end
    end
    return row
end

-- Returns the ticket object of a default ("small object with key fields") webhook payload.
function tickets.payload_view(record)
    local row = encode.object({
        id = record.id,
        summary = record.summary,
        details = record.details,
        status_id = record.status_id,
        tickettype_id = record.tickettype_id,
        priority_id = record.priority_id,
        client_id = record.client_id,
        site_id = record.site_id,
        user_id = record.user_id,
        team_id = record.team_id,
        team = record.team,
        agent_id = record.agent_id,
        customfields = record.customfields,
        hasbeenclosed = record.hasbeenclosed,
        dateoccurred = record.dateoccurred,
        last_update = record.last_update,
        source = record.source,
    })
    return add_names(row, record)
end

-- Seed rows go through the same checks as an API create, without raising events.
function tickets.prepare(row, db)
    local id, message = records.seed_id(row)
    if not id then
        return nil, message
    end
    local seed_actions = row.actions
    row.actions = nil
    local values, errors = binder.bind(row, TICKET_SPEC, "")
    if errors then
        local path, error_message = next(errors)
        return nil, string.format("ticket %d: %s: %s", id, path, error_message)
    end
    -- Seed tickets may carry their own dates and closure state.
    local record = new_record(values, tickets.API_SOURCE)
    for _, key in ipairs({ "datecreated", "last_update", "lastactiondate", "dateclosed" }) do
        if type(row[key]) == "string" then
            record[key] = clock.normalise(row[key]) or record[key]
        end
    end
    if row.datecreated == nil and values.dateoccurred then
        record.datecreated = values.dateoccurred
    end
    derive_client_and_site(record, values)
    local ok, reference_message = resolve_references(record, values)
    if not ok then
        return nil, string.format("ticket %d: %s", id, reference_message)
    end
    record.id = id
    record.hasbeenclosed = row.hasbeenclosed == true or lookups.is_closed_status(record.status_id)
    if record.hasbeenclosed and record.dateclosed == clock.NO_DATE then
        record.dateclosed = record.last_update
    end
    record._actions = require("collection").new()

    if seed_actions ~= nil then
        if type(seed_actions) ~= "table" then
            return nil, string.format("ticket %d: actions must be a JSON array", id)
        end
        local actions = require "actions"
        for index, action_row in ipairs(seed_actions) do
            local action, action_message = actions.prepare(action_row, record, db)
            if not action then
                return nil, string.format("ticket %d: actions[%d]: %s", id, index - 1,
                    action_message)
            end
            record._actions:add(action)
        end
    end
    return record
end

-- Returns the set of ticket ids linked to any asset in asset_ids.
local function tickets_of_assets(asset_ids)
    local matches = {}
    for _, record in ipairs(state.db.tickets.items) do
        for _, asset_id in ipairs(record._asset_ids) do
            if asset_ids[asset_id] then
                matches[record.id] = true
            end
        end
    end
    return matches
end

-- Returns true when any action note of the ticket contains needle (lower-case).
local function actions_contain(record, needle)
    for _, action in ipairs(record._actions.items) do
        if action.note:lower():find(needle, 1, true) then
            return true
        end
    end
    return false
end

local function list(ctx)
    local q = ctx.q
    local client_ids = q:integer_set("client_id")
    local site_ids = q:integer_set("site_id")
    local user_ids = q:integer_set("user_id")
    local agent_ids = q:integer_set("agent_id") or q:integer_set("agent")
    local status_ids = q:integer_set("status_id") or q:integer_set("status")
    local team_ids = q:integer_set("team") or q:integer_set("team_id")
    local priority_ids = q:integer_set("priority") or q:integer_set("priority_id")
    local type_ids = q:integer_set("tickettype_id") or q:integer_set("requesttype")
    local asset_ids = q:integer_set("asset_id")
    local ticket_ids = q:integer_set("ticket_id") or q:integer_set("ids")
    local open_only = q:boolean("open_only", false)
    local closed_only = q:boolean("closed_only", false)
    local updated_from = q:date("lastupdatefromdate")
    local updated_to = q:date("lastupdatetodate")
    local date_field = nil
    local date_search = q:get("datesearch")
    if date_search then
        -- HaloPSA spells the occurrence date "dateoccured" here.
        local fields = { dateoccured = "dateoccurred", dateoccurred = "dateoccurred",
            datecleared = "dateclosed", dateclosed = "dateclosed",
            last_update = "last_update", datecreated = "datecreated" }
        date_field = fields[date_search:lower()]
        if date_field == nil then
            q:add_error("datesearch", string.format("The value '%s' is not valid; use " ..
                "dateoccured or datecleared.", date_search))
        end
    end
    local start_date = q:date("startdate")
    local end_date = q:date("enddate")
    local search_summary = q:get("search_summary")
    search_summary = search_summary and search_summary:lower()
    local search_user = q:get("search_user_name")
    search_user = search_user and search_user:lower()
    local search_actions = q:boolean("searchactions", false)
    local ids_only = q:boolean("ticketidonly", false) or q:boolean("idonly", false)
    local search = q:get("search")
    local needle = search and search:lower()
    if q.errors then
        return responses.model_errors(q.errors)
    end
    local asset_tickets = asset_ids and tickets_of_assets(asset_ids)
    local users = state.db.users

    local page, total = lists.select(state.db.tickets.items, q, {
        -- Derived names (order=client_name) are not stored, so they come from the list row.
        order_value = function(record, field)
            local value = record[field]
            if value == nil then
                value = list_row(record)[field]
            end
            return value
        end,
        filter = function(record)
            if open_only or closed_only then
                local closed = lookups.is_closed_status(record.status_id)
                if (open_only and closed) or (closed_only and not closed) then
                    return false
                end
            end
            if (client_ids and not client_ids[record.client_id])
                or (site_ids and not site_ids[record.site_id])
                or (user_ids and not user_ids[record.user_id])
                or (agent_ids and not agent_ids[record.agent_id])
                or (status_ids and not status_ids[record.status_id])
                or (team_ids and not team_ids[record.team_id])
                or (priority_ids and not priority_ids[record.priority_id])
                or (type_ids and not type_ids[record.tickettype_id])
                or (ticket_ids and not ticket_ids[record.id])
                or (asset_tickets and not asset_tickets[record.id]) then
                return false
            end
            if (updated_from and record.last_update < updated_from)
                or (updated_to and record.last_update > updated_to) then
                return false
            end
            if date_field and ((start_date and record[date_field] < start_date)
                or (end_date and record[date_field] > end_date)) then
                return false
            end
            if search_summary and not record.summary:lower():find(search_summary, 1, true) then
                return false
            end
            if search_user then
                local user = users:get(record.user_id)
                if not (user and user.name:lower():find(search_user, 1, true)) then
                    return false
                end
            end
            if needle and search_actions and actions_contain(record, needle) then
                return true
            end
            if needle and not (tostring(record.id) == needle
                or record.summary:lower():find(needle, 1, true)
                or record.details:lower():find(needle, 1, true)) then
                return false
            end
            return true
        end,
    })
    if q.errors then
        return responses.model_errors(q.errors)
    end
    local view = list_row
    if ids_only then
        view = function(record)
            return encode.object({ id = record.id })
        end
    end
    return responses.json(200, lists.wrap("tickets", lists.map(page, view), total))
end

local function get(ctx, id)
    local record = state.db.tickets:get(id)
    if record == nil then
        return responses.not_found("No Ticket with id %s was found", ctx.id_text)
    end
    return responses.json(200, tickets.view(record))
end

local function bind(item, path, errors)
    return binder.bind(item, TICKET_SPEC, path, errors)
end

-- Returns nil when the ticket type accepts a ticket created through the API, or the message
-- of HaloPSA's 400. The rules come from seed switches on the ticket type.
local function ticket_type_rule_failure(values)
    local ticket_type = state.db.ticket_types:get(values.tickettype_id or default_ticket_type_id())
    if ticket_type == nil then
        return nil
    end
    if ticket_type._approval_required then
        -- HaloPSA's words for a ticket type whose approval process needs CAB members.
        return "CODE:APP03/2 Please select the CAB members to approve"
    end
    if ticket_type._details_required and (values.details or values.details_html or "") == "" then
        return string.format("Details are required for ticket type '%s'; send details or " ..
            "details_html", ticket_type.name)
    end
    if ticket_type._category_required and (values.category_1 or "") == "" then
        return string.format("A category is required for ticket type '%s'; send category_1",
            ticket_type.name)
    end
    return nil
end

local function save(ctx, values, label)
    if values.id == nil or values.id == 0 then
        local rule_failure = ticket_type_rule_failure(values)
        if rule_failure then
            return nil, responses.record_error(400, label, "%s", rule_failure)
        end
        local record, message = tickets.create(values, tickets.API_SOURCE, ctx.actor)
        if not record then
            return nil, responses.record_error(400, label, "%s", message)
        end
        return tickets.view(record)
    end
    local record, message, status = tickets.update(values, ctx.actor)
    if not record then
        return nil, responses.record_error(status, label, "%s", message)
    end
    return tickets.view(record)
end

local function delete(ctx, id)
    local record = state.db.tickets:remove(id)
    if record == nil then
        return responses.not_found("No Ticket with id %s was found", ctx.id_text)
    end
    events.fire("ticket_deleted", record, ctx.actor)
    return responses.json(200, tickets.view(record))
end

tickets.resource = {
    name = "Tickets",
    right = "tickets",
    list = list,
    get = get,
    bind = bind,
    save = save,
    delete = delete,
}

return tickets
