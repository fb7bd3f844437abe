-- Webhook configuration: /api/Webhook, /api/Notification (a webhook's events) and
-- /api/WebhookEvent (the delivery log).
--
-- A webhook's id is a GUID. Its events are notification rows ({id, webhook_id, eventno, name,
-- type, delivery_method, conditions}); they may be sent nested in the webhook (`events`, which
-- replaces the webhook's rows whole) or one by one through POST /api/Notification, the route a
-- community client uses. GET /Webhook/{id}?includedetails=true adds `events`.
--
-- Credentials: `basic_password` is write-only here. HaloPSA's behaviour is not published, and
-- echoing a secret is the riskier guess, so GETs and POST responses leave the field out, and an
-- update that leaves it out keeps the stored one. The Webhook model has no other secret field,
-- so for authentication_type 2 (Bearer) `basic_password` contains the token; `bearer_token` is
-- accepted as another name for it.
local binder = require "binder"
local deliveries = require "deliveries"
local encode = require "encode"
local ids = require "ids"
local lists = require "lists"
local log = require "log"
local records = require "records"
local responses = require "responses"
local state = require "state"

local webhooks = {}

-- Webhook `type` 0 is an outbound webhook; 1 (runbook) is not simulated.
local TYPE_OUTBOUND = 0

local AUTH_CERTIFICATE = 4

local CONDITION_SPEC = {
    fieldname = "string", type = "int", value_int = "int", value_string = "string",
    value_display = "string",
}

local NOTIFICATION_SPEC = {
    id = "int", webhook_id = "guid", eventno = "int", name = "string", type = "int",
    delivery_method = "int", conditions = { rows = CONDITION_SPEC },
}

local WEBHOOK_SPEC = {
    id = "guid", name = "string", type = "int", url = "string", method = "int",
    content_type = "string", authentication_type = "int", basic_username = "string",
    basic_password = "string", bearer_token = "string", authentication_header = "string",
    active = "bool", disabled = "bool", payload_type = "int", custom_payload = "string",
    batch_method = "int", batch_delay_seconds = "int", batch_limit = "int",
    auto_disable_attempts = "int", notify_on_failure = "bool",
    log_retention_policy_days = "int", note = "string", certificate_id = "int",
    events = { rows = NOTIFICATION_SPEC },
}

local WEBHOOK_DEFAULTS = {
    name = "", type = TYPE_OUTBOUND, method = 0, content_type = "application/json",
    authentication_type = 0, basic_username = "", authentication_header = "", active = true,
    disabled = false, payload_type = 0, custom_payload = "", batch_method = 0,
    batch_delay_seconds = 0, batch_limit = 0, auto_disable_attempts = 0,
    notify_on_failure = false, log_retention_policy_days = 30, note = "", certificate_id = 0,
}

-- Checks the settings of a webhook after defaults; returns true or nil, message.
local function check_webhook(record)
    if type(record.url) ~= "string" or not record.url:match("^[Hh][Tt][Tt][Pp][Ss]?://[^/%s]+") then
        return nil, string.format("url %s is not an http:// or https:// URL; send the " ..
            "receiver's address", record.url and ("'" .. record.url .. "'") or "is missing, so it")
    end
    if record.type ~= TYPE_OUTBOUND then
        return nil, string.format("type %d is not simulated; only outbound webhooks (type 0) are",
            record.type)
    end
    if record.method < 0 or record.method > 4 then
        return nil, string.format("method %d is not valid; use 0 POST, 1 GET, 2 PUT, 3 DELETE " ..
            "or 4 PATCH", record.method)
    end
    if record.authentication_type == AUTH_CERTIFICATE then
        return nil, "authentication_type 4 (certificate) is not simulated; use 0 None, 1 Basic, " ..
            "2 Bearer or 3 API key"
    end
    if record.authentication_type < 0 or record.authentication_type > 3 then
        return nil, string.format("authentication_type %d is not valid; use 0 None, 1 Basic, " ..
            "2 Bearer or 3 API key", record.authentication_type)
    end
    for _, key in ipairs({ "batch_delay_seconds", "batch_limit", "auto_disable_attempts" }) do
        if record[key] < 0 then
            return nil, string.format("%s %d must not be negative", key, record[key])
        end
    end
    return true
end

local function notification_view(record)
    local row = records.copy(record)
    row.conditions = records.copy_rows(record.conditions)
    return row
end

local function notifications_of(webhook_id)
    local rows = encode.array()
    for _, notification in ipairs(state.db.notifications.items) do
        if notification.webhook_id == webhook_id then
            rows[#rows + 1] = notification
        end
    end
    return rows
end

function webhooks.view(record, include_events)
    local row = records.copy(record)
    if include_events then
        row.events = lists.map(notifications_of(record.id), notification_view)
    end
    return row
end

-- Builds a notification record from bound values for webhook_id; returns it or nil, message.
local function new_notification(values, webhook_id)
    if values.eventno == nil then
        return nil, "eventno is missing; send the number of the event to subscribe to"
    end
    local event = state.db.event_by_number[values.eventno]
    if event == nil then
        log.info("webhook %s subscribes to eventno %d, which the simulator never raises",
            webhook_id, values.eventno)
    end
    local name = values.name
    if name == nil or name == "" then
        name = event and event.name or ""
    end
    return {
        webhook_id = webhook_id,
        eventno = values.eventno,
        name = name,
        type = values.type or -2,
        delivery_method = values.delivery_method or 6,
        conditions = values.conditions or encode.array(),
    }
end

-- Replaces a webhook's notification rows with rows (bound values). Rows that carry the id of
-- one of the webhook's current rows keep it. Returns true or nil, message.
local function replace_events(webhook_id, rows)
    local store = state.db.notifications
    local prepared = {}
    for index, values in ipairs(rows) do
        local notification, message = new_notification(values, webhook_id)
        if not notification then
            return nil, string.format("events[%d]: %s", index - 1, message)
        end
        local existing = values.id and store:get(values.id)
        if existing and existing.webhook_id == webhook_id then
            notification.id = existing.id
        end
        prepared[#prepared + 1] = notification
    end

    for _, old in ipairs(notifications_of(webhook_id)) do
        store:remove(old.id)
    end
    for _, notification in ipairs(prepared) do
        notification.id = notification.id or store:next_id()
        store:add(notification)
    end
    return true
end

local function list(ctx)
    local q = ctx.q
    local type_filter = q:integer("type", nil)
    if q.errors then
        return responses.model_errors(q.errors)
    end
    local page = lists.select(state.db.webhooks.items, q, {
        paging = false,
        filter = function(record)
            return type_filter == nil or record.type == type_filter
        end,
        search_fields = function(record)
            return { record.name, record.url }
        end,
    })
    if q.errors then
        return responses.model_errors(q.errors)
    end
    return responses.json(200, lists.map(page, function(record)
        return webhooks.view(record, false)
    end))
end

local function get(ctx, id)
    local record = state.db.webhooks:get(id:lower())
    if record == nil then
        return responses.not_found("No Webhook with id %s was found", ctx.id_text)
    end
    local include_events = ctx.q:boolean("includedetails", false)
    if ctx.q.errors then
        return responses.model_errors(ctx.q.errors)
    end
    return responses.json(200, webhooks.view(record, include_events))
end

local function bind(item, path, errors)
    if type(item) == "table" and (item.id == "" or item.id == 0) then
        local copy = {}
        for key, value in pairs(item) do
            copy[key] = value
        end
        copy.id = nil
        item = copy
    end
    return binder.bind(item, WEBHOOK_SPEC, path, errors)
end

local function save(_, values, label)
    local store = state.db.webhooks
    local events_rows = values.events
    values.events = nil
    local secret = values.bearer_token or values.basic_password
    values.bearer_token, values.basic_password = nil, nil

    local record
    if values.id == nil then
        record = records.assign({}, WEBHOOK_DEFAULTS)
        records.assign(record, values)
        record.id = ids.guid()
    else
        local existing = store:get(values.id)
        if existing == nil then
            return nil, responses.not_found("No Webhook with id %s was found to update", values.id)
        end
        record = records.assign(records.assign({}, existing), values)
    end
    if secret ~= nil then
        record._secret = secret
    end
    local ok, message = check_webhook(record)
    if not ok then
        return nil, responses.record_error(400, label, "%s", message)
    end

    local stored = store:get(record.id)
    if stored then
        records.assign(stored, record)
    else
        stored = store:add(record)
    end
    if events_rows ~= nil then
        ok, message = replace_events(stored.id, events_rows)
        if not ok then
            return nil, responses.record_error(400, label, "%s", message)
        end
    end
    log.info("webhook %s saved (url %s, %d events)", stored.id, stored.url,
        #notifications_of(stored.id))
    return webhooks.view(stored, true)
end

local function delete(ctx, id)
    local record = state.db.webhooks:remove(id:lower())
    if record == nil then
        return responses.not_found("No Webhook with id %s was found", ctx.id_text)
    end
    local view = webhooks.view(record, true)
    for _, notification in ipairs(notifications_of(record.id)) do
        state.db.notifications:remove(notification.id)
    end
    log.info("webhook %s deleted", record.id)
    return responses.json(200, view)
end

webhooks.resource = {
    name = "Webhook",
    right = "webhooks",
    guid_ids = true,
    item_guid_keys = { id = true },
    list = list,
    get = get,
    bind = bind,
    save = save,
    delete = delete,
}

local function list_notifications(ctx)
    local q = ctx.q
    local webhook_id = q:get("webhook_id")
    local eventnos = q:integer_set("eventno")
    if q.errors then
        return responses.model_errors(q.errors)
    end
    local page = lists.select(state.db.notifications.items, q, {
        paging = false,
        filter = function(record)
            return (webhook_id == nil or record.webhook_id == webhook_id:lower())
                and (eventnos == nil or eventnos[record.eventno] == true)
        end,
    })
    return responses.json(200, lists.map(page, notification_view))
end

local function get_notification(ctx, id)
    local record = state.db.notifications:get(id)
    if record == nil then
        return responses.not_found("No Notification with id %s was found", ctx.id_text)
    end
    return responses.json(200, notification_view(record))
end

local function bind_notification(item, path, errors)
    return binder.bind(item, NOTIFICATION_SPEC, path, errors)
end

local function save_notification(_, values, label)
    local store = state.db.notifications
    if values.id ~= nil and values.id ~= 0 then
        local record = store:get(values.id)
        if record == nil then
            return nil, responses.not_found("No Notification with id %d was found to update",
                values.id)
        end
        if values.webhook_id ~= nil and state.db.webhooks:get(values.webhook_id) == nil then
            return nil, responses.record_error(400, label, "webhook_id %s is not a webhook",
                values.webhook_id)
        end
        values.id = nil
        records.assign(record, values)
        return notification_view(record)
    end

    if values.webhook_id == nil or state.db.webhooks:get(values.webhook_id) == nil then
        return nil, responses.record_error(400, label,
            "webhook_id %s is not a webhook; create the webhook first",
            tostring(values.webhook_id))
    end
    local record, message = new_notification(values, values.webhook_id)
    if not record then
        return nil, responses.record_error(400, label, "%s", message)
    end
    record.id = store:next_id()
    store:add(record)
    return notification_view(record)
end

local function delete_notification(ctx, id)
    local record = state.db.notifications:remove(id)
    if record == nil then
        return responses.not_found("No Notification with id %s was found", ctx.id_text)
    end
    return responses.json(200, notification_view(record))
end

webhooks.notification_resource = {
    name = "Notification",
    right = "webhooks",
    list = list_notifications,
    get = get_notification,
    bind = bind_notification,
    save = save_notification,
    delete = delete_notification,
}

-- Returns a delivery attempt as a WebhookEvent record.
function webhooks.event_view(record)
    return records.copy(record)
end

-- GET /api/WebhookEvent: {record_count, webhookevents}, oldest first. The wrapper key is a
-- guess built from the pattern of the other lists.
local function list_events(ctx)
    local q = ctx.q
    local webhook_id = q:get("webhook_id")
    local page, total = lists.select(deliveries.records(), q, {
        filter = function(record)
            return webhook_id == nil or record.webhook_id == webhook_id:lower()
        end,
        search_fields = function(record)
            return { record.requestbody, record.error }
        end,
    })
    if q.errors then
        return responses.model_errors(q.errors)
    end
    return responses.json(200, lists.wrap("webhookevents", lists.map(page, webhooks.event_view),
        total))
end

local function get_event(ctx, id)
    local record = deliveries.get(id:lower())
    if record == nil then
        return responses.not_found("No WebhookEvent with id %s was found", ctx.id_text)
    end
    return responses.json(200, webhooks.event_view(record))
end

webhooks.event_resource = {
    name = "WebhookEvent",
    right = "webhooks",
    guid_ids = true,
    list = list_events,
    get = get_event,
}

return webhooks
