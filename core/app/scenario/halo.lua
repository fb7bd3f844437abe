-- The scenario API's `halo`: the simulated HaloPSA. Declarations (clients, users, technicians,
-- seed, settings) come before the world starts. The rest plays the people on the other side
-- of HaloPSA, injects faults and reads what happened.

local failure = require "failure"
local session = require "session"

local halo = {}

local declared = session.declared

-- Raises unless the world is still being declared.
local function before_start(name)
    if session.phase ~= "declaring" then
        failure.misuse(name, "must come before the first ticket, fault, clock move or " ..
            "expectation, because the simulator's data is fixed once it starts")
    end
end

-- Returns the next free id: one past the highest of list's ids, or first.
local function next_id(list, first)
    local highest = first - 1
    for _, item in ipairs(list) do
        highest = math.max(highest, item.id)
    end
    return highest + 1
end

-- Checks an id given in fields, or picks the next free one.
local function choose_id(name, list, given, first)
    if given == nil then
        return next_id(list, first)
    end
    local id = session.integer(given)
    if not id or id < 1 then
        failure.misuse(name, "id must be a positive whole number, got " .. tostring(given))
    end
    for _, item in ipairs(list) do
        if item.id == id then
            failure.misuse(name, string.format("id %d is taken by %s", id, item.name))
        end
    end
    return id
end

local function require_text(name, fields, key)
    local value = fields[key]
    if type(value) ~= "string" or value == "" then
        failure.misuse(name, string.format("%s is missing: give it as non-empty text", key))
    end
    return value
end

-- --- Declarations ----------------------------------------------------------------------------

