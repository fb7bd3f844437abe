-- Outbound webhook deliveries: the queue the C host drains, batching, and the attempt log that
-- /api/WebhookEvent and /_sim/deliveries read.
--
-- Every attempt becomes a WebhookEvent record the moment it is queued (status 0, pending).
-- deliveries.result() completes it when the host reports the receiver's response: status 1
-- (succeeded) for a 2xx response, otherwise status 2 (failed). HaloPSA's retry schedule is not
-- published, so a failed delivery is not retried; the webhook-faults control may drop,
-- duplicate or delay deliveries instead.
local base64 = require "base64"
local clock = require "clock"
local collection = require "collection"
local encode = require "encode"
local faults = require "faults"
local ids = require "ids"
local log = require "log"
local state = require "state"

local deliveries = {}

-- WebhookEvent status values; HaloPSA's own codes are not published.
deliveries.STATUS_PENDING = 0
deliveries.STATUS_SUCCEEDED = 1
deliveries.STATUS_FAILED = 2

-- The host passes at most this much of a receiver's body; the record keeps the same amount.
local RESPONSE_BODY_LIMIT = 4096

-- Webhook `method` codes (a community node's enum).
local METHODS = { [0] = "POST", [1] = "GET", [2] = "PUT", [3] = "DELETE", [4] = "PATCH" }

-- Webhook `authentication_type` codes (a community node's enum). Certificate authentication
-- (4) is rejected when a webhook is saved.
deliveries.AUTH_NONE = 0
deliveries.AUTH_BASIC = 1
deliveries.AUTH_BEARER = 2
deliveries.AUTH_API_KEY = 3

local pending = {}
local batches = {}
local attempts = collection.new()
local failure_runs = {}

-- Drops every queued delivery, batch and attempt record.
function deliveries.reset()
    pending = {}
    batches = {}
    attempts = collection.new()
    failure_runs = {}
end

-- Returns the Authorization (or API-key) header of a webhook as name, value, masked value; nil
-- when the webhook sends no credentials.
local function credential_header(webhook)
    local auth_type = webhook.authentication_type
    if auth_type == deliveries.AUTH_BASIC then
        local credentials = (webhook.basic_username or "") .. ":" .. (webhook._secret or "")
        return "Authorization", "Basic " .. base64.encode(credentials), "Basic ********"
    elseif auth_type == deliveries.AUTH_BEARER then
        return "Authorization", "Bearer " .. (webhook._secret or ""), "Bearer ********"
    elseif auth_type == deliveries.AUTH_API_KEY then
        local name = webhook.authentication_header
        if name == nil or name == "" then
            name = "X-API-Key"
        end
        return name, webhook._secret or "", "********"
    end
    return nil
end

-- Formats headers as "Name: value" lines in name order, as the Deliveries tab shows them.
local function header_text(headers)
    local names = {}
    for name in pairs(headers or {}) do
        names[#names + 1] = name
    end
    table.sort(names)
    local lines = {}
    for _, name in ipairs(names) do
        lines[#lines + 1] = name .. ": " .. tostring(headers[name])
    end
    return table.concat(lines, "\n")
end

-- Disables a webhook after auto_disable_attempts consecutive failures (0 = never).
local function count_failure(webhook, failed)
    if webhook == nil then
        return
    end
    if not failed then
        webhook._consecutive_failures = 0
        return
    end
    webhook._consecutive_failures = (webhook._consecutive_failures or 0) + 1
    local limit = webhook.auto_disable_attempts or 0
    if limit > 0 and webhook._consecutive_failures >= limit and not webhook.disabled then
        webhook.disabled = true
        log.warning("webhook %s disabled after %d consecutive failed deliveries", webhook.id,
            webhook._consecutive_failures)
    end
end

-- Queues one attempt carrying body (a payload or an array of payloads) to a webhook, applying
-- the next webhook fault. meta has notification_id, entity_id and event.
local function start_attempt(webhook, body, meta)
    local fault = faults.take_delivery_fault()
    local body_text = encode.encode(body)
    local headers = { ["Content-Type"] = webhook.content_type }
    local shown_headers = { ["Content-Type"] = webhook.content_type }
    local name, value, masked = credential_header(webhook)
    if name then
        headers[name] = value
        shown_headers[name] = masked
    end

    local copies = fault.duplicate and 2 or 1
    for _ = 1, copies do
        local record = {
            id = ids.guid(),
            webhook_id = webhook.id,
            notification_id = meta.notification_id,
            timestamp = clock.now_iso(),
            status = deliveries.STATUS_PENDING,
            requestheaders = header_text(shown_headers),
            requestbody = body_text,
            responsestatus = 0,
            responseheaders = "",
            responsebody = "",
            error = "",
            entity_id = meta.entity_id,
            event = meta.event,
            url = webhook.url,
            method = METHODS[webhook.method] or "POST",
            _status_override = fault.status_override,
        }
        attempts:add(record)

        if fault.drop then
            record.status = deliveries.STATUS_FAILED
            record.error = "dropped by fault"
            log.info("delivery %s to webhook %s dropped by fault", record.id, webhook.id)
            count_failure(webhook, true)
        else
            pending[#pending + 1] = {
                attempt_id = record.id,
                url = webhook.url,
                method = record.method,
                headers = headers,
                body = body_text,
                delay_ms = fault.delay_ms or 0,
            }
        end
    end
end

-- Sends the payloads of a batch that are due. Batches go out as one JSON array when
-- batch_limit payloads wait (0 = no limit) or batch_delay_seconds of test-clock time have
-- passed since the first one (0 = no delay); with neither set they go out at once. A
-- community node calls batch_method 1 time-based and 2 count-based; here any non-zero
-- batch_method batches, and whichever condition comes first releases.
local function release_batches(now_ms)
    local kept = {}
    for _, batch in ipairs(batches) do
        local webhook = state.db.webhooks:get(batch.webhook_id)
        if webhook ~= nil then
            local limit = webhook.batch_limit or 0
            local delay_ms = (webhook.batch_delay_seconds or 0) * 1000
            while limit > 0 and #batch.payloads >= limit do
                local chunk = encode.array(table.move(batch.payloads, 1, limit, 1, {}))
                local first_meta = batch.metas[1]
                table.move(batch.payloads, limit + 1, #batch.payloads + limit, 1)
                table.move(batch.metas, limit + 1, #batch.metas + limit, 1)
                start_attempt(webhook, chunk, first_meta)
                batch.started_ms = now_ms
            end
            local timed_out = delay_ms > 0 and now_ms - batch.started_ms >= delay_ms
            local immediate = limit == 0 and delay_ms == 0
            if #batch.payloads > 0 and (timed_out or immediate) then
                start_attempt(webhook, encode.array(batch.payloads), batch.metas[1])
            elseif #batch.payloads > 0 then
                kept[#kept + 1] = batch
            end
        end
    end
    batches = kept
end

-- Queues a payload for a webhook, directly or into its batch.
function deliveries.enqueue(webhook, payload, meta)
    if (webhook.batch_method or 0) == 0 then
        start_attempt(webhook, payload, meta)
        return
    end
    local batch = nil
    for _, candidate in ipairs(batches) do
        if candidate.webhook_id == webhook.id then
            batch = candidate
            break
        end
    end
    if batch == nil then
        batch = { webhook_id = webhook.id, payloads = {}, metas = {}, started_ms = clock.now_ms() }
        batches[#batches + 1] = batch
    end
    batch.payloads[#batch.payloads + 1] = payload
    batch.metas[#batch.metas + 1] = meta
    release_batches(clock.now_ms())
end

-- Returns the deliveries the host should send now and empties the queue; releases due batches
-- first.
function deliveries.take()
    release_batches(clock.now_ms())
    local ready = pending
    pending = {}
    return ready
end

function deliveries.tick()
    release_batches(clock.now_ms())
end

-- Logs a failed attempt, counting repeats of the same error per webhook instead of logging each.
local function note_failure(record, description)
    local run = failure_runs[record.webhook_id]
    if run and run.description == description then
        run.repeats = run.repeats + 1
        return
    end
    if run and run.repeats > 0 then
        log.warning("webhook %s: the previous delivery error repeated %d more times",
            record.webhook_id, run.repeats)
    end
    failure_runs[record.webhook_id] = { description = description, repeats = 0 }
    log.warning("delivery %s to webhook %s failed: %s", record.id, record.webhook_id, description)
end

local function note_success(record)
    local run = failure_runs[record.webhook_id]
    if run and run.repeats > 0 then
        log.warning("webhook %s: the previous delivery error repeated %d more times",
            record.webhook_id, run.repeats)
    end
    failure_runs[record.webhook_id] = nil
end

-- Records the outcome the host reports for an attempt: {status, headers, body} or {error}.
function deliveries.result(attempt_id, result)
    local record = attempts:get(attempt_id)
    if record == nil then
        -- A reset between sending and the response removes the attempt record.
        log.info("result for unknown delivery %s ignored (reset since it was sent?)",
            tostring(attempt_id))
        return
    end
    if type(result) ~= "table" then
        result = { error = "the host reported no result" }
    end

    if result.error ~= nil then
        record.error = tostring(result.error)
        record.status = deliveries.STATUS_FAILED
        note_failure(record, record.error)
    else
        local status = math.tointeger(result.status) or 0
        if record._status_override then
            status = record._status_override
        end
        record.responsestatus = status
        record.responseheaders = header_text(result.headers)
        record.responsebody = tostring(result.body or ""):sub(1, RESPONSE_BODY_LIMIT)
        if status >= 200 and status < 300 then
            record.status = deliveries.STATUS_SUCCEEDED
            note_success(record)
        else
            record.status = deliveries.STATUS_FAILED
            record.error = string.format("the receiver answered HTTP %d", status)
            note_failure(record, record.error)
        end
    end
    count_failure(state.db.webhooks:get(record.webhook_id),
        record.status == deliveries.STATUS_FAILED)
end

-- Returns every attempt record, oldest first.
function deliveries.records()
    return attempts.items
end

function deliveries.get(id)
    return attempts:get(id)
end

return deliveries
