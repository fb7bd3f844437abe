-- /api/Actions: the notes, e-mails and status changes logged against a ticket.
--
-- An action's id is a sequence number within its ticket (1, 2, 3 ...; a new action takes the
-- ticket's highest id + 1), so reading or deleting one action needs ?ticket_id=. An outcome is
-- mandatory (`outcome` by name or `outcome_id`); a missing one gets HaloPSA's 400 exception.
-- `new_status` on an action moves the ticket and records `old_status`; a `status_id` key on an
-- action is ignored, as on a live tenant ("the action alone does not move the status").
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

local actions = {}

-- who_type values: 1 for an agent is inferred from captured payloads; 2 for an end user and
-- 0 for the system are guesses.
actions.WHO_TYPE_SYSTEM = 0
actions.WHO_TYPE_AGENT = 1
actions.WHO_TYPE_USER = 2

local ACTION_SPEC = {
    id = "int", ticket_id = "int", outcome = "string", outcome_id = "int", who = "string",
    note = "string", note_html = "string", private_note = "string", hiddenfromuser = "bool",
    important = "bool", timetaken = "number", sendemail = "bool", emailto = "string",
    emailcc = "string", emailsubject = "string", new_status = "int", datetime = "date",
}
actions.SPEC = ACTION_SPEC

-- Fields an update (POST with id) may change.
local UPDATABLE = {
    note = true, note_html = true, private_note = true, hiddenfromuser = true, important = true,
    timetaken = true, emailto = true, emailcc = true, emailsubject = true, outcome = true,
    outcome_id = true, who = true,
}

local LIST_OMIT = { note_html = true }

local function fill_note(record, values)
    if values.note_html ~= nil and values.note == nil then
        record.note = html.to_text(values.note_html)
    elseif values.note ~= nil and values.note_html == nil then
        record.note_html = html.from_text(values.note)
    end
end

-- HaloPSA's message when the API agent may not use an outcome.
local NO_ACCESS_MESSAGE = "You do not have access to this Action at the moment"

-- Resolves outcome/outcome_id into record. through_api rejects outcomes the seed marks as not
-- allowed for the API agent. Returns true, outcome (nil for an unlisted name) or nil, message.
local function resolve_outcome(record, values, through_api)
    local outcome = nil
    if values.outcome_id ~= nil and values.outcome_id ~= 0 then
        outcome = state.db.outcomes:get(values.outcome_id)
        if outcome == nil then
            return nil, string.format("%s (outcome_id %d is not an outcome)", NO_ACCESS_MESSAGE,
                values.outcome_id)
        end
        record.outcome_id, record.outcome = outcome.id, outcome.outcome
    elseif values.outcome ~= nil and values.outcome ~= "" then
        outcome = lookups.find_outcome(values.outcome)
        record.outcome = values.outcome
        record.outcome_id = outcome and outcome.id or 0
    else
        return nil, "An Outcome must be entered for this Action"
    end
    if through_api and outcome and not outcome._api_allowed then
        return nil, NO_ACCESS_MESSAGE
    end
    return true, outcome
end

-- Fills who, who_type and the actionby fields from the actor: {kind = "api" | "agent" |
-- "user", agent_id, user_id, application}.
local function apply_actor(record, actor, values)
    local db = state.db
    if actor.kind == "user" then
        local user = db.users:get(actor.user_id)
        record.who = user and user.name or ""
        record.who_type = actions.WHO_TYPE_USER
        record.who_agentid = 0
        record.actionby_agent_id = 0
        record.actionby_application_id = ""
        return
    end
    local agent = db.agents:get(actor.agent_id)
    record.who = values.who or (agent and agent.name or "")
    record.who_type = actions.WHO_TYPE_AGENT
    record.who_agentid = actor.agent_id
    record.actionby_agent_id = actor.agent_id
    record.actionby_application_id = actor.application or ""
end

local function next_action_id(ticket)
    local highest = 0
    for _, action in ipairs(ticket._actions.items) do
        if action.id > highest then
            highest = action.id
        end
    end
    return highest + 1
end

