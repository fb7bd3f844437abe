-- The control endpoints under /_sim/: no authentication, never rate limited, never faulted,
-- never recorded in /_sim/requests. They let tests act as end users and technicians, move the
-- test clock, inject faults and read what the simulator saw.
--
--   GET    /_sim/config                 settings in force (never the client secret)
--   POST   /_sim/reset                  back to the seed state
--   POST   /_sim/tickets                an end user logs a ticket (201)
--   POST   /_sim/tickets/{id}/actions   a technician or end user replies (201)
--   POST   /_sim/tickets/{id}           a technician edits a ticket in the UI (200)
--   GET    /_sim/tickets/{id}           the ticket and all its actions, as a test reads them
--   GET    /_sim/clock                  {now, offset_seconds}
--   POST   /_sim/clock/advance          {"seconds": N}
--   GET    /_sim/faults, POST, DELETE   request faults (DELETE also clears delivery faults)
--   GET    /_sim/webhook-faults, POST   delivery faults
--   GET    /_sim/requests               request counts and the API writes
--   GET    /_sim/deliveries             every delivery attempt (?webhook_id= to narrow)
local cjson = require "cjson"

local actions = require "actions"
local auth = require "auth"
local binder = require "binder"
local clock = require "clock"
local deliveries = require "deliveries"
local encode = require "encode"
local faults = require "faults"
local ids = require "ids"
local log = require "log"
local ratelimit = require "ratelimit"
local request_log = require "request_log"
local responses = require "responses"
local state = require "state"
local tickets = require "tickets"
local verifier = require "verifier"
local webhooks = require "webhooks"

local control = {}

-- The source of a ticket an end user logs through the portal.
local END_USER_SOURCE = "Portal"

-- Outcomes of control replies that name none.
local USER_REPLY_OUTCOME = "Email"
local AGENT_REPLY_OUTCOME = "Email User"
local AGENT_NOTE_OUTCOME = "Private Note"

-- Decodes a control request body (empty = {}); returns a table or nil, 400 response.
local function decode_object(body)
    if body == nil or body:match("^%s*$") then
        return {}
    end
    local ok, decoded = pcall(cjson.decode, body)
    if not ok then
        return nil, responses.bad_request("The request body is not valid JSON: %s",
            tostring(decoded))
    end
    if type(decoded) ~= "table" or decoded[1] ~= nil then
        return nil, responses.bad_request("The request body must be a JSON object")
    end
    return decoded
end

local function config()
    local options = state.options
    local rate_limit = encode.null
    if options.rate_limit then
        rate_limit = encode.object({ requests = options.rate_limit.requests,
            window_seconds = options.rate_limit.window_seconds })
    end
    local event_rows = encode.array()
    for _, event in ipairs(state.db.webhook_events) do
        event_rows[#event_rows + 1] = encode.object({ eventno = event.eventno, name = event.name,
            kind = event.kind or encode.null, event = event.event })
    end
    return responses.json(200, encode.object({
        port = options.port,
        bind = options.bind,
        client_id = options.client_id,
        tenant = options.tenant or encode.null,
        scopes = options.scopes,
        token_lifetime = options.token_lifetime,
        rate_limit = rate_limit,
        strict = options.strict == true,
        tls = options.tls == true,
        token_error_status = options.token_error_status,
        team_list = options.team_list,
        app_name = options.app_name,
        seed_path = options.seed_path or encode.null,
        login_agent_id = state.db.login_agent_id,
        webhook_events = event_rows,
    }))
end

-- Resets every part of the simulator to its start state.
function control.reset_all()
    state.reset()
    auth.reset()
    faults.reset()
    deliveries.reset()
    request_log.reset()
    ratelimit.reset()
    clock.reset()
    verifier.reset()
end

local function reset()
    control.reset_all()
    log.info("reset to the seed state")
    return responses.json(200, encode.object({ reset = true, now = clock.now_iso() }))
end

local function clock_view()
    return responses.json(200, encode.object({ now = clock.now_iso(),
        offset_seconds = clock.offset_seconds() }))
end

local function advance_clock(body)
    local seconds = body.seconds
    if type(seconds) ~= "number" or seconds < 0 or seconds ~= seconds or seconds == math.huge then
        return responses.bad_request("seconds must be a non-negative number, such as " ..
            "{\"seconds\": 3600}; got %s", tostring(seconds))
    end
    clock.advance(seconds)
    return clock_view()
