-- The lookup lists: /api/Status, /api/Priority, /api/TicketType and /api/Outcome. Each GET
-- returns a bare array; all four are read-only here.
--
-- A priority's `id` is a GUID string. A ticket's priority_id refers to the priority's integer
-- `priorityid`, scoped by `slaid`. A status is closed when its `type` is STATUS_TYPE_CLOSED.
local lists = require "lists"
local records = require "records"
local responses = require "responses"
local state = require "state"

local lookups = {}

-- The status type that means closed. HaloPSA statuses carry a type, but which value marks a
-- closed status is not published; 1 is a guess, and the built-in seed's "Closed" (id 9, the
-- stock closed status) uses it. A seed status without a type is closed when it is named
-- "Closed", and open otherwise.
lookups.STATUS_TYPE_CLOSED = 1
lookups.STATUS_TYPE_OPEN = 0

function lookups.prepare_status(row)
    local id, message = records.seed_id(row)
    if not id then
        return nil, message
    end
    row.id = id
    if type(row.name) ~= "string" or row.name == "" then
        return nil, string.format("status %d has no name", id)
    end
    row.type = math.tointeger(row.type)
    if row.type == nil then
        local closed = row.name:lower() == "closed"
        row.type = closed and lookups.STATUS_TYPE_CLOSED or lookups.STATUS_TYPE_OPEN
    end
    row.shortname = records.text(row.shortname, row.name:sub(1, 4):upper())
    row.colour = records.text(row.colour, "#3c8dbc")
    row.sequence = math.tointeger(row.sequence) or id
    return row
end

function lookups.prepare_priority(row, db)
    local priority_id = math.tointeger(row.priorityid)
    if priority_id == nil or priority_id < 1 then
        return nil, string.format("priorityid %s is missing or not a positive integer",
            tostring(row.priorityid))
    end
    row.priorityid = priority_id
    row.slaid = math.tointeger(row.slaid) or 1
    if type(row.name) ~= "string" or row.name == "" then
        return nil, string.format("priority %d has no name", priority_id)
    end
    for _, other in ipairs(db.priorities.items) do
        if other.slaid == row.slaid and other.priorityid == priority_id then
            return nil, string.format("priorityid %d appears twice for slaid %d", priority_id,
                row.slaid)
        end
    end
    if row.id == nil then
        row.id = string.format("00000000-0000-4000-8000-%06d%06d", row.slaid, priority_id)
    elseif type(row.id) ~= "string" then
        return nil, string.format("priority %d has id %s; a priority id is a GUID string",
            priority_id, tostring(row.id))
    end
    row.fixtime = row.fixtime or 0
    row.fixunits = records.text(row.fixunits, "h")
    row.responsetime = row.responsetime or 0
    return row
end

function lookups.prepare_ticket_type(row)
    local id, message = records.seed_id(row)
    if not id then
        return nil, message
    end
    row.id = id
    if type(row.name) ~= "string" or row.name == "" then
        return nil, string.format("ticket type %d has no name", id)
    end
    row.workflow_id = math.tointeger(row.workflow_id) or 0
    row.sla_id = math.tointeger(row.sla_id) or 1

    -- Seed-only switches for rules some tenants set on a ticket type; they are not part of
    -- the TicketType model, so they are stored under internal keys.
    row._approval_required = row.approval_required == true
    row._details_required = row.details_required == true
    row._category_required = row.category_required == true
    row.approval_required, row.details_required, row.category_required = nil, nil, nil
    return row
end

function lookups.prepare_outcome(row)
    local id, message = records.seed_id(row)
    if not id then
        return nil, message
    end
    row.id = id
    row.outcome = records.text(row.outcome, records.text(row.name, ""))
    row.name = nil
    if row.outcome == "" then
        return nil, string.format("outcome %d has no outcome name", id)
    end
    row.buttonname = records.text(row.buttonname, row.outcome)
    row.hiddenfromuser = row.hiddenfromuser == true

    -- Seed-only switch: "api_allowed": false makes the outcome one the API agent may not use.
    row._api_allowed = row.api_allowed ~= false
    row.api_allowed = nil
    return row
end

function lookups.is_closed_status(status_id)
    local status = state.db.statuses:get(status_id)
    return status ~= nil and status.type == lookups.STATUS_TYPE_CLOSED
end

-- Returns the priority with priorityid (preferring slaid when given), or nil.
function lookups.find_priority(priority_id, sla_id)
    local fallback = nil
    for _, priority in ipairs(state.db.priorities.items) do
        if priority.priorityid == priority_id then
            if sla_id == nil or priority.slaid == sla_id then
                return priority
            end
            fallback = fallback or priority
        end
    end
    return fallback
end

-- Returns the outcome whose outcome or button name equals name (any case), or nil.
function lookups.find_outcome(name)
    local lowered = name:lower()
    for _, outcome in ipairs(state.db.outcomes.items) do
        if outcome.outcome:lower() == lowered or outcome.buttonname:lower() == lowered then
            return outcome
        end
    end
    return nil
end

-- Builds a read-only resource serving collection_key as a bare array.
local function bare_resource(name, collection_key, search_fields)
    local function list(ctx)
        local q = ctx.q
        local page = lists.select(state.db[collection_key].items, q, {
            paging = false,
            search_fields = search_fields,
        })
        if q.errors then
            return responses.model_errors(q.errors)
        end
        return responses.json(200, lists.map(page, records.copy))
    end

    local function get(ctx, id)
        local record = state.db[collection_key]:get(id)
        if record == nil then
            return responses.not_found("No %s with id %s was found", name, ctx.id_text)
        end
        return responses.json(200, records.copy(record))
    end

    return { name = name, right = "lookups", list = list, get = get, guid_ids = false }
end

local function name_field(record)
    return { record.name }
end

lookups.status_resource = bare_resource("Status", "statuses", name_field)
lookups.ticket_type_resource = bare_resource("TicketType", "ticket_types", name_field)
lookups.outcome_resource = bare_resource("Outcome", "outcomes", function(record)
    return { record.outcome, record.buttonname }
end)
lookups.priority_resource = bare_resource("Priority", "priorities", name_field)
-- Priority ids are GUIDs, so the router passes the path segment through unparsed.
lookups.priority_resource.guid_ids = true

return lookups