local function new_record(ticket, values)
    local now = clock.now_iso()
    local record = {
        ticket_id = ticket.id,
        note = values.note or "",
        note_html = values.note_html or "",
        private_note = values.private_note or "",
        important = values.important == true,
        timetaken = values.timetaken or 0.0,
        sendemail = values.sendemail == true,
        emailto = values.emailto or "",
        emailcc = values.emailcc or "",
        emailsubject = values.emailsubject or "",
        datetime = values.datetime or now,
        actiondatecreated = now,
        new_status = 0,
        new_status_name = "",
        old_status = 0,
        attachments = encode.array(),
    }
    fill_note(record, values)
    return record
end

-- Creates an action on a stored ticket and raises its events. actor as in apply_actor.
-- Returns the record, or nil, message.
function actions.create(ticket, values, actor)
    local record = new_record(ticket, values)
    local ok, outcome = resolve_outcome(record, values, actor.kind == "api")
    if not ok then
        return nil, outcome
    end
    if values.hiddenfromuser ~= nil then
        record.hiddenfromuser = values.hiddenfromuser
    else
        record.hiddenfromuser = outcome ~= nil and outcome.hiddenfromuser == true
    end
    apply_actor(record, actor, values)

    local new_status = values.new_status
    if new_status ~= nil and new_status ~= 0 and state.db.statuses:get(new_status) == nil then
        return nil, string.format("new_status %d is not a status", new_status)
    end

    record.id = next_action_id(ticket)
    ticket._actions:add(record)

    local tickets = require "tickets"
    local status_changed, closed_now = false, false
    if new_status ~= nil and new_status ~= 0 then
        record.old_status = ticket.status_id
        record.new_status = new_status
        record.new_status_name = records.name_of(state.db.statuses, new_status)
        if new_status ~= ticket.status_id then
            local _
            _, closed_now = tickets.set_status(ticket, new_status)
            status_changed = true
        end
    end
    tickets.touch(ticket, true)

    local event_actor = { agent_id = actor.kind == "user" and 0 or actor.agent_id }
    events.fire("action_added", ticket, event_actor, record)
    if actor.kind == "user" then
        events.fire("ticket_updated_by_user", ticket, event_actor, record)
    end
    if status_changed then
        events.fire("status_changed", ticket, event_actor, record)
    end
    if closed_now then
        events.fire("ticket_closed", ticket, event_actor, record)
    end
    return record
end

-- Checks a seed action of ticket; returns the record or nil, message.
function actions.prepare(row, ticket)
    if type(row) ~= "table" then
        return nil, "an action must be a JSON object"
    end
    local values, errors = binder.bind(row, ACTION_SPEC, "")
    if errors then
        local path, message = next(errors)
        return nil, string.format("%s: %s", path, message)
    end
    local record = new_record(ticket, values)
    record.datetime = values.datetime or ticket.dateoccurred
    record.actiondatecreated = record.datetime
    local ok, outcome = resolve_outcome(record, values)
    if not ok then
        return nil, outcome
    end
    record.hiddenfromuser = values.hiddenfromuser
    if record.hiddenfromuser == nil then
        record.hiddenfromuser = outcome ~= nil and outcome.hiddenfromuser == true
    end

    local who_type = math.tointeger(row.who_type) or actions.WHO_TYPE_AGENT
    local agent_id = math.tointeger(row.who_agentid) or math.tointeger(row.agent_id) or 0
    local user_id = math.tointeger(row.user_id) or ticket.user_id
    if who_type == actions.WHO_TYPE_USER then
        apply_actor(record, { kind = "user", user_id = user_id }, values)
    else
        apply_actor(record, { kind = "agent", agent_id = agent_id }, values)
        record.who_type = who_type
    end
    if values.new_status ~= nil then
        record.new_status = values.new_status
        record.new_status_name = records.name_of(state.db.statuses, values.new_status)
    end

    record.id = values.id or next_action_id(ticket)
    if ticket._actions:get(record.id) then
        return nil, string.format("action id %d is used twice in this ticket", record.id)
    end
    return record
end

-- Returns the full action.
function actions.view(record)
    return records.copy(record)
end

local function ticket_id_from(ctx)
    local ticket_id = ctx.q:integer("ticket_id", nil)
    if ctx.q.errors then
        return nil, responses.model_errors(ctx.q.errors)
    end
    if ticket_id == nil then
        return nil, responses.bad_request("ticket_id is required: use %s/%s?ticket_id=N",
            "/api/Actions", ctx.id_text)
    end
    local ticket = state.db.tickets:get(ticket_id)
    if ticket == nil then
        return nil, responses.not_found("No Ticket with id %d was found", ticket_id)
    end
    return ticket
