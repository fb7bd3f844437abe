-- Ticket events and the webhook payloads they produce.
--
-- A change to a ticket raises one or more event kinds (ticket_created, ticket_updated,
-- status_changed, ticket_closed, ticket_reassigned, action_added, ticket_updated_by_user,
-- ticket_deleted). The webhook event table (builtin_seed.lua, or the seed's "webhook_events")
-- maps each kind to an eventno. A webhook receives an event when it is active, not disabled and
-- has a notification row (its `events`) with that eventno whose conditions hold. Each matching
-- row produces one payload, which deliveries.lua queues.
local clock = require "clock"
local ids = require "ids"
local log = require "log"
local state = require "state"

local events = {}

-- Payload types. 0 (small object with key fields), 1 (custom JSON) and 2 (runbook variables)
-- come from a community node's enum. The numbers of "full object" and "event information only"
-- are guesses. Custom and runbook payloads are not simulated, so they send the small object.
events.PAYLOAD_SMALL = 0
events.PAYLOAD_CUSTOM = 1
events.PAYLOAD_RUNBOOK = 2
events.PAYLOAD_FULL = 3
events.PAYLOAD_EVENT_ONLY = 4

events.KINDS = {
    ticket_created = true, ticket_updated = true, status_changed = true, ticket_closed = true,
    ticket_reassigned = true, action_added = true, ticket_updated_by_user = true,
    ticket_deleted = true,
}

-- Checks the webhook event table and stores it in db. A row's `name` (compared with the
-- built-in names without regard to case) names the event and brings that event's kind, payload
-- text and message, so {"eventno": 2001, "name": "Ticket Updated"} renumbers an event. A row
-- may also give its `kind` outright. A row matching no event never fires. Returns true or nil,
-- message.
function events.load_table(db, rows)
    if type(rows) ~= "table" then
        return nil, "seed key 'webhook_events' must be a JSON array of {eventno, name, kind}"
    end
    local builtin_by_name = {}
    for _, row in ipairs(require("builtin_seed").build().webhook_events) do
        builtin_by_name[row.name:lower()] = row
        if row.event then
            builtin_by_name[row.event:lower()] = row
        end
    end

    db.webhook_events = {}
    db.event_by_kind = {}
    db.event_by_number = {}
    for index, row in ipairs(rows) do
        local where = string.format("seed webhook_events[%d]", index - 1)
        local eventno = type(row) == "table" and math.tointeger(row.eventno)
        if not eventno then
            return nil, where .. ": eventno is missing or not an integer"
        end
        if type(row.name) ~= "string" or row.name == "" then
            return nil, string.format("%s: event %d has no name", where, eventno)
        end
        if db.event_by_number[eventno] then
            return nil, string.format("%s: eventno %d appears twice", where, eventno)
        end
        local template = builtin_by_name[row.name:lower()] or {}
        if row.kind ~= nil and row.kind ~= template.kind then
            template = {}
        end
        local kind = row.kind or template.kind
        if kind ~= nil and not events.KINDS[kind] then
            return nil, string.format("%s: kind '%s' is not one of ticket_created, " ..
                "ticket_updated, status_changed, ticket_closed, ticket_reassigned, " ..
                "action_added, ticket_updated_by_user, ticket_deleted", where, tostring(kind))
        end
        if kind ~= nil and db.event_by_kind[kind] then
            return nil, string.format("%s: kind '%s' is already raised by eventno %d", where,
                kind, db.event_by_kind[kind].eventno)
        end
        local event = {
            eventno = eventno,
            name = row.name,
            kind = kind,
            event = type(row.event) == "string" and row.event or template.event or row.name,
            message = type(row.message) == "string" and row.message or template.message
                or (row.name .. ". Ticket ID: {ticket}."),
        }
        db.webhook_events[#db.webhook_events + 1] = event
        db.event_by_number[eventno] = event
        if kind then
            db.event_by_kind[kind] = event
        end
    end
    return true
end

-- Returns true when every condition of a notification row holds for the ticket. A condition
-- {fieldname, value_int or value_string} is an equality test on that ticket field; HaloPSA's
-- condition `type` codes are not published, so they are ignored.
local function conditions_hold(notification, ticket)
    for _, condition in ipairs(notification.conditions or {}) do
        local field = type(condition.fieldname) == "string" and condition.fieldname:lower()
        if field and field ~= "" then
            local actual = ticket[field]
            if condition.value_int ~= nil and condition.value_int ~= actual then
                return false
            end
            if condition.value_int == nil and condition.value_string ~= nil
                and tostring(actual or ""):lower() ~= tostring(condition.value_string):lower() then
                return false
            end
        end
    end
    return true
end

-- Returns the payload of one delivery.
local function build_payload(webhook, notification, event, ticket, actor, action)
    local payload = {
        id = ids.guid(),
        webhook_id = webhook.id,
        notification_id = notification.id,
        escmsg_id = ids.guid(),
        event = event.event,
        message = (event.message:gsub("{ticket}", string.format("%07d", ticket.id))),
        object_id = ticket.id,
        agent_id = actor.agent_id or 0,
        timestamp = clock.now_iso(),
    }
    local payload_type = webhook.payload_type
    if payload_type == events.PAYLOAD_EVENT_ONLY then
        return payload
    end
    local tickets = require "tickets"
    if payload_type == events.PAYLOAD_FULL then
        payload.ticket = tickets.view(ticket)
    else
        payload.ticket = tickets.payload_view(ticket)
    end
    if action then
        payload.action = require("actions").view(action)
    end
    return payload
end

-- Raises the event of kind for a ticket. actor is {agent_id = N} (0 or nil for an end user or
-- the system); action is the action record for action events. Does nothing when no event row
-- has that kind or no webhook subscribes to it.
function events.fire(kind, ticket, actor, action)
    local db = state.db
    local event = db.event_by_kind[kind]
    if event == nil then
        return
    end

    local deliveries = require "deliveries"
    local count = 0
    for _, notification in ipairs(db.notifications.items) do
        if notification.eventno == event.eventno then
            local webhook = db.webhooks:get(notification.webhook_id)
            if webhook and webhook.active and not webhook.disabled
                and conditions_hold(notification, ticket) then
                local payload = build_payload(webhook, notification, event, ticket, actor, action)
                deliveries.enqueue(webhook, payload, {
                    notification_id = notification.id,
                    entity_id = ticket.id,
                    event = event.event,
                })
                count = count + 1
            end
        end
    end
    if count > 0 then
        log.debug("event %s (eventno %d) on ticket %d queued %d deliveries", kind, event.eventno,
            ticket.id, count)
    end
end

return events