-- Declares a HaloPSA client (customer): {id =, name =}. Returns the client.
function halo.client(fields)
    local name = "halo.client"
    before_start(name)
    session.check_fields(name, fields, {id = true, name = true})
    local client = {
        kind = "client",
        id = choose_id(name, declared.clients, fields.id, 12),
        name = require_text(name, fields, "name"),
    }
    client.site_id = 31 + #declared.clients -- one site per client, numbered in order
    declared.clients[#declared.clients + 1] = client
    return client
end

-- Declares an end user of a client: {id =, name =, client =, email =, phone =}. Returns the
-- user.
function halo.user(fields)
    local name = "halo.user"
    before_start(name)
    session.check_fields(name, fields, {id = true, name = true, client = true, email = true,
        phone = true})
    if fields.client == nil then
        failure.misuse(name, "client is missing: give the client from halo.client")
    end
    local client_id = session.id_of(fields.client, "client", name)
    local site_id = nil
    for _, client in ipairs(declared.clients) do
        if client.id == client_id then
            site_id = client.site_id
        end
    end
    if site_id == nil and #declared.clients == 0 and client_id == 12 then
        site_id = 31 -- the simulator's built-in Acme Ltd and its Head Office
    end
    if site_id == nil then
        failure.misuse(name, string.format("client %d was not declared: declare it with " ..
            "halo.client first", client_id))
    end
    local user = {
        kind = "user",
        id = choose_id(name, declared.users, fields.id, 77),
        name = require_text(name, fields, "name"),
        client_id = client_id,
        site_id = site_id,
        email = fields.email,
        phone = fields.phone,
    }
    declared.users[#declared.users + 1] = user
    return user
end

-- Declares a technician (a HaloPSA agent): {id =, name =, email =, team =}. Id 1 is halyard's
-- own API agent. Returns the technician.
function halo.technician(fields)
    local name = "halo.technician"
    before_start(name)
    session.check_fields(name, fields, {id = true, name = true, email = true, team = true})
    local technician = {
        kind = "technician",
        id = choose_id(name, declared.technicians, fields.id, 3),
        name = require_text(name, fields, "name"),
        email = fields.email,
        team = fields.team,
    }
    if technician.id == 1 then
        failure.misuse(name, "id 1 is halyard's API agent; give the technician another id")
    end
    declared.technicians[#declared.technicians + 1] = technician
    return technician
end

-- Adds raw keys to the simulator's seed (statuses, teams, webhook_events, tickets, ...; see
-- tests/sim/README.md). They replace halosim's built-in values for those keys.
function halo.seed(fields)
    local name = "halo.seed"
    before_start(name)
    if type(fields) ~= "table" then
        failure.misuse(name, "expected a table of seed keys")
    end
    for key, value in pairs(fields) do
        if key == "clients" or key == "sites" or key == "users" or key == "agents" then
            failure.misuse(name, string.format("declare %s with halo.client, halo.user and " ..
                "halo.technician instead of the seed key '%s'", key, key))
        end
        declared.seed[key] = value
    end
end

-- Sets simulator options: rate_limit ("N/SECONDS" or "off"), token_lifetime (seconds),
-- strict (true), token_error_status (401 or 400), team_list ("bare" or "wrapped").
function halo.settings(fields)
    local name = "halo.settings"
    before_start(name)
    session.check_fields(name, fields, {rate_limit = true, token_lifetime = true, strict = true,
        token_error_status = true, team_list = true})
    for key, value in pairs(fields) do
        declared.simulator[key] = value
    end
end

-- --- People ----------------------------------------------------------------------------------

-- Adds the actor of a reply or edit to body: user = (an end user) or technician =.
local function add_actor(name, fields, body, allow_user)
    if fields.user ~= nil and fields.technician ~= nil then
        failure.misuse(name, "give user or technician, not both")
    end
    if fields.technician ~= nil then
        body.agent_id = session.id_of(fields.technician, "technician", name)
    elseif fields.user ~= nil and allow_user then
        body.user_id = session.id_of(fields.user, "user", name)
    elseif allow_user then
        failure.misuse(name, "say who writes: user = (an end user) or technician =")
    else
        failure.misuse(name, "technician is missing: say which technician makes the change")
    end
end

-- An end user logs a ticket: {user =, summary =, details =, priority =, type =, email =, date =}.
-- email = sets the ticket's own e-mail address (user_email), as an e-mail connector or a form may
-- store an address other than the user's; without it the ticket shows the user's address. date =
-- sets when it was logged (dateoccurred, "2026-12-05T03:00:00Z"); without it, now. Fires
-- "New Ticket Logged". Returns the ticket: {kind = "ticket", id =, summary =, client_id =}.
function halo.log_ticket(fields)
    local name = "halo.log_ticket"
    session.check_fields(name, fields, {user = true, summary = true, details = true,
        priority = true, type = true, email = true, date = true})
    if fields.user == nil then
        failure.misuse(name, "user is missing: say which end user logs the ticket")
    end
    local body = {
        user_id = session.id_of(fields.user, "user", name),
        summary = require_text(name, fields, "summary"),
        details = fields.details or "",
        priority_id = fields.priority and session.integer(fields.priority),
        tickettype_id = fields.type and session.integer(fields.type),
        user_email = fields.email,
        dateoccurred = fields.date,
    }
    local ticket = session.simulator("POST", "/tickets", body)
    return {kind = "ticket", id = session.integer(ticket.id), summary = body.summary,
        client_id = session.integer(ticket.client_id)}
end

-- A user or technician adds an action to a ticket: {user = | technician =, text = | html =,
-- hidden =, status =, outcome =}. html = is the body of an e-mail or rich-text reply: HaloPSA
-- stores it as note_html and derives the plain note from it. Returns the action's id.
function halo.reply(ticket, fields)
    local name = "halo.reply"
    local ticket_id = session.id_of(ticket, "ticket", name)
    session.check_fields(name, fields, {user = true, technician = true, text = true,
        html = true, hidden = true, status = true, outcome = true})
    if fields.text ~= nil and fields.html ~= nil then
        failure.misuse(name, "give text or html, not both")
    end
    local body = {hiddenfromuser = fields.hidden, outcome = fields.outcome}
    if fields.html ~= nil then
        body.note_html = require_text(name, fields, "html")
    else
        body.note = require_text(name, fields, "text")
    end
    add_actor(name, fields, body, true)
    if fields.status ~= nil then
        body.new_status = session.status_id(fields.status, name)
    end
    local action = session.simulator("POST", "/tickets/" .. ticket_id .. "/actions", body)
    return session.integer(action.id)
end

-- A technician edits a ticket: {technician =, status =, assign =, unassign = true, summary =,
-- details =, priority =, requester =, email =}. unassign = true leaves the ticket with no
-- technician, requester makes another end user the ticket's user, and email = sets the ticket's
-- own e-mail address (user_email). Fires "Ticket Updated" and the status events.
function halo.update(ticket, fields)
    local name = "halo.update"
    local ticket_id = session.id_of(ticket, "ticket", name)
    session.check_fields(name, fields, {technician = true, status = true, assign = true,
        unassign = true, summary = true, details = true, priority = true, requester = true,
        email = true})
    if fields.unassign ~= nil and (fields.unassign ~= true or fields.assign ~= nil) then
        failure.misuse(name, "unassign must be true, and is not given together with assign")
    end
    local body = {summary = fields.summary, details = fields.details,
        priority_id = fields.priority and session.integer(fields.priority),
        user_email = fields.email}
    add_actor(name, fields, body, false)
    if fields.status ~= nil then
        body.status_id = session.status_id(fields.status, name)
    end
    if fields.assign ~= nil then
        body.assign_agent_id = session.id_of(fields.assign, "technician", name)
    end
    if fields.unassign then
        body.assign_agent_id = 0
    end
    if fields.requester ~= nil then
        body.ticket_user_id = session.id_of(fields.requester, "user", name)
    end
    session.simulator("POST", "/tickets/" .. ticket_id, body)
end

-- A technician closes a ticket: {technician =, status = "Closed"}.
function halo.close(ticket, fields)
    session.check_fields("halo.close", fields, {technician = true, status = true})
    halo.update(ticket, {technician = fields.technician, status = fields.status or "Closed"})
end

-- A technician reopens a ticket: {technician =, status = "In Progress"}.
function halo.reopen(ticket, fields)
    session.check_fields("halo.reopen", fields, {technician = true, status = true})
    halo.update(ticket, {technician = fields.technician, status = fields.status or "In Progress"})
end

-- --- Faults ----------------------------------------------------------------------------------

-- Makes HaloPSA's API misbehave for matching requests: {method =, path =, ticket =, status =,
-- body =, latency_ms =, drop_response =, string_fields =, times =}. string_fields = {"who_type"}
-- writes those fields' whole numbers as strings in the answer. Without times it lasts until
-- cleared.
function halo.fault(fields)
    local name = "halo.fault"
    session.check_fields(name, fields, {method = true, path = true, ticket = true, status = true,
        body = true, latency_ms = true, drop_response = true, string_fields = true, times = true})
    local match = {method = fields.method, path = fields.path}
    if fields.ticket ~= nil then
        match.ticket_id = session.id_of(fields.ticket, "ticket", name)
    end
    if next(match) == nil then
        failure.misuse(name, "say which requests: method =, path = or ticket =")
    end
    session.simulator("POST", "/faults", {match = match, status = fields.status,
        body = fields.body, latency_ms = fields.latency_ms, drop_response = fields.drop_response,
        string_fields = fields.string_fields, times = fields.times})
end

-- Makes the next webhook deliveries misbehave: {drop = N, duplicate = N, delay_ms =, status =}.
function halo.webhook_fault(fields)
    local name = "halo.webhook_fault"
    session.check_fields(name, fields, {drop = true, duplicate = true, delay_ms = true,
        status = true})
    session.simulator("POST", "/webhook-faults", {drop = fields.drop,
        duplicate = fields.duplicate, delay_ms = fields.delay_ms,
        status_override = fields.status})
end

-- Clears every request and delivery fault.
function halo.clear_faults()
    session.simulator("DELETE", "/faults")
end

-- --- Reading ---------------------------------------------------------------------------------

-- Returns a ticket's actions, oldest first: {id, text, html, hidden, outcome, by, agent_id, who}
-- where by is "halyard", "technician", "user" or "system".
function halo.actions(ticket)
    return session.actions(session.id_of(ticket, "ticket", "halo.actions"))
end

-- Returns the ticket as HaloPSA has it now (GET /api/Tickets/{id} fields).
function halo.ticket(ticket)
    local id = session.id_of(ticket, "ticket", "halo.ticket")
    return session.simulator("GET", "/tickets/" .. id).ticket
end

-- Returns the requests HaloPSA's API received: {total = N, counts = {["GET /api/tickets/5"] =
-- N, ...}}, paths lower-cased and without the query.
function halo.requests()
    local report = session.simulator("GET", "/requests")
    local counts = {}
    for key, count in pairs(report.counts or {}) do
        counts[key] = session.integer(count)
    end
    return {total = session.integer(report.total), counts = counts}
end

-- Returns how many requests matched key ("GET /api/tickets/5"; any case).
function halo.request_count(key)
    if type(key) ~= "string" then
        failure.misuse("halo.request_count", "expected \"METHOD /path\", such as " ..
            "\"GET /api/tickets/5\"")
    end
    local method, request_path = key:match("^(%u+)%s+(%S+)$")
    if not method then
        failure.misuse("halo.request_count", "expected \"METHOD /path\", such as " ..
            "\"GET /api/tickets/5\", got \"" .. key .. "\"")
    end
    return halo.requests().counts[method .. " " .. request_path:lower()] or 0
end

-- Returns every webhook delivery attempt, oldest first, as the simulator records them.
function halo.deliveries()
    return session.simulator("GET", "/deliveries")
end

return {
    api = halo,
    install = function(environment)
        environment.halo = halo
    end,
}