end

local function list(ctx)
    local q = ctx.q
    local ticket_id = q:integer("ticket_id", nil)
    local exclude_system = q:boolean("excludesys", false)
    local exclude_private = q:boolean("excludeprivate", false)
    local agent_only = q:boolean("agentonly", false)
    local conversation_only = q:boolean("conversationonly", false)
    local important_only = q:boolean("importantonly", false)
    local include_html = q:boolean("includehtmlnote", false)
    local start_date = q:date("startdate")
    local end_date = q:date("enddate")
    if q.errors then
        return responses.model_errors(q.errors)
    end

    -- Without ticket_id every ticket's actions are listed, ticket by ticket.
    local source = {}
    if ticket_id ~= nil then
        local ticket = state.db.tickets:get(ticket_id)
        source = ticket and ticket._actions.items or {}
    else
        for _, ticket in ipairs(state.db.tickets.items) do
            table.move(ticket._actions.items, 1, #ticket._actions.items, #source + 1, source)
        end
    end

    local page, total = lists.select(source, q, {
        filter = function(record)
            local system = record.who_type == actions.WHO_TYPE_SYSTEM
            return not (exclude_system and system)
                and not (exclude_private and record.hiddenfromuser)
                and not (agent_only and record.who_type ~= actions.WHO_TYPE_AGENT)
                and not (conversation_only and (record.hiddenfromuser or system))
                and not (important_only and not record.important)
                and not (start_date and record.datetime < start_date)
                and not (end_date and record.datetime > end_date)
        end,
        search_fields = function(record)
            return { record.note, record.outcome, record.who }
        end,
        paging = false,
    })
    if q.errors then
        return responses.model_errors(q.errors)
    end
    local omit = not include_html and LIST_OMIT or nil
    return responses.json(200, lists.wrap("actions", lists.map(page, function(record)
        return records.copy(record, omit)
    end), total))
end

local function get(ctx, id)
    local ticket, failure = ticket_id_from(ctx)
    if not ticket then
        return failure
    end
    local record = ticket._actions:get(id)
    if record == nil then
        return responses.not_found("No Action with id %s was found on ticket %d", ctx.id_text,
            ticket.id)
    end
    return responses.json(200, actions.view(record))
end

local function bind(item, path, errors)
    return binder.bind(item, ACTION_SPEC, path, errors)
end

local function save(ctx, values, label)
    if values.ticket_id == nil or values.ticket_id == 0 then
        return nil, responses.record_error(400, label,
            "A Ticket must be selected for this Action (ticket_id is missing)")
    end
    local ticket = state.db.tickets:get(values.ticket_id)
    if ticket == nil then
        -- A body naming a ticket that does not exist is a 400 business-rule error, like every
        -- other invalid reference in a POST body; 404 is kept for unknown ids in the URL.
        return nil, responses.record_error(400, label, "ticket_id %d is not a ticket",
            values.ticket_id)
    end

    if values.id == nil or values.id == 0 then
        local record, message = actions.create(ticket, values, ctx.actor)
        if not record then
            return nil, responses.record_error(400, label, "%s", message)
        end
        return actions.view(record)
    end

    local record = ticket._actions:get(values.id)
    if record == nil then
        return nil, responses.not_found("No Action with id %d was found on ticket %d to update",
            values.id, ticket.id)
    end
    if values.outcome ~= nil or values.outcome_id ~= nil then
        local ok, message = resolve_outcome(record, values, true)
        if not ok then
            return nil, responses.record_error(400, label, "%s", message)
        end
    end
    for key, value in pairs(values) do
        if UPDATABLE[key] and key ~= "outcome" and key ~= "outcome_id" then
            record[key] = value
        end
    end
    fill_note(record, values)
    require("tickets").touch(ticket, false)
    return actions.view(record)
end

local function delete(ctx, id)
    local ticket, failure = ticket_id_from(ctx)
    if not ticket then
        return failure
    end
    local record = ticket._actions:remove(id)
    if record == nil then
        return responses.not_found("No Action with id %s was found on ticket %d", ctx.id_text,
            ticket.id)
    end
    return responses.json(200, actions.view(record))
end

actions.resource = {
    name = "Actions",
    right = "tickets",
    list = list,
    get = get,
    bind = bind,
    save = save,
    delete = delete,
}

return actions