end

-- POST /_sim/tickets: {user_id, summary, details, ...ticket fields}.
local function end_user_ticket(body)
    local values, errors = binder.bind(body, tickets.SPEC, "")
    if errors then
        return responses.model_errors(errors)
    end
    if values.user_id == nil or state.db.users:get(values.user_id) == nil then
        return responses.bad_request("user_id %s is not a user; an end-user ticket needs the " ..
            "id of the user who logs it", tostring(body.user_id))
    end
    values.id = nil
    local record, message = tickets.create(values, END_USER_SOURCE, { agent_id = 0 })
    if not record then
        return responses.bad_request(message)
    end
    return responses.json(201, tickets.view(record))
end

-- Returns the actor of a control reply or edit from agent_id / user_id, or nil, message.
local function actor_from(body, allow_user)
    local agent_id = body.agent_id ~= nil and ids.to_integer(body.agent_id)
    local user_id = body.user_id ~= nil and ids.to_integer(body.user_id)
    if agent_id and user_id then
        return nil, "send agent_id or user_id, not both"
    end
    if agent_id then
        if state.db.agents:get(agent_id) == nil then
            return nil, string.format("agent_id %d is not an agent", agent_id)
        end
        return { kind = "agent", agent_id = agent_id }
    end
    if user_id and allow_user then
        if state.db.users:get(user_id) == nil then
            return nil, string.format("user_id %d is not a user", user_id)
        end
        return { kind = "user", user_id = user_id, agent_id = 0 }
    end
    if allow_user then
        return nil, "agent_id (a technician) or user_id (an end user) is required"
    end
    return nil, "agent_id (the technician making the edit) is required"
end

-- POST /_sim/tickets/{id}/actions: {agent_id or user_id, note, outcome?, hiddenfromuser?,
-- new_status?}.
local function reply(ticket_id, body)
    local ticket = state.db.tickets:get(ticket_id)
    if ticket == nil then
        return responses.not_found("No Ticket with id %d was found", ticket_id)
    end
    local actor, message = actor_from(body, true)
    if not actor then
        return responses.bad_request(message)
    end
    local fields = {}
    for key, value in pairs(body) do
        if key ~= "agent_id" and key ~= "user_id" and key ~= "ticket_id" and key ~= "id" then
            fields[key] = value
        end
    end
    local values, errors = binder.bind(fields, actions.SPEC, "")
    if errors then
        return responses.model_errors(errors)
    end
    if values.outcome == nil and values.outcome_id == nil then
        if actor.kind == "user" then
            values.outcome = USER_REPLY_OUTCOME
        elseif values.hiddenfromuser then
            values.outcome = AGENT_NOTE_OUTCOME
        else
            values.outcome = AGENT_REPLY_OUTCOME
        end
    end
    local record, create_message = actions.create(ticket, values, actor)
    if not record then
        return responses.bad_request(create_message)
    end
    return responses.json(201, actions.view(record))
end

-- POST /_sim/tickets/{id}: {agent_id (who), ...fields}. agent_id names the technician, so the
-- assignee is changed with assign_agent_id, and user_id names no actor here: the ticket's user
-- is changed with ticket_user_id.
local function technician_edit(ticket_id, body)
    local actor, message = actor_from(body, false)
    if not actor then
        return responses.bad_request(message)
    end
    local fields = {}
    for key, value in pairs(body) do
        if key ~= "agent_id" and key ~= "assign_agent_id" and key ~= "ticket_user_id"
            and key ~= "id" then
            fields[key] = value
        end
    end
    local values, errors = binder.bind(fields, tickets.SPEC, "")
    if errors then
        return responses.model_errors(errors)
    end
    if body.assign_agent_id ~= nil then
        values.agent_id = ids.to_integer(body.assign_agent_id)
        if values.agent_id == nil then
            return responses.model_errors({ assign_agent_id = binder.conversion_message("int") })
        end
    end
    if body.ticket_user_id ~= nil then
        values.user_id = ids.to_integer(body.ticket_user_id)
        if values.user_id == nil then
            return responses.model_errors({ ticket_user_id = binder.conversion_message("int") })
        end
    end
    values.id = ticket_id
    local record, update_message, status = tickets.update(values, actor)
    if not record then
        return responses.exception(status, update_message)
    end
    return responses.json(200, tickets.view(record))
end

-- GET /_sim/tickets/{id}: {"ticket": ..., "actions": [...]}, every action whole (note_html
-- included). Tests read what was written here, so their reads never meet a request fault and
-- never show up in /_sim/requests.
local function ticket_with_actions(ticket_id)
    local ticket = state.db.tickets:get(ticket_id)
    if ticket == nil then
        return responses.not_found("No Ticket with id %d was found", ticket_id)
    end
    local rows = encode.array()
    for _, record in ipairs(ticket._actions.items) do
        rows[#rows + 1] = actions.view(record)
    end
    return responses.json(200, encode.object({ ticket = tickets.view(ticket), actions = rows }))
end

local function deliveries_view(q)
    local webhook_id = q:get("webhook_id")
    local rows = encode.array()
    for _, record in ipairs(deliveries.records()) do
        if webhook_id == nil or record.webhook_id == webhook_id:lower() then
            rows[#rows + 1] = webhooks.event_view(record)
        end
    end
    return responses.json(200, rows)
end

local function add_fault(body)
    local fault, message = faults.add(body)
    if not fault then
        return responses.bad_request(message)
    end
    return responses.json(201, fault)
end

local function set_webhook_faults(body)
    local settings, message = faults.set_delivery(body)
    if not settings then
        return responses.bad_request(message)
    end
    return responses.json(200, settings)
end

local function clear_faults()
    faults.clear()
    return responses.json(200, encode.object({ cleared = true }))
end

-- Routes: path (after /_sim) -> method -> handler(body, q, captures). `body` is the decoded
-- JSON object for POST.
local ROUTES = {
    { pattern = "^/config$", GET = config },
    { pattern = "^/reset$", POST = reset },
    { pattern = "^/tickets$", POST = end_user_ticket },
    { pattern = "^/tickets/(%d+)/actions$", POST = function(body, _, id)
        return reply(math.tointeger(tonumber(id)), body)
    end },
    { pattern = "^/tickets/(%d+)$", POST = function(body, _, id)
        return technician_edit(math.tointeger(tonumber(id)), body)
    end, GET = function(_, _, id)
        return ticket_with_actions(math.tointeger(tonumber(id)))
    end },
    { pattern = "^/clock$", GET = clock_view },
    { pattern = "^/clock/advance$", POST = advance_clock },
    { pattern = "^/faults$", GET = function()
        return responses.json(200, faults.list())
    end, POST = add_fault, DELETE = clear_faults },
    { pattern = "^/webhook%-faults$", GET = function()
        return responses.json(200, faults.delivery_settings())
    end, POST = set_webhook_faults },
    { pattern = "^/requests$", GET = function()
        return responses.json(200, request_log.report())
    end },
    { pattern = "^/deliveries$", GET = function(_, q)
        return deliveries_view(q)
    end },
}

-- Handles a request whose path starts with /_sim. path is lower-case without a trailing slash.
function control.handle(request, path, q)
    local rest = path:sub(#"/_sim" + 1)
    for _, route in ipairs(ROUTES) do
        local captures = { rest:match(route.pattern) }
        if captures[1] ~= nil then
            local handler = route[request.method]
            if handler == nil then
                local allowed = {}
                for _, method in ipairs({ "GET", "POST", "DELETE" }) do
                    if route[method] then
                        allowed[#allowed + 1] = method
                    end
                end
                return responses.method_not_allowed(request.method, request.path, allowed)
            end
            local body = {}
            if request.method == "POST" then
                local failure
                body, failure = decode_object(request.body)
                if not body then
                    return failure
                end
            end
            if q.errors then
                return responses.model_errors(q.errors)
            end
            local captured = captures[1] ~= rest and captures[1] or nil
            return handler(body, q, captured)
        end
    end
    return responses.not_found("No control endpoint matches %s; see GET /_sim/config, " ..
        "POST /_sim/reset, /_sim/tickets, /_sim/clock, /_sim/faults, /_sim/webhook-faults, " ..
        "/_sim/requests and /_sim/deliveries", request.path)
end

return control
